import {
  compareCodeUnits,
  allocate,
  effectivePoolRules,
  err,
  isPoolMember,
  ok,
  releasePoolOf,
  transitionPool,
  type Actor,
  type AllocationStrategy,
  type CrmEventPayload,
  type DomainError,
  type FilterNode,
  type PoolEvent,
  type PoolRules,
  type PoolState,
  type PoolTransition,
  type Result,
} from '@telecrm/core';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { appendEvents } from '../events/outbox.js';
import { recordAudit } from '../store/audit.repo.js';
import { customersVisibleTo, writabilityPredicate, writableCustomerIds } from '../store/customer.repo.js';
import type { DialectName } from '../store/connect.js';
import { readByIds, textRowsAsTable } from '../store/dialect.js';
import type { CustomerRow } from '../store/database.js';
import {
  claimsSince,
  companyPoolRules,
  departmentPaths,
  holdingsOf,
  insertPoolEvents,
  lastLosses,
  listPublicPools,
  lockHolders,
  poolColumnsOf,
  poolRulesOf,
  poolStateOf,
  type PoolEventRow,
} from '../store/pool.repo.js';
import { getCompanySettings, type CompanySettings } from './company.service.js';
import { fail, inTransaction, type ServiceContext, type Trx } from './context.js';
import { selectCustomers, type CustomerSelection } from './customer.service.js';

/** What became of one customer of a bulk move. */
export type MoveResult =
  | { customerId: string; name: string; ok: true; ownerId: string | null; pool: PoolState['pool'] }
  | { customerId: string; name?: string | undefined; ok: false; error: DomainError };

export interface MoveReport {
  results: MoveResult[];
  moved: number;
}

/** The customer columns a move reads and writes. */
type MovableRow = Pick<CustomerRow, 'id' | 'name' | 'pool' | 'owner_id' | 'public_pool_id' | 'protected_until' | 'owned_since' | 'deleted_at' | 'deal_status' | 'locked'>;
const MOVABLE = ['id', 'name', 'pool', 'owner_id', 'public_pool_id', 'protected_until', 'owned_since', 'deleted_at', 'deal_status', 'locked'] as const;

const failed = (customerId: string, error: DomainError, name?: string): MoveResult => ({ customerId, ...(name ? { name } : {}), ok: false, error });

/** A move transitionPool decided: the customer as read, where it goes, and its journey step. */
interface DecidedMove {
  row: MovableRow;
  next: PoolState;
  event: PoolEvent | Omit<PoolEvent, 'id' | 'customerId'>;
}

/**
 * Writes the moves decided, each on the condition that its customer is still where it was read (pool
 * and owner), with their journey steps and events; which customers moved. A statement per chunk of
 * customers, not one per customer: "everything agent A holds" can be tens of thousands.
 */
async function writeMoves(ctx: ServiceContext, trx: Trx, moves: readonly DecidedMove[], actorId: string | null): Promise<Set<string>> {
  const written = new Set<string>();
  if (moves.length === 0) return written;
  const now = ctx.runtime.now().toISOString();
  const values = ({ row, next }: DecidedMove) => {
    const columns = poolColumnsOf(next);
    return [row.id, columns.pool, columns.owner_id, columns.public_pool_id, columns.protected_until, columns.owned_since, row.pool, row.owner_id];
  };
  // SQLite: eight bound values a customer, within its 32,766; PostgreSQL: eight arrays.
  const chunkSize = ctx.store.dialect === 'postgres' ? 50_000 : 4000;
  for (let i = 0; i < moves.length; i += chunkSize) {
    const moved = textRowsAsTable(ctx.store.dialect, moves.slice(i, i + chunkSize).map(values));
    const { rows } = await sql<{ id: string }>`with moved (id, pool, owner_id, public_pool_id, protected_until, owned_since, was_pool, was_owner_id) as (${moved})
      update customers set pool = moved.pool, owner_id = moved.owner_id, public_pool_id = moved.public_pool_id,
        protected_until = moved.protected_until, owned_since = moved.owned_since, updated_at = ${now}, updated_by = ${actorId}
      from moved
      where customers.id = moved.id and customers.pool = moved.was_pool and customers.deleted_at is null
        and (customers.owner_id = moved.was_owner_id or (customers.owner_id is null and moved.was_owner_id is null))
      returning customers.id`.execute(trx);
    for (const r of rows) written.add(r.id);
  }
  const done = moves.filter((m) => written.has(m.row.id));
  await insertPoolEvents(trx, ctx.store, done.map(({ row, event }) => ({ ...event, id: ctx.runtime.newId(), customerId: row.id })));
  const payloads = done.flatMap(({ row, next, event }) => {
    const payload = moveEvent({ customerId: row.id, name: row.name, ownerId: next.ownerId, pool: next.pool }, row.owner_id, event);
    return payload ? [payload] : [];
  });
  await appendEvents(trx, ctx.store, ctx.runtime, payloads);
  return written;
}

