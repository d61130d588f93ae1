import {
  compareCodeUnits,
  effectivePoolRules,
  isReturnDue,
  nextReturns,
  PoolRulesOverride,
  releasePoolOf,
  returnCutoff,
  err,
  ok,
  type Actor,
  type CrmEventPayload,
  type DomainError,
  type DueCustomer,
  type Holding,
  type PoolRules,
  type Result,
  type ReturnRun,
} from '@telecrm/core';
import { type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { appendEvents } from '../events/outbox.js';
import { customersVisibleTo, usersInReach } from '../store/customer.repo.js';
import { readByIds, takeTurns } from '../store/dialect.js';
import type { Database } from '../store/database.js';
import { companyPoolRules, departmentPaths, holdingsOf, insertPoolEvents, listPublicPools, poolRulesOf, type PoolEventRow } from '../store/pool.repo.js';
import { getCompanySettings } from './company.service.js';
import { inTransaction, type ServiceContext, type Trx } from './context.js';

/** The owners whose customers share one set of rules and one public pool to return to. */
interface ReturnGroup {
  departmentId: string | null;
  rules: PoolRules;
  publicPoolId: string;
}

/** One group per department (and one for owners without a department), with its rules and its pool. */
async function returnGroups(db: ServiceContext['store']['db'] | Trx): Promise<ReturnGroup[]> {
  const [company, pools, departments, closure, overrides] = await Promise.all([
    companyPoolRules(db),
    listPublicPools(db),
    db.selectFrom('departments').select('id').execute(),
    db.selectFrom('department_closure').select(['ancestor_id', 'descendant_id', 'depth']).orderBy('depth').execute(),
    db.selectFrom('pool_rules').select(['scope', 'rules']).where('scope', '<>', 'company').execute(),
  ]);
  const overrideOf = new Map(overrides.map((o) => [o.scope, PoolRulesOverride.parse(JSON.parse(o.rules))]));
  const groups: ReturnGroup[] = [{ departmentId: null, rules: company, publicPoolId: releasePoolOf(pools, []) }];
  for (const { id } of departments) {
    const path = closure.filter((c) => c.descendant_id === id).map((c) => c.ancestor_id);
    const rules = effectivePoolRules(company, path.flatMap((d) => (overrideOf.has(d) ? [overrideOf.get(d)!] : [])));
    groups.push({ departmentId: id, rules, publicPoolId: releasePoolOf(pools, path) });
  }
  return groups;
}

/** The fewest days any return rule of a group fires after, or null when none is set. */
function fewestDays(rules: PoolRules): number | null {
  const all = [rules.returnNoFollowUpDays, rules.returnNoDealDays, ...Object.values(rules.byLevel).flatMap((l) => [l.returnNoFollowUpDays, l.returnNoDealDays])];
  const days = all.filter((d): d is number => typeof d === 'number');
  return days.length ? Math.min(...days) : null;
}


/**
 * The private customers of a group whose clock started before `cutoff`, read with what the rules look
 * at; core then decides which are due and by which rule. The clock of either rule never starts before
 * the owner got the customer, so `owned_since < cutoff` keeps every customer that can be due.
 */
async function candidatesOf(db: ServiceContext['store']['db'] | Trx, lock: boolean, group: ReturnGroup, cutoff: string, horizon: string) {
  const read = (clockBefore: (eb: ExpressionBuilder<Database, 'customers'>) => Expression<SqlBool>) => {
    let q = db
      .selectFrom('customers')
      .select(['id', 'name', 'owner_id', 'level', 'owned_since', 'created_at', 'last_follow_up_at', 'deal_status', 'locked', 'protected_until'])
      .where('pool', '=', 'private')
      .where('deleted_at', 'is', null)
      .where(clockBefore)
      .where((eb) => eb.or([eb('protected_until', 'is', null), eb('protected_until', '<=', horizon)]))
      .where('owner_id', 'in', (eb) => {
        const users = eb.selectFrom('users').select('users.id');
        return group.departmentId === null ? users.where('users.department_id', 'is', null) : users.where('users.department_id', '=', group.departmentId);
      });
    if (group.rules.exemptWon) q = q.where('deal_status', '<>', 'won');
    if (group.rules.exemptLocked) q = q.where('locked', '=', 0);
    if (lock) q = q.forNoKeyUpdate();
    return q.execute();
  };
  // The clock is owned_since, else created_at: two reads, each along the partial index of private
  // clocks. `coalesce(owned_since, created_at) < cutoff` can use no index, and SQLite then reads every
  // customer of every owner (seconds for a million) to find the few that are due.
  const owned = await read((eb) => eb('owned_since', '<', cutoff));
  const unowned = await read((eb) => eb.and([eb('owned_since', 'is', null), eb('created_at', '<', cutoff)]));
  return owned.concat(unowned);
}

/** Which of a group's customers are due by `now` (or within `withinDays`), each with its first rule. */
async function dueIn(
  db: ServiceContext['store']['db'] | Trx,
  /** Lock what is read until the transaction ends (PostgreSQL, when moving). */
  lock: boolean,
  group: ReturnGroup,
  now: Date,
  timeZone: string,
  withinDays: number,
): Promise<DueCustomer[]> {
  const days = fewestDays(group.rules);
  if (days === null) return [];
  // Due by `now + withinDays`: a clock started before the cutoff of that moment, a protection over by then.
  const horizon = new Date(now.getTime() + withinDays * 86_400_000);
  const rows = await candidatesOf(db, lock, group, returnCutoff(horizon, days, timeZone), horizon.toISOString());
  const nextReturn = nextReturns(group.rules, timeZone);
  const due: DueCustomer[] = [];
  for (const r of rows) {
    const next = nextReturn({
      level: r.level,
      ownedSince: r.owned_since ?? r.created_at,
      lastFollowUpAt: r.last_follow_up_at,
      won: r.deal_status === 'won',
      locked: r.locked === 1,
      protectedUntil: r.protected_until,
    });
    if (next && isReturnDue(next, now, withinDays)) due.push({ customerId: r.id, name: r.name, ownerId: r.owner_id!, rule: next.rule, dueAt: next.dueAt, publicPoolId: group.publicPoolId });
  }
  return due;
}


/**
 * Applies the return rules (自动回收): every private customer a rule makes due goes to its owner's
 * department's public pool, set-based, with its journey event and a `pool.returned` event; owners of
 * customers due within the reminder days get one `reminder.due` per customer and due date. With
 * `dryRun`, lists the same without writing; `asOf` evaluates the rules at another moment.
 */
export async function runPoolReturns(
  ctx: ServiceContext,
  options: {
    dryRun: boolean;
    asOf?: Date | undefined;
    /** A scheduled round skips when another server runs one; a run asked for waits its turn. */
    skipIfRunning?: boolean | undefined;
  },
): Promise<Result<ReturnRun, DomainError>> {
  if (!options.dryRun && options.asOf && options.asOf > ctx.runtime.now()) {
    // Moving customers by what the rules will say next week would take them from their owners today.
    return err({ code: 'VALIDATION.FORMAT', field: 'asOf', params: { reason: 'a later moment only in a dry run' } });
  }
  const company = await getCompanySettings(ctx.store.db);
  const now = options.asOf ?? ctx.runtime.now();
  const at = ctx.runtime.now().toISOString();
  const lock = !options.dryRun && ctx.store.dialect === 'postgres';
  const evaluate = async (db: ServiceContext['store']['db'] | Trx): Promise<ReturnRun> => {
    const groups = await returnGroups(db);
    let returned: DueCustomer[] = [];
    let reminded = 0;
    for (const group of groups) {
      const due = await dueIn(db, lock, group, now, company.timeZone, 0);
      // Not push(...due): a group of over about 125,000 due customers passes the engine's limit on arguments.
      returned = returned.concat(due);
      if (!options.dryRun) {
        await moveDue(ctx, db as Trx, due, at);
        if (group.rules.reminderDays) reminded += await remind(ctx, db as Trx, await dueIn(db, false, group, now, company.timeZone, group.rules.reminderDays), now, at);
      }
    }
    const byRule = { noFollowUp: returned.filter((d) => d.rule === 'noFollowUp').length, noDeal: returned.filter((d) => d.rule === 'noDeal').length };
    return { asOf: now.toISOString(), dryRun: options.dryRun, returned, byRule, reminded };
  };
  if (options.dryRun) return ok(await evaluate(ctx.store.db));
  const run = await inTransaction(ctx, async (trx) => {
    // One runner at a time across servers, per schema.
    const ours = await takeTurns(trx, ctx.store.dialect, 'pool-returns', { wait: !options.skipIfRunning });
    if (!ours) return { asOf: now.toISOString(), dryRun: false, returned: [], byRule: { noFollowUp: 0, noDeal: 0 }, reminded: 0 };
    return evaluate(trx);
  }, { retryDeadlocks: true });
  if (run.ok && (run.value.returned.length || run.value.reminded)) ctx.onEventsCommitted();
  return run;
}

/** The returns of one group, written set-based: one update per chunk, events in multi-row inserts. */
async function moveDue(ctx: ServiceContext, trx: Trx, dueAsFound: readonly DueCustomer[], at: string): Promise<void> {
  // In id order, each chunk updates neighbouring rows and index entries: customers due together are
  // spread over the whole table, and chunks in the order they were found rewrite each page again.
  const due = [...dueAsFound].sort((a, b) => compareCodeUnits(a.customerId, b.customerId));
  for (let i = 0; i < due.length; i += 10_000) {
    const chunk = due.slice(i, i + 10_000);
    await trx
      .updateTable('customers')
      .set({ pool: 'public', owner_id: null, public_pool_id: chunk[0]!.publicPoolId, owned_since: null, protected_until: null, updated_at: at, updated_by: null })
      .where('id', 'in', chunk.map((d) => d.customerId))
      .where('pool', '=', 'private')
      .execute();
  }
  const events: PoolEventRow[] = due.map((d) => ({
    id: ctx.runtime.newId(),
    customerId: d.customerId,
    at,
    action: 'return',
    actorId: null,
    fromPool: 'private',
    toPool: 'public',
    fromOwnerId: d.ownerId,
    toOwnerId: null,
    publicPoolId: d.publicPoolId,
    rule: d.rule,
    reason: null,
  }));
  await insertPoolEvents(trx, ctx.store, events);
  await appendEvents(
    trx,
    ctx.store,
    ctx.runtime,
    due.map(
      (d): CrmEventPayload => ({
        type: 'pool.returned',
        data: { customerId: d.customerId, name: d.name, ownerId: null, pool: 'public', fromOwnerId: d.ownerId, rule: d.rule },
      }),
    ),
  );
}

/** A reminder per customer and due date, to the owner, only the first time it comes due for one. */
async function remind(ctx: ServiceContext, trx: Trx, soon: readonly DueCustomer[], now: Date, at: string): Promise<number> {
  const pending = soon.filter((d) => d.dueAt > now.toISOString());
  if (pending.length === 0) return 0;
  const reminders = await readByIds(
    pending.map((d) => d.customerId),
    (slice) => trx.selectFrom('pool_reminders').select(['customer_id', 'due_at']).where('customer_id', 'in', slice).execute(),
  );
  const sent = new Set(reminders.map((r) => `${r.customer_id}|${r.due_at}`));
  const fresh = pending.filter((d) => !sent.has(`${d.customerId}|${d.dueAt}`));
  for (let i = 0; i < fresh.length; i += 2000) {
    await trx
      .insertInto('pool_reminders')
      .values(fresh.slice(i, i + 2000).map((d) => ({ customer_id: d.customerId, due_at: d.dueAt, rule: d.rule, sent_at: at })))
      .execute();
  }
  await appendEvents(
    trx,
    ctx.store,
    ctx.runtime,
    fresh.map((d): CrmEventPayload => ({ type: 'reminder.due', data: { customerId: d.customerId, name: d.name, ownerId: d.ownerId, pool: 'private', dueAt: d.dueAt, rule: d.rule } })),
    fresh.map((d) => d.ownerId),
  );
  return fresh.length;
}

/**
 * The "about to return" list (急需跟进): customers the actor may see that a rule will return within
 * `withinDays` (the reminder days by default), soonest first.
 */
export async function aboutToReturn(ctx: ServiceContext, actor: Actor, withinDays?: number): Promise<DueCustomer[]> {
  const company = await getCompanySettings(ctx.store.db);
  const now = ctx.runtime.now();
  const groups = await returnGroups(ctx.store.db);
  let soon: DueCustomer[] = [];
  for (const group of groups) soon = soon.concat(await dueIn(ctx.store.db, false, group, now, company.timeZone, withinDays ?? group.rules.reminderDays ?? 0));
  if (soon.length === 0) return [];
  const seen = await readByIds(
    soon.map((d) => d.customerId),
    (slice) => customersVisibleTo(ctx.store.db, actor).select('customers.id').where('customers.id', 'in', slice).execute(),
  );
  const visible = new Set(seen.map((r) => r.id));
  return soon.filter((d) => visible.has(d.customerId)).sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
}


/** Holdings per agent against the limit (a manager's view): the people the actor reaches. */
export async function holdingsReport(ctx: ServiceContext, actor: Actor): Promise<Holding[]> {
  let users = ctx.store.db.selectFrom('users').select(['users.id', 'users.display_name', 'users.department_id']).where('users.status', '=', 'active');
  if (!actor.isAdmin && actor.dataScope !== 'all') users = users.where('users.id', 'in', (eb) => usersInReach(eb, actor));
  const rows = await users.orderBy('users.display_name').execute();
  const ids = rows.map((r) => r.id);
  const [holdings, rules] = await Promise.all([holdingsOf(ctx.store.db, ids), departmentPaths(ctx.store.db, ids).then((p) => poolRulesOf(ctx.store.db, p))]);
  return rows.map((r) => ({ userId: r.id, name: r.display_name, holding: holdings.get(r.id) ?? 0, limit: rules.get(r.id)?.holdingLimit ?? null }));
}
