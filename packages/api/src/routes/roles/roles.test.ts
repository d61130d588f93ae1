import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';

describe.each(dialects)('roles, permissions and field permissions on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const roleId = async (key: string) => {
    const roles = await h.request('GET', '/api/v1/roles', { token: h.adminToken });
    return roles.body.items.find((r: { key: string | null }) => r.key === key).id as string;
  };
  const department = async (name: string, parentId: string | null = null) =>
    (await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name, parentId } })).body.id as string;
  const user = async (username: string, role: string, departmentId: string | null) => {
    const res = await h.request('POST', '/api/v1/users', {
      token: h.adminToken,
      body: { username, displayName: username, password: 'user-pass-123', roleId: await roleId(role), departmentId },
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return { id: res.body.id as string, token: await h.login(username, 'user-pass-123') };
  };
  const names = async (token: string) =>
    ((await h.request('GET', '/api/v1/customers?limit=100', { token })).body.items as { name: string }[]).map((c) => c.name).sort();

  it('seeds the roles the manuals name as a tree', async () => {
    const roles = (await h.request('GET', '/api/v1/roles', { token: h.adminToken })).body.items as { key: string; name: string; parentId: string | null; id: string; dataScope: string }[];
    const byKey = new Map(roles.map((r) => [r.key, r]));
    expect([...byKey.keys()].sort()).toEqual(['admin', 'agent', 'generalManager', 'salesManager', 'support']);
    expect(byKey.get('agent')!.parentId).toBe(byKey.get('salesManager')!.id);
    expect(byKey.get('salesManager')!).toMatchObject({ name: '销售经理', dataScope: 'departmentAndBelow' });
  });

  it('lets a manager see and work what is below them: subordinate roles and departments below', async () => {
    const east = await department('华东区');
    const shanghai = await department('上海组', east);
    const west = await department('华西区');
    const eastManager = await user('mgr_east', 'salesManager', east);
    const shanghaiManager = await user('mgr_sh', 'salesManager', shanghai);
    const westManager = await user('mgr_west', 'salesManager', west);
    const agent = await user('agent_sh', 'agent', shanghai);
    const add = (token: string, name: string) => h.request('POST', '/api/v1/customers', { token, body: { name } });
    await add(eastManager.token, '华东经理客户');
    await add(shanghaiManager.token, '上海经理客户');
    const westCustomer = await add(westManager.token, '华西经理客户');
    const agentCustomer = await add(agent.token, '销售员客户');
    // Department and below adds the Shanghai manager (a peer role); the agent's role is below the
    // sales manager role; the west manager is neither.
    expect(await names(eastManager.token)).toEqual(['上海经理客户', '华东经理客户', '销售员客户'].sort());
    expect(await names(agent.token)).toEqual(['销售员客户']);
    expect((await h.request('GET', `/api/v1/customers/${westCustomer.body.id}`, { token: eastManager.token })).status).toBe(404);
    expect((await h.request('PATCH', `/api/v1/customers/${agentCustomer.body.id}`, { token: eastManager.token, body: { hot: true } })).status).toBe(200);
    // Purging is for managers: agents may only move to the recycle bin.
    await h.request('DELETE', `/api/v1/customers/${agentCustomer.body.id}`, { token: agent.token });
    expect((await h.request('POST', `/api/v1/customers/${agentCustomer.body.id}/purge`, { token: agent.token })).status).toBe(403);
    expect((await h.request('POST', `/api/v1/customers/${agentCustomer.body.id}/purge`, { token: eastManager.token })).status).toBe(204);
  });

  it('refuses an operation the role does not grant, naming the permission, and writes nothing', async () => {
    const support = await user('support_1', 'support', null);
    const before = await h.snapshot();
    const res = await h.request('POST', '/api/v1/customers', { token: support.token, body: { name: 'x' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AUTH.FORBIDDEN', params: { permission: 'customers.create' } });
    expect((await h.request('POST', '/api/v1/customers/merge', { token: support.token, body: { survivorId: 'a', mergedId: 'b' } })).status).toBe(403);
    expect(await h.snapshot()).toBe(before);
    // Support sees everything (scope all) but reads only.
    await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: '公司客户' } });
    expect(await names(support.token)).toEqual(['公司客户']);
  });

  it('hides fields from a role, refuses writes to read-only fields and keeps hidden fields out of filters', async () => {
    const limited = await h.request('POST', '/api/v1/roles', {
      token: h.adminToken,
      body: {
        name: '电话专员',
        parentId: await roleId('salesManager'),
        dataScope: 'own',
        permissions: ['customers.view', 'customers.create', 'customers.edit'],
        fieldPermissions: { customer: { email: 'hidden', company: 'read' } },
      },
    });
    expect(limited.status).toBe(201);
    const res = await h.request('POST', '/api/v1/users', {
      token: h.adminToken,
      body: { username: 'limited', displayName: 'limited', password: 'user-pass-123', roleId: limited.body.id },
    });
    expect(res.status).toBe(201);
    const token = await h.login('limited', 'user-pass-123');
    const created = await h.request('POST', '/api/v1/customers', { token, body: { name: '受限客户' } });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('email');
    expect(created.body).toHaveProperty('company');
    const before = await h.snapshot();
    const readOnly = await h.request('PATCH', `/api/v1/customers/${created.body.id}`, { token, body: { company: '新公司' } });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body).toMatchObject({ code: 'AUTH.FIELD_READ_ONLY', errors: [{ field: 'company' }] });
    const hiddenWrite = await h.request('PATCH', `/api/v1/customers/${created.body.id}`, { token, body: { email: 'a@b.cn' } });
    expect(hiddenWrite.status).toBe(403);
    expect(await h.snapshot()).toBe(before);
    const filter = encodeURIComponent(JSON.stringify({ field: 'email', op: 'empty' }));
    expect((await h.request('GET', `/api/v1/customers?filter=${filter}`, { token })).body.code).toBe('FILTER.UNKNOWN_FIELD');
    const list = await h.request('GET', '/api/v1/customers', { token });
    expect(list.body.items[0]).not.toHaveProperty('email');
  });

  it('creates, moves and deletes roles, refusing cycles and roles in use', async () => {
    const parent = await h.request('POST', '/api/v1/roles', { token: h.adminToken, body: { name: '区域经理', parentId: await roleId('generalManager'), dataScope: 'departmentAndBelow', permissions: ['customers.view'] } });
    const child = await h.request('POST', '/api/v1/roles', { token: h.adminToken, body: { name: '组长', parentId: parent.body.id, dataScope: 'department', permissions: ['customers.view'] } });
    expect(child.status).toBe(201);
    const cycle = await h.request('PATCH', `/api/v1/roles/${parent.body.id}`, { token: h.adminToken, body: { parentId: child.body.id } });
    expect(cycle.status).toBe(400);
    expect(cycle.body).toMatchObject({ code: 'ROLE.CYCLE', errors: [{ field: 'parentId' }] });
    const unknown = await h.request('POST', '/api/v1/roles', { token: h.adminToken, body: { name: 'x', dataScope: 'own', permissions: ['customers.fly'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('permissions.0');
    const moved = await h.request('PATCH', `/api/v1/roles/${child.body.id}`, { token: h.adminToken, body: { parentId: await roleId('salesManager') } });
    expect(moved.body.parentId).toBe(await roleId('salesManager'));
    const closure = await h.application.store.db.selectFrom('role_closure').selectAll().where('descendant_id', '=', child.body.id).execute();
    expect(closure.map((r) => r.depth).sort()).toEqual([0, 1, 2, 3]);
    expect((await h.request('DELETE', `/api/v1/roles/${await roleId('agent')}`, { token: h.adminToken })).status).toBe(409);
    expect((await h.request('DELETE', `/api/v1/roles/${child.body.id}`, { token: h.adminToken })).status).toBe(204);
    const agent = await h.agent('agent_r');
    expect((await h.request('POST', '/api/v1/roles', { token: agent.token, body: { name: 'mine', dataScope: 'all', permissions: [] } })).status).toBe(403);
  });
});