function moveEvent(
  ref: { customerId: string; name: string; ownerId: string | null; pool: PoolState['pool'] },
  fromOwnerId: string | null,
  event: Pick<PoolEvent, 'action' | 'reason' | 'rule'>,
): CrmEventPayload | null {
  switch (event.action) {
    case 'assign':
    case 'claim':
    case 'transfer':
      return { type: 'customer.assigned', data: { ...ref, fromOwnerId, action: event.action } };
    case 'release':
      return { type: 'customer.released', data: { ...ref, fromOwnerId, reason: event.reason ?? '' } };
    case 'return':
      return { type: 'pool.returned', data: { ...ref, fromOwnerId, rule: event.rule ?? 'noFollowUp' } };
    default:
      return { type: 'customer.updated', data: { ...ref, fields: ['pool'] } };
  }
}

/** The customers a move reads; on PostgreSQL locked until the transaction ends, in id order (no deadlock). */
async function loadMovable(trx: Trx, dialect: DialectName, ids: readonly string[]): Promise<Map<string, MovableRow>> {
  // In id order across the statements too, so the locks are.
  const rows = await readByIds([...ids].sort(compareCodeUnits), (slice) => {
    const q = trx.selectFrom('customers').select(MOVABLE).where('id', 'in', slice).orderBy('id');
    return (dialect === 'postgres' ? q.forNoKeyUpdate() : q).execute();
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/** The start of today in the company's zone, as an instant: when daily limits reset. */
const localMidnight = (now: Date, timeZone: string) => DateTime.fromJSDate(now).setZone(timeZone).startOf('day').toUTC().toISO()!;

export interface ClaimInput {
  customerIds?: string[] | undefined;
  /** Claim the next N customers of the public pool instead (领取), in the order of the view or filter. */
  next?: number | undefined;
  poolId?: string | undefined;
  view?: string | undefined;
  filter?: FilterNode | undefined;
}

/**
 * Claims customers from the public pool (领取) for the actor, in one transaction that also counts its
 * holding and its claims of the day: the limits hold however many claim at once. A customer someone
 * else claimed first is reported, not taken.
 */
export async function claimCustomers(ctx: ServiceContext, actor: Actor, input: ClaimInput): Promise<Result<MoveReport, DomainError>> {
  const pools = await listPublicPools(ctx.store.db);
  if (input.poolId && !pools.some((p) => p.id === input.poolId)) return err({ code: 'POOL.NOT_FOUND', field: 'poolId', params: { id: input.poolId } });
  const path = (await departmentPaths(ctx.store.db, [actor.userId])).get(actor.userId) ?? [];
  const member = { userId: actor.userId, departmentPath: path };
  const open = pools.filter((p) => isPoolMember(p, member) && (!input.poolId || p.id === input.poolId));
  if (input.poolId && open.length === 0) return err({ code: 'POOL.NOT_MEMBER', field: 'poolId', params: { pool: pools.find((p) => p.id === input.poolId)!.name } });
  let selection: Awaited<ReturnType<typeof selectCustomers>> | undefined;
  if (input.next !== undefined) {
    selection = await selectCustomers(ctx, actor, { view: input.view, filter: input.filter });
    if (!selection.ok) return selection;
  }
  const ownRules = (await poolRulesOf(ctx.store.db, new Map([[actor.userId, path]]))).get(actor.userId)!;
  const poolsById = new Map(pools.map((p) => [p.id, p]));
  // Without a cooldown in any rules a claim can come under, nobody's past losses matter.
  const cooldown = [ownRules, ...pools.map((p) => effectivePoolRules(ownRules, [p.rules]))].some((r) => r.claimCooldownDays);
  let holding = 0;
  let claimedToday = 0;
  let losses = new Map<string, string>();
  return moveEach(ctx, actor, {
    // Public customers are claimed, not changed: seeing them is enough.
    writableOnly: false,
    idsVisible: selection !== undefined,
    ids: async (trx) => {
      // Holders first, customers second, in every move: two moves never wait on each other in a circle.
      await lockHolders(trx, ctx.store.dialect, [actor.userId]);
      if (!selection?.ok) return [...new Set(input.customerIds ?? [])].sort();
      return nextInPools(trx, ctx.store.dialect, selection.value.select, open.map((p) => p.id), input.next!);
    },
    count: async (trx, ids, company) => {
      holding = (await holdingsOf(trx, [actor.userId])).get(actor.userId)!;
      claimedToday = await claimsSince(trx, actor.userId, localMidnight(ctx.runtime.now(), company.timeZone));
      if (cooldown) losses = await lastLosses(trx, actor.userId, ids);
    },
    decide: async (row) => {
      const pool = row.public_pool_id ? poolsById.get(row.public_pool_id) : undefined;
      if (input.poolId && row.pool === 'public' && row.public_pool_id !== input.poolId) {
        return { code: 'POOL.WRONG_POOL', params: { pool: pool?.name ?? row.pool, expected: [poolsById.get(input.poolId)!.name] } };
      }
      if (row.pool === 'public' && pool && !isPoolMember(pool, member)) return { code: 'POOL.NOT_MEMBER', params: { pool: pool.name } };
      const claimer = { userId: actor.userId, roleId: actor.roleId, holding, claimedToday, lastLostAt: losses.get(row.id) ?? null };
      return { transition: { kind: 'claim', claimer }, rules: pool ? effectivePoolRules(ownRules, [pool.rules]) : ownRules };
    },
    onMoved: () => {
      holding++;
      claimedToday++;
    },
  });
}

/**
 * Customers a "claim next" from several pools reads per pool beyond the number asked, for those other
 * claims hold meanwhile; when they were not enough, a larger margin, twice.
 */
const NEXT_MARGINS_PER_POOL = [64, 512, 4096] as const;

/**
 * The first `n` public customers of a selection in list order (created_at, id), from these pools,
 * locked on PostgreSQL (skipping those another claim holds). One pool's customers are one range of
 * its index, already in that order. `public_pool_id in (a, b)` is not: both databases would then read
 * and sort every customer of the pools, or walk all customers by creation past those claimed before.
 * So the head of each pool is read on its own and the heads merged; on PostgreSQL the merged heads,
 * with a margin for those other claims hold meanwhile, are then locked in that order, and read again
 * with a larger margin when the locked ones crowded out the rest.
 */
async function nextInPools(trx: Trx, dialect: DialectName, selection: CustomerSelection['select'], poolIds: readonly string[], n: number): Promise<string[]> {
  const head = (pools: readonly string[], limit: number) =>
    selection
      .select(['customers.id', 'customers.created_at'])
      .where('customers.pool', '=', 'public')
      .where('customers.public_pool_id', 'in', pools.length ? [...pools] : [''])
      .orderBy('customers.created_at')
      .orderBy('customers.id')
      .limit(limit);
  const lock = dialect === 'postgres';
  // Built on the database, run in this transaction (which holds SQLite's only connection).
  if (poolIds.length <= 1) {
    const one = lock ? head(poolIds, n).forNoKeyUpdate().skipLocked() : head(poolIds, n);
    return (await trx.executeQuery(one.compile())).rows.map((r) => r.id);
  }
  for (const margin of lock ? NEXT_MARGINS_PER_POOL : [0]) {
    const perPool = n + margin;
    const heads = [];
    let more = false;
    for (const pool of poolIds) {
      const rows = (await trx.executeQuery(head([pool], perPool).compile())).rows;
      more ||= rows.length === perPool;
      heads.push(...rows);
    }
    const merged = heads.sort((a, b) => compareCodeUnits(a.created_at, b.created_at) || compareCodeUnits(a.id, b.id)).slice(0, perPool);
    if (!lock) return merged.slice(0, n).map((r) => r.id);
    // Rows this transaction locked in an earlier round come back: its own locks do not make it skip them.
    const taken = head(poolIds, n).where('customers.id', 'in', merged.length ? merged.map((r) => r.id) : ['']).forNoKeyUpdate().skipLocked();
    const ids = (await trx.executeQuery(taken.compile())).rows.map((r) => r.id);
    if (ids.length === n || !more || margin === NEXT_MARGINS_PER_POOL.at(-1)) return ids;
  }
  return [];
}

/**
 * Which of these ids the actor sees (404 for the rest, so ids cannot be probed) and, when the move
 * needs it, may change. Ids picked by a read that applied the actor's visibility in this transaction
 * are seen already.
 */
async function accessibleIds(
  trx: Trx,
  actor: Actor,
  ids: readonly string[],
  need: { writable: boolean; visibleAlready: boolean },
): Promise<{ writable: Set<string>; visible: Set<string> }> {
  if (ids.length === 0) return { writable: new Set(), visible: new Set() };
  const visible = need.visibleAlready
    ? new Set(ids)
    : new Set((await readByIds(ids, (slice) => customersVisibleTo(trx, actor).select('customers.id').where('customers.id', 'in', slice).execute())).map((r) => r.id));
  if (!need.writable) return { writable: new Set(), visible };
  return { writable: await writableCustomerIds(trx, actor, ids), visible };
}

interface MoveOptions {
  /** The customers, read inside the transaction (a "next N" must lock what it picks). */
  ids: (trx: Trx) => Promise<string[]>;
  /** Whether the actor must be allowed to change each customer, or only to see it. */
  writableOnly: boolean;
  /** Whether `ids` read them through the actor's visibility (a "next N" from a view). */
  idsVisible?: boolean;
  /** Runs first in the transaction: the holders' locks the move depends on. */
  before?: (trx: Trx, ids: readonly string[]) => Promise<void>;
  /** Runs once holders and customers are locked: the counts the move depends on, then current. */
  count?: (trx: Trx, ids: readonly string[], company: CompanySettings) => Promise<void>;
  decide: (row: MovableRow) => Promise<{ transition: PoolTransition; rules: PoolRules } | DomainError>;
  onMoved?: (row: MovableRow) => void;
}

/**
 * Runs one kind of move over customers, each through transitionPool and a conditional write, all in
 * one transaction, and reports each customer. Customers the actor does not see are not found.
 */
async function moveEach(ctx: ServiceContext, actor: Actor, options: MoveOptions): Promise<Result<MoveReport, DomainError>> {
  const company = await getCompanySettings(ctx.store.db);
  const report = await inTransaction(ctx, async (trx) => {
    const ids = await options.ids(trx);
    if (options.before) await options.before(trx, ids);
    // Locked before what the actor may see of them is read: a move committed meanwhile is then seen
    // whole (someone else's claim makes the customer not found, as if it came first), never half.
    const rows = await loadMovable(trx, ctx.store.dialect, ids);
    if (options.count) await options.count(trx, ids, company);
    const { writable, visible } = await accessibleIds(trx, actor, ids, { writable: options.writableOnly, visibleAlready: options.idsVisible ?? false });
    const results: MoveResult[] = [];
    // Decided one by one (each decision counts the ones before it against the limits), written together.
    const decided: { at: number; move: DecidedMove }[] = [];
    for (const id of ids) {
      const row = rows.get(id);
      if (!row || !visible.has(id)) {
        results.push(failed(id, { code: 'CUSTOMER.NOT_FOUND', params: { id } }));
        continue;
      }
      if (options.writableOnly && !writable.has(id)) {
        results.push(failed(id, { code: 'AUTH.FORBIDDEN', params: { id } }, row.name));
        continue;
      }
      const decision = await options.decide(row);
      if ('code' in decision) {
        results.push(failed(id, decision, row.name));
        continue;
      }
      const moved = transitionPool(poolStateOf(row), decision.transition, { actorId: actor.userId, now: ctx.runtime.now(), rules: decision.rules, timeZone: company.timeZone });
      if (!moved.ok) {
        results.push(failed(id, moved.error, row.name));
        continue;
      }
      options.onMoved?.(row);
      decided.push({ at: results.length, move: { row, next: moved.value.state, event: moved.value.event } });
      results.push({ customerId: id, name: row.name, ok: true, ownerId: moved.value.state.ownerId, pool: moved.value.state.pool });
    }
    const written = await writeMoves(ctx, trx, decided.map((d) => d.move), actor.userId);
    for (const { at, move } of decided) {
      if (!written.has(move.row.id)) results[at] = failed(move.row.id, { code: 'POOL.WRONG_POOL', params: { pool: move.row.pool } }, move.row.name);
    }
    return { results, moved: results.filter((r) => r.ok).length };
  }, { retryDeadlocks: true });
  if (report.ok && report.value.moved) ctx.onEventsCommitted();
  return report;
}

const listed = (customerIds: readonly string[]) => async () => [...new Set(customerIds)].sort();

/**
 * Gives customers up to the public pool (放弃 / 扔回公海), with a reason from the release-reason list:
 * to the pool named, else the pool of the owner's department, else the default pool.
 */
export async function releaseCustomers(
  ctx: ServiceContext,
  actor: Actor,
  input: { customerIds: string[]; reason: string; poolId?: string | undefined },
): Promise<Result<MoveReport, DomainError>> {
  const reasons = await ctx.store.db.selectFrom('picklist_values').select('value').where('list', '=', 'releaseReason').where('active', '=', 1).execute();
  if (!reasons.some((r) => r.value === input.reason)) {
    return err({ code: 'PICKLIST.VALUE_UNKNOWN', field: 'reason', params: { list: 'releaseReason', value: input.reason, allowed: reasons.map((r) => r.value) } });
  }
  const pools = await listPublicPools(ctx.store.db);
  if (input.poolId && !pools.some((p) => p.id === input.poolId)) return err({ code: 'POOL.NOT_FOUND', field: 'poolId', params: { id: input.poolId } });
  const company = await companyPoolRules(ctx.store.db);
  let paths = new Map<string, string[]>();
  return moveEach(ctx, actor, {
    ids: listed(input.customerIds),
    writableOnly: true,
    count: async (trx, ids) => {
      const owners = await readByIds(ids, (slice) => trx.selectFrom('customers').select('owner_id').distinct().where('id', 'in', slice).execute());
      paths = await departmentPaths(trx, [...new Set(owners.flatMap((o) => (o.owner_id ? [o.owner_id] : [])))]);
    },
    decide: async (row) => {
      const publicPoolId = input.poolId ?? releasePoolOf(pools, (row.owner_id && paths.get(row.owner_id)) || []);
      return { transition: { kind: 'release', reason: input.reason, publicPoolId }, rules: company };
    },
  });
}


/** Leads found valid (认定为有效) go to the pending pool, waiting for assignment. */
export async function validateLeads(ctx: ServiceContext, actor: Actor, customerIds: string[]): Promise<Result<MoveReport, DomainError>> {
  const rules = await companyPoolRules(ctx.store.db);
  return moveEach(ctx, actor, { ids: listed(customerIds), writableOnly: true, decide: async () => ({ transition: { kind: 'validate' }, rules }) });
}

/** Active users among these ids, with what allocation and the limits need of them. */
async function agentsOf(trx: Trx, agentIds: readonly string[]) {
  const users = await trx.selectFrom('users').select(['id', 'status', 'display_name']).where('id', 'in', agentIds.length ? agentIds : ['']).execute();
  const known = new Map(users.map((u) => [u.id, u]));
  const unknown = agentIds.filter((id) => !known.has(id));
  if (unknown.length) fail({ code: 'USER.NOT_FOUND', field: 'agentIds', params: { ids: unknown } });
  const paths = await departmentPaths(trx, agentIds);
  const rules = await poolRulesOf(trx, paths);
  const holdings = await holdingsOf(trx, agentIds);
  return { known, rules, holdings };
}

export interface AssignInput {
  customerIds?: string[] | undefined;
  view?: string | undefined;
  filter?: FilterNode | undefined;
  /** The customers an import created (the seam between import and assignment). */
  importId?: string | undefined;
  agentIds: string[];
  strategy: AllocationStrategy;
  /** Where the rotation is kept between calls; the actor's own rotation by default. */
  scope?: string | undefined;
}

export interface AssignReport {
  assigned: { customerId: string; agentId: string }[];
  unplaced: { customerId: string; error: DomainError }[];
  skippedAgents: { agentId: string; reason: 'inactive' | 'atLimit' }[];
  cursor: string | null;
}

/** The most customers one assignment takes from a view or a filter; more is refused, never cut silently. */
export const MAX_SELECTED = 200_000;

/**
 * Assigns customers (分配) to agents by a strategy, set-based: the allocation is decided in core with
 * the agents' holdings and limits counted in the same transaction, then written with one statement
 * per agent; every customer not placed is reported with why.
 */
export async function assignCustomers(ctx: ServiceContext, actor: Actor, input: AssignInput): Promise<Result<AssignReport, DomainError>> {
  const agentIds = [...new Set(input.agentIds)];
  if (agentIds.length === 0) return err({ code: 'VALIDATION.REQUIRED', field: 'agentIds' });
  let selection: Awaited<ReturnType<typeof selectCustomers>> | undefined;
  if (input.view !== undefined || input.filter !== undefined) {
    selection = await selectCustomers(ctx, actor, { view: input.view, filter: input.filter });
    if (!selection.ok) return selection;
  }
  const scope = input.scope ?? `user:${actor.userId}`;
  const result = await inTransaction(ctx, async (trx): Promise<AssignReport> => {
    await lockHolders(trx, ctx.store.dialect, agentIds);
    let ids: string[];
    if (selection?.ok) {
      ids = (await trx.executeQuery(selection.value.select.select('customers.id').limit(MAX_SELECTED + 1).compile())).rows.map((r) => r.id);
      if (ids.length > MAX_SELECTED) fail({ code: 'POOL.SELECTION_TOO_LARGE', field: input.view !== undefined ? 'view' : 'filter', params: { max: MAX_SELECTED } });
    } else if (input.importId) {
      ids = (
        await trx.selectFrom('import_changes').select('customer_id').where('job_id', '=', input.importId).where('action', '=', 'create').orderBy('row_number').execute()
      ).map((r) => r.customer_id);
    } else ids = [...new Set(input.customerIds ?? [])];
    const assignable = await assignableRows(trx, ctx.store.dialect, actor, ids, input.strategy === 'by-previous-owner');
    // Counted once the customers are locked too: a move that held one of them has committed by now.
    const { known, rules, holdings } = await agentsOf(trx, agentIds);
    const unplaced: AssignReport['unplaced'] = ids.filter((id) => !assignable.has(id)).map((id) => ({ customerId: id, error: { code: 'CUSTOMER.NOT_FOUND', params: { id } } }));
    const candidates = ids.filter((id) => assignable.has(id));
    // Two assignments in one scope take turns on its cursor row, so the second continues the rotation
    // where the first left it (and neither fails on the row the other just made).
    const now = ctx.runtime.now().toISOString();
    await trx.insertInto('allocation_cursors').values({ scope, agent_id: null, updated_at: now }).onConflict((oc) => oc.column('scope').doNothing()).execute();
    let cursorQuery = trx.selectFrom('allocation_cursors').select('agent_id').where('scope', '=', scope);
    if (ctx.store.dialect === 'postgres') cursorQuery = cursorQuery.forNoKeyUpdate();
    const cursorRow = await cursorQuery.executeTakeFirst();
    const allocation = allocate(
      candidates.map((id) => ({ id, previousOwnerId: assignable.get(id)!.previousOwnerId })),
      agentIds.map((id) => ({ id, active: known.get(id)!.status === 'active', holding: holdings.get(id)!, limit: rules.get(id)!.holdingLimit })),
      input.strategy,
      cursorRow?.agent_id ?? null,
    );
    for (const u of allocation.unplaced) {
      unplaced.push({ customerId: u.customerId, error: { code: u.reason === 'noAgents' ? 'POOL.NO_ACTIVE_AGENT' : 'POOL.ALL_AT_LIMIT', field: 'agentIds' } });
    }
    await writeAssignments(ctx, trx, actor, allocation.assignments, assignable, rules);
    await trx.updateTable('allocation_cursors').set({ agent_id: allocation.cursor, updated_at: now }).where('scope', '=', scope).execute();
    await recordAudit(trx, ctx.runtime, actor, {
      action: 'assign',
      entity: 'customer',
      entityId: null,
      changes: { assigned: { before: null, after: { count: allocation.assignments.length, strategy: input.strategy, agentIds, unplaced: unplaced.length } } },
    });
    return { assigned: allocation.assignments, unplaced, skippedAgents: allocation.skipped, cursor: allocation.cursor };
  }, { retryDeadlocks: true });
  if (result.ok && result.value.assigned.length) ctx.onEventsCommitted();
  return result;
}

interface AssignableRow {
  previousOwnerId: string | null;
  row: MovableRow;
}

/**
 * Which customers the actor may assign: live ones it may change, or see in the lead, pending and
 * public pools; with the last owner they had when the strategy asks for it (`by-previous-owner`), a
 * look into each one's journey that the other strategies do without.
 */
async function assignableRows(
  trx: Trx,
  dialect: DialectName,
  actor: Actor,
  ids: readonly string[],
  withPreviousOwner: boolean,
): Promise<Map<string, AssignableRow>> {
  const result = new Map<string, AssignableRow>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000);
    let query = customersVisibleTo(trx, actor)
      .select(MOVABLE.map((c) => `customers.${c}` as const))
      .select((eb) =>
        withPreviousOwner
          ? eb
              .selectFrom('pool_events')
              .select('pool_events.from_owner_id')
              .whereRef('pool_events.customer_id', '=', 'customers.id')
              .where('pool_events.from_owner_id', 'is not', null)
              .orderBy('pool_events.at', 'desc')
              .limit(1)
              .as('previous_owner_id')
          : sql<string | null>`null`.as('previous_owner_id'),
      )
      .where('customers.id', 'in', chunk)
      .where('customers.deleted_at', 'is', null)
      .where((eb) => eb.or([eb('customers.pool', 'in', ['lead', 'pending', 'public']), writabilityPredicate(eb, actor)]))
      .orderBy('customers.id');
    // Nobody moves them between this read and the write (SQLite's writer lock does it there).
    if (dialect === 'postgres') query = query.forNoKeyUpdate('customers');
    const rows = await query.execute();
    for (const r of rows) {
      const { previous_owner_id, ...row } = r;
      result.set(r.id, { previousOwnerId: r.owner_id ?? (previous_owner_id as string | null), row });
    }
  }
  return result;
}

/**
 * One pass over the customers in id order, each update giving a chunk of neighbouring rows their owners
 * from a list of values; then the events in multi-row inserts. An update per agent would rewrite every
 * page of the table once per agent, as round-robin spreads each agent's customers over all of them.
 */
async function writeAssignments(
  ctx: ServiceContext,
  trx: Trx,
  actor: Actor,
  assignments: readonly { customerId: string; agentId: string }[],
  rows: ReadonlyMap<string, AssignableRow>,
  rules: ReadonlyMap<string, PoolRules>,
): Promise<void> {
  const now = ctx.runtime.now();
  const at = now.toISOString();
  const protectedUntil = new Map<string, string | null>();
  for (const { agentId } of assignments) {
    if (protectedUntil.has(agentId)) continue;
    const protectionDays = rules.get(agentId)!.protectionDays;
    protectedUntil.set(agentId, protectionDays ? new Date(now.getTime() + protectionDays * 86_400_000).toISOString() : null);
  }
  const inIdOrder = [...assignments].sort((a, b) => compareCodeUnits(a.customerId, b.customerId));
  const events: PoolEventRow[] = inIdOrder.map(({ customerId, agentId }) => {
    const row = rows.get(customerId)!.row;
    return {
      id: ctx.runtime.newId(),
      customerId,
      at,
      action: 'assign',
      actorId: actor.userId,
      fromPool: row.pool as PoolState['pool'],
      toPool: 'private',
      fromOwnerId: row.owner_id,
      toOwnerId: agentId,
      publicPoolId: row.public_pool_id,
      rule: null,
      reason: null,
    };
  });
  // On SQLite three bound values a customer (5,000 keep within its limit on bound values); on
  // PostgreSQL three arrays, as binding 15,000 values costs it more than the update.
  const chunkSize = ctx.store.dialect === 'postgres' ? 50_000 : 5000;
  for (let i = 0; i < inIdOrder.length; i += chunkSize) {
    const chunk = inIdOrder.slice(i, i + chunkSize);
    const assigned = textRowsAsTable(ctx.store.dialect, chunk.map((a) => [a.customerId, a.agentId, protectedUntil.get(a.agentId) ?? null]));
    await sql`with assigned (id, owner_id, protected_until) as (${assigned})
      update customers set pool = 'private', owner_id = assigned.owner_id, public_pool_id = null, owned_since = ${at},
        protected_until = assigned.protected_until, updated_at = ${at}, updated_by = ${actor.userId}
      from assigned where customers.id = assigned.id`.execute(trx);
  }
  await insertPoolEvents(trx, ctx.store, events);
  await appendAssignedEvents(ctx, trx, events, rows);
}

async function appendAssignedEvents(ctx: ServiceContext, trx: Trx, events: readonly PoolEventRow[], rows: ReadonlyMap<string, AssignableRow>): Promise<void> {
  await appendEvents(
    trx,
    ctx.store,
    ctx.runtime,
    events.map((e) => ({
      type: 'customer.assigned',
      data: { customerId: e.customerId, name: rows.get(e.customerId)!.row.name, ownerId: e.toOwnerId, pool: 'private', fromOwnerId: e.fromOwnerId, action: 'assign' },
    })),
  );
}

/**
 * Moves customers to another owner (转移): the listed ones, or everything agent `fromUserId` holds
 * (离职交接). The new owner's holding limit applies; the protection period carries over.
 */
export async function transferCustomers(
  ctx: ServiceContext,
  actor: Actor,
  input: { customerIds?: string[] | undefined; fromUserId?: string | undefined; toUserId: string },
): Promise<Result<MoveReport, DomainError>> {
  const target = await ctx.store.db.selectFrom('users').select(['id', 'status']).where('id', '=', input.toUserId).executeTakeFirst();
  if (!target) return err({ code: 'USER.NOT_FOUND', field: 'toUserId', params: { id: input.toUserId } });
  if (target.status !== 'active') return err({ code: 'AUTH.USER_DISABLED', field: 'toUserId', params: { id: input.toUserId } });
  let ids = input.customerIds ?? [];
  if (input.fromUserId) {
    const held = await ctx.store.db
      .selectFrom('customers')
      .select('id')
      .where('owner_id', '=', input.fromUserId)
      .where('pool', '=', 'private')
      .where('deleted_at', 'is', null)
      .execute();
    ids = held.map((r) => r.id);
  }
  const rules = (await poolRulesOf(ctx.store.db, await departmentPaths(ctx.store.db, [input.toUserId]))).get(input.toUserId)!;
  let holding = 0;
  return moveEach(ctx, actor, {
    ids: listed(ids),
    writableOnly: true,
    before: async (trx) => {
      await lockHolders(trx, ctx.store.dialect, [input.toUserId]);
    },
    count: async (trx) => {
      holding = (await holdingsOf(trx, [input.toUserId])).get(input.toUserId)!;
    },
    decide: async () => ({ transition: { kind: 'transfer', toUserId: input.toUserId, targetHolding: holding }, rules }),
    onMoved: () => {
      holding++;
    },
  });
}

/** The journey of a customer the actor may see (客户旅程): every move, oldest first. */
export async function getCustomerJourney(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<PoolEvent[], DomainError>> {
  const visible = await customersVisibleTo(ctx.store.db, actor).select('customers.id').where('customers.id', '=', id).executeTakeFirst();
  if (!visible) return err({ code: 'CUSTOMER.NOT_FOUND', params: { id } });
  const rows = await ctx.store.db.selectFrom('pool_events').selectAll().where('customer_id', '=', id).orderBy('at').orderBy('id').execute();
  // A customer an import created starts its journey there; the import keeps that step, not pool_events.
  const imported = await ctx.store.db
    .selectFrom('import_changes')
    .innerJoin('jobs', 'jobs.id', 'import_changes.job_id')
    .select(['import_changes.job_id', 'import_changes.updated_at', 'jobs.created_by'])
    .where('import_changes.customer_id', '=', id)
    .where('import_changes.action', '=', 'create')
    .executeTakeFirst();
  // Where the import put it: where its first later step found it, or where it still is.
  const first = rows[0];
  const placed = first
    ? { pool: first.from_pool as PoolEvent['toPool'], ownerId: first.from_owner_id }
    : await ctx.store.db.selectFrom('customers').select(['pool', 'owner_id as ownerId']).where('id', '=', id).executeTakeFirstOrThrow();
  const start: PoolEvent[] = imported
    ? [
        {
          id: imported.job_id,
          customerId: id,
          at: imported.updated_at,
          action: 'import',
          actorId: imported.created_by,
          fromPool: null,
          toPool: placed.pool as PoolEvent['toPool'],
          fromOwnerId: null,
          toOwnerId: placed.ownerId,
          publicPoolId: null,
          rule: null,
          reason: null,
        },
      ]
    : [];
  return ok([
    ...start,
    ...rows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      at: r.at,
      action: r.action as PoolEvent['action'],
      actorId: r.actor_id,
      fromPool: r.from_pool as PoolEvent['fromPool'],
      toPool: r.to_pool as PoolEvent['toPool'],
      fromOwnerId: r.from_owner_id,
      toOwnerId: r.to_owner_id,
      publicPoolId: r.public_pool_id,
      rule: r.rule as PoolEvent['rule'],
      reason: r.reason,
    })),
  ]);
}
