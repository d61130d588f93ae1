import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';

describe.each(dialects)('customers on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const create = (body: unknown, token = h.adminToken) => h.request('POST', '/api/v1/customers', { token, body });

  it('creates a customer with normalised phones, tags, contacts and custom values', async () => {
    await h.request('POST', '/api/v1/fields', { token: h.adminToken, body: { key: 'budget', label: '预算', type: 'number' } });
    const res = await create({
      name: ' 张三 ',
      company: '深圳华信科技有限公司',
      phones: [{ number: '138 0013 8000' }, { number: '(0755) 8888 8888', label: '座机' }],
      source: '展会',
      tags: ['决策人', '高意向', '决策人'],
      contacts: [{ name: '李秘书', phone: '+86-139-0013-9000' }],
      custom: { budget: 50000 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '张三',
      phones: [
        { number: '+8613800138000', label: null },
        { number: '+8675588888888', label: '座机' },
      ],
      tags: ['决策人', '高意向'].sort(),
      pool: 'private',
      source: '展会',
      custom: { budget: 50000 },
      contacts: [{ name: '李秘书', phone: '+8613900139000' }],
      deletedAt: null,
    });
    const me = await h.request('GET', '/api/v1/me', { token: h.adminToken });
    expect(res.body.ownerId).toBe(me.body.id);
    const got = await h.request('GET', `/api/v1/customers/${res.body.id}`, { token: h.adminToken });
    expect(got.body).toEqual(res.body);
  });

  it.each([
    ['an invalid phone', { name: 'A', phones: [{ number: '1380013800' }] }, 400, 'phones.0.number', 'PHONE.INVALID'],
    ['an unknown field', { name: 'A', nickname: 'x' }, 400, 'nickname', 'VALIDATION.UNKNOWN_FIELD'],
    ['a wrong type', { name: 123 }, 400, 'name', 'VALIDATION.TYPE'],
    ['a missing name', { company: 'X' }, 400, 'name', 'VALIDATION.REQUIRED'],
    ['an owner (workflows only)', { name: 'A', ownerId: 'x' }, 400, 'ownerId', 'VALIDATION.UNKNOWN_FIELD'],
    ['a picklist value not in the list', { name: 'A', source: '网络' }, 400, 'source', 'PICKLIST.VALUE_UNKNOWN'],
    ['an unknown tag', { name: 'A', tags: ['不存在的标签'] }, 400, 'tags.0', 'PICKLIST.VALUE_UNKNOWN'],
    ['an unknown custom field', { name: 'A', custom: { nope: 1 } }, 400, 'custom.nope', 'FIELD.UNKNOWN'],
    ['the same number twice', { name: 'A', phones: [{ number: '13800138000' }, { number: '+8613800138000' }] }, 400, 'phones.1.number', 'PHONE.DUPLICATE_IN_INPUT'],
  ])('refuses %s with a problem naming the field, writing nothing', async (_label, body, status, field, code) => {
    const before = await h.snapshot();
    const res = await create(body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.body.errors.map((e: { code: string }) => e.code)).toContain(code);
    expect(res.body.detail).toContain(field.split('.')[0]);
    expect(await h.snapshot()).toBe(before);
  });

  it('reports every problem of one input at once', async () => {
    const res = await create({ name: 'A', phones: [{ number: 'abc' }], source: 'nope', industry: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION.FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['industry', 'phones.0.number', 'source']);
  });

  it('answers in Chinese when asked', async () => {
    const res = await h.request('POST', '/api/v1/customers', {
      token: h.adminToken,
      body: { name: 'A', phones: [{ number: '12' }] },
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(res.body.errors[0].message).toContain('不是有效的电话号码');
  });

  it('refuses a number another customer holds with 409 naming the holder, also from the recycle bin', async () => {
    const first = await create({ name: '王五', phones: [{ number: '13800138000' }] });
    const before = await h.snapshot();
    const dup = await create({ name: '赵六', phones: [{ number: '+86 138-0013-8000' }] });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'CUSTOMER.PHONE_TAKEN', params: { holderId: first.body.id, holderName: '王五' } });
    expect(dup.body.detail).toContain('王五');
    expect(await h.snapshot()).toBe(before);
    await h.request('DELETE', `/api/v1/customers/${first.body.id}`, { token: h.adminToken });
    expect((await create({ name: '赵六', phones: [{ number: '13800138000' }] })).status).toBe(409);
  });

  it('refuses malformed JSON, an oversized body and a missing token', async () => {
    const malformed = await h.request('POST', '/api/v1/customers', { token: h.adminToken, rawBody: '{"name": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('REQUEST.MALFORMED');
    const before = await h.snapshot();
    const big = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'A', remark: 'x'.repeat(2 * 1024 * 1024) } });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('REQUEST.TOO_LARGE');
    expect(await h.snapshot()).toBe(before);
    const anonymous = await h.request('GET', '/api/v1/customers');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('AUTH.UNAUTHENTICATED');
    const unknownRoute = await h.request('GET', '/api/v1/nothing-here', { token: h.adminToken });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.code).toBe('REQUEST.ROUTE_NOT_FOUND');
  });

  it('finds a customer by any format of its number', async () => {
    const c = await create({ name: '孙七', phones: [{ number: '13800138000' }] });
    for (const q of ['138 0013 8000', '+86-138-0013-8000', '１３８００１３８０００', '008613800138000', '138-0013-8000']) {
      const res = await h.request('GET', `/api/v1/customers?q=${encodeURIComponent(q)}`, { token: h.adminToken });
      expect(res.body.items.map((i: { id: string }) => i.id), q).toEqual([c.body.id]);
    }
    const prefix = await h.request('GET', `/api/v1/customers?q=1380013`, { token: h.adminToken });
    expect(prefix.body.items).toHaveLength(1);
    const byPhone = await h.request('GET', `/api/v1/customers/by-phone/${encodeURIComponent('+86 138 0013 8000')}`, { token: h.adminToken });
    expect(byPhone.body.id).toBe(c.body.id);
    const none = await h.request('GET', `/api/v1/customers/by-phone/13900000000`, { token: h.adminToken });
    expect(none.status).toBe(404);
  });

  it('finds names fuzzily and WeChat ids exactly', async () => {
    const a = await create({ name: '欧阳娜娜', wechat: 'nana_88' });
    const b = await create({ name: '欧阳修' });
    await create({ name: '李娜' });
    const ids = async (q: string) =>
      (await h.request('GET', `/api/v1/customers?q=${encodeURIComponent(q)}`, { token: h.adminToken })).body.items.map((i: { id: string }) => i.id).sort();
    expect(await ids('欧阳')).toEqual([a.body.id, b.body.id].sort());
    expect(await ids('阳娜')).toEqual([a.body.id]);
    expect(await ids('欧')).toEqual([a.body.id, b.body.id].sort());
    expect(await ids('nana_88')).toEqual([a.body.id]);
    expect(await ids('无此人')).toEqual([]);
  });

  it('pages with an opaque keyset cursor that never repeats or skips, and refuses a bad one', async () => {
    for (let i = 0; i < 23; i++) {
      h.clock.advance(i % 3 === 0 ? 0 : 1000);
      await create({ name: `客户${i}` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await h.request(
        'GET',
        `/api/v1/customers?limit=10&sort=name:asc${cursor ? `&cursor=${cursor}` : ''}`,
        { token: h.adminToken },
      );
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(23);
    const bad = await h.request('GET', '/api/v1/customers?cursor=not-a-cursor!', { token: h.adminToken });
    expect(bad.status).toBe(400);
    const page = await h.request('GET', '/api/v1/customers?limit=5&sort=name:asc', { token: h.adminToken });
    const otherSort = await h.request('GET', `/api/v1/customers?limit=5&sort=createdAt:desc&cursor=${page.body.nextCursor}`, { token: h.adminToken });
    expect(otherSort.status).toBe(400);
    expect(otherSort.body.code).toBe('REQUEST.BAD_CURSOR');
    const tooBig = await h.request('GET', '/api/v1/customers?limit=100000', { token: h.adminToken });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors[0].field).toBe('query.limit');
  });

  it('updates some fields, clears others with null, and keeps the rest', async () => {
    const c = await create({ name: '周八', company: '旧公司', source: '展会', tags: ['决策人'], phones: [{ number: '13800138001' }] });
    const res = await h.request('PATCH', `/api/v1/customers/${c.body.id}`, {
      token: h.adminToken,
      body: { company: null, status: '有意向', phones: [{ number: '13900139001' }, { number: '13800138001' }], hot: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: '周八', company: null, source: '展会', status: '有意向', hot: true, tags: ['决策人'] });
    expect(res.body.phones.map((p: { number: string }) => p.number)).toEqual(['+8613900139001', '+8613800138001']);
    const byOld = await h.request('GET', '/api/v1/customers?q=13800138001', { token: h.adminToken });
    expect(byOld.body.items).toHaveLength(1);
    const bad = await h.request('PATCH', `/api/v1/customers/${c.body.id}`, { token: h.adminToken, body: { status: '不存在' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('status');
    const missing = await h.request('PATCH', `/api/v1/customers/00000000-0000-7000-8000-000000000000`, { token: h.adminToken, body: { name: 'x' } });
    expect(missing.status).toBe(404);
  });

  it('keeps agents to their own customers', async () => {
    const a = await h.agent('agent_a');
    const b = await h.agent('agent_b');
    const mine = await create({ name: '甲的客户', phones: [{ number: '13800138002' }] }, a.token);
    expect(mine.status).toBe(201);
    expect(mine.body.ownerId).toBe(a.id);
    expect((await h.request('GET', `/api/v1/customers/${mine.body.id}`, { token: b.token })).status).toBe(404);
    expect((await h.request('GET', '/api/v1/customers', { token: b.token })).body.items).toEqual([]);
    expect((await h.request('GET', '/api/v1/customers?q=13800138002', { token: b.token })).body.items).toEqual([]);
    expect((await h.request('GET', '/api/v1/customers/by-phone/13800138002', { token: b.token })).status).toBe(404);
    const before = await h.snapshot();
    expect((await h.request('PATCH', `/api/v1/customers/${mine.body.id}`, { token: b.token, body: { name: 'x' } })).status).toBe(404);
    expect((await h.request('DELETE', `/api/v1/customers/${mine.body.id}`, { token: b.token })).status).toBe(404);
    expect(await h.snapshot()).toBe(before);
    expect((await h.request('GET', '/api/v1/customers', { token: h.adminToken })).body.items).toHaveLength(1);
  });

  it('moves customers through the recycle bin: delete, list, restore, purge', async () => {
    const agent = await h.agent('agent_c');
    const c = await create({ name: '吴九', phones: [{ number: '13800138003' }] }, agent.token);
    const deleted = await h.request('DELETE', `/api/v1/customers/${c.body.id}`, { token: agent.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    expect((await h.request('GET', '/api/v1/customers', { token: agent.token })).body.items).toEqual([]);
    const bin = await h.request('GET', '/api/v1/customers?deleted=true', { token: agent.token });
    expect(bin.body.items.map((i: { id: string }) => i.id)).toEqual([c.body.id]);
    const edit = await h.request('PATCH', `/api/v1/customers/${c.body.id}`, { token: agent.token, body: { name: 'x' } });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('CUSTOMER.DELETED');
    const restored = await h.request('POST', `/api/v1/customers/${c.body.id}/restore`, { token: agent.token });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ deletedAt: null, ownerId: agent.id, pool: 'private' });
    expect((await h.request('POST', `/api/v1/customers/${c.body.id}/restore`, { token: agent.token })).body.code).toBe('CUSTOMER.NOT_DELETED');
    expect((await h.request('POST', `/api/v1/customers/${c.body.id}/purge`, { token: h.adminToken })).status).toBe(409);
    await h.request('DELETE', `/api/v1/customers/${c.body.id}`, { token: agent.token });
    expect((await h.request('POST', `/api/v1/customers/${c.body.id}/purge`, { token: agent.token })).status).toBe(403);
    expect((await h.request('POST', `/api/v1/customers/${c.body.id}/purge`, { token: h.adminToken })).status).toBe(204);
    expect((await h.request('GET', `/api/v1/customers/${c.body.id}`, { token: h.adminToken })).status).toBe(404);
    expect((await create({ name: '新客户', phones: [{ number: '13800138003' }] })).status).toBe(201);
  });

  it('merges a duplicate into a survivor', async () => {
    const survivor = await create({ name: '郑十', phones: [{ number: '13800138004' }], tags: ['决策人'] });
    const duplicate = await create({
      name: '郑十（重复）',
      company: '杭州博远教育咨询有限公司',
      phones: [{ number: '13900139004' }],
      tags: ['高意向'],
      contacts: [{ name: '郑太太' }],
      hot: true,
    });
    await h.request('PUT', `/api/v1/customers/${duplicate.body.id}/focus`, { token: h.adminToken, body: { colour: 'blue' } });
    const merged = await h.request('POST', '/api/v1/customers/merge', {
      token: h.adminToken,
      body: { survivorId: survivor.body.id, mergedId: duplicate.body.id },
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ name: '郑十', company: '杭州博远教育咨询有限公司', hot: true, focus: { colour: 'blue' } });
    expect(merged.body.phones.map((p: { number: string }) => p.number)).toEqual(['+8613800138004', '+8613900139004']);
    expect(merged.body.tags).toEqual(['决策人', '高意向'].sort());
    expect(merged.body.contacts.map((c: { name: string }) => c.name)).toEqual(['郑太太']);
    const gone = await h.request('GET', `/api/v1/customers/${duplicate.body.id}`, { token: h.adminToken });
    expect(gone.body.deletedAt).not.toBeNull();
    expect(gone.body.phones).toEqual([]);
    const byNumber = await h.request('GET', '/api/v1/customers/by-phone/13900139004', { token: h.adminToken });
    expect(byNumber.body.id).toBe(survivor.body.id);
    const self = await h.request('POST', '/api/v1/customers/merge', { token: h.adminToken, body: { survivorId: survivor.body.id, mergedId: survivor.body.id } });
    expect(self.status).toBe(400);
    expect(self.body.code).toBe('CUSTOMER.MERGE_SAME');
  });

  it('keeps a focus mark per user, with a colour', async () => {
    const agent = await h.agent('agent_d');
    const c = await create({ name: '关注客户' }, agent.token);
    const marked = await h.request('PUT', `/api/v1/customers/${c.body.id}/focus`, { token: agent.token, body: { colour: 'green' } });
    expect(marked.body.focus).toEqual({ colour: 'green' });
    expect((await h.request('GET', `/api/v1/customers/${c.body.id}`, { token: h.adminToken })).body.focus).toBeNull();
    const view = await h.request('GET', '/api/v1/customers?view=builtin-my-focus', { token: agent.token });
    expect(view.body.items.map((i: { id: string }) => i.id)).toEqual([c.body.id]);
    const badColour = await h.request('PUT', `/api/v1/customers/${c.body.id}/focus`, { token: agent.token, body: { colour: 'pink' } });
    expect(badColour.status).toBe(400);
    const cleared = await h.request('DELETE', `/api/v1/customers/${c.body.id}/focus`, { token: agent.token });
    expect(cleared.body.focus).toBeNull();
  });

  it('keeps every one of several edits of different custom fields sent at once', async () => {
    const keys = ['note1', 'note2', 'note3', 'note4', 'note5', 'note6'];
    for (const key of keys) expect((await h.request('POST', '/api/v1/fields', { token: h.adminToken, body: { key, label: key, type: 'text' } })).status).toBe(201);
    const c = await create({ name: '并发编辑' });
    const edits = await Promise.all(keys.map((key) => h.request('PATCH', `/api/v1/customers/${c.body.id}`, { token: h.adminToken, body: { custom: { [key]: `${key}!` } } })));
    expect(edits.map((r) => r.status)).toEqual(keys.map(() => 200));
    const got = await h.request('GET', `/api/v1/customers/${c.body.id}`, { token: h.adminToken });
    expect(got.body.custom).toMatchObject(Object.fromEntries(keys.map((key) => [key, `${key}!`])));
  });

  it('marks a focus sent several times at once (a double click) without failing', async () => {
    const c = await create({ name: '双击关注' });
    const colours = ['red', 'green', 'blue', 'red', 'green'];
    const marks = await Promise.all(colours.map((colour) => h.request('PUT', `/api/v1/customers/${c.body.id}/focus`, { token: h.adminToken, body: { colour } })));
    expect(marks.map((r) => r.status)).toEqual(colours.map(() => 200));
    expect(colours).toContain((await h.request('GET', `/api/v1/customers/${c.body.id}`, { token: h.adminToken })).body.focus.colour);
  });

  it('never purges a customer a restore sent at the same time brought back', async () => {
    for (let i = 0; i < 5; i++) {
      const c = await create({ name: `回收站${i}` });
      await h.request('DELETE', `/api/v1/customers/${c.body.id}`, { token: h.adminToken });
      const [restored, purged] = await Promise.all([
        h.request('POST', `/api/v1/customers/${c.body.id}/restore`, { token: h.adminToken }),
        h.request('POST', `/api/v1/customers/${c.body.id}/purge`, { token: h.adminToken }),
      ]);
      const after = await h.request('GET', `/api/v1/customers/${c.body.id}`, { token: h.adminToken });
      // One of them went first; the other found it gone (404) or no longer in the bin (409).
      expect([restored.status, purged.status]).toEqual(restored.status === 200 ? [200, 409] : [404, 204]);
      expect(after.status).toBe(restored.status === 200 ? 200 : 404);
    }
  });

  it('does a POST with an Idempotency-Key once', async () => {
    const body = { name: '重试客户', phones: [{ number: '13800138005' }] };
    const headers = { 'idempotency-key': 'import-row-42' };
    const first = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body, headers });
    const second = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const reused = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'other' }, headers });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect((await h.request('GET', '/api/v1/customers', { token: h.adminToken })).body.items).toHaveLength(1);
  });
});
