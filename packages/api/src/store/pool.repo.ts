import {
  DEFAULT_POOL_RULES,
  effectivePoolRules,
  PoolRules,
  PoolRulesOverride,
  type PoolEventDraft,
  type PoolState,
  type PublicPool,
} from '@telecrm/core';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DialectName, Store } from './connect.js';
import { insertRowsOnSqlite, insertTextRowsFromArrays } from './dialect.js';
import type { CustomerRow, Database, PublicPoolTable } from './database.js';

type Db = Kysely<Database> | Transaction<Database>;

export function toPublicPool(row: PublicPoolTable): PublicPool {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.is_default === 1,
    departmentIds: JSON.parse(row.department_ids) as string[],
    userIds: JSON.parse(row.user_ids) as string[],
    rules: PoolRulesOverride.parse(JSON.parse(row.rules)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listPublicPools(db: Db): Promise<PublicPool[]> {
  const rows = await db.selectFrom('public_pools').selectAll().orderBy('is_default', 'desc').orderBy('name').execute();
  return rows.map(toPublicPool);
}

export const COMPANY_SCOPE = 'company';

/** The company's pool rules (the defaults until a manager sets them). */
export async function companyPoolRules(db: Db): Promise<PoolRules> {
  const row = await db.selectFrom('pool_rules').select('rules').where('scope', '=', COMPANY_SCOPE).executeTakeFirst();
  return row ? PoolRules.parse({ ...DEFAULT_POOL_RULES, ...JSON.parse(row.rules) }) : DEFAULT_POOL_RULES;
}

/** Where each user sits: its department and the ones above it, nearest first ([] without a department). */
export async function departmentPaths(db: Db, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const paths = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return paths;
  const rows = await db
    .selectFrom('users')
    .innerJoin('department_closure', 'department_closure.descendant_id', 'users.department_id')
    .select(['users.id as userId', 'department_closure.ancestor_id as departmentId'])
    .where('users.id', 'in', userIds)
    .orderBy('users.id')
    .orderBy('department_closure.depth')
    .execute();
  for (const row of rows) paths.get(row.userId)!.push(row.departmentId);
  return paths;
}

/** The rules in force for each user: the company's, overridden by their departments' (nearest first). */
export async function poolRulesOf(db: Db, paths: ReadonlyMap<string, readonly string[]>): Promise<Map<string, PoolRules>> {
  const company = await companyPoolRules(db);
  const departments = [...new Set([...paths.values()].flat())];
  const overrides = new Map<string, PoolRulesOverride>();
  if (departments.length) {
    const rows = await db.selectFrom('pool_rules').select(['scope', 'rules']).where('scope', 'in', departments).execute();
    for (const row of rows) overrides.set(row.scope, PoolRulesOverride.parse(JSON.parse(row.rules)));
  }
  const result = new Map<string, PoolRules>();
  for (const [userId, path] of paths) {
    result.set(userId, effectivePoolRules(company, path.flatMap((d) => (overrides.has(d) ? [overrides.get(d)!] : []))));
  }
  return result;
}

/** Private customers each user holds now (the recycle bin apart). */
export async function holdingsOf(db: Db, userIds: readonly string[]): Promise<Map<string, number>> {
  const holdings = new Map<string, number>(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return holdings;
  const rows = await db
    .selectFrom('customers')
    .select((eb) => ['owner_id', eb.fn.countAll<number>().as('n')])
    // An owner means private (the customers_pool_owner check): the owner index alone answers.
    .where('owner_id', 'in', userIds)
    .where('deleted_at', 'is', null)
    .groupBy('owner_id')
    .execute();
  for (const row of rows) holdings.set(row.owner_id!, Number(row.n));
  return holdings;
}

/** Claims a user made since an instant (local midnight, for the daily limit). */
export async function claimsSince(db: Db, userId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('pool_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_owner_id', '=', userId)
    // A literal, not a bound value: the planners match it to the claim index's `action = 'claim'`.
    .where('action', '=', sql.lit('claim'))
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When a user last released or lost each of these customers (for the claim cooldown). */
export async function lastLosses(db: Db, userId: string, customerIds: readonly string[]): Promise<Map<string, string>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('pool_events')
    .select((eb) => ['customer_id', eb.fn.max('at').as('at')])
    .where('from_owner_id', '=', userId)
    .where('customer_id', 'in', customerIds)
    .where('action', 'in', ['release', 'return', 'transfer', 'assign'])
    .groupBy('customer_id')
    .execute();
  return new Map(rows.map((r) => [r.customer_id, String(r.at)]));
}

/**
 * Serialises everything that adds to these users' holdings (claims, assignments, transfers) until
 * the transaction ends, so that counting and writing cannot interleave: a row lock per user on
 * PostgreSQL, in id order (no deadlock); SQLite's writer lock already does it.
 */
export async function lockHolders(trx: Transaction<Database>, dialect: DialectName, userIds: readonly string[]): Promise<void> {
  if (dialect !== 'postgres' || userIds.length === 0) return;
  // NO KEY UPDATE: holders exclude each other, but not the foreign-key checks of rows that name the
  // user (a journey step of another move), which FOR UPDATE would make wait, in a circle.
  await sql`select id from users where id in (${sql.join([...userIds].sort())}) order by id for no key update`.execute(trx);
}

export type PoolEventRow = PoolEventDraft & { id: string; customerId: string };

export async function insertPoolEvents(db: Db, store: Pick<Store, 'dialect' | 'sqlite'>, events: readonly PoolEventRow[]): Promise<void> {
  if (store.sqlite) return insertRowsOnSqlite(store.sqlite, 'pool_events', events.map(poolEventColumns));
  if (events.length > 1000) return insertTextRowsFromArrays(db, 'pool_events', events.map(poolEventColumns));
  for (let i = 0; i < events.length; i += 1000) {
    await db.insertInto('pool_events').values(events.slice(i, i + 1000).map(poolEventColumns)).execute();
  }
}

const poolEventColumns = (e: PoolEventRow) => ({
  id: e.id,
  customer_id: e.customerId,
  at: e.at,
  action: e.action,
  actor_id: e.actorId,
  from_pool: e.fromPool,
  to_pool: e.toPool,
  from_owner_id: e.fromOwnerId,
  to_owner_id: e.toOwnerId,
  public_pool_id: e.publicPoolId,
  rule: e.rule,
  reason: e.reason,
});


/** Where a stored customer stands between the pools, as transitionPool reads it. */
export const poolStateOf = (row: Pick<CustomerRow, 'pool' | 'owner_id' | 'public_pool_id' | 'protected_until' | 'owned_since' | 'deleted_at'>): PoolState => ({
  pool: row.pool as PoolState['pool'],
  ownerId: row.owner_id,
  publicPoolId: row.public_pool_id,
  protectedUntil: row.protected_until,
  ownedSince: row.owned_since,
  deleted: row.deleted_at !== null,
});

/** The customer columns a pool state is stored in. */
export const poolColumnsOf = (state: PoolState) => ({
  pool: state.pool,
  owner_id: state.ownerId,
  public_pool_id: state.publicPoolId,
  protected_until: state.protectedUntil,
  owned_since: state.ownedSince,
});
