import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';

describe.each(dialects)('audit and login logs on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('records every customer write with the changed fields before and after', async () => {
    const created = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: '审计客户', source: '展会' } });
    await h.request('PATCH', `/api/v1/customers/${created.body.id}`, { token: h.adminToken, body: { source: '广告', name: '审计客户' } });
    await h.request('DELETE', `/api/v1/customers/${created.body.id}`, { token: h.adminToken });
    // A refused write leaves no entry.
    await h.request('PATCH', `/api/v1/customers/${created.body.id}`, { token: h.adminToken, body: { source: '展会' } });
    const log = await h.request('GET', `/api/v1/audit?entity=customer&entityId=${created.body.id}`, { token: h.adminToken });
    expect(log.status).toBe(200);
    const entries = [...log.body.items].reverse();
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['create', 'update', 'delete']);
    expect(entries[0].changes).toMatchObject({ name: { before: null, after: '审计客户' }, source: { before: null, after: '展会' }, pool: { after: 'private' } });
    expect(entries[1].changes).toEqual({ source: { before: '展会', after: '广告' } });
    expect(entries[1]).toMatchObject({ via: 'token', keyId: null, entity: 'customer' });
    const me = await h.request('GET', '/api/v1/me', { token: h.adminToken });
    expect(entries.every((e: { actorId: string }) => e.actorId === me.body.id)).toBe(true);
  });

  it('records other writes with secrets masked, and pages newest first', async () => {
    await h.request('POST', '/api/v1/users', { token: h.adminToken, body: { username: 'new_user', displayName: '新人', password: 'very-secret-pass' } });
    await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: '销售一部' } });
    const page1 = await h.request('GET', '/api/v1/audit?limit=1', { token: h.adminToken });
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({ entity: 'department', action: 'create', changes: { name: { before: null, after: '销售一部' } } });
    const page2 = await h.request('GET', `/api/v1/audit?limit=1&cursor=${page1.body.nextCursor}`, { token: h.adminToken });
    expect(page2.body.items[0]).toMatchObject({ entity: 'user', action: 'create', changes: { username: { before: null, after: 'new_user' } } });
    expect(page2.body.items[0].changes.password).toEqual({ before: '***', after: '***' });
    expect(JSON.stringify(await h.application.store.db.selectFrom('audit_log').selectAll().execute())).not.toContain('very-secret-pass');
  });

  it('records the values before and after of updates, in the same transaction as the write', async () => {
    const audit = async (entity: string, entityId: string) => {
      const log = await h.request('GET', `/api/v1/audit?entity=${entity}&entityId=${entityId}`, { token: h.adminToken });
      expect(log.status).toBe(200);
      return [...log.body.items].reverse() as { action: string; entity: string; changes: Record<string, { before: unknown; after: unknown }> }[];
    };

    const dept = await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: 'A' } });
    await h.request('PATCH', `/api/v1/departments/${dept.body.id}`, { token: h.adminToken, body: { name: 'B' } });
    await h.request('DELETE', `/api/v1/departments/${dept.body.id}`, { token: h.adminToken });
    const deptLog = await audit('department', dept.body.id);
    expect(deptLog.map((e) => e.action)).toEqual(['create', 'update', 'delete']);
    expect(deptLog[1]!.changes).toEqual({ name: { before: 'A', after: 'B' } });
    expect(deptLog[2]!.changes).toMatchObject({ name: { before: 'B', after: null } });

    const role = await h.request('POST', '/api/v1/roles', { token: h.adminToken, body: { name: '质检', dataScope: 'own', permissions: ['customers.view'] } });
    const widened = await h.request('PATCH', `/api/v1/roles/${role.body.id}`, { token: h.adminToken, body: { permissions: ['customers.view', 'customers.edit'] } });
    expect(widened.body.permissions).toEqual(expect.arrayContaining(['customers.view', 'customers.edit']));
    const roleLog = await audit('role', role.body.id);
    expect(roleLog.map((e) => e.action)).toEqual(['create', 'update']);
    expect(roleLog[0]!.changes).toMatchObject({ name: { before: null, after: '质检' }, dataScope: { before: null, after: 'own' } });
    expect(roleLog[1]!.changes).toEqual({ permissions: { before: role.body.permissions, after: widened.body.permissions } });

    const key = await h.request('POST', '/api/v1/keys', { token: h.adminToken, body: { name: '脚本', permissions: ['customers.view'] } });
    expect(key.status).toBe(201);
    await h.request('DELETE', `/api/v1/keys/${key.body.id}`, { token: h.adminToken });
    const keyLog = await audit('apiKey', key.body.id);
    expect(keyLog.map((e) => e.action)).toEqual(['create', 'revoke']);
    expect(keyLog[0]!.changes).toEqual({ name: { before: null, after: '脚本' }, permissions: { before: null, after: ['customers.view'] } });
    expect(keyLog[1]!.changes).toMatchObject({ revokedAt: { before: null } });
    const keyRows = JSON.stringify(await h.application.store.db.selectFrom('audit_log').selectAll().where('entity', '=', 'apiKey').execute());
    expect(keyRows).not.toContain(key.body.secret);
    expect(keyRows).not.toContain(key.body.prefix);

    const agent = await h.agent('agent_pw');
    const changed = await h.request('POST', `/api/v1/users/${agent.id}/password`, { token: agent.token, body: { currentPassword: 'agent-pass-123', newPassword: 'brand-new-pass-789' } });
    expect(changed.status).toBeLessThan(300);
    const userLog = await audit('user', agent.id);
    expect(userLog.map((e) => e.action)).toEqual(['create', 'password']);
    expect(userLog[1]!.changes).toEqual({ password: { before: '***', after: '***' } });
    expect(JSON.stringify(await h.application.store.db.selectFrom('audit_log').selectAll().execute())).not.toContain('brand-new-pass-789');

    // A refused write leaves no entry: the entry is written in the write's own transaction.
    const before = await h.request('GET', '/api/v1/audit', { token: h.adminToken });
    expect((await h.request('PATCH', '/api/v1/departments/nope', { token: h.adminToken, body: { name: 'C' } })).status).toBe(404);
    expect((await h.request('GET', '/api/v1/audit', { token: h.adminToken })).body.items).toEqual(before.body.items);
  });

  it('records a user updated, then deleted with the hand-over of their customers', async () => {
    const heir = await h.agent('agent_heir');
    const leaver = await h.agent('agent_leaver');
    await h.request('POST', '/api/v1/customers', { token: leaver.token, body: { name: '交接客户' } });
    await h.request('PATCH', `/api/v1/users/${leaver.id}`, { token: h.adminToken, body: { displayName: '离职员工', quotaCalls: 80 } });
    const deleted = await h.request('DELETE', `/api/v1/users/${leaver.id}`, { token: h.adminToken, body: { handOverTo: heir.id } });
    expect(deleted.status).toBe(204);
    const log = await h.request('GET', `/api/v1/audit?entity=user&entityId=${leaver.id}`, { token: h.adminToken });
    const [deletion, update] = log.body.items;
    expect(update).toMatchObject({ action: 'update', changes: { displayName: { before: 'agent_leaver', after: '离职员工' }, quotaCalls: { before: null, after: 80 } } });
    expect(Object.keys(update.changes).sort()).toEqual(['displayName', 'quotaCalls']);
    expect(deletion).toMatchObject({
      action: 'delete',
      entity: 'user',
      changes: { username: { before: 'agent_leaver', after: null }, handOverTo: { before: null, after: heir.id }, customersMoved: { before: null, after: 1 } },
    });
  });

  it('lists logins for those allowed, and has no way to edit either log', async () => {
    await h.request('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'wrong-one-123' } });
    const failed = await h.request('GET', '/api/v1/logins?success=false', { token: h.adminToken });
    expect(failed.body.items.map((e: { username: string; reason: string }) => [e.username, e.reason])).toEqual([['admin', 'wrong-password']]);
    const agent = await h.agent('agent_l');
    expect((await h.request('GET', '/api/v1/audit', { token: agent.token })).status).toBe(403);
    expect((await h.request('GET', '/api/v1/logins', { token: agent.token })).status).toBe(403);
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      expect((await h.request(method, '/api/v1/audit', { token: h.adminToken, body: {} })).status).toBe(404);
    }
  });
});
