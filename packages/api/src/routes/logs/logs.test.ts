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
    expect(page1.body.items[0]).toMatchObject({ entity: 'department', action: 'post departments' });
    const page2 = await h.request('GET', `/api/v1/audit?limit=1&cursor=${page1.body.nextCursor}`, { token: h.adminToken });
    expect(page2.body.items[0]).toMatchObject({ entity: 'user' });
    expect(page2.body.items[0].changes.password).toEqual({ before: '***', after: '***' });
    expect(JSON.stringify(await h.application.store.db.selectFrom('audit_log').selectAll().execute())).not.toContain('very-secret-pass');
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
