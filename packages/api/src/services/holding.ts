import { hasRoomToHold, releasePoolOf, transitionPool, type Actor, type PoolRules, type PoolState } from '@telecrm/core';
import type { CustomerRow } from '../store/database.js';
import { companyPoolRules, departmentPaths, holdingsOf, insertPoolEvents, listPublicPools, lockHolders, poolColumnsOf, poolRulesOf, poolStateOf } from '../store/pool.repo.js';
import { getCompanySettings } from './company.service.js';
import { fail, type ServiceContext, type Trx } from './context.js';

// What a customer's owner holds, for the writes outside the pool moves that give an agent a customer
// (creating one, restoring one from the recycle bin): the same lock and count as every move.

interface HolderFacts {
  holding: number;
  rules: PoolRules;
  /** The public pool its customers go to when it gives them up. */
  releasePoolId: string;
}

/** Locks the user as a holder, then counts its private customers under the rules in force for it. */
export async function holderFacts(ctx: ServiceContext, trx: Trx, userId: string): Promise<HolderFacts> {
  await lockHolders(trx, ctx.store.dialect, [userId]);
  const paths = await departmentPaths(trx, [userId]);
  return {
    holding: (await holdingsOf(trx, [userId])).get(userId)!,
    rules: (await poolRulesOf(trx, paths)).get(userId)!,
    releasePoolId: releasePoolOf(await listPublicPools(trx), paths.get(userId) ?? []),
  };
}

/** Refuses a new customer of the actor's own when it already holds as many as it may (最大客户数). */
export async function assertRoomToHold(ctx: ServiceContext, trx: Trx, userId: string): Promise<void> {
  const { holding, rules } = await holderFacts(ctx, trx, userId);
  if (!hasRoomToHold(rules, holding)) fail({ code: 'POOL.HOLDING_LIMIT', params: { userId, limit: rules.holdingLimit, holding } });
}

/**
 * Takes a customer out of the recycle bin (回收站) into the pool it had, or to the public pool when
 * its owner has filled its holding meanwhile (transitionPool decides), with its journey step. The
 * owner is locked before its holding is counted, as in every other move.
 */
export async function restoreFromRecycleBin(
  ctx: ServiceContext,
  trx: Trx,
  actor: Actor,
  row: Pick<CustomerRow, 'id' | 'pool' | 'owner_id' | 'public_pool_id' | 'protected_until' | 'owned_since' | 'deleted_at'>,
): Promise<PoolState> {
  const ownerId = row.pool === 'private' ? row.owner_id : null;
  let ownerHolding = 0;
  let publicPoolId = row.public_pool_id ?? '';
  let rules = await companyPoolRules(trx);
  if (ownerId) ({ holding: ownerHolding, rules, releasePoolId: publicPoolId } = await holderFacts(ctx, trx, ownerId));
  const { timeZone } = await getCompanySettings(trx);
  const moved = transitionPool(poolStateOf(row), { kind: 'restore', ownerHolding, publicPoolId }, { actorId: actor.userId, now: ctx.runtime.now(), rules, timeZone });
  if (!moved.ok) return fail(moved.error);
  const next = moved.value.state;
  const now = ctx.runtime.now().toISOString();
  const restored = await trx
    .updateTable('customers')
    .set({ ...poolColumnsOf(next), deleted_at: null, deleted_by: null, updated_at: now, updated_by: actor.userId })
    .where('id', '=', row.id)
    // Someone else restored or purged it since it was read.
    .where('deleted_at', 'is not', null)
    .executeTakeFirst();
  if (Number(restored.numUpdatedRows) !== 1) return fail({ code: 'CUSTOMER.NOT_DELETED', params: { id: row.id } });
  await insertPoolEvents(trx, ctx.store, [{ ...moved.value.event, id: ctx.runtime.newId(), customerId: row.id }]);
  return next;
}
