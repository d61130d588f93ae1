import { DateTime } from 'luxon';

// A reference model of the pools, written apart from the code it checks: a handful of customers and
// agents, the rules in force, and what each move must do to them. The model-based test drives the
// real server and this model with the same operations and compares outcomes, state and journeys.

export type ModelPool = 'lead' | 'pending' | 'public' | 'private';

export interface ModelCustomer {
  id: string;
  pool: ModelPool;
  ownerId: string | null;
  protectedUntil: string | null;
  ownedSince: string | null;
  deleted: boolean;
  /** The journey's actions, oldest first. */
  journey: string[];
}

export interface ModelRules {
  holdingLimit: number | null;
  dailyClaimLimit: number | null;
  protectionDays: number | null;
  returnNoFollowUpDays: number;
  claimCooldownDays: number | null;
}

export interface PoolModel {
  now: Date;
  timeZone: string;
  rules: ModelRules;
  /** In the order "claim next" takes them (created_at, then id). */
  customers: ModelCustomer[];
  agents: string[];
  adminId: string;
  /** Every claim: who and when (the daily limit counts them from local midnight). */
  claims: { agentId: string; at: string }[];
  /** When an agent last lost a customer (released, returned, transferred or reassigned away). */
  losses: Map<string, string>;
  /** Outbox events the moves must have written: customer.assigned, customer.released, pool.returned. */
  moveEvents: number;
}

/** What one customer of a bulk move became: moved, or the error code. */
export interface ItemOutcome {
  customerId: string;
  code: string | null;
}

export type Op =
  | { kind: 'claim'; agent: number; customers: number[] }
  | { kind: 'claimNext'; agent: number; next: number }
  | { kind: 'release'; actor: number | 'admin'; customers: number[] }
  | { kind: 'transfer'; to: number; customers: number[] }
  | { kind: 'assign'; agents: number[]; customers: number[] }
  | { kind: 'validate'; customers: number[] }
  | { kind: 'delete'; customer: number }
  | { kind: 'restore'; customer: number }
  | { kind: 'returns' };

/** What the real server answered to an operation, in the model's terms. */
export type Outcome =
  | { kind: 'items'; items: ItemOutcome[] }
  | { kind: 'assign'; assigned: { customerId: string; agentId: string }[]; unplaced: ItemOutcome[] }
  | { kind: 'single'; ok: boolean }
  | { kind: 'returned'; customerIds: string[] };

export const cloneModel = (m: PoolModel): PoolModel => ({
  ...m,
  rules: { ...m.rules },
  customers: m.customers.map((c) => ({ ...c, journey: [...c.journey] })),
  agents: [...m.agents],
  claims: [...m.claims],
  losses: new Map(m.losses),
});

const addDays = (from: Date, days: number) => new Date(from.getTime() + days * 86_400_000).toISOString();
const lossKey = (agentId: string, customerId: string) => `${agentId}|${customerId}`;

export const holdingOf = (m: PoolModel, agentId: string) =>
  m.customers.filter((c) => c.pool === 'private' && c.ownerId === agentId && !c.deleted).length;

export function claimsToday(m: PoolModel, agentId: string): number {
  const midnight = DateTime.fromJSDate(m.now).setZone(m.timeZone).startOf('day').toUTC().toISO()!;
  return m.claims.filter((c) => c.agentId === agentId && c.at >= midnight).length;
}

const roomFor = (m: PoolModel, holding: number) => m.rules.holdingLimit === null || holding < m.rules.holdingLimit;

function own(m: PoolModel, c: ModelCustomer, ownerId: string, action: string, protectedUntil?: string | null): void {
  if (c.ownerId && c.ownerId !== ownerId) m.losses.set(lossKey(c.ownerId, c.id), m.now.toISOString());
  else if (c.ownerId && action === 'assign') m.losses.set(lossKey(c.ownerId, c.id), m.now.toISOString());
  c.pool = 'private';
  c.ownerId = ownerId;
  c.ownedSince = m.now.toISOString();
  c.protectedUntil = protectedUntil !== undefined ? protectedUntil : m.rules.protectionDays ? addDays(m.now, m.rules.protectionDays) : null;
  c.journey.push(action);
  m.moveEvents++;
}

function toPublic(m: PoolModel, c: ModelCustomer, action: 'release' | 'return'): void {
  if (c.ownerId) m.losses.set(lossKey(c.ownerId, c.id), m.now.toISOString());
  c.pool = 'public';
  c.ownerId = null;
  c.ownedSince = null;
  c.protectedUntil = null;
  c.journey.push(action);
  m.moveEvents++;
}

const sortedIds = (m: PoolModel, indexes: number[]) => [...new Set(indexes.map((i) => m.customers[i]!.id))].sort();
const byId = (m: PoolModel, id: string) => m.customers.find((c) => c.id === id)!;

