import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_RULES, type PoolRules } from '@telecrm/core';
import { sql } from 'kysely';
import { MAX_SELECTED } from '../../services/pool.service.js';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';
import { csvFile, importAndWait } from '../../test-support/import-files.js';

describe.each(dialects)('pools and assignment on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  let phoneSeq = 0;
  const phone = () => `1390013${String(phoneSeq++).padStart(4, '0')}`;
  /** Public customers, made by the admin and released to the default pool. */
  const publicCustomers = async (n: number): Promise<string[]> => {
    const file = csvFile([['姓名', '手机'], ...Array.from({ length: n }, (_, i) => [`公海${i}`, phone()])]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'p.csv', pool: 'public' });
    expect(job.counts.created).toBe(n);
    const rows = await h.application.store.db.selectFrom('import_changes').select('customer_id').where('job_id', '=', job.id).orderBy('row_number').execute();
    return rows.map((r) => r.customer_id);
  };
  const setRules = async (rules: Partial<PoolRules>) => {
    const res = await h.request('PUT', '/api/v1/pool-rules', { token: h.adminToken, body: { ...DEFAULT_POOL_RULES, ...rules } });
    expect(res.status).toBe(200);
  };
  const claim = (token: string, body: object) => h.request('POST', '/api/v1/customers/claim', { token, body });
  const customer = async (id: string) => (await h.request('GET', `/api/v1/customers/${id}`, { token: h.adminToken })).body;
  const role = async (key: string) => (await h.request('GET', '/api/v1/roles', { token: h.adminToken })).body.items.find((r: { key: string }) => r.key === key).id as string;
  const user = async (username: string, roleKey = 'agent', departmentId: string | null = null) => {
    const res = await h.request('POST', '/api/v1/users', {
      token: h.adminToken,
      body: { username, displayName: username, password: 'agent-pass-123', roleId: await role(roleKey), departmentId },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, token: await h.login(username, 'agent-pass-123') };
  };

  it('claims listed customers: private to the claimer, protected, in the journey; someone else gets nothing twice', async () => {
    await setRules({ protectionDays: 7 });
    const [a, b] = await publicCustomers(2);
    const agent = await user('agent1');
    const other = await user('agent2');
    const claimed = await claim(agent.token, { customerIds: [a, b] });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ moved: 2, results: [{ ok: true, ownerId: agent.id, pool: 'private' }, { ok: true }] });
    expect(await customer(a!)).toMatchObject({ pool: 'private', ownerId: agent.id, publicPoolId: null, protectedUntil: '2026-11-29T02:00:00.000Z', ownedSince: '2026-11-22T02:00:00.000Z' });
    const again = await claim(other.token, { customerIds: [a] });
    // Someone else's customer is not visible: not found, as if it did not exist.
    expect(again.body).toMatchObject({ moved: 0, results: [{ ok: false, error: { code: 'CUSTOMER.NOT_FOUND' } }] });
    const mine = await claim(agent.token, { customerIds: [a] });
    expect(mine.body.results[0].error.code).toBe('POOL.WRONG_POOL');
    const journey = await h.request('GET', `/api/v1/customers/${a}/journey`, { token: agent.token });
    expect(journey.body.items.map((e: { action: string }) => e.action)).toEqual(['import', 'claim']);
    expect(journey.body.items[0]).toMatchObject({ fromPool: null, toPool: 'public', toOwnerId: null });
    expect(journey.body.items[1]).toMatchObject({ actorId: agent.id, fromPool: 'public', toPool: 'private', toOwnerId: agent.id });
  });

  it('claims the next N, never past the holding limit or the daily limit', async () => {
    await setRules({ holdingLimit: 5, dailyClaimLimit: 3 });
    await publicCustomers(10);
    const agent = await user('agent1');
    const first = await claim(agent.token, { next: 2 });
    expect(first.body.moved).toBe(2);
    const second = await claim(agent.token, { next: 4 });
    expect(second.body.moved).toBe(1);
    expect(second.body.results.filter((r: { ok: boolean }) => !r.ok).map((r: { error: { code: string } }) => r.error.code)).toEqual(['POOL.DAILY_LIMIT', 'POOL.DAILY_LIMIT', 'POOL.DAILY_LIMIT']);
    // The next local day the daily count starts again; the holding limit still holds.
    h.clock.advance(24 * 3600_000);
    const third = await claim(agent.token, { next: 5 });
    expect(third.body.moved).toBe(2);
    expect(third.body.results.at(-1).error.code).toBe('POOL.HOLDING_LIMIT');
    // Refused, but seen: the report names it. One the agent cannot see is only not found.
    expect(third.body.results.at(-1).name).toMatch(/^公海\d+$/);
    const hidden = await claim(agent.token, { customerIds: ['no-such-customer'] });
    expect(hidden.body.results).toEqual([{ customerId: 'no-such-customer', ok: false, error: expect.objectContaining({ code: 'CUSTOMER.NOT_FOUND' }) }]);
  });

  it('claims the next N across every pool the agent is a member of, in list order, and only from those', async () => {
    const ids = await publicCustomers(8);
    const agent = await user('agent1');
    const second = await h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: '二组公海', userIds: [agent.id] } });
    const other = await user('agent2');
    const closed = await h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: '三组公海', userIds: [other.id] } });
    expect([second.status, closed.status]).toEqual([201, 201]);
    // The list order interleaves the pools: 0 default, 1 second, 2 default, 3 second, ...; 6 and 7 in a pool the agent is not in.
    const db = h.application.store.db;
    await db.updateTable('customers').set({ public_pool_id: second.body.id }).where('id', 'in', [ids[1]!, ids[3]!, ids[5]!]).execute();
    await db.updateTable('customers').set({ public_pool_id: closed.body.id }).where('id', 'in', [ids[6]!, ids[7]!]).execute();
    const claimedIds = async (next: number) =>
      (await claim(agent.token, { next })).body.results.filter((r: { ok: boolean }) => r.ok).map((r: { customerId: string }) => r.customerId);
    expect(await claimedIds(3)).toEqual(ids.slice(0, 3));
    expect(await claimedIds(5)).toEqual(ids.slice(3, 6));
  });

  it.skipIf(dialect.name !== 'postgres')('claims the next one across pools even while other claims hold more than the first margin of each', async () => {
    const ids = await publicCustomers(160);
    const agent = await user('agent1');
    const second = await h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: '二组公海', userIds: [agent.id] } });
    const db = h.application.store.db;
    await db.updateTable('customers').set({ public_pool_id: second.body.id }).where('id', 'in', ids.filter((_, i) => i % 2 === 1)).execute();
    // Another transaction holds the first 150 in list order (75 of each pool), as claims in flight would.
    const other = await h.application.store.pgPool!.connect();
    try {
      await other.query('begin');
      await other.query(`select id from customers where id = any($1::text[]) for no key update`, [ids.slice(0, 150)]);
      const next = await claim(agent.token, { next: 2 });
      expect(next.body.results.map((r: { customerId: string; ok: boolean }) => [r.customerId, r.ok])).toEqual([
        [ids[150], true],
        [ids[151], true],
      ]);
    } finally {
      await other.query('rollback');
      other.release();
    }
  });

  it('releases with a reason to the public pool, and the cooldown keeps the releaser from claiming it back', async () => {
    await setRules({ claimCooldownDays: 3 });
    const [a] = await publicCustomers(1);
    const agent = await user('agent1');
    await claim(agent.token, { customerIds: [a] });
    const bad = await h.request('POST', '/api/v1/customers/release', { token: agent.token, body: { customerIds: [a], reason: '不想要' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('reason');
    const released = await h.request('POST', '/api/v1/customers/release', { token: agent.token, body: { customerIds: [a], reason: '无意向' } });
    expect(released.body.moved).toBe(1);
    expect(await customer(a!)).toMatchObject({ pool: 'public', ownerId: null });
    const back = await claim(agent.token, { customerIds: [a] });
    expect(back.body.results[0].error.code).toBe('POOL.COOLDOWN');
    h.clock.advance(3 * 24 * 3600_000);
    expect((await claim(agent.token, { customerIds: [a] })).body.moved).toBe(1);
    const journey = await h.request('GET', `/api/v1/customers/${a}/journey`, { token: h.adminToken });
    expect(journey.body.items.map((e: { action: string; reason: string | null }) => [e.action, e.reason])).toEqual([
      ['import', null],
      ['claim', null],
      ['release', '无意向'],
      ['claim', null],
    ]);
  });

  it('keeps the cooldown of a public pool whose own rules set one, while the company sets none', async () => {
    const [a] = await publicCustomers(1);
    const agent = await user('agent1');
    const strict = await h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: '冷却公海', userIds: [agent.id], rules: { claimCooldownDays: 3 } } });
    expect(strict.status).toBe(201);
    await claim(agent.token, { customerIds: [a] });
    const released = await h.request('POST', '/api/v1/customers/release', { token: agent.token, body: { customerIds: [a], reason: '无意向', poolId: strict.body.id } });
    expect(released.body.moved).toBe(1);
    expect((await claim(agent.token, { customerIds: [a] })).body.results[0].error.code).toBe('POOL.COOLDOWN');
    expect((await claim(agent.token, { next: 1, poolId: strict.body.id })).body.results[0].error.code).toBe('POOL.COOLDOWN');
    h.clock.advance(3 * 24 * 3600_000);
    expect((await claim(agent.token, { customerIds: [a] })).body.moved).toBe(1);
  });

  it('hides pending customers from agents and shows them to those who assign', async () => {
    const file = csvFile([['姓名', '手机'], ['待分配1', phone()]]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'p.csv', pool: 'pending' });
    const [{ customer_id: id }] = await h.application.store.db.selectFrom('import_changes').select('customer_id').where('job_id', '=', job.id).execute();
    const agent = await user('agent1');
    const manager = await user('boss', 'salesManager');
    expect((await h.request('GET', `/api/v1/customers/${id}`, { token: agent.token })).status).toBe(404);
    expect((await h.request('GET', `/api/v1/customers/${id}`, { token: manager.token })).status).toBe(200);
    expect((await claim(agent.token, { customerIds: [id] })).body.results[0].error.code).toBe('CUSTOMER.NOT_FOUND');
  });

  it('assigns round-robin, continuing the rotation across calls and reporting agents at their limit', async () => {
    await setRules({ holdingLimit: 2 });
    const ids = await publicCustomers(7);
    const [a, b, c] = [await user('a1'), await user('a2'), await user('a3')];
    const first = await h.request('POST', '/api/v1/customers/assign', { token: h.adminToken, body: { customerIds: ids.slice(0, 2), agentIds: [a.id, b.id, c.id] } });
    expect(first.status).toBe(200);
    expect(first.body.assigned.map((x: { agentId: string }) => x.agentId)).toEqual([a.id, b.id]);
    const second = await h.request('POST', '/api/v1/customers/assign', { token: h.adminToken, body: { customerIds: ids.slice(2), agentIds: [a.id, b.id, c.id] } });
    expect(second.body.assigned.map((x: { agentId: string }) => x.agentId)).toEqual([c.id, a.id, b.id, c.id]);
    expect(second.body.unplaced).toEqual([{ customerId: ids[6], error: { code: 'POOL.ALL_AT_LIMIT', message: 'Every agent chosen is at its holding limit' } }]);
    expect(second.body.skippedAgents.map((s: { reason: string }) => s.reason)).toEqual(['atLimit', 'atLimit', 'atLimit']);
    const journey = await h.request('GET', `/api/v1/customers/${ids[0]}/journey`, { token: h.adminToken });
    expect(journey.body.items[1]).toMatchObject({ action: 'assign', fromPool: 'public', toOwnerId: a.id });
  });

  it('assigns a large selection in one request, each customer with its journey step and event', async () => {
    const db = h.application.store.db;
    const now = h.clock.now().toISOString();
    const count = 2500;
    await db
      .insertInto('customers')
      .values(Array.from({ length: count }, (_, i) => ({ id: `bulk${String(i).padStart(5, '0')}`, name: `待分配${i}`, pool: 'pending', custom: '{}', created_at: now, updated_at: now })))
      .execute();
    const [a, b] = [await user('a1'), await user('a2')];
    const res = await h.request('POST', '/api/v1/customers/assign', {
      token: h.adminToken,
      body: { filter: { field: 'pool', op: 'eq', value: 'pending' }, agentIds: [a.id, b.id], strategy: 'round-robin' },
    });
    expect(res.status).toBe(200);
    expect(res.body.assigned).toHaveLength(count);
    const steps = await db
      .selectFrom('pool_events')
      .select(['to_owner_id', 'from_pool', (eb) => eb.fn.countAll<number>().as('n')])
      .where('action', '=', 'assign')
      .groupBy(['to_owner_id', 'from_pool'])
      .orderBy('to_owner_id')
      .execute();
    expect(steps.map((s) => [s.to_owner_id, s.from_pool, Number(s.n)])).toEqual(
      [[a.id, 'pending', count / 2], [b.id, 'pending', count / 2]].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    const events = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', 'customer.assigned').executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(count);
  });

  it('refuses a view or filter selecting more customers than one assignment takes, and assigns none of them', async () => {
    const db = h.application.store.db;
    const now = h.clock.now().toISOString();
    // One statement makes them: a recursive count both databases run.
    await sql`insert into customers (id, name, pool, custom, created_at, updated_at)
      with recursive n (i) as (select 1 union all select i + 1 from n where i <= ${MAX_SELECTED})
      select 'many' || i, 'many' || i, 'pending', '{}', ${now}, ${now} from n`.execute(db);
    const [a] = [await user('a1')];
    const res = await h.request('POST', '/api/v1/customers/assign', {
      token: h.adminToken,
      body: { filter: { field: 'pool', op: 'eq', value: 'pending' }, agentIds: [a.id], strategy: 'round-robin' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('POOL.SELECTION_TOO_LARGE');
    expect(res.body.detail).toBe('filter selects more than 200000 customers: narrow it and assign them in parts');
    const held = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', a.id).executeTakeFirstOrThrow();
    expect(Number(held.n)).toBe(0);
  });

  it('assigns what an import created, in one step after it', async () => {
    const file = csvFile([['姓名', '手机'], ...Array.from({ length: 4 }, (_, i) => [`新${i}`, phone()])]);
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'n.csv', pool: 'pending' });
    const [a, b] = [await user('a1'), await user('a2')];
    const res = await h.request('POST', '/api/v1/customers/assign', { token: h.adminToken, body: { importId: job.id, agentIds: [a.id, b.id], strategy: 'even' } });
    expect(res.body.assigned).toHaveLength(4);
    const mine = await h.request('GET', '/api/v1/customers', { token: a.token });
    expect(mine.body.items).toHaveLength(2);
  });

  it('transfers everything one agent holds to another (离职交接)', async () => {
    const ids = await publicCustomers(3);
    const [a, b] = [await user('a1'), await user('a2')];
    await claim(a.token, { customerIds: ids });
    const res = await h.request('POST', '/api/v1/customers/transfer', { token: h.adminToken, body: { fromUserId: a.id, toUserId: b.id } });
    expect(res.body.moved).toBe(3);
    for (const id of ids) expect((await customer(id)).ownerId).toBe(b.id);
    const refused = await h.request('POST', '/api/v1/customers/transfer', { token: a.token, body: { fromUserId: b.id, toUserId: a.id } });
    expect(refused.status).toBe(403);
  });

  it('transfers everything of an agent who holds more customers than one statement may bind, with every journey step and event', async () => {
    const [a, b] = [await user('a1'), await user('a2')];
    // Over SQLite's 32,766 bound values: a book that size once failed the whole transfer.
    const n = 33_000;
    const now = h.clock.now().toISOString();
    const db = h.application.store.db;
    const held = Array.from({ length: n }, (_, i) => ({ id: `held-${String(i).padStart(6, '0')}`, name: `客户${i}`, pool: 'private', owner_id: a.id, owned_since: now, custom: '{}', created_at: now, updated_at: now }));
    for (let i = 0; i < n; i += 2000) await db.insertInto('customers').values(held.slice(i, i + 2000)).execute();
    const res = await h.request('POST', '/api/v1/customers/transfer', { token: h.adminToken, body: { fromUserId: a.id, toUserId: b.id } });
    expect(res.status).toBe(200);
    expect(res.body.moved).toBe(n);
    expect(res.body.results.at(-1)).toEqual({ customerId: 'held-032999', name: '客户32999', ok: true, ownerId: b.id, pool: 'private' });
    const count = async (q: { select: (f: (eb: any) => any) => { executeTakeFirstOrThrow(): Promise<{ n: unknown }> } }) =>
      Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count(db.selectFrom('customers').where('owner_id', '=', b.id))).toBe(n);
    expect(await count(db.selectFrom('customers').where('owner_id', '=', a.id))).toBe(0);
    expect(await count(db.selectFrom('pool_events').where('action', '=', 'transfer').where('from_owner_id', '=', a.id).where('to_owner_id', '=', b.id))).toBe(n);
    expect(await count(db.selectFrom('outbox').where('type', '=', 'customer.assigned').where('customer_id', 'like', 'held-%'))).toBe(n);
  });

  it('writes created, deleted and restored customers into the journey too', async () => {
    const created = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: '新客户', phones: [{ number: phone() }] } });
    const id = created.body.id;
    h.clock.advance(1000);
    await h.request('DELETE', `/api/v1/customers/${id}`, { token: h.adminToken });
    h.clock.advance(1000);
    await h.request('POST', `/api/v1/customers/${id}/restore`, { token: h.adminToken });
    const journey = await h.request('GET', `/api/v1/customers/${id}/journey`, { token: h.adminToken });
    expect(journey.body.items.map((e: { action: string; toPool: string }) => [e.action, e.toPool])).toEqual([
      ['create', 'private'],
      ['delete', 'private'],
      ['restore', 'private'],
    ]);
  });

  it('counts a customer an agent creates against its holding limit', async () => {
    await setRules({ holdingLimit: 1 });
    const agent = await user('agent1');
    const create = (name: string) => h.request('POST', '/api/v1/customers', { token: agent.token, body: { name, phones: [{ number: phone() }] } });
    expect((await create('第一个')).status).toBe(201);
    const before = await h.snapshot();
    const refused = await create('第二个');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'POOL.HOLDING_LIMIT', params: { limit: 1, holding: 1 } });
    expect(await h.snapshot()).toBe(before);
  });

  it('imports to the importer only as many customers as its holding limit leaves room for', async () => {
    await setRules({ holdingLimit: 3 });
    await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: '已有', phones: [{ number: phone() }] } });
    const file = csvFile([['姓名', '手机'], ...Array.from({ length: 4 }, (_, i) => [`私有${i}`, phone()])]);
    const dry = await importAndWait(h, h.adminToken, file, { fileName: 'mine.csv', pool: 'private', dryRun: true });
    expect(dry.counts).toMatchObject({ created: 2, rejected: 2 });
    const job = await importAndWait(h, h.adminToken, file, { fileName: 'mine.csv', pool: 'private' });
    expect(job.counts).toMatchObject({ created: 2, rejected: 2 });
    const report = await h.download(`/api/v1/imports/${job.id}/failures?format=csv`, { token: h.adminToken, headers: { 'accept-language': 'zh-CN' } });
    expect(report.bytes.toString('utf8').match(/已达客户数上限（3\/3）/g)).toHaveLength(2);
  });

  it('restores to the public pool when the owner filled its holding while the customer was in the bin', async () => {
    await setRules({ holdingLimit: 1 });
    const [a, b] = await publicCustomers(2);
    const agent = await user('agent1');
    await claim(agent.token, { customerIds: [a] });
    expect((await h.request('DELETE', `/api/v1/customers/${a}`, { token: agent.token })).status).toBe(200);
    expect((await claim(agent.token, { customerIds: [b] })).body.moved).toBe(1);
    // Two deletes of one customer: the second finds it in the bin.
    expect((await h.request('DELETE', `/api/v1/customers/${b}`, { token: h.adminToken })).status).toBe(200);
    expect((await h.request('DELETE', `/api/v1/customers/${b}`, { token: h.adminToken })).body.code).toBe('CUSTOMER.DELETED');
    await h.request('POST', `/api/v1/customers/${b}/restore`, { token: h.adminToken });
    const restored = await h.request('POST', `/api/v1/customers/${a}/restore`, { token: agent.token });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ pool: 'public', ownerId: null });
    expect(await customer(b!)).toMatchObject({ pool: 'private', ownerId: agent.id });
    const journey = await h.request('GET', `/api/v1/customers/${a}/journey`, { token: h.adminToken });
    expect(journey.body.items.map((e: { action: string; toPool: string }) => [e.action, e.toPool])).toEqual([
      ['import', 'public'],
      ['claim', 'private'],
      ['delete', 'private'],
      ['restore', 'public'],
    ]);
  });

  it('validates leads to the pending pool', async () => {
    const job = await importAndWait(h, h.adminToken, csvFile([['姓名', '手机'], ['线索', phone()]]), { fileName: 'l.csv', pool: 'lead' });
    const [{ customer_id: id }] = await h.application.store.db.selectFrom('import_changes').select('customer_id').where('job_id', '=', job.id).execute();
    const res = await h.request('POST', '/api/v1/customers/validate', { token: h.adminToken, body: { customerIds: [id] } });
    expect(res.body.moved).toBe(1);
    expect((await customer(id)).pool).toBe('pending');
  });

  it('keeps claims to the members of a public pool, and releases to the pool of the department', async () => {
    const east = (await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: '华东' } })).body.id;
    const pool = await h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: '华东公海', departmentIds: [east] } });
    expect(pool.status).toBe(201);
    const inside = await user('east1', 'agent', east);
    const outside = await user('west1');
    const [a] = await publicCustomers(1);
    await claim(inside.token, { customerIds: [a] });
    await h.request('POST', '/api/v1/customers/release', { token: inside.token, body: { customerIds: [a], reason: '无意向' } });
    expect((await customer(a!)).publicPoolId).toBe(pool.body.id);
    const refused = await claim(outside.token, { customerIds: [a] });
    expect(refused.body.results[0].error.code).toBe('POOL.NOT_MEMBER');
    const pools = await h.request('GET', '/api/v1/public-pools', { token: outside.token });
    expect(pools.body.items.map((p: { name: string; isDefault: boolean }) => [p.name, p.isDefault])).toEqual([['公海', true], ['华东公海', false]]);
    const gone = await h.request('DELETE', `/api/v1/public-pools/${pool.body.id}`, { token: h.adminToken });
    expect(gone.body.code).toBe('POOL.NOT_EMPTY');
  });

  it('shares customers read-only, and makes collaborators who see and work them, with the built-in views', async () => {
    const ids = await publicCustomers(2);
    const [owner, peer] = [await user('owner1'), await user('peer1')];
    await claim(owner.token, { customerIds: ids });
    const [shared, assisted] = ids;
    expect((await h.request('GET', `/api/v1/customers/${shared}`, { token: peer.token })).status).toBe(404);
    const share = await h.request('POST', '/api/v1/customers/share', { token: owner.token, body: { customerIds: [shared], userIds: [peer.id] } });
    expect(share.body.moved).toBe(1);
    expect((await h.request('GET', `/api/v1/customers/${shared}`, { token: peer.token })).status).toBe(200);
    expect((await h.request('PATCH', `/api/v1/customers/${shared}`, { token: peer.token, body: { remark: 'x' } })).status).toBe(403);
    const notMine = await h.request('POST', '/api/v1/customers/share', { token: peer.token, body: { customerIds: [shared], userIds: [peer.id] } });
    expect(notMine.body.results[0].error.code).toBe('AUTH.FORBIDDEN');

    const set = await h.request('PUT', `/api/v1/customers/${assisted}/collaborators`, { token: owner.token, body: { userIds: [peer.id] } });
    expect(set.body.collaborators.map((c: { userId: string }) => c.userId)).toEqual([peer.id]);
    expect((await h.request('PATCH', `/api/v1/customers/${assisted}`, { token: peer.token, body: { remark: '协助跟进' } })).status).toBe(200);
    const view = await h.request('GET', '/api/v1/customers?view=builtin-assisted', { token: peer.token });
    expect(view.body.items.map((c: { id: string }) => c.id)).toEqual([assisted]);
    const mine = await h.request('GET', '/api/v1/customers?view=builtin-mine', { token: owner.token });
    expect(mine.body.items.map((c: { id: string }) => c.id).sort()).toEqual([...ids].sort());
    const sharing = await h.request('GET', `/api/v1/customers/${shared}/sharing`, { token: owner.token });
    expect(sharing.body.shares).toEqual([expect.objectContaining({ userId: peer.id, departmentId: null, createdBy: owner.id })]);

    const unshare = await h.request('POST', '/api/v1/customers/unshare', { token: owner.token, body: { customerIds: [shared], userIds: [peer.id] } });
    expect(unshare.body.moved).toBe(1);
    expect((await h.request('GET', `/api/v1/customers/${shared}`, { token: peer.token })).status).toBe(404);
  });

  it('keeps exactly one default public pool when several are made default at once', async () => {
    const made = await Promise.all(
      ['甲', '乙', '丙', '丁'].map((name) => h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: `${name}公海`, isDefault: true } })),
    );
    expect(made.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const ids = made.map((r) => r.body.id as string);
    const switched = await Promise.all(ids.map((id) => h.request('PATCH', `/api/v1/public-pools/${id}`, { token: h.adminToken, body: { isDefault: true } })));
    expect(switched.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const pools = (await h.request('GET', '/api/v1/public-pools', { token: h.adminToken })).body.items as { id: string; isDefault: boolean }[];
    expect(pools.filter((p) => p.isDefault)).toHaveLength(1);
  });

  it('takes changes of one customer’s collaborators and shares sent at once in turn, none failing, none doubled', async () => {
    const [id] = await publicCustomers(1);
    const owner = await user('owner2');
    const peers = [await user('peer2'), await user('peer3'), await user('peer4')];
    await claim(owner.token, { customerIds: [id] });
    const sets = [[peers[0]!.id], [peers[1]!.id, peers[2]!.id], [peers[0]!.id, peers[1]!.id], [peers[2]!.id], [peers[1]!.id], [peers[0]!.id, peers[2]!.id]];
    const setting = await Promise.all(
      sets.map((userIds) => h.request('PUT', `/api/v1/customers/${id}/collaborators`, { token: owner.token, body: { userIds } })),
    );
    const sharing = await Promise.all(
      sets.map(() => h.request('POST', '/api/v1/customers/share', { token: owner.token, body: { customerIds: [id], userIds: [peers[0]!.id] } })),
    );
    expect([...setting, ...sharing].map((r) => r.status)).toEqual(sets.flatMap(() => [200, 200]));
    const now = (await h.request('GET', `/api/v1/customers/${id}/sharing`, { token: owner.token })).body;
    expect(sets.map((ids) => [...ids].sort())).toContainEqual(now.collaborators.map((c: { userId: string }) => c.userId).sort());
    expect(now.shares.map((s: { userId: string }) => s.userId)).toEqual([peers[0]!.id]);
  });

  if (dialect.name === 'postgres') {
    it('answers 409 to a release into a public pool deleted meanwhile, moves nothing, and releases to the default pool when asked again', async () => {
      const east = (await h.request('POST', '/api/v1/departments', { token: h.adminToken, body: { name: '华东' } })).body.id;
      const pool = (await h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: '华东公海', departmentIds: [east] } })).body.id as string;
      const inside = await user('east1', 'agent', east);
      const [a] = await publicCustomers(1);
      await claim(inside.token, { customerIds: [a] });
      const release = () => h.request('POST', '/api/v1/customers/release', { token: inside.token, body: { customerIds: [a], reason: '无意向' } });
      const late = await h.whileCommitting('delete from public_pools where id = $1', [pool], release);
      expect(late.status, JSON.stringify(late.body)).toBe(409);
      expect(late.body).toMatchObject({ code: 'REFERENCE.CHANGED', errors: [{ field: 'publicPoolId' }], params: { deleted: 'public_pools' } });
      expect(await customer(a!)).toMatchObject({ pool: 'private', ownerId: inside.id });
      expect((await release()).status).toBe(200);
      const defaultPool = (await h.request('GET', '/api/v1/public-pools', { token: h.adminToken })).body.items.find((p: { isDefault: boolean }) => p.isDefault).id;
      expect(await customer(a!)).toMatchObject({ pool: 'public', publicPoolId: defaultPool });
    });
  }
});
