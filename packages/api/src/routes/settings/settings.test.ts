import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';

describe.each(dialects)('settings, people and auth on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('seeds the picklists in Chinese and validates customer values against them', async () => {
    const lists = await h.request('GET', '/api/v1/picklists', { token: h.adminToken });
    const byList = (name: string) => lists.body.items.filter((v: { list: string }) => v.list === name).map((v: { value: string }) => v.value);
    for (const name of ['source', 'industry', 'status', 'stage', 'level', 'region', 'tags', 'releaseReason']) expect(byList(name).length).toBeGreaterThan(3);
    expect(byList('source')).toContain('展会');
    const one = await h.request('GET', '/api/v1/picklists/industry', { token: h.adminToken });
    expect(one.body.items.every((v: { list: string }) => v.list === 'industry')).toBe(true);
    expect((await h.request('GET', '/api/v1/picklists/shoes', { token: h.adminToken })).status).toBe(400);
  });

  it('adds, renames (customers follow), deactivates and deletes picklist values', async () => {
    const added = await h.request('POST', '/api/v1/picklists/source/values', { token: h.adminToken, body: { value: '抖音' } });
    expect(added.status).toBe(201);
    expect((await h.request('POST', '/api/v1/picklists/source/values', { token: h.adminToken, body: { value: '抖音' } })).status).toBe(409);
    const c = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'A', source: '抖音', tags: ['决策人'] } });
    expect(c.status).toBe(201);
    const renamed = await h.request('PATCH', `/api/v1/picklists/source/values/${added.body.id}`, { token: h.adminToken, body: { value: '抖音直播' } });
    expect(renamed.body.value).toBe('抖音直播');
    expect((await h.request('GET', `/api/v1/customers/${c.body.id}`, { token: h.adminToken })).body.source).toBe('抖音直播');
    const tags = await h.request('GET', '/api/v1/picklists/tags', { token: h.adminToken });
    const tag = tags.body.items.find((v: { value: string }) => v.value === '决策人');
    await h.request('PATCH', `/api/v1/picklists/tags/values/${tag.id}`, { token: h.adminToken, body: { value: '关键人' } });
    expect((await h.request('GET', `/api/v1/customers/${c.body.id}`, { token: h.adminToken })).body.tags).toEqual(['关键人']);
    await h.request('PATCH', `/api/v1/picklists/source/values/${added.body.id}`, { token: h.adminToken, body: { active: false } });
    const refused = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'B', source: '抖音直播' } });
    expect(refused.status).toBe(400);
    expect((await h.request('DELETE', `/api/v1/picklists/source/values/${added.body.id}`, { token: h.adminToken })).status).toBe(204);
    const agent = await h.agent('agent_p');
    expect((await h.request('POST', '/api/v1/picklists/source/values', { token: agent.token, body: { value: 'x' } })).status).toBe(403);
  });

  it('gives picklist values and custom fields added at once positions of their own, and an alias to one value only', async () => {
    const names = ['渠道甲', '渠道乙', '渠道丙', '渠道丁'];
    const added = await Promise.all(names.map((value) => h.request('POST', '/api/v1/picklists/source/values', { token: h.adminToken, body: { value } })));
    expect(added.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(added.map((r) => r.body.position)).size).toBe(names.length);
    const keys = ['extra1', 'extra2', 'extra3', 'extra4'];
    const fields = await Promise.all(keys.map((key) => h.request('POST', '/api/v1/fields', { token: h.adminToken, body: { key, label: key, type: 'text' } })));
    expect(fields.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(fields.map((r) => r.body.position)).size).toBe(keys.length);
    const sameAlias = await Promise.all(
      ['别名甲', '别名乙'].map((value) => h.request('POST', '/api/v1/picklists/source/values', { token: h.adminToken, body: { value, aliases: ['共用别名'] } })),
    );
    expect(sameAlias.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('defines custom fields with required, hidden and order, and enforces them on customers', async () => {
    const define = (body: unknown) => h.request('POST', '/api/v1/fields', { token: h.adminToken, body });
    const intent = await define({ key: 'intent', label: '意向度', type: 'select', options: ['高', '中', '低'], required: true });
    expect(intent.status).toBe(201);
    expect((await define({ key: 'intent', label: 'again', type: 'text' })).status).toBe(409);
    expect((await define({ key: 'noOptions', label: 'x', type: 'select' })).body.errors[0].field).toBe('options');
    expect((await define({ key: '1bad', label: 'x', type: 'text' })).body.errors[0].field).toBe('key');
    expect((await define({ key: 'x', label: 'x', type: 'colour' })).body.errors[0].field).toBe('type');
    const secret = await define({ key: 'legacyId', label: '旧编号', type: 'text', hidden: true });
    const missing = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'A' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ field: 'custom.intent', code: 'VALIDATION.REQUIRED' });
    const wrongOption = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'A', custom: { intent: '极高' } } });
    expect(wrongOption.body.errors[0]).toMatchObject({ field: 'custom.intent', code: 'FIELD.OPTION_UNKNOWN' });
    const hidden = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'A', custom: { intent: '高', legacyId: 'x' } } });
    expect(hidden.body.errors[0]).toMatchObject({ field: 'custom.legacyId', code: 'FIELD.HIDDEN' });
    expect((await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'A', custom: { intent: '高' } } })).status).toBe(201);
    const hiddenFilter = await h.request('GET', `/api/v1/customers?filter=${encodeURIComponent(JSON.stringify({ field: 'custom.legacyId', op: 'empty' }))}`, { token: h.adminToken });
    expect(hiddenFilter.status).toBe(400);
    const moved = await h.request('PATCH', `/api/v1/fields/${secret.body.id}`, { token: h.adminToken, body: { position: 0, hidden: false } });
    expect(moved.body).toMatchObject({ position: 0, hidden: false });
    const listed = await h.request('GET', '/api/v1/fields?module=customer', { token: h.adminToken });
    expect(listed.body.items.map((f: { key: string }) => f.key)).toEqual(['legacyId', 'intent']);
    expect((await h.request('DELETE', `/api/v1/fields/${intent.body.id}`, { token: h.adminToken })).status).toBe(204);
    expect((await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'B' } })).status).toBe(201);
  });

  it('logs in, tells who is calling, refuses bad passwords and revokes on logout', async () => {
    const wrong = await h.request('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('AUTH.INVALID_CREDENTIALS');
    const nobody = await h.request('POST', '/api/v1/auth/login', { body: { username: 'ghost', password: 'nope-nope' } });
    expect(nobody.body.code).toBe('AUTH.INVALID_CREDENTIALS');
    const token = await h.login('admin', 'admin-pass-123');
    const me = await h.request('GET', '/api/v1/me', { token });
    expect(me.body).toMatchObject({ username: 'admin', isAdmin: true, status: 'active' });
    expect(me.body).not.toHaveProperty('passwordHash');
    expect((await h.request('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
    expect((await h.request('GET', '/api/v1/me', { token })).status).toBe(401);
    expect((await h.request('GET', '/api/v1/me', { token: 'made-up' })).status).toBe(401);
  });

  it('expires tokens by the clock', async () => {
    const token = await h.login('admin', 'admin-pass-123');
    h.clock.advance(8 * 24 * 3600_000);
    const res = await h.request('GET', '/api/v1/me', { token });
    expect(res.status).toBe(401);
  });

  it('manages users and a department tree (admins only)', async () => {
    const root = await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: '总部' } });
    const sales = await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: '销售一部', parentId: root.body.id } });
    expect(sales.body.parentId).toBe(root.body.id);
    expect((await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: 'x', parentId: 'nope' } })).status).toBe(404);
    const agent = await h.agent('agent_u', { departmentId: sales.body.id });
    const users = await h.request('GET', '/api/v1/users', { token: agent.token });
    expect(users.body.items.map((u: { username: string }) => u.username)).toEqual(['admin', 'agent_u']);
    const dup = await h.request('POST', '/api/v1/users', { token: h.adminToken, body: { username: 'agent_u', displayName: 'x', password: 'long-enough-1' } });
    expect(dup.status).toBe(409);
    const short = await h.request('POST', '/api/v1/users', { token: h.adminToken, body: { username: 'agent_v', displayName: 'x', password: 'short' } });
    expect(short.body.errors[0].field).toBe('password');
    expect((await h.request('POST', '/api/v1/users', { token: agent.token, body: { username: 'x1', displayName: 'x', password: 'long-enough-1' } })).status).toBe(403);
    expect((await h.request('GET', '/api/v1/departments', { token: agent.token })).body.items).toHaveLength(2);
  });

  it('reads and changes company settings', async () => {
    const company = await h.request('GET', '/api/v1/company', { token: h.adminToken });
    expect(company.body).toMatchObject({ timeZone: 'Asia/Shanghai', phoneRegion: 'CN' });
    expect((await h.request('PATCH', '/api/v1/company', { token: h.adminToken, body: { timeZone: 'Mars/Olympus' } })).status).toBe(400);
    const changed = await h.request('PATCH', '/api/v1/company', { token: h.adminToken, body: { timeZone: 'Asia/Hong_Kong', name: '华信' } });
    expect(changed.body).toMatchObject({ timeZone: 'Asia/Hong_Kong', name: '华信' });
  });
});
