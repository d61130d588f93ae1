import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';

describe.each(dialects)('views and filters on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const create = async (body: Record<string, unknown>, token = h.adminToken) => {
    const res = await h.request('POST', '/api/v1/customers', { token, body });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body as { id: string; name: string };
  };
  const names = async (query: string, token = h.adminToken) => {
    const res = await h.request('GET', `/api/v1/customers?${query}`, { token });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    return (res.body.items as { name: string }[]).map((i) => i.name).sort();
  };
  const filter = (f: unknown) => `filter=${encodeURIComponent(JSON.stringify(f))}`;

  it('filters on built-in fields with AND/OR groups', async () => {
    await create({ name: 'A', source: '展会', tags: ['决策人', '高意向'], hot: true });
    await create({ name: 'B', source: '展会', tags: ['决策人'] });
    await create({ name: 'C', source: '广告', company: '深圳科技' });
    await create({ name: 'D' });
    expect(await names(filter({ field: 'source', op: 'eq', value: '展会' }))).toEqual(['A', 'B']);
    expect(await names(filter({ field: 'source', op: 'ne', value: '展会' }))).toEqual(['C', 'D']);
    expect(await names(filter({ field: 'source', op: 'in', value: ['广告', '展会'] }))).toEqual(['A', 'B', 'C']);
    expect(await names(filter({ field: 'tags', op: 'hasAll', value: ['决策人', '高意向'] }))).toEqual(['A']);
    expect(await names(filter({ field: 'tags', op: 'hasAny', value: ['高意向', '老客户'] }))).toEqual(['A']);
    expect(await names(filter({ field: 'tags', op: 'hasNone', value: ['决策人'] }))).toEqual(['C', 'D']);
    expect(await names(filter({ field: 'tags', op: 'empty' }))).toEqual(['C', 'D']);
    expect(await names(filter({ field: 'company', op: 'contains', value: '科技' }))).toEqual(['C']);
    expect(await names(filter({ field: 'company', op: 'empty' }))).toEqual(['A', 'B', 'D']);
    expect(await names(filter({ field: 'hot', op: 'eq', value: true }))).toEqual(['A']);
    expect(
      await names(filter({ or: [{ field: 'hot', op: 'eq', value: true }, { and: [{ field: 'source', op: 'eq', value: '广告' }, { field: 'company', op: 'startsWith', value: '深圳' }] }] })),
    ).toEqual(['A', 'C']);
    expect(await names(filter({ field: 'ownerId', op: 'eq', value: 'me' }))).toEqual(['A', 'B', 'C', 'D']);
    expect(await names(`${filter({ field: 'pool', op: 'eq', value: 'private' })}&sort=name:desc`)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('counts relative dates in the company time zone', async () => {
    // 2026-11-22 15:30 UTC is 23:30 in Shanghai; 16:30 UTC is already the 23rd there.
    h.clock.set('2026-11-22T15:30:00.000Z');
    await create({ name: 'late-22nd' });
    h.clock.set('2026-11-22T16:30:00.000Z');
    await create({ name: 'early-23rd' });
    expect(await names(filter({ field: 'createdAt', op: 'within', value: 'today' }))).toEqual(['early-23rd']);
    expect(await names(filter({ field: 'createdAt', op: 'within', value: 'yesterday' }))).toEqual(['late-22nd']);
    expect(await names(filter({ field: 'createdAt', op: 'within', value: { lastDays: 2 } }))).toEqual(['early-23rd', 'late-22nd']);
    expect(await names(filter({ field: 'createdAt', op: 'between', value: ['2026-11-22', '2026-11-22'] }))).toEqual(['late-22nd']);
    expect(await names('view=builtin-today-new')).toEqual(['early-23rd']);
  });

  it('filters on custom fields of every type', async () => {
    const define = (body: unknown) => h.request('POST', '/api/v1/fields', { token: h.adminToken, body });
    expect((await define({ key: 'budget', label: '预算', type: 'number' })).status).toBe(201);
    expect((await define({ key: 'visitDay', label: '拜访日期', type: 'date' })).status).toBe(201);
    expect((await define({ key: 'grade', label: '等级', type: 'select', options: ['甲', '乙'], indexed: true })).status).toBe(201);
    expect((await define({ key: 'products', label: '意向产品', type: 'multiSelect', options: ['课程', '咨询', '软件'] })).status).toBe(201);
    await create({ name: 'A', custom: { budget: 100, visitDay: '2026-11-20', grade: '甲', products: ['课程', '软件'] } });
    await create({ name: 'B', custom: { budget: 5000, visitDay: '2026-12-01', grade: '乙', products: ['咨询'] } });
    await create({ name: 'C' });
    expect(await names(filter({ field: 'custom.budget', op: 'gt', value: 1000 }))).toEqual(['B']);
    expect(await names(filter({ field: 'custom.budget', op: 'between', value: [50, 5000] }))).toEqual(['A', 'B']);
    expect(await names(filter({ field: 'custom.visitDay', op: 'lt', value: '2026-12-01' }))).toEqual(['A']);
    expect(await names(filter({ field: 'custom.grade', op: 'eq', value: '乙' }))).toEqual(['B']);
    expect(await names(filter({ field: 'custom.grade', op: 'empty' }))).toEqual(['C']);
    expect(await names(filter({ field: 'custom.products', op: 'hasAny', value: ['软件', '咨询'] }))).toEqual(['A', 'B']);
    expect(await names(filter({ field: 'custom.products', op: 'hasAll', value: ['课程', '软件'] }))).toEqual(['A']);
    expect(await names(filter({ field: 'custom.products', op: 'hasNone', value: ['课程'] }))).toEqual(['B', 'C']);
    expect(await names(`sort=custom.budget:desc&${filter({ field: 'custom.budget', op: 'notEmpty' })}`)).toEqual(['A', 'B']);
  });

  it('filters an indexed custom field through its expression index', async () => {
    const field = await h.request('POST', '/api/v1/fields', { token: h.adminToken, body: { key: 'city', label: '城市', type: 'text', indexed: true } });
    expect(field.status).toBe(201);
    await create({ name: 'A', custom: { city: '深圳' } });
    expect(await names(filter({ field: 'custom.city', op: 'eq', value: '深圳' }))).toEqual(['A']);
    if (dialect.name === 'sqlite') {
      const plan = h.application.store.sqlite!
        .prepare(`explain query plan select id from customers where json_extract(customers.custom, '$."city"') = ?`)
        .all('深圳') as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('customers_cf_city');
    }
    await h.request('PATCH', `/api/v1/fields/${field.body.id}`, { token: h.adminToken, body: { indexed: false } });
    expect(await names(filter({ field: 'custom.city', op: 'eq', value: '深圳' }))).toEqual(['A']);
  });

  it('refuses unknown fields, wrong operators and bad values naming the condition', async () => {
    const cases: [unknown, string, string][] = [
      [{ field: 'nickname', op: 'eq', value: 'x' }, 'FILTER.UNKNOWN_FIELD', 'filter.field'],
      [{ field: 'hot', op: 'contains', value: 'x' }, 'FILTER.OPERATOR_NOT_ALLOWED', 'filter.op'],
      [{ and: [{ field: 'name', op: 'eq', value: 'x' }, { field: 'createdAt', op: 'gt', value: 'yesterday-ish' }] }, 'FILTER.BAD_VALUE', 'filter.and.1.value'],
      [{ field: 'name', op: 'like', value: 'x' }, 'VALIDATION.FAILED', 'query.filter'],
    ];
    for (const [f, code, field] of cases) {
      const res = await h.request('GET', `/api/v1/customers?${filter(f)}`, { token: h.adminToken });
      expect(res.status, JSON.stringify(f)).toBe(400);
      if (code !== 'VALIDATION.FAILED') expect(res.body.code).toBe(code);
      expect(res.body.errors[0].field.startsWith(field)).toBe(true);
    }
    const notJson = await h.request('GET', '/api/v1/customers?filter=%7Bnope', { token: h.adminToken });
    expect(notJson.status).toBe(400);
    const badSort = await h.request('GET', '/api/v1/customers?sort=tags:asc', { token: h.adminToken });
    expect(badSort.status).toBe(400);
  });

  it('takes long filters in the body through searchCustomers', async () => {
    await create({ name: 'A', source: '展会' });
    await create({ name: 'B', source: '广告' });
    const res = await h.request('POST', '/api/v1/customers/search', {
      token: h.adminToken,
      body: { filter: { field: 'source', op: 'eq', value: '广告' }, limit: 10 },
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual(['B']);
  });

  it('saves personal and shared views, one default, and lists through them', async () => {
    const agent = await h.agent('agent_v');
    await create({ name: 'A', source: '展会' }, agent.token);
    await create({ name: 'B', source: '广告' }, agent.token);
    const view = await h.request('POST', '/api/v1/views', {
      token: agent.token,
      body: { name: '展会客户', filter: { field: 'source', op: 'eq', value: '展会' }, columns: ['name', 'source'], sort: { field: 'name', direction: 'asc' }, isDefault: true },
    });
    expect(view.status).toBe(201);
    expect(view.body).toMatchObject({ name: '展会客户', shared: false, isDefault: true, builtIn: false });
    expect(await names(`view=${view.body.id}`, agent.token)).toEqual(['A']);
    expect(await names(`view=${view.body.id}&${filter({ field: 'name', op: 'eq', value: 'B' })}`, agent.token)).toEqual([]);

    const list = await h.request('GET', '/api/v1/views', { token: agent.token, headers: { 'accept-language': 'zh-CN' } });
    const listed = list.body.items.map((v: { name: string }) => v.name);
    expect(listed).toEqual(expect.arrayContaining(['今日新增', '最近修改', '热点客户', '我的关注', '展会客户']));
    expect(list.body.items.filter((v: { isDefault: boolean }) => v.isDefault)).toHaveLength(1);

    // Personal views stay personal; shared ones need an admin.
    const other = await h.agent('agent_w');
    expect((await h.request('GET', `/api/v1/views/${view.body.id}`, { token: other.token })).status).toBe(404);
    expect((await h.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'x', shared: true } })).status).toBe(403);
    const shared = await h.request('POST', '/api/v1/views', { token: h.adminToken, body: { name: '全员', shared: true } });
    expect((await h.request('GET', `/api/v1/views/${shared.body.id}`, { token: other.token })).status).toBe(200);
    expect((await h.request('PATCH', `/api/v1/views/${shared.body.id}`, { token: other.token, body: { name: 'mine now' } })).status).toBe(403);
    const chosen = await h.request('PATCH', `/api/v1/views/${shared.body.id}`, { token: agent.token, body: { isDefault: true } });
    expect(chosen.body.isDefault).toBe(true);
    const after = await h.request('GET', '/api/v1/views', { token: agent.token });
    expect(after.body.items.filter((v: { isDefault: boolean }) => v.isDefault).map((v: { id: string }) => v.id)).toEqual([shared.body.id]);

    const invalid = await h.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'bad', filter: { field: 'nope', op: 'eq', value: 1 } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('FILTER.UNKNOWN_FIELD');
    const badColumn = await h.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'bad', columns: ['name', 'shoeSize'] } });
    expect(badColumn.body.errors[0].field).toBe('columns.1');
    expect((await h.request('DELETE', '/api/v1/views/builtin-hot', { token: h.adminToken })).status).toBe(403);
    expect((await h.request('DELETE', `/api/v1/views/${view.body.id}`, { token: agent.token })).status).toBe(204);
    expect((await h.request('GET', `/api/v1/customers?view=${view.body.id}`, { token: agent.token })).status).toBe(404);
  });

  it('serves the built-in hot and recently-changed views', async () => {
    await create({ name: 'hot one', hot: true });
    h.clock.advance(-10 * 86400_000);
    await create({ name: 'old' });
    h.clock.advance(10 * 86400_000);
    expect(await names('view=builtin-hot')).toEqual(['hot one']);
    expect(await names('view=builtin-recently-changed')).toEqual(['hot one']);
  });
});
