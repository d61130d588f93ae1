import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';

describe.each(dialects)('users and departments on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const db = () => h.application.store.db;
  const adminId = async () => (await db().selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
  const roleId = async (key: string) => (await db().selectFrom('roles').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id;
  const department = async (name: string, parentId: string | null = null) =>
    (await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name, parentId } })).body.id as string;
  /** Expects a refusal that wrote nothing, and returns its body. */
  const refused = async (status: number, method: string, path: string, opts: { token?: string; body?: unknown }) => {
    const before = await h.snapshot();
    const res = await h.request(method, path, opts);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(await h.snapshot()).toBe(before);
    return res.body;
  };

  it('reads a user with quotas, for any logged-in user', async () => {
    const agent = await h.agent('agent_a');
    const res = await h.request('GET', `/api/v1/users/${await adminId()}`, { token: agent.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'admin', isAdmin: true, quotaCalls: null, quotaMinutes: null });
    expect(res.body).not.toHaveProperty('passwordHash');
    expect((await h.request('GET', '/api/v1/users/nope', { token: agent.token })).body.code).toBe('USER.NOT_FOUND');
    expect((await h.request('GET', `/api/v1/users/${agent.id}`)).status).toBe(401);
  });

  it('updates name, department, role, admin flag and quotas', async () => {
    const sales = await department('销售一部');
    const agent = await h.agent('agent_a');
    const manager = await roleId('salesManager');
    const res = await h.request('PATCH', `/api/v1/users/${agent.id}`, {
      token: h.adminToken,
      body: { displayName: '张三', departmentId: sales, roleId: manager, isAdmin: true, quotaCalls: 200, quotaMinutes: 90 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: '张三', departmentId: sales, roleId: manager, isAdmin: true, quotaCalls: 200, quotaMinutes: 90 });
    const cleared = await h.request('PATCH', `/api/v1/users/${agent.id}`, { token: h.adminToken, body: { departmentId: null, quotaCalls: null } });
    expect(cleared.body).toMatchObject({ departmentId: null, quotaCalls: null, quotaMinutes: 90, displayName: '张三' });
  });

  it('refuses bad user updates without writing', async () => {
    const agent = await h.agent('agent_a');
    const other = await h.agent('agent_b');
    const me = await adminId();
    const path = `/api/v1/users/${agent.id}`;
    expect(await refused(404, 'PATCH', path, { token: h.adminToken, body: { departmentId: 'nope' } })).toMatchObject({
      code: 'DEPARTMENT.NOT_FOUND',
    });
    const role = await refused(404, 'PATCH', path, { token: h.adminToken, body: { roleId: 'nope' } });
    expect(role.code).toBe('ROLE.NOT_FOUND');
    expect(JSON.stringify(role)).toContain('roleId');
    expect((await refused(404, 'PATCH', '/api/v1/users/nope', { token: h.adminToken, body: { displayName: 'x' } })).code).toBe('USER.NOT_FOUND');
    expect((await refused(403, 'PATCH', path, { token: other.token, body: { displayName: 'x' } })).code).toBe('AUTH.FORBIDDEN');
    expect((await refused(400, 'PATCH', path, { token: h.adminToken, body: { quotaCalls: -1 } })).errors[0].field).toBe('quotaCalls');
    expect((await refused(400, 'PATCH', path, { token: h.adminToken, body: { username: 'renamed' } })).status).toBe(400);
    expect((await refused(409, 'PATCH', `/api/v1/users/${me}`, { token: h.adminToken, body: { status: 'disabled' } })).code).toBe('USER.SELF');
    expect((await refused(409, 'PATCH', `/api/v1/users/${me}`, { token: h.adminToken, body: { isAdmin: false } })).code).toBe('USER.SELF');
  });

  it('disabling a user ends their sessions and API keys at once', async () => {
    const agent = await h.agent('agent_a');
    const second = await h.login('agent_a', 'agent-pass-123');
    const now = h.clock.now().toISOString();
    await db()
      .insertInto('api_keys')
      .values({ id: 'k1', user_id: agent.id, name: 'k', key_hash: 'hash-k1', prefix: 'abcdefgh', permissions: '[]', expires_at: null, revoked_at: null, last_used_at: null, created_at: now })
      .execute();
    expect((await h.request('GET', '/api/v1/me', { token: agent.token })).status).toBe(200);
    const res = await h.request('PATCH', `/api/v1/users/${agent.id}`, { token: h.adminToken, body: { status: 'disabled' } });
    expect(res.body.status).toBe('disabled');
    for (const token of [agent.token, second]) expect((await h.request('GET', '/api/v1/me', { token })).status).toBe(401);
    const tokens = await db().selectFrom('auth_tokens').select('revoked_at').where('user_id', '=', agent.id).execute();
    expect(tokens.length).toBe(2);
    expect(tokens.every((t) => t.revoked_at !== null)).toBe(true);
    const key = await db().selectFrom('api_keys').select('revoked_at').where('id', '=', 'k1').executeTakeFirstOrThrow();
    expect(key.revoked_at).not.toBeNull();
    const login = await h.request('POST', '/api/v1/auth/login', { body: { username: 'agent_a', password: 'agent-pass-123' } });
    expect(login.body.code).toBe('AUTH.USER_DISABLED');
    // Re-enabling lets them log in again, with a new session.
    await h.request('PATCH', `/api/v1/users/${agent.id}`, { token: h.adminToken, body: { status: 'active' } });
    expect((await h.request('GET', '/api/v1/me', { token: await h.login('agent_a', 'agent-pass-123') })).status).toBe(200);
  });

  it('changes one’s own password with the current one and keeps only the current session', async () => {
    const agent = await h.agent('agent_a');
    const other = await h.login('agent_a', 'agent-pass-123');
    const path = `/api/v1/users/${agent.id}/password`;
    const wrong = await refused(401, 'POST', path, { token: agent.token, body: { currentPassword: 'wrong-pass-1', newPassword: 'new-pass-456' } });
    expect(wrong.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect(JSON.stringify(wrong)).toContain('currentPassword');
    expect((await refused(401, 'POST', path, { token: agent.token, body: { newPassword: 'new-pass-456' } })).code).toBe('AUTH.INVALID_CREDENTIALS');
    expect((await refused(400, 'POST', path, { token: agent.token, body: { currentPassword: 'agent-pass-123', newPassword: 'short' } })).errors[0].field).toBe(
      'newPassword',
    );
    const res = await h.request('POST', path, { token: agent.token, body: { currentPassword: 'agent-pass-123', newPassword: 'new-pass-456' } });
    expect(res.status).toBe(204);
    expect((await h.request('GET', '/api/v1/me', { token: agent.token })).status).toBe(200);
    expect((await h.request('GET', '/api/v1/me', { token: other })).status).toBe(401);
    expect((await h.request('POST', '/api/v1/auth/login', { body: { username: 'agent_a', password: 'agent-pass-123' } })).status).toBe(401);
    await h.login('agent_a', 'new-pass-456');
  });

  it('never leaves a session opened with the old password alive when the password changes at the same time', async () => {
    const agent = await h.agent('agent_a');
    let password = 'agent-pass-123';
    // Four rounds: a fifth failed login within 15 minutes would be throttled (429) instead.
    for (let i = 0; i < 4; i++) {
      const next = `new-pass-${i}00`;
      const [login, changed] = await Promise.all([
        h.request('POST', '/api/v1/auth/login', { body: { username: 'agent_a', password } }),
        h.request('POST', `/api/v1/users/${agent.id}/password`, { token: h.adminToken, body: { newPassword: next } }),
      ]);
      expect(changed.status).toBe(204);
      // Either the login came too late for the old password, or its session ended with the change.
      if (login.status === 200) expect((await h.request('GET', '/api/v1/me', { token: login.body.token })).status).toBe(401);
      else expect(login.status).toBe(401);
      password = next;
    }
  });

  it('lets an admin set anyone’s password without the current one, ending all their sessions', async () => {
    const agent = await h.agent('agent_a');
    const other = await h.agent('agent_b');
    expect((await refused(403, 'POST', `/api/v1/users/${other.id}/password`, { token: agent.token, body: { newPassword: 'new-pass-456' } })).code).toBe(
      'AUTH.FORBIDDEN',
    );
    expect((await refused(404, 'POST', '/api/v1/users/nope/password', { token: h.adminToken, body: { newPassword: 'new-pass-456' } })).code).toBe(
      'USER.NOT_FOUND',
    );
    const res = await h.request('POST', `/api/v1/users/${agent.id}/password`, { token: h.adminToken, body: { newPassword: 'new-pass-456' } });
    expect(res.status).toBe(204);
    expect((await h.request('GET', '/api/v1/me', { token: agent.token })).status).toBe(401);
    expect((await h.request('GET', '/api/v1/me', { token: h.adminToken })).status).toBe(200);
    await h.login('agent_a', 'new-pass-456');
  });

  it('deletes a user, handing customers, collaborations and shares over in one go', async () => {
    const leaver = await h.agent('agent_a');
    const heir = await h.agent('agent_b');
    const c1 = await h.request('POST', '/api/v1/customers', { token: leaver.token, body: { name: 'x' } });
    const c2 = await h.request('POST', '/api/v1/customers', { token: leaver.token, body: { name: 'y' } });
    const c3 = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'z' } });
    expect([c1.status, c2.status, c3.status]).toEqual([201, 201, 201]);
    const now = h.clock.now().toISOString();
    await db()
      .insertInto('customer_collaborators')
      .values([
        { customer_id: c3.body.id, user_id: leaver.id, created_at: now },
        { customer_id: c3.body.id, user_id: heir.id, created_at: now },
      ])
      .execute();
    await db().insertInto('customer_shares').values({ id: 's1', customer_id: c3.body.id, user_id: leaver.id, department_id: null, created_by: null, created_at: now }).execute();
    const view = await h.request('POST', '/api/v1/views', { token: leaver.token, body: { name: '我的' } });
    expect(view.status).toBe(201);

    const res = await h.request('DELETE', `/api/v1/users/${leaver.id}`, { token: h.adminToken, body: { handOverTo: heir.id } });
    expect(res.status).toBe(204);
    const owners = await db().selectFrom('customers').select(['id', 'owner_id']).where('id', 'in', [c1.body.id, c2.body.id]).execute();
    expect(owners.map((o) => o.owner_id)).toEqual([heir.id, heir.id]);
    // The hand-over is in each customer's journey.
    const journey = await h.request('GET', `/api/v1/customers/${c1.body.id}/journey`, { token: heir.token });
    expect(journey.body.items.at(-1)).toMatchObject({ action: 'transfer', fromOwnerId: leaver.id, toOwnerId: heir.id });
    const mine = await h.request('GET', `/api/v1/customers/${c1.body.id}`, { token: heir.token });
    expect(mine.status).toBe(200);
    const collaborators = await db().selectFrom('customer_collaborators').select('user_id').where('customer_id', '=', c3.body.id).execute();
    expect(collaborators.map((r) => r.user_id)).toEqual([heir.id]);
    const share = await db().selectFrom('customer_shares').select('user_id').where('id', '=', 's1').executeTakeFirstOrThrow();
    expect(share.user_id).toBe(heir.id);
    expect(await db().selectFrom('views').select('id').where('id', '=', view.body.id).executeTakeFirst()).toBeUndefined();
    expect((await h.request('GET', `/api/v1/users/${leaver.id}`, { token: h.adminToken })).status).toBe(404);
    expect((await h.request('GET', '/api/v1/me', { token: leaver.token })).status).toBe(401);
  });

  it('refuses bad deletions without writing', async () => {
    const leaver = await h.agent('agent_a');
    const heir = await h.agent('agent_b');
    const disabled = await h.agent('agent_c');
    await h.request('POST', '/api/v1/customers', { token: leaver.token, body: { name: 'x' } });
    await h.request('PATCH', `/api/v1/users/${disabled.id}`, { token: h.adminToken, body: { status: 'disabled' } });
    const path = `/api/v1/users/${leaver.id}`;
    const field = (body: any) => body.field ?? body.errors?.[0]?.field;
    const missing = await refused(404, 'DELETE', path, { token: h.adminToken, body: { handOverTo: 'nope' } });
    expect([missing.code, field(missing)]).toEqual(['USER.NOT_FOUND', 'handOverTo']);
    const same = await refused(409, 'DELETE', path, { token: h.adminToken, body: { handOverTo: leaver.id } });
    expect([same.code, field(same)]).toEqual(['USER.SELF', 'handOverTo']);
    const inactive = await refused(403, 'DELETE', path, { token: h.adminToken, body: { handOverTo: disabled.id } });
    expect([inactive.code, field(inactive)]).toEqual(['AUTH.USER_DISABLED', 'handOverTo']);
    expect((await refused(400, 'DELETE', path, { token: h.adminToken, body: {} })).errors[0].field).toBe('handOverTo');
    expect((await refused(403, 'DELETE', path, { token: heir.token, body: { handOverTo: heir.id } })).code).toBe('AUTH.FORBIDDEN');
    expect((await refused(404, 'DELETE', '/api/v1/users/nope', { token: h.adminToken, body: { handOverTo: heir.id } })).code).toBe('USER.NOT_FOUND');
    expect((await refused(409, 'DELETE', `/api/v1/users/${await adminId()}`, { token: h.adminToken, body: { handOverTo: heir.id } })).code).toBe(
      'USER.SELF',
    );
  });

  it('renames and moves a department, its subtree and closure rows following', async () => {
    const root = await department('总部');
    const east = await department('华东', root);
    const sales = await department('销售一部', east);
    const west = await department('华西', root);
    const renamed = await h.request('PATCH', `/api/v1/departments/${east}`, { token: h.adminToken, body: { name: '华东大区' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: east, name: '华东大区', parentId: root });
    const moved = await h.request('PATCH', `/api/v1/departments/${east}`, { token: h.adminToken, body: { parentId: west } });
    expect(moved.body).toMatchObject({ name: '华东大区', parentId: west });
    const ancestors = async (id: string) =>
      (await db().selectFrom('department_closure').select(['ancestor_id', 'depth']).where('descendant_id', '=', id).orderBy('depth').execute()).map((r) => [
        r.ancestor_id,
        r.depth,
      ]);
    expect(await ancestors(sales)).toEqual([
      [sales, 0],
      [east, 1],
      [west, 2],
      [root, 3],
    ]);
    const toTop = await h.request('PATCH', `/api/v1/departments/${east}`, { token: h.adminToken, body: { parentId: null } });
    expect(toTop.body.parentId).toBeNull();
    expect(await ancestors(sales)).toEqual([
      [sales, 0],
      [east, 1],
    ]);
    const listed = await h.request('GET', '/api/v1/departments', { token: h.adminToken });
    expect(listed.body.items.find((d: { id: string }) => d.id === east).parentId).toBeNull();
  });

  it('refuses a department move that would make a cycle, and other bad updates', async () => {
    const root = await department('总部');
    const east = await department('华东', root);
    const sales = await department('销售一部', east);
    const agent = await h.agent('agent_a');
    const path = `/api/v1/departments/${east}`;
    expect((await refused(400, 'PATCH', path, { token: h.adminToken, body: { parentId: sales } })).code).toBe('DEPARTMENT.CYCLE');
    expect((await refused(400, 'PATCH', path, { token: h.adminToken, body: { parentId: east } })).code).toBe('DEPARTMENT.CYCLE');
    expect((await refused(404, 'PATCH', path, { token: h.adminToken, body: { parentId: 'nope' } })).code).toBe('DEPARTMENT.NOT_FOUND');
    expect((await refused(404, 'PATCH', '/api/v1/departments/nope', { token: h.adminToken, body: { name: 'x' } })).code).toBe('DEPARTMENT.NOT_FOUND');
    expect((await refused(400, 'PATCH', path, { token: h.adminToken, body: { name: '' } })).errors[0].field).toBe('name');
    expect((await refused(403, 'PATCH', path, { token: agent.token, body: { name: 'x' } })).code).toBe('AUTH.FORBIDDEN');
  });

  it('takes two crossing moves sent at once in turn: one moves, the other would make a cycle and is refused', async () => {
    const ancestors = async (id: string) =>
      (await db().selectFrom('department_closure').select(['ancestor_id', 'depth']).where('descendant_id', '=', id).orderBy('depth').execute()).map((r) => [
        r.ancestor_id,
        r.depth,
      ]);
    for (let i = 0; i < 3; i++) {
      const a = await department(`甲${i}`);
      const b = await department(`乙${i}`);
      const [ab, ba] = await Promise.all([
        h.request('PATCH', `/api/v1/departments/${a}`, { token: h.adminToken, body: { parentId: b } }),
        h.request('PATCH', `/api/v1/departments/${b}`, { token: h.adminToken, body: { parentId: a } }),
      ]);
      expect([ab.status, ba.status].sort()).toEqual([200, 400]);
      expect([ab.body.code, ba.body.code]).toContain('DEPARTMENT.CYCLE');
      const lower = ab.status === 200 ? a : b;
      const upper = ab.status === 200 ? b : a;
      expect(await ancestors(lower)).toEqual([
        [lower, 0],
        [upper, 1],
      ]);
      expect(await ancestors(upper)).toEqual([[upper, 0]]);
    }
  });

  it('deletes only empty departments, closure rows with them', async () => {
    const root = await department('总部');
    const east = await department('华东', root);
    const agent = await h.agent('agent_a', { departmentId: east });
    expect((await refused(409, 'DELETE', `/api/v1/departments/${root}`, { token: h.adminToken })).code).toBe('DEPARTMENT.NOT_EMPTY');
    expect((await refused(409, 'DELETE', `/api/v1/departments/${east}`, { token: h.adminToken })).code).toBe('DEPARTMENT.NOT_EMPTY');
    expect((await refused(403, 'DELETE', `/api/v1/departments/${east}`, { token: agent.token })).code).toBe('AUTH.FORBIDDEN');
    expect((await refused(404, 'DELETE', '/api/v1/departments/nope', { token: h.adminToken })).code).toBe('DEPARTMENT.NOT_FOUND');
    await h.request('PATCH', `/api/v1/users/${agent.id}`, { token: h.adminToken, body: { departmentId: null } });
    expect((await h.request('DELETE', `/api/v1/departments/${east}`, { token: h.adminToken })).status).toBe(204);
    expect((await h.request('DELETE', `/api/v1/departments/${root}`, { token: h.adminToken })).status).toBe(204);
    expect(await db().selectFrom('department_closure').selectAll().execute()).toEqual([]);
    expect((await h.request('GET', '/api/v1/departments', { token: h.adminToken })).body.items).toEqual([]);
  });

  if (dialect.name === 'postgres') {
    it('answers 409 when a department is deleted between the check and the write of a user joining it, and the other way round', async () => {
      const doomed = await department('撤销部');
      const joining = await h.whileCommitting('delete from departments where id = $1', [doomed], () =>
        h.request('POST', '/api/v1/users', { token: h.adminToken, body: { username: 'late', displayName: 'Late', password: 'agent-pass-123', departmentId: doomed } }),
      );
      expect(joining.status, JSON.stringify(joining.body)).toBe(409);
      expect(joining.body).toMatchObject({ code: 'REFERENCE.CHANGED', errors: [{ field: 'departmentId' }] });
      expect(await db().selectFrom('users').select('id').where('username', '=', 'late').execute()).toEqual([]);

      const used = await department('新部门');
      const deleting = await h.whileCommitting(
        "insert into users (id, username, display_name, password_hash, is_admin, department_id, role_id, status, created_at, updated_at) values ('u-new', 'new', 'New', 'x', 0, $1, $2, 'active', now()::text, now()::text)",
        [used, await roleId('agent')],
        () => h.request('DELETE', `/api/v1/departments/${used}`, { token: h.adminToken }),
      );
      expect(deleting.status, JSON.stringify(deleting.body)).toBe(409);
      expect(deleting.body).toMatchObject({ code: 'REFERENCE.CHANGED', params: { usedBy: 'users' } });
      expect(await db().selectFrom('departments').select('id').where('id', '=', used).execute()).toEqual([{ id: used }]);
    });
  }
});
