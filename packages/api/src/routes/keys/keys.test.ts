import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';

describe.each(dialects)('API keys on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const db = () => h.application.store.db;
  const createKey = async (token: string, body: Record<string, unknown>, query = '') => {
    const res = await h.request('POST', `/api/v1/keys${query}`, { token, body });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body as { id: string; userId: string; secret: string; prefix: string; permissions: string[]; expiresAt: string | null };
  };
  const keyRows = () => db().selectFrom('api_keys').selectAll().orderBy('id').execute();

  it('makes a key whose secret works as a bearer token and is shown only once', async () => {
    const agent = await h.agent('agent_a');
    const key = await createKey(agent.token, { name: 'dialer' });
    expect(key.secret).toMatch(/^crm_[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(key.secret.slice(0, 8));
    expect(key.userId).toBe(agent.id);
    // Without a list the key gets what its user holds now, written out.
    expect(key.permissions).toContain('customers.view');
    expect(key.permissions).toContain('keys.create');
    expect(key.permissions).not.toContain('customers.export');

    const me = await h.request('GET', '/api/v1/me', { token: key.secret });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(agent.id);
    await h.request('POST', '/api/v1/customers', { token: agent.token, body: { name: 'A' } });
    const customers = await h.request('GET', '/api/v1/customers', { token: key.secret });
    expect(customers.status).toBe(200);
    expect(customers.body.items.map((c: { name: string }) => c.name)).toEqual(['A']);
    const viaHeader = await h.request('GET', '/api/v1/me', { headers: { 'x-api-key': key.secret } });
    expect(viaHeader.body.id).toBe(agent.id);

    const list = await h.request('GET', '/api/v1/keys', { token: agent.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: key.id, name: 'dialer', prefix: key.prefix, revokedAt: null });
    expect(list.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(key.secret);
    const rows = await keyRows();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(key.secret);
    expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('narrows a key to the permissions asked for and to what its user still holds', async () => {
    const agent = await h.agent('agent_a');
    const key = await createKey(agent.token, { name: 'read-only', permissions: ['customers.view', 'customers.view', 'views.view'] });
    expect(key.permissions).toEqual(['customers.view', 'views.view']);
    expect((await h.request('GET', '/api/v1/customers', { token: key.secret })).status).toBe(200);
    const write = await h.request('POST', '/api/v1/customers', { token: key.secret, body: { name: 'B' } });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('AUTH.FORBIDDEN');
    // A key cannot make keys, even one holding keys.create.
    const full = await createKey(agent.token, { name: 'full' });
    const minted = await h.request('POST', '/api/v1/keys', { token: full.secret, body: { name: 'more' } });
    expect(minted.status).toBe(403);
    expect(minted.body.code).toBe('AUTH.FORBIDDEN');
    expect(await keyRows()).toHaveLength(2);
  });

  it('refuses permissions the creator lacks, naming them, and writes nothing', async () => {
    const agent = await h.agent('agent_a');
    const before = await h.snapshot();
    const res = await h.request('POST', '/api/v1/keys', { token: agent.token, body: { name: 'x', permissions: ['customers.export', 'customers.view'] } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('AUTH.FORBIDDEN');
    expect(JSON.stringify(res.body)).toContain('permissions.0');
    const past = await h.request('POST', '/api/v1/keys', { token: agent.token, body: { name: 'x', expiresAt: '2026-11-22T01:59:59.000Z' } });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe('expiresAt');
    const unknown = await h.request('POST', '/api/v1/keys', { token: agent.token, body: { name: 'x', permissions: ['customers.fly'] } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('permissions.0');
    const forOther = await h.request('POST', '/api/v1/keys?userId=nobody', { token: agent.token, body: { name: 'x' } });
    expect(forOther.status).toBe(403);
    expect(await h.snapshot()).toBe(before);
    expect(await keyRows()).toHaveLength(0);
  });

  it('lets an admin make a key for another user, bounded by that user', async () => {
    const agent = await h.agent('agent_a');
    const refused = await h.request('POST', `/api/v1/keys?userId=${agent.id}`, { token: h.adminToken, body: { name: 'x', permissions: ['users.delete'] } });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('permissions.0');
    const missing = await h.request('POST', '/api/v1/keys?userId=nobody', { token: h.adminToken, body: { name: 'x' } });
    expect(missing.status).toBe(404);
    const key = await createKey(h.adminToken, { name: 'for agent', permissions: ['customers.view'] }, `?userId=${agent.id}`);
    expect(key.userId).toBe(agent.id);
    expect((await h.request('GET', '/api/v1/me', { token: key.secret })).body.id).toBe(agent.id);
    // The agent sees the key as theirs; the admin sees everybody's, or one user's.
    expect((await h.request('GET', '/api/v1/keys', { token: agent.token })).body.items.map((k: { id: string }) => k.id)).toEqual([key.id]);
    await createKey(h.adminToken, { name: 'admin own' });
    expect((await h.request('GET', '/api/v1/keys', { token: h.adminToken })).body.items).toHaveLength(2);
    expect((await h.request('GET', `/api/v1/keys?userId=${agent.id}`, { token: h.adminToken })).body.items).toHaveLength(1);
    expect((await h.request('GET', '/api/v1/keys?userId=someone', { token: agent.token })).status).toBe(403);
  });

  it('revokes a key at once, and only its user or a manager may', async () => {
    const a = await h.agent('agent_a');
    const b = await h.agent('agent_b');
    const key = await createKey(a.token, { name: 'k' });
    const other = await h.request('DELETE', `/api/v1/keys/${key.id}`, { token: b.token });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('KEY.NOT_FOUND');
    expect((await h.request('DELETE', '/api/v1/keys/nope', { token: a.token })).status).toBe(404);
    expect((await h.request('GET', '/api/v1/me', { token: key.secret })).status).toBe(200);

    expect((await h.request('DELETE', `/api/v1/keys/${key.id}`, { token: a.token })).status).toBe(204);
    const after = await h.request('GET', '/api/v1/me', { token: key.secret });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('AUTH.UNAUTHENTICATED');
    expect((await h.request('DELETE', `/api/v1/keys/${key.id}`, { token: a.token })).status).toBe(204);
    const listed = await h.request('GET', '/api/v1/keys', { token: a.token });
    expect(listed.body.items[0].revokedAt).not.toBeNull();

    const second = await createKey(b.token, { name: 'k2' });
    expect((await h.request('DELETE', `/api/v1/keys/${second.id}`, { token: h.adminToken })).status).toBe(204);
    expect((await h.request('GET', '/api/v1/me', { token: second.secret })).status).toBe(401);
  });

  it('refuses a key once it expires', async () => {
    const agent = await h.agent('agent_a');
    // An offset is accepted and stored as UTC.
    const key = await createKey(agent.token, { name: 'short', expiresAt: '2026-11-22T11:00:00+08:00' });
    expect(key.expiresAt).toBe('2026-11-22T03:00:00.000Z');
    h.clock.advance(59 * 60_000);
    expect((await h.request('GET', '/api/v1/me', { token: key.secret })).status).toBe(200);
    h.clock.advance(60_000);
    const res = await h.request('GET', '/api/v1/me', { token: key.secret });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('records use at most once a minute', async () => {
    const agent = await h.agent('agent_a');
    const key = await createKey(agent.token, { name: 'k' });
    const lastUsed = async () => (await keyRows())[0]!.last_used_at;
    expect(await lastUsed()).toBeNull();
    await h.request('GET', '/api/v1/me', { token: key.secret });
    const first = await lastUsed();
    expect(first).toBe(h.clock.now().toISOString());
    h.clock.advance(30_000);
    await h.request('GET', '/api/v1/me', { token: key.secret });
    expect(await lastUsed()).toBe(first);
    h.clock.advance(30_000);
    await h.request('GET', '/api/v1/me', { token: key.secret });
    expect(await lastUsed()).toBe(h.clock.now().toISOString());
  });

  it("refuses a disabled user's key", async () => {
    const agent = await h.agent('agent_a');
    const key = await createKey(agent.token, { name: 'k' });
    const disabled = await h.request('PATCH', `/api/v1/users/${agent.id}`, { token: h.adminToken, body: { status: 'disabled' } });
    expect(disabled.status).toBe(200);
    expect((await h.request('GET', '/api/v1/me', { token: key.secret })).status).toBe(401);
    // Re-enabling the user does not bring the key back: disabling revoked it.
    await h.request('PATCH', `/api/v1/users/${agent.id}`, { token: h.adminToken, body: { status: 'active' } });
    expect((await h.request('GET', '/api/v1/me', { token: key.secret })).status).toBe(401);
    // A key that outlived its user's status (written before disabling revoked keys) is still refused.
    const other = await createKey(await h.login('agent_a', 'agent-pass-123'), { name: 'k2' });
    await db().updateTable('users').set({ status: 'disabled' }).where('id', '=', agent.id).execute();
    const res = await h.request('GET', '/api/v1/me', { token: other.secret });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('AUTH.USER_DISABLED');
  });

  it('refuses keys that do not exist', async () => {
    for (const headers of [{ authorization: 'Bearer crm_nothing' }, { 'x-api-key': 'crm_nothing' }, { 'x-api-key': 'plain' }]) {
      const res = await h.request('GET', '/api/v1/me', { headers });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
    }
  });
});
