// Model-based test of the pools: fast-check generates sequences of claims, releases, assignments,
// transfers, validations, return runs, deletes and restores (some of them sent at once, in an order a
// scheduler picks), runs them through the real server and database and through a reference model,
// and after every step checks that both agree (each answer, each customer, each journey) and that
// the invariants hold in the database itself: at most one owner, private exactly when owned, no
// agent past its holding or daily limit, and no move without its journey step and its event.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_RULES } from '@telecrm/core';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';
import { applyOp, claimsToday, cloneModel, type ItemOutcome, type ModelPool, type ModelRules, type Op, type Outcome, type PoolModel } from '../../test-support/pool-model.js';

const CUSTOMERS = 6;
const AGENTS = 3;
const START = '2026-11-23T01:00:00.000Z';
// CRM_TEST_MODEL_RUNS=1000 searches deeper (a few minutes on PostgreSQL).
const RUNS = Number(process.env.CRM_TEST_MODEL_RUNS ?? 100);

interface Real {
  h: Harness;
  /** Decides when each of the operations sent at once starts. */
  scheduler: fc.Scheduler;
  agentIds: string[];
  agentTokens: string[];
  customerIds: string[];
}

const customerIndexes = fc.uniqueArray(fc.nat(CUSTOMERS - 1), { minLength: 1, maxLength: 3 });
const agentIndex = fc.nat(AGENTS - 1);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('claim' as const), agent: agentIndex, customers: customerIndexes }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('claimNext' as const), agent: agentIndex, next: fc.integer({ min: 1, max: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('release' as const), actor: fc.oneof(agentIndex, fc.constant('admin' as const)), customers: customerIndexes }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('transfer' as const), to: agentIndex, customers: customerIndexes }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('assign' as const), agents: fc.uniqueArray(agentIndex, { minLength: 1, maxLength: AGENTS }), customers: customerIndexes }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('validate' as const), customers: customerIndexes }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), customer: fc.nat(CUSTOMERS - 1) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('restore' as const), customer: fc.nat(CUSTOMERS - 1) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'returns' as const }), weight: 1 },
);