function claimOne(m: PoolModel, agentId: string, c: ModelCustomer): string | null {
  if (c.deleted) return 'CUSTOMER.DELETED';
  if (c.pool !== 'public') return 'POOL.WRONG_POOL';
  if (!roomFor(m, holdingOf(m, agentId))) return 'POOL.HOLDING_LIMIT';
  if (m.rules.dailyClaimLimit !== null && claimsToday(m, agentId) >= m.rules.dailyClaimLimit) return 'POOL.DAILY_LIMIT';
  const lost = m.losses.get(lossKey(agentId, c.id));
  if (m.rules.claimCooldownDays && lost && m.now.toISOString() < addDays(new Date(lost), m.rules.claimCooldownDays)) return 'POOL.COOLDOWN';
  own(m, c, agentId, 'claim');
  m.claims.push({ agentId, at: m.now.toISOString() });
  return null;
}

/** An agent sees the public pool and its own customers (deleted ones too: it may restore them). */
const visibleToAgent = (c: ModelCustomer, agentId: string) => (c.pool === 'public' && !c.deleted) || c.ownerId === agentId;

/** When the no-follow-up rule returns a customer: the start of the local day it was owned, plus the days. */
export function returnDue(m: PoolModel, c: ModelCustomer): string | null {
  if (c.pool !== 'private' || c.deleted || !c.ownedSince) return null;
  const due = DateTime.fromISO(c.ownedSince, { zone: m.timeZone }).startOf('day').plus({ days: m.rules.returnNoFollowUpDays }).toUTC().toISO()!;
  return c.protectedUntil && c.protectedUntil > due ? c.protectedUntil : due;
}

/**
 * Applies an operation to the model, given what the real server answered. Returns null when the
 * answer is what the model expects (and the model now holds the new state), else why not. `exact`
 * says whether "claim next" must take exactly the first N (one request at a time) or may take any
 * public customers (several at once: PostgreSQL skips rows another claim holds).
 */
export function applyOp(m: PoolModel, op: Op, real: Outcome, exact: boolean): string | null {
  const agentAt = (i: number) => m.agents[i % m.agents.length]!;
  const items = (expected: ItemOutcome[]) => {
    if (real.kind !== 'items') return `expected item results, got ${real.kind}`;
    const same = JSON.stringify(expected) === JSON.stringify(real.items);
    return same ? null : `items differ: model ${JSON.stringify(expected)} real ${JSON.stringify(real.items)}`;
  };
  switch (op.kind) {
    case 'claim': {
      const agentId = agentAt(op.agent);
      return items(sortedIds(m, op.customers).map((id) => {
        const c = byId(m, id);
        return { customerId: id, code: visibleToAgent(c, agentId) ? claimOne(m, agentId, c) : 'CUSTOMER.NOT_FOUND' };
      }));
    }
    case 'claimNext': {
      if (real.kind !== 'items') return `expected item results, got ${real.kind}`;
      const agentId = agentAt(op.agent);
      const open = m.customers.filter((c) => c.pool === 'public' && !c.deleted).map((c) => c.id);
      const picked = real.items.map((i) => i.customerId);
      if (exact) {
        if (JSON.stringify(picked) !== JSON.stringify(open.slice(0, op.next))) return `claim next ${op.next} picked ${picked} of ${open}`;
      } else if (picked.length > op.next || picked.some((id) => !open.includes(id))) return `claim next ${op.next} picked ${picked}, public: ${open}`;
      return items(picked.map((id) => ({ customerId: id, code: claimOne(m, agentId, byId(m, id)) })));
    }
    case 'release': {
      const actorId = op.actor === 'admin' ? m.adminId : agentAt(op.actor);
      return items(sortedIds(m, op.customers).map((id) => {
        const c = byId(m, id);
        if (op.actor !== 'admin' && !visibleToAgent(c, actorId)) return { customerId: id, code: 'CUSTOMER.NOT_FOUND' };
        if (op.actor !== 'admin' && c.ownerId !== actorId) return { customerId: id, code: 'AUTH.FORBIDDEN' };
        if (c.deleted) return { customerId: id, code: 'CUSTOMER.DELETED' };
        if (c.pool !== 'private') return { customerId: id, code: 'POOL.WRONG_POOL' };
        toPublic(m, c, 'release');
        return { customerId: id, code: null };
      }));
    }
    case 'transfer': {
      const to = agentAt(op.to);
      let holding = holdingOf(m, to);
      return items(sortedIds(m, op.customers).map((id) => {
        const c = byId(m, id);
        if (c.deleted) return { customerId: id, code: 'CUSTOMER.DELETED' };
        if (c.pool !== 'private') return { customerId: id, code: 'POOL.WRONG_POOL' };
        if (c.ownerId === to) return { customerId: id, code: 'POOL.SAME_OWNER' };
        if (!roomFor(m, holding)) return { customerId: id, code: 'POOL.HOLDING_LIMIT' };
        own(m, c, to, 'transfer', c.protectedUntil);
        holding++;
        return { customerId: id, code: null };
      }));
    }
    case 'validate':
      return items(sortedIds(m, op.customers).map((id) => {
        const c = byId(m, id);
        if (c.deleted) return { customerId: id, code: 'CUSTOMER.DELETED' };
        if (c.pool !== 'lead') return { customerId: id, code: 'POOL.WRONG_POOL' };
        c.pool = 'pending';
        c.journey.push('validate');
        return { customerId: id, code: null };
      }));
    case 'assign':
      return checkAssignment(m, [...new Set(op.agents.map(agentAt))], sortedIds(m, op.customers), real);
    case 'delete': {
      const c = m.customers[op.customer]!;
      if (real.kind !== 'single') return `expected a single result, got ${real.kind}`;
      if (real.ok !== !c.deleted) return `delete of ${c.id} (deleted: ${c.deleted}) answered ok=${real.ok}`;
      if (real.ok) {
        c.deleted = true;
        c.journey.push('delete');
      }
      return null;
    }
    case 'restore': {
      const c = m.customers[op.customer]!;
      if (real.kind !== 'single') return `expected a single result, got ${real.kind}`;
      if (real.ok !== c.deleted) return `restore of ${c.id} (deleted: ${c.deleted}) answered ok=${real.ok}`;
      if (!real.ok) return null;
      c.deleted = false;
      c.journey.push('restore');
      // Back to its owner while the owner has room; else to the public pool, as a release would.
      if (c.pool === 'private' && c.ownerId && !roomFor(m, holdingOf(m, c.ownerId) - 1)) {
        Object.assign(c, { pool: 'public', ownerId: null, ownedSince: null, protectedUntil: null });
      }
      return null;
    }
    case 'returns': {
      if (real.kind !== 'returned') return `expected a return run, got ${real.kind}`;
      const now = m.now.toISOString();
      const due = m.customers.filter((c) => {
        const at = returnDue(m, c);
        return at !== null && at <= now;
      });
      const expected = due.map((c) => c.id).sort();
      const got = [...real.customerIds].sort();
      if (JSON.stringify(expected) !== JSON.stringify(got)) return `returns: model ${expected} real ${got}`;
      for (const c of due) toPublic(m, c, 'return');
      return null;
    }
  }
}

