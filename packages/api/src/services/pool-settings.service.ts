import {
  err,
  PoolRules,
  PoolRulesOverride,
  type Actor,
  type DomainError,
  type PublicPool,
  type PublicPoolCreate,
  type PublicPoolUpdate,
  type Result,
} from '@telecrm/core';
import { diffFields, recordAudit } from '../store/audit.repo.js';
import { takeTurns } from '../store/dialect.js';
import { COMPANY_SCOPE, companyPoolRules, listPublicPools, toPublicPool } from '../store/pool.repo.js';
import { fail, inTransaction, isUniqueViolation, type ServiceContext, type Trx } from './context.js';

/** The company's rules and every department override (客户池规则). */
export async function getPoolRules(ctx: ServiceContext): Promise<{ company: PoolRules; departments: { departmentId: string; rules: PoolRulesOverride }[] }> {
  const company = await companyPoolRules(ctx.store.db);
  const rows = await ctx.store.db.selectFrom('pool_rules').select(['scope', 'rules']).where('scope', '<>', COMPANY_SCOPE).orderBy('scope').execute();
  return { company, departments: rows.map((r) => ({ departmentId: r.scope, rules: PoolRulesOverride.parse(JSON.parse(r.rules)) })) };
}

async function writeRules(ctx: ServiceContext, trx: Trx, actor: Actor, scope: string, rules: object | null): Promise<void> {
  // Two managers saving at once: the second waits for the first and records what the first wrote as
  // its `before`. An upsert, not delete-then-insert: on PostgreSQL the second delete would miss the row
  // the first inserted meanwhile, and its insert fail on the key.
  let read = trx.selectFrom('pool_rules').select('rules').where('scope', '=', scope);
  if (ctx.store.dialect === 'postgres') read = read.forUpdate();
  const before = await read.executeTakeFirst();
  if (rules) {
    const row = { rules: JSON.stringify(rules), updated_by: actor.userId, updated_at: ctx.runtime.now().toISOString() };
    await trx
      .insertInto('pool_rules')
      .values({ scope, ...row })
      .onConflict((oc) => oc.column('scope').doUpdateSet(row))
      .execute();
  } else await trx.deleteFrom('pool_rules').where('scope', '=', scope).execute();
  await recordAudit(trx, ctx.runtime, actor, {
    action: 'update',
    entity: 'poolRules',
    entityId: scope,
    changes: diffFields({ rules: before ? JSON.parse(before.rules) : null }, { rules }),
  });
}

/** Sets the company's rules: every field (PUT). */
export async function setCompanyPoolRules(ctx: ServiceContext, actor: Actor, rules: PoolRules): Promise<Result<PoolRules, DomainError>> {
  return inTransaction(ctx, async (trx) => {
    await writeRules(ctx, trx, actor, COMPANY_SCOPE, PoolRules.parse(rules));
    return companyPoolRules(trx);
  });
}

/** Sets (or with an empty override, removes) what a department changes of the company's rules. */
export async function setDepartmentPoolRules(
  ctx: ServiceContext,
  actor: Actor,
  departmentId: string,
  rules: PoolRulesOverride,
): Promise<Result<PoolRulesOverride, DomainError>> {
  return inTransaction(ctx, async (trx) => {
    const department = await trx.selectFrom('departments').select('id').where('id', '=', departmentId).executeTakeFirst();
    if (!department) fail({ code: 'DEPARTMENT.NOT_FOUND', params: { id: departmentId } });
    const set = Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined));
    await writeRules(ctx, trx, actor, departmentId, Object.keys(set).length ? set : null);
    return set as PoolRulesOverride;
  });
}

export async function getPublicPools(ctx: ServiceContext): Promise<PublicPool[]> {
  return listPublicPools(ctx.store.db);
}

/** Only one pool is the default: making one the default unmakes the other. */
async function takeDefault(trx: Trx, id: string): Promise<void> {
  await trx.updateTable('public_pools').set({ is_default: 0 }).where('id', '<>', id).execute();
}

export async function createPublicPool(ctx: ServiceContext, actor: Actor, input: PublicPoolCreate): Promise<Result<PublicPool, DomainError>> {
  try {
    return await inTransaction(ctx, async (trx) => {
      await takeTurns(trx, ctx.store.dialect, 'public_pools');
      const now = ctx.runtime.now().toISOString();
      const row = {
        id: ctx.runtime.newId(),
        name: input.name,
        is_default: input.isDefault ? 1 : 0,
        department_ids: JSON.stringify(input.departmentIds ?? []),
        user_ids: JSON.stringify(input.userIds ?? []),
        rules: JSON.stringify(input.rules ?? {}),
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('public_pools').values(row).execute();
      if (input.isDefault) await takeDefault(trx, row.id);
      const pool = toPublicPool(row);
      await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'publicPool', entityId: row.id, changes: diffFields(null, { ...pool }) });
      return pool;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'public_pools')) return err({ code: 'POOL.NAME_TAKEN', field: 'name', params: { value: input.name } });
    throw e;
  }
}

export async function updatePublicPool(ctx: ServiceContext, actor: Actor, id: string, input: PublicPoolUpdate): Promise<Result<PublicPool, DomainError>> {
  return inTransaction(ctx, async (trx) => {
    // One default at all times: pools made default at once, or deleted while made default, take turns.
    await takeTurns(trx, ctx.store.dialect, 'public_pools');
    const existing = await trx.selectFrom('public_pools').selectAll().where('id', '=', id).executeTakeFirst();
    if (!existing) return fail({ code: 'POOL.NOT_FOUND', params: { id } });
    if (input.isDefault === false && existing.is_default === 1) fail({ code: 'POOL.DEFAULT_REQUIRED', field: 'isDefault' });
    await trx
      .updateTable('public_pools')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.isDefault ? { is_default: 1 } : {}),
        ...(input.departmentIds !== undefined ? { department_ids: JSON.stringify(input.departmentIds) } : {}),
        ...(input.userIds !== undefined ? { user_ids: JSON.stringify(input.userIds) } : {}),
        ...(input.rules !== undefined ? { rules: JSON.stringify(input.rules) } : {}),
        updated_at: ctx.runtime.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    if (input.isDefault) await takeDefault(trx, id);
    const after = toPublicPool(await trx.selectFrom('public_pools').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'publicPool', entityId: id, changes: diffFields({ ...toPublicPool(existing) }, { ...after }) });
    return after;
  });
}

/** Deletes an empty pool that is not the default. */
export async function deletePublicPool(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<null, DomainError>> {
  return inTransaction(ctx, async (trx) => {
    await takeTurns(trx, ctx.store.dialect, 'public_pools');
    const existing = await trx.selectFrom('public_pools').selectAll().where('id', '=', id).executeTakeFirst();
    if (!existing) return fail({ code: 'POOL.NOT_FOUND', params: { id } });
    if (existing.is_default === 1) fail({ code: 'POOL.DEFAULT_REQUIRED' });
    const holding = await trx.selectFrom('customers').select('id').where('public_pool_id', '=', id).limit(1).executeTakeFirst();
    if (holding) fail({ code: 'POOL.NOT_EMPTY', params: { id } });
    await trx.deleteFrom('public_pools').where('id', '=', id).execute();
    await recordAudit(trx, ctx.runtime, actor, { action: 'delete', entity: 'publicPool', entityId: id, changes: diffFields({ ...toPublicPool(existing) }, null) });
    return null;
  });
}