/** Sends one operation to the server and reads its answer in the model's terms. */
async function runReal(real: Real, op: Op): Promise<Outcome> {
  const { h } = real;
  const ids = (indexes: number[]) => indexes.map((i) => real.customerIds[i]!);
  const tokenOf = (agent: number) => real.agentTokens[agent]!;
  const post = async (path: string, token: string, body: unknown) => {
    const res = await h.request('POST', path, { token, body });
    if (res.status !== 200) throw new Error(`${path} ${JSON.stringify(body)} answered ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const items = (body: { results: { customerId: string; ok: boolean; error?: { code: string } }[] }): Outcome => ({
    kind: 'items',
    items: body.results.map((r): ItemOutcome => ({ customerId: r.customerId, code: r.ok ? null : r.error!.code })),
  });
  switch (op.kind) {
    case 'claim':
      return items(await post('/api/v1/customers/claim', tokenOf(op.agent), { customerIds: ids(op.customers) }));
    case 'claimNext':
      return items(await post('/api/v1/customers/claim', tokenOf(op.agent), { next: op.next }));
    case 'release':
      return items(await post('/api/v1/customers/release', op.actor === 'admin' ? h.adminToken : tokenOf(op.actor), { customerIds: ids(op.customers), reason: '无意向' }));
    case 'transfer':
      return items(await post('/api/v1/customers/transfer', h.adminToken, { customerIds: ids(op.customers), toUserId: real.agentIds[op.to] }));
    case 'validate':
      return items(await post('/api/v1/customers/validate', h.adminToken, { customerIds: ids(op.customers) }));
    case 'assign': {
      const body = await post('/api/v1/customers/assign', h.adminToken, { customerIds: ids(op.customers), agentIds: op.agents.map((a) => real.agentIds[a]), strategy: 'round-robin' });
      return { kind: 'assign', assigned: body.assigned, unplaced: body.unplaced.map((u: { customerId: string; error: { code: string } }) => ({ customerId: u.customerId, code: u.error.code })) };
    }
    case 'delete':
    case 'restore': {
      const id = real.customerIds[op.customer]!;
      const res = op.kind === 'delete'
        ? await h.request('DELETE', `/api/v1/customers/${id}`, { token: h.adminToken })
        : await h.request('POST', `/api/v1/customers/${id}/restore`, { token: h.adminToken });
      if (res.status !== 200 && res.status !== 409) throw new Error(`${op.kind} ${id} answered ${res.status} ${JSON.stringify(res.body)}`);
      return { kind: 'single', ok: res.status === 200 };
    }
    case 'returns': {
      const body = await post('/api/v1/pool/returns', h.adminToken, {});
      return { kind: 'returned', customerIds: body.returned.map((d: { customerId: string }) => d.customerId) };
    }
  }
}

/**
 * Where the database and the model part, or null: each customer, the invariants read from the
 * database alone (private exactly when owned, no agent past a limit) and every journey and event.
 */
async function databaseMismatch(model: PoolModel, real: Real): Promise<string | null> {
  const db = real.h.application.store.db;
  const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'pool', 'owner_id', 'protected_until', 'owned_since', 'deleted_at'])
    .where('id', 'in', real.customerIds)
    .execute();
  for (const c of model.customers) {
    const r = rows.find((row) => row.id === c.id);
    const stored = r && { pool: r.pool, ownerId: r.owner_id, protectedUntil: iso(r.protected_until), ownedSince: iso(r.owned_since), deleted: r.deleted_at !== null };
    const expected = { pool: c.pool, ownerId: c.ownerId, protectedUntil: c.protectedUntil, ownedSince: c.ownedSince, deleted: c.deleted };
    if (JSON.stringify(stored) !== JSON.stringify(expected)) return `${c.id}: database ${JSON.stringify(stored)}, model ${JSON.stringify(expected)}`;
  }
  for (const r of rows) if ((r.pool === 'private') !== (r.owner_id !== null)) return `${r.id} is ${r.pool} with owner ${r.owner_id}`;

  const midnight = DateTime.fromJSDate(model.now).setZone(model.timeZone).startOf('day').toUTC().toISO()!;
  for (const agentId of model.agents) {
    const holding = rows.filter((r) => r.pool === 'private' && r.owner_id === agentId && r.deleted_at === null).length;
    if (model.rules.holdingLimit !== null && holding > model.rules.holdingLimit) return `${agentId} holds ${holding}, past its limit`;
    const claimed = await db
      .selectFrom('pool_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'claim')
      .where('to_owner_id', '=', agentId)
      .where('at', '>=', midnight)
      .executeTakeFirstOrThrow();
    if (model.rules.dailyClaimLimit !== null && Number(claimed.n) > model.rules.dailyClaimLimit) return `${agentId} claimed ${claimed.n} today, past its limit`;
    if (Number(claimed.n) !== claimsToday(model, agentId)) return `${agentId} claimed ${claimed.n} today, the model says ${claimsToday(model, agentId)}`;
  }

  // No event lost: each move has its journey step, in order, and its event in the outbox.
  const events = await db.selectFrom('pool_events').select(['customer_id', 'action']).orderBy('at').orderBy('id').execute();
  for (const c of model.customers) {
    const journey = events.filter((e) => e.customer_id === c.id).map((e) => e.action);
    if (JSON.stringify(journey) !== JSON.stringify(c.journey)) return `${c.id}: journey ${journey}, model ${c.journey}`;
  }
  const outbox = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', 'in', ['customer.assigned', 'customer.released', 'pool.returned'])
    .executeTakeFirstOrThrow();
  if (Number(outbox.n) !== model.moveEvents) return `${outbox.n} move events in the outbox, the model made ${model.moveEvents}`;
  return null;
}

class OneByOne implements fc.AsyncCommand<PoolModel, Real> {
  constructor(readonly op: Op) {}
  check = () => true;
  async run(model: PoolModel, real: Real): Promise<void> {
    const outcome = await runReal(real, this.op);
    const mismatch = applyOp(model, this.op, outcome, true);
    expect(mismatch).toBeNull();
    expect(await databaseMismatch(model, real)).toBeNull();
  }
  toString = () => JSON.stringify(this.op);
}

/**
 * Several operations sent at once, each started when the scheduler says. The answers must be those of
 * the operations run one after another in some order (each sees the state the one before left).
 */
class AtOnce implements fc.AsyncCommand<PoolModel, Real> {
  constructor(readonly ops: Op[]) {}
  check = () => true;
  async run(model: PoolModel, real: Real): Promise<void> {
    const settled = await real.scheduler.waitFor(
      Promise.allSettled(this.ops.map((op, i) => real.scheduler.schedule(Promise.resolve(), `start ${i}: ${JSON.stringify(op)}`).then(() => runReal(real, op)))),
    );
    // Every request has finished before a failure is reported: none may land in the next run.
    const outcomes = settled.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    const tried: string[] = [];
    for (const order of permutations(this.ops.map((_, i) => i))) {
      const candidate = cloneModel(model);
      const mismatch = order.map((i) => applyOp(candidate, this.ops[i]!, outcomes[i]!, false)).find((m) => m !== null);
      if (mismatch) {
        tried.push(`${order}: ${mismatch}`);
        continue;
      }
      const differs = await databaseMismatch(candidate, real);
      if (differs) {
        tried.push(`${order}: ${differs}`);
        continue;
      }
      Object.assign(model, candidate);
      return;
    }
    throw new Error(`no order of ${JSON.stringify(this.ops)} explains ${JSON.stringify(outcomes)}:\n${tried.join('\n')}`);
  }
  toString = () => `atOnce(${this.ops.map((o) => JSON.stringify(o)).join(', ')})`;
}

class Later implements fc.AsyncCommand<PoolModel, Real> {
  constructor(readonly hours: number) {}
  check = () => true;
  async run(model: PoolModel, real: Real): Promise<void> {
    real.h.clock.advance(this.hours * 3600_000);
    model.now = real.h.clock.now();
    expect(await databaseMismatch(model, real)).toBeNull();
  }
  toString = () => `later(${this.hours}h)`;
}

function* permutations(items: number[]): Generator<number[]> {
  if (items.length <= 1) {
    yield items;
    return;
  }
  for (let i = 0; i < items.length; i++) {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) yield [items[i]!, ...rest];
  }
}

const rulesArb: fc.Arbitrary<ModelRules> = fc.record({
  holdingLimit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  dailyClaimLimit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  protectionDays: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
  returnNoFollowUpDays: fc.integer({ min: 1, max: 3 }),
  claimCooldownDays: fc.option(fc.constant(1), { nil: null }),
});

const startArb = fc.array(fc.constantFrom('lead', 'pending', 'public', 'private'), { minLength: CUSTOMERS, maxLength: CUSTOMERS });

describe.each(dialects)('pools against a reference model on $name', (dialect) => {
  let h: Harness;
  const agentIds: string[] = [];
  const agentTokens: string[] = [];
  beforeAll(async () => {
    // Tokens outlive the days a run moves the clock; the return rules run only when asked.
    h = await createHarness(dialect, { env: { CRM_TOKEN_TTL_HOURS: String(24 * 3650), CRM_POOL_RETURN_MINUTES: '0' } });
    const roles = (await h.request('GET', '/api/v1/roles', { token: h.adminToken })).body.items as { id: string; key: string }[];
    const agentRole = roles.find((r) => r.key === 'agent')!.id;
    for (let i = 0; i < AGENTS; i++) {
      const res = await h.request('POST', '/api/v1/users', {
        token: h.adminToken,
        body: { username: `model${i}`, displayName: `model${i}`, password: 'agent-pass-123', roleId: agentRole, departmentId: null },
      });
      agentIds.push(res.body.id);
      agentTokens.push(await h.login(`model${i}`, 'agent-pass-123'));
    }
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  /** A clean slate: the run's customers where `start` puts them, its rules, the clock at START. */
  async function begin(rules: ModelRules, start: string[], scheduler: fc.Scheduler): Promise<{ model: PoolModel; real: Real }> {
    const db = h.application.store.db;
    for (const table of ['pool_events', 'pool_reminders', 'outbox', 'allocation_cursors', 'audit_log', 'customers'] as const) await db.deleteFrom(table).execute();
    h.clock.set(START);
    const res = await h.request('PUT', '/api/v1/pool-rules', { token: h.adminToken, body: { ...DEFAULT_POOL_RULES, ...rules } });
    expect(res.status).toBe(200);
    const defaultPool = await db.selectFrom('public_pools').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow();
    const company = await db.selectFrom('company').select('time_zone').executeTakeFirstOrThrow();
    const now = h.clock.now();
    const model: PoolModel = {
      now,
      timeZone: company.time_zone,
      rules,
      customers: [],
      agents: [...agentIds],
      adminId: (await h.request('GET', '/api/v1/me', { token: h.adminToken })).body.id,
      claims: [],
      losses: new Map(),
      moveEvents: 0,
    };
    const customerIds: string[] = [];
    for (let i = 0; i < start.length; i++) {
      const id = `m${i}`;
      let pool = start[i] as ModelPool;
      const ownerId = pool === 'private' ? agentIds[i % AGENTS]! : null;
      const full = ownerId !== null && rules.holdingLimit !== null && model.customers.filter((c) => c.ownerId === ownerId).length >= rules.holdingLimit;
      if (full) pool = 'public';
      const owner = pool === 'private' ? ownerId : null;
      await db
        .insertInto('customers')
        .values({
          id,
          name: `模型客户${i}`,
          pool,
          owner_id: owner,
          public_pool_id: pool === 'public' ? defaultPool.id : null,
          owned_since: owner ? now.toISOString() : null,
          custom: '{}',
          // "Claim next" takes the oldest first.
          created_at: new Date(now.getTime() - (start.length - i) * 1000).toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      model.customers.push({ id, pool, ownerId: owner, protectedUntil: null, ownedSince: owner ? now.toISOString() : null, deleted: false, journey: [] });
      customerIds.push(id);
    }
    return { model, real: { h, scheduler, agentIds, agentTokens, customerIds } };
  }

  it(`keeps every invariant over ${RUNS} generated runs with concurrent steps`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        rulesArb,
        startArb,
        fc.commands(
          [
            opArb.map((op) => new OneByOne(op)),
            fc.array(opArb, { minLength: 2, maxLength: 3 }).map((ops) => new AtOnce(ops)),
            fc.constantFrom(3, 12, 24, 72).map((hours) => new Later(hours)),
          ],
          { maxCommands: 25, size: 'max' },
        ),
        async (s, rules, start, commands) => {
          const { model, real } = await begin(rules, start, s);
          await fc.asyncModelRun(() => ({ model, real }), commands);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});