/**
 * Allocation itself is tested on its own; here the answer must be a placement the rules allow: every
 * live customer placed with one of the agents or unplaced only when every agent is full, no agent
 * past its holding limit, and the others not found.
 */
function checkAssignment(m: PoolModel, agents: string[], ids: string[], real: Outcome): string | null {
  if (real.kind !== 'assign') return `expected an assignment report, got ${real.kind}`;
  const live = ids.filter((id) => !byId(m, id).deleted);
  const placed = new Map(real.assigned.map((a) => [a.customerId, a.agentId]));
  const unplaced = new Map(real.unplaced.map((u) => [u.customerId, u.code]));
  if (placed.size + unplaced.size !== ids.length || ids.some((id) => !placed.has(id) && !unplaced.has(id))) {
    return `assign did not report each customer once: ${JSON.stringify(real)}`;
  }
  for (const id of ids) {
    const expected = live.includes(id) ? (placed.has(id) ? null : 'POOL.ALL_AT_LIMIT') : 'CUSTOMER.NOT_FOUND';
    if ((unplaced.get(id) ?? null) !== expected) return `assign of ${id}: expected ${expected}, got ${unplaced.get(id) ?? 'placed'}`;
    if (placed.has(id) && !agents.includes(placed.get(id)!)) return `assign of ${id} to ${placed.get(id)}, not one of the agents`;
  }
  const before = new Map(agents.map((a) => [a, holdingOf(m, a)]));
  for (const [id, agentId] of placed) own(m, byId(m, id), agentId, 'assign');
  for (const a of agents) {
    if (m.rules.holdingLimit !== null && holdingOf(m, a) > m.rules.holdingLimit) return `assign took ${a} past its holding limit`;
  }
  if (unplaced.size > ids.length - live.length && m.rules.holdingLimit !== null) {
    const full = agents.every((a) => before.get(a)! + [...placed.values()].filter((p) => p === a).length >= m.rules.holdingLimit!);
    if (!full) return 'assign left customers unplaced while an agent had room';
  }
  if (unplaced.size > ids.length - live.length && m.rules.holdingLimit === null) return 'assign left customers unplaced with no holding limit';
  return null;
}
