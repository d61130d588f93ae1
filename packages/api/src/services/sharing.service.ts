import { err, ok, type Actor, type CustomerSharing, type DomainError, type Pool, type Result } from '@telecrm/core';
import { appendEvent } from '../events/outbox.js';
import { recordAudit } from '../store/audit.repo.js';
import type { DialectName } from '../store/connect.js';
import { customersVisibleTo, writabilityPredicate } from '../store/customer.repo.js';
import { fail, inTransaction, type ServiceContext, type Trx } from './context.js';
import type { MoveReport, MoveResult } from './pool.service.js';

async function assertKnown(trx: Trx, table: 'users' | 'departments', ids: readonly string[], field: string): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await trx.selectFrom(table).select('id').where('id', 'in', ids).execute()).map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) fail({ code: table === 'users' ? 'USER.NOT_FOUND' : 'DEPARTMENT.NOT_FOUND', field, params: { ids: missing } });
}

/** Which of these customers the actor may change; the others are reported as not found or forbidden. */
async function changeable(trx: Trx, dialect: DialectName, actor: Actor, ids: readonly string[]) {
  const visible = new Set((await customersVisibleTo(trx, actor).select('customers.id').where('customers.id', 'in', ids).execute()).map((r) => r.id));
  let query = trx
    .selectFrom('customers')
    .select(['customers.id', 'customers.name', 'customers.owner_id', 'customers.pool'])
    .where('customers.id', 'in', ids)
    .where('customers.deleted_at', 'is', null)
    .where((eb) => writabilityPredicate(eb, actor))
    .orderBy('customers.id');
  // Two changes of one customer's shares or collaborators take turns (SQLite's writer lock does it
  // there): replacing its rows side by side, the second would insert a row the first just inserted.
  if (dialect === 'postgres') query = query.forNoKeyUpdate('customers');
  const writable = await query.execute();
  return { visible, writable: new Map(writable.map((r) => [r.id, r])) };
}

/**
 * Shares customers (共享) with users and departments, who then see them read-only; or with `remove`,
 * stops sharing them. Reported customer by customer.
 */
export async function shareCustomers(
  ctx: ServiceContext,
  actor: Actor,
  input: { customerIds: string[]; userIds: string[]; departmentIds: string[] },
  remove = false,
): Promise<Result<MoveReport, DomainError>> {
  const ids = [...new Set(input.customerIds)].sort();
  const report = await inTransaction(ctx, async (trx) => {
    await assertKnown(trx, 'users', input.userIds, 'userIds');
    await assertKnown(trx, 'departments', input.departmentIds, 'departmentIds');
    const { visible, writable } = await changeable(trx, ctx.store.dialect, actor, ids);
    const now = ctx.runtime.now().toISOString();
    const results: MoveResult[] = [];
    for (const id of ids) {
      const row = writable.get(id);
      if (!row) {
        results.push({ customerId: id, ok: false, error: visible.has(id) ? { code: 'AUTH.FORBIDDEN', params: { id } } : { code: 'CUSTOMER.NOT_FOUND', params: { id } } });
        continue;
      }
      const targets = [...input.userIds.map((u) => ({ user_id: u, department_id: null })), ...input.departmentIds.map((d) => ({ user_id: null, department_id: d }))];
      for (const target of targets) {
        let existing = trx.deleteFrom('customer_shares').where('customer_id', '=', id);
        existing = target.user_id ? existing.where('user_id', '=', target.user_id) : existing.where('department_id', '=', target.department_id);
        await existing.execute();
        if (!remove) {
          await trx.insertInto('customer_shares').values({ id: ctx.runtime.newId(), customer_id: id, ...target, created_by: actor.userId, created_at: now }).execute();
        }
      }
      await appendEvent(trx, ctx.store.dialect, ctx.runtime, {
        type: 'customer.updated',
        data: { customerId: id, name: row.name, ownerId: row.owner_id, pool: row.pool as Pool, fields: ['shares'] },
      });
      results.push({ customerId: id, name: row.name, ok: true, ownerId: row.owner_id, pool: row.pool as Pool });
    }
    const moved = results.filter((r) => r.ok).length;
    await recordAudit(trx, ctx.runtime, actor, {
      action: remove ? 'unshare' : 'share',
      entity: 'customer',
      entityId: null,
      changes: { shared: { before: null, after: { customers: moved, userIds: input.userIds, departmentIds: input.departmentIds } } },
    });
    return { results, moved };
  });
  if (report.ok && report.value.moved) ctx.onEventsCommitted();
  return report;
}

/** Replaces the collaborators (协助人) of a customer: they see it and may work it. */
export async function setCollaborators(ctx: ServiceContext, actor: Actor, id: string, userIds: string[]): Promise<Result<CustomerSharing, DomainError>> {
  const done = await inTransaction(ctx, async (trx) => {
    const { visible, writable } = await changeable(trx, ctx.store.dialect, actor, [id]);
    const row = writable.get(id);
    if (!row) fail(visible.has(id) ? { code: 'AUTH.FORBIDDEN', params: { id } } : { code: 'CUSTOMER.NOT_FOUND', params: { id } });
    const wanted = [...new Set(userIds)];
    await assertKnown(trx, 'users', wanted, 'userIds');
    const before = (await trx.selectFrom('customer_collaborators').select('user_id').where('customer_id', '=', id).execute()).map((r) => r.user_id).sort();
    await trx.deleteFrom('customer_collaborators').where('customer_id', '=', id).execute();
    const now = ctx.runtime.now().toISOString();
    if (wanted.length) await trx.insertInto('customer_collaborators').values(wanted.map((u) => ({ customer_id: id, user_id: u, created_at: now }))).execute();
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'customer', entityId: id, changes: { collaborators: { before, after: [...wanted].sort() } } });
    await appendEvent(trx, ctx.store.dialect, ctx.runtime, {
      type: 'customer.updated',
      data: { customerId: id, name: row!.name, ownerId: row!.owner_id, pool: row!.pool as Pool, fields: ['collaborators'] },
    });
  });
  if (!done.ok) return done;
  ctx.onEventsCommitted();
  return getSharing(ctx, actor, id);
}

/** Who a customer is shared with and who assists on it. */
export async function getSharing(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<CustomerSharing, DomainError>> {
  const visible = await customersVisibleTo(ctx.store.db, actor).select('customers.id').where('customers.id', '=', id).executeTakeFirst();
  if (!visible) return err({ code: 'CUSTOMER.NOT_FOUND', params: { id } });
  const [shares, collaborators] = await Promise.all([
    ctx.store.db.selectFrom('customer_shares').selectAll().where('customer_id', '=', id).orderBy('created_at').execute(),
    ctx.store.db.selectFrom('customer_collaborators').selectAll().where('customer_id', '=', id).orderBy('created_at').execute(),
  ]);
  return ok({
    customerId: id,
    shares: shares.map((s) => ({ userId: s.user_id, departmentId: s.department_id, createdBy: s.created_by, createdAt: s.created_at })),
    collaborators: collaborators.map((c) => ({ userId: c.user_id, createdAt: c.created_at })),
  });
}
