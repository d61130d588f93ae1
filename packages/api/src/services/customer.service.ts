import {
  checkWritableFields,
  hiddenFieldsOf,
  stripHiddenFields,
  writtenFields,
  planMerge,
  prepareCustomerWrite,
  quickSearchOf,
  resolveFilter,
  resolveSort,
  err,
  ok,
  type Actor,
  type CrmEventPayload,
  type Customer,
  type CustomerChanges,
  type CustomerCreate,
  type CustomerUpdate,
  type DomainError,
  type FilterNode,
  type MergeSide,
  type Result,
  type SortSpec,
  normalisePhone,
} from '@telecrm/core';
import { appendEvent } from '../events/outbox.js';
import { assertRoomToHold, restoreFromRecycleBin } from './holding.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { loadCustomFields, loadCustomerCatalogue, loadPicklistIndex } from '../store/catalogue.repo.js';
import {
  compileFilter,
  compileQuickSearch,
  customersVisibleTo,
  findPhoneHolders,
  hydrateCustomers,
  indexName,
  lockCustomers,
  moveCustomerRecords,
  orderAndSeek,
  replaceContacts,
  replacePhones,
  replaceTags,
  sortValueOf,
  writabilityPredicate,
  type PageKey,
  type SortPlan,
} from '../store/customer.repo.js';
import type { DialectName } from '../store/connect.js';
import type { CustomerRow, CustomerRowUpdate } from '../store/database.js';
import { diffFields, recordAudit } from '../store/audit.repo.js';
import { insertPoolEvents } from '../store/pool.repo.js';
import { readJson } from '../store/dialect.js';
import { getCompanySettings } from './company.service.js';
import { fail, inTransaction, isUniqueViolation, orFail, type ServiceContext, type Trx } from './context.js';
import { findView } from './view.service.js';

export interface CustomerListQuery {
  q?: string;
  view?: string;
  filter?: FilterNode;
  sort?: SortSpec;
  limit?: number;
  cursor?: string;
  deleted?: boolean;
}

export interface CustomerPage {
  items: Customer[];
  nextCursor: string | null;
}

/** A customer query as the actor may run it: what it selects, in which order, and the page it resumes after. */
export interface CustomerSelection {
  select: ReturnType<typeof customersVisibleTo>;
  sort: SortPlan;
  sortKey: string;
  /** The view's columns, when a view was named. */
  viewColumns: string[] | null;
}

/**
 * Builds the query behind a list or an export: a view, a filter and a quick search together, over
 * what the actor may see, without the fields hidden from its role (they cannot be filtered or sorted
 * on either: that would leak them).
 */
export async function selectCustomers(ctx: ServiceContext, actor: Actor, query: Omit<CustomerListQuery, 'limit' | 'cursor'>): Promise<Result<CustomerSelection, DomainError>> {
  const { db, dialect } = ctx.store;
  const [company, fullCatalogue] = await Promise.all([getCompanySettings(db), loadCustomerCatalogue(db)]);
  const hidden = new Set(hiddenFieldsOf(actor.fieldPermissions, 'customer'));
  const catalogue = new Map([...fullCatalogue].filter(([name]) => !hidden.has(name)));
  const filterContext = { catalogue, now: ctx.runtime.now(), timeZone: company.timeZone, actorId: actor.userId, phoneRegion: company.phoneRegion };

  const filters: FilterNode[] = [];
  let sortSpec = query.sort;
  let viewColumns: string[] | null = null;
  if (query.view) {
    const view = await findView(ctx, actor, query.view);
    if (!view.ok) return view;
    if (view.value.filter) filters.push(view.value.filter);
    sortSpec ??= view.value.sort ?? undefined;
    viewColumns = view.value.columns.length ? view.value.columns : null;
  }
  if (query.filter) filters.push(query.filter);
  const resolved = [];
  for (const f of filters) {
    const r = resolveFilter(f, filterContext);
    if (!r.ok) return r;
    resolved.push(r.value);
  }
  const sort = resolveSort(sortSpec, catalogue);
  if (!sort.ok) return sort;
  const quick = query.q ? quickSearchOf(query.q, company.phoneRegion) : undefined;

  let select = customersVisibleTo(db, actor).where('customers.deleted_at', query.deleted ? 'is not' : 'is', null);
  for (const r of resolved) select = select.where((eb) => compileFilter(eb, r, dialect, actor.userId));
  if (quick) select = select.where((eb) => compileQuickSearch(eb, quick, dialect));
  return ok({ select, sort: sort.value, sortKey: `${sort.value.field.name}:${sort.value.direction}`, viewColumns });
}

/** One keyset page of a selection, after `after`; the key of its last row when more follow. */
export async function pageOfCustomers(
  ctx: ServiceContext,
  selection: CustomerSelection,
  after: PageKey | undefined,
  limit: number,
): Promise<{ rows: CustomerRow[]; next: PageKey | null }> {
  const rows = await orderAndSeek(selection.select.selectAll('customers'), selection.sort, after, ctx.store.dialect).limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last ? { value: sortValueOf(last, selection.sort.field), id: last.id } : null };
}

/** Lists what the actor may see: a view, a filter and a quick search together, one keyset page. */
export async function listCustomers(ctx: ServiceContext, actor: Actor, query: CustomerListQuery): Promise<Result<CustomerPage, DomainError>> {
  const selection = await selectCustomers(ctx, actor, query);
  if (!selection.ok) return selection;
  let after: PageKey | undefined;
  if (query.cursor) {
    const decoded = decodeCursor(query.cursor, selection.value.sortKey);
    if (!decoded.ok) return decoded;
    after = decoded.value;
  }
  const limit = Math.min(query.limit ?? 50, ctx.settings.maxPageSize);
  const { rows, next } = await pageOfCustomers(ctx, selection.value, after, limit);
  const nextCursor = next ? encodeCursor(selection.value.sortKey, next) : null;
  return ok({ items: presentCustomers(actor, await hydrateCustomers(ctx.store.db, rows, actor.userId)), nextCursor });
}

async function visibleRow(db: ServiceContext['store']['db'] | Trx, actor: Actor, id: string): Promise<CustomerRow | undefined> {
  return customersVisibleTo(db, actor).selectAll('customers').where('customers.id', '=', id).executeTakeFirst();
}

export async function getCustomer(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<Customer, DomainError>> {
  const row = await visibleRow(ctx.store.db, actor, id);
  if (!row) return err({ code: 'CUSTOMER.NOT_FOUND', params: { id } });
  const [customer] = presentCustomers(actor, await hydrateCustomers(ctx.store.db, [row], actor.userId));
  return ok(customer!);
}

/** The customer holding a number, in any format (screen pops, dedup checks by scripts). */
export async function getCustomerByPhone(ctx: ServiceContext, actor: Actor, phone: string): Promise<Result<Customer, DomainError>> {
  const company = await getCompanySettings(ctx.store.db);
  const normalised = normalisePhone(phone, company.phoneRegion);
  if (!normalised.ok) return err({ ...normalised.error, field: 'phone' });
  const row = await customersVisibleTo(ctx.store.db, actor)
    .selectAll('customers')
    .where('customers.id', 'in', (eb) => eb.selectFrom('customer_phones').select('customer_id').where('e164', '=', normalised.value.e164))
    .executeTakeFirst();
  if (!row) return err({ code: 'CUSTOMER.NOT_FOUND', params: { phone: normalised.value.e164 } });
  return ok(presentCustomers(actor, await hydrateCustomers(ctx.store.db, [row], actor.userId))[0]!);
}

async function writeContext(ctx: ServiceContext, trx: Trx) {
  const [company, picklists, customFields] = await Promise.all([getCompanySettings(trx), loadPicklistIndex(trx), loadCustomFields(trx)]);
  return { picklists, customFields, phoneRegion: company.phoneRegion };
}

/** Refuses numbers another customer holds (in the recycle bin too), naming the holder. */
async function assertPhonesFree(trx: Trx, changes: CustomerChanges, customerId?: string): Promise<void> {
  if (!changes.phones?.length) return;
  const holders = await findPhoneHolders(trx, changes.phones.map((p) => p.e164), customerId);
  const holder = holders[0];
  if (holder) {
    const index = changes.phones.findIndex((p) => p.e164 === holder.e164);
    fail({
      code: 'CUSTOMER.PHONE_TAKEN',
      field: `phones.${index}.number`,
      params: { phone: holder.e164, holderId: holder.customerId, holderName: holder.name },
    });
  }
}

function scalarColumns(changes: CustomerChanges): CustomerRowUpdate {
  const s = changes.scalars;
  const row: CustomerRowUpdate = {};
  if (s.name !== undefined) row.name = s.name;
  if (s.company !== undefined) row.company = s.company;
  if (s.wechat !== undefined) row.wechat = s.wechat;
  if (s.email !== undefined) row.email = s.email;
  if (s.source !== undefined) row.source = s.source;
  if (s.industry !== undefined) row.industry = s.industry;
  if (s.region !== undefined) row.region = s.region;
  if (s.status !== undefined) row.status = s.status;
  if (s.stage !== undefined) row.stage = s.stage;
  if (s.level !== undefined) row.level = s.level;
  if (s.remark !== undefined) row.remark = s.remark;
  if (s.hot !== undefined) row.hot = s.hot ? 1 : 0;
  if (s.wrongNumber !== undefined) row.wrong_number = s.wrongNumber ? 1 : 0;
  if (s.doNotCall !== undefined) row.do_not_call = s.doNotCall ? 1 : 0;
  if (s.nextFollowUpAt !== undefined) row.next_follow_up_at = s.nextFollowUpAt;
  if (changes.custom !== undefined) row.custom = JSON.stringify(changes.custom);
  return row;
}

async function applyCollections(ctx: ServiceContext, trx: Trx, id: string, changes: CustomerChanges, now: string): Promise<void> {
  if (changes.phones) await replacePhones(trx, id, changes.phones);
  if (changes.tags) await replaceTags(trx, id, changes.tags);
  if (changes.contacts) await replaceContacts(trx, id, changes.contacts, ctx.runtime.newId, now);
  if (changes.scalars.name !== undefined) await indexName(trx, id, changes.scalars.name);
}

const refOf = (row: Pick<CustomerRow, 'id' | 'name' | 'owner_id' | 'pool'>) => ({
  customerId: row.id,
  name: row.name,
  ownerId: row.owner_id,
  pool: row.pool as Customer['pool'],
});

/** Runs a customer write; a unique-number race lost at commit becomes the same 409 as the pre-check. */
async function writeCustomer<T>(
  ctx: ServiceContext,
  work: (trx: Trx) => Promise<T>,
  phonesWritten: () => string[] = () => [],
): Promise<Result<T, DomainError>> {
  try {
    // A change locks its customer before reading it (PostgreSQL), and a restore then locks the owner: a
    // move locks owner then customer, and the two can meet in a circle, which PostgreSQL breaks by
    // aborting one. That one starts again from nothing.
    const result = await inTransaction(ctx, work, { retryDeadlocks: true });
    if (result.ok) ctx.onEventsCommitted();
    return result;
  } catch (e) {
    const phones = phonesWritten();
    if (phones.length && isUniqueViolation(e, 'customer_phones')) {
      const [holder] = await findPhoneHolders(ctx.store.db, phones);
      if (holder) return err({ code: 'CUSTOMER.PHONE_TAKEN', field: 'phones', params: { phone: holder.e164, holderId: holder.customerId, holderName: holder.name } });
    }
    throw e;
  }
}

/** The customer's fields named by an input, as the audit log records them before and after a write. */
async function auditSnapshot(trx: Trx, actor: Actor, id: string, fields: readonly string[]): Promise<Record<string, unknown>> {
  const row = await trx.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return {};
  const [customer] = await hydrateCustomers(trx, [row], actor.userId);
  return Object.fromEntries(fields.map((f) => [f, (customer as unknown as Record<string, unknown>)[f] ?? null]));
}

/**
 * A step of the journey that leaves the pool and the owner as they are (created, into the recycle bin
 * and back): the journey holds every step, not only the moves.
 */
async function recordPoolStep(
  ctx: ServiceContext,
  trx: Trx,
  actor: Actor,
  row: Pick<CustomerRow, 'id' | 'pool' | 'owner_id'> & { public_pool_id?: string | null },
  action: 'create' | 'delete',
): Promise<void> {
  const pool = row.pool as Customer['pool'];
  await insertPoolEvents(trx, ctx.store, [
    {
      id: ctx.runtime.newId(),
      customerId: row.id,
      at: ctx.runtime.now().toISOString(),
      action,
      actorId: actor.userId,
      fromPool: action === 'create' ? null : pool,
      toPool: pool,
      fromOwnerId: action === 'create' ? null : row.owner_id,
      toOwnerId: row.owner_id,
      publicPoolId: row.public_pool_id ?? null,
      rule: null,
      reason: null,
    },
  ]);
}

/** Fields hidden from the actor's role are left out of every customer it is shown. */
export function presentCustomers(actor: Actor, customers: Customer[]): Customer[] {
  const hidden = hiddenFieldsOf(actor.fieldPermissions, 'customer');
  return hidden.length ? customers.map((c) => stripHiddenFields(c, hidden) as Customer) : customers;
}

export async function createCustomer(ctx: ServiceContext, actor: Actor, input: CustomerCreate): Promise<Result<Customer, DomainError>> {
  const writable = checkWritableFields(writtenFields(input), actor.fieldPermissions, 'customer');
  if (!writable.ok) return writable;
  let phones: string[] = [];
  const created = await writeCustomer(ctx, async (trx) => {
    const changes = orFail(prepareCustomerWrite(input, 'create', await writeContext(ctx, trx)));
    phones = changes.phones?.map((p) => p.e164) ?? [];
    await assertPhonesFree(trx, changes);
    // A new customer is the creator's own: it counts against the creator's holding limit.
    await assertRoomToHold(ctx, trx, actor.userId);
    const id = ctx.runtime.newId();
    const now = ctx.runtime.now().toISOString();
    const row = {
      id,
      name: changes.scalars.name!,
      pool: 'private',
      owner_id: actor.userId,
      owned_since: now,
      deal_status: 'none',
      custom: JSON.stringify(changes.custom ?? {}),
      created_by: actor.userId,
      created_at: now,
      updated_by: actor.userId,
      updated_at: now,
      ...scalarColumns(changes),
    };
    await trx.insertInto('customers').values(row).execute();
    await applyCollections(ctx, trx, id, changes, now);
    await recordPoolStep(ctx, trx, actor, { id, pool: 'private', owner_id: actor.userId }, 'create');
    await appendEvent(trx, ctx.store.dialect, ctx.runtime, { type: 'customer.created', data: refOf(row) });
    const after = await auditSnapshot(trx, actor, id, [...Object.keys(input), 'pool', 'ownerId']);
    await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'customer', entityId: id, changes: diffFields(null, after) });
    return id;
  }, () => phones);
  if (!created.ok) return created;
  return getCustomer(ctx, actor, created.value);
}

/** Loads (and locks) a customer the actor may change: 404 when not visible, 403 when visible but not theirs. */
async function writableRow(trx: Trx, dialect: DialectName, actor: Actor, id: string, allowDeleted = false): Promise<CustomerRow> {
  await lockCustomers(trx, dialect, [id]);
  const row = await visibleRow(trx, actor, id);
  if (!row) return fail({ code: 'CUSTOMER.NOT_FOUND', params: { id } });
  const writable = await trx
    .selectFrom('customers')
    .select('customers.id')
    .where('customers.id', '=', id)
    .where((eb) => writabilityPredicate(eb, actor))
    .executeTakeFirst();
  if (!writable) return fail({ code: 'AUTH.FORBIDDEN', params: { id } });
  if (!allowDeleted && row.deleted_at) return fail({ code: 'CUSTOMER.DELETED', params: { id } });
  return row;
}

export async function updateCustomer(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: CustomerUpdate,
): Promise<Result<Customer, DomainError>> {
  const writable = checkWritableFields(writtenFields(input), actor.fieldPermissions, 'customer');
  if (!writable.ok) return writable;
  let phones: string[] = [];
  const updated = await writeCustomer(ctx, async (trx) => {
    const row = await writableRow(trx, ctx.store.dialect, actor, id);
    const changes = orFail(prepareCustomerWrite(input, 'update', await writeContext(ctx, trx), readJson(row.custom, {})));
    phones = changes.phones?.map((p) => p.e164) ?? [];
    await assertPhonesFree(trx, changes, id);
    const before = await auditSnapshot(trx, actor, id, Object.keys(input));
    const now = ctx.runtime.now().toISOString();
    const set = { ...scalarColumns(changes), updated_at: now, updated_by: actor.userId };
    await trx.updateTable('customers').set(set).where('id', '=', id).execute();
    await applyCollections(ctx, trx, id, changes, now);
    const fields = Object.keys(input).sort();
    const after = await auditSnapshot(trx, actor, id, fields);
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'customer', entityId: id, changes: diffFields(before, after) });
    await appendEvent(trx, ctx.store.dialect, ctx.runtime, {
      type: 'customer.updated',
      data: { ...refOf({ ...row, name: changes.scalars.name ?? row.name }), fields },
    });
  }, () => phones);
  if (!updated.ok) return updated;
  return getCustomer(ctx, actor, id);
}

/** Soft delete to the recycle bin (回收站): numbers stay reserved so dedup still sees the customer. */
export async function deleteCustomer(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<Customer, DomainError>> {
  const done = await writeCustomer(ctx, async (trx) => {
    const row = await writableRow(trx, ctx.store.dialect, actor, id);
    const now = ctx.runtime.now().toISOString();
    const deleted = await trx
      .updateTable('customers')
      .set({ deleted_at: now, deleted_by: actor.userId, updated_at: now, updated_by: actor.userId })
      .where('id', '=', id)
      // Two deletes at once: the second finds it in the bin already.
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(deleted.numUpdatedRows) !== 1) fail({ code: 'CUSTOMER.DELETED', params: { id } });
    await recordPoolStep(ctx, trx, actor, row, 'delete');
    await appendEvent(trx, ctx.store.dialect, ctx.runtime, { type: 'customer.deleted', data: { ...refOf(row), purged: false } });
    await recordAudit(trx, ctx.runtime, actor, { action: 'delete', entity: 'customer', entityId: id, changes: { deletedAt: { before: null, after: now } } });
  });
  if (!done.ok) return done;
  return getCustomer(ctx, actor, id);
}

/** Back from the recycle bin to the owner and pool it had (deleting never changed them), or to the public pool when the owner is full. */
export async function restoreCustomer(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<Customer, DomainError>> {
  const done = await writeCustomer(ctx, async (trx) => {
    const row = await writableRow(trx, ctx.store.dialect, actor, id, true);
    if (!row.deleted_at) fail({ code: 'CUSTOMER.NOT_DELETED', params: { id } });
    const placed = await restoreFromRecycleBin(ctx, trx, actor, row);
    await appendEvent(trx, ctx.store.dialect, ctx.runtime, { type: 'customer.restored', data: refOf({ ...row, pool: placed.pool, owner_id: placed.ownerId }) });
    await recordAudit(trx, ctx.runtime, actor, { action: 'restore', entity: 'customer', entityId: id, changes: { deletedAt: { before: row.deleted_at, after: null } } });
  });
  if (!done.ok) return done;
  return getCustomer(ctx, actor, id);
}

/** Deletes for good a customer already in the recycle bin (the route needs customers.purge). */
export async function purgeCustomer(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<null, DomainError>> {
  return writeCustomer(ctx, async (trx) => {
    const row = await writableRow(trx, ctx.store.dialect, actor, id, true);
    if (!row.deleted_at) fail({ code: 'CUSTOMER.NOT_DELETED', params: { id } });
    // Only from the recycle bin, even if a restore got in first.
    const purged = await trx.deleteFrom('customers').where('id', '=', id).where('deleted_at', 'is not', null).executeTakeFirst();
    if (Number(purged.numDeletedRows) !== 1) fail({ code: 'CUSTOMER.NOT_DELETED', params: { id } });
    await recordAudit(trx, ctx.runtime, actor, { action: 'purge', entity: 'customer', entityId: id, changes: { name: { before: row.name, after: null } } });
    await appendEvent(trx, ctx.store.dialect, ctx.runtime, { type: 'customer.deleted', data: { ...refOf(row), purged: true } });
    return null;
  });
}

async function mergeSideOf(trx: Trx, row: CustomerRow): Promise<MergeSide> {
  const tags = await trx.selectFrom('customer_tags').select('tag').where('customer_id', '=', row.id).execute();
  return {
    scalars: {
      name: row.name,
      company: row.company,
      wechat: row.wechat,
      email: row.email,
      source: row.source,
      industry: row.industry,
      region: row.region,
      status: row.status,
      stage: row.stage,
      level: row.level,
      remark: row.remark,
      hot: row.hot === 1,
      wrongNumber: row.wrong_number === 1,
      doNotCall: row.do_not_call === 1,
      nextFollowUpAt: row.next_follow_up_at,
    },
    tags: tags.map((t) => t.tag),
    custom: readJson(row.custom, {}),
    lastContactAt: row.last_contact_at,
    lastCallAt: row.last_call_at,
    lastFollowUpAt: row.last_follow_up_at,
  };
}

/**
 * Merges a duplicate into a survivor (合并客户): numbers, contacts, tags, focus marks and every later
 * record move over, empty fields are filled, and the duplicate goes to the recycle bin.
 */
export async function mergeCustomers(
  ctx: ServiceContext,
  actor: Actor,
  input: { survivorId: string; mergedId: string },
): Promise<Result<Customer, DomainError>> {
  if (input.survivorId === input.mergedId) return err({ code: 'CUSTOMER.MERGE_SAME', field: 'mergedId' });
  const done = await writeCustomer(ctx, async (trx) => {
    await lockCustomers(trx, ctx.store.dialect, [input.survivorId, input.mergedId]);
    const survivor = await writableRow(trx, ctx.store.dialect, actor, input.survivorId);
    const merged = await writableRow(trx, ctx.store.dialect, actor, input.mergedId);
    const plan = planMerge(await mergeSideOf(trx, survivor), await mergeSideOf(trx, merged));
    const now = ctx.runtime.now().toISOString();
    const { lastContactAt, lastCallAt, lastFollowUpAt, ...scalars } = plan.scalars;
    await trx
      .updateTable('customers')
      .set({
        ...scalarColumns({ scalars, custom: plan.custom }),
        ...(lastContactAt ? { last_contact_at: lastContactAt } : {}),
        ...(lastCallAt ? { last_call_at: lastCallAt } : {}),
        ...(lastFollowUpAt ? { last_follow_up_at: lastFollowUpAt } : {}),
        updated_at: now,
        updated_by: actor.userId,
      })
      .where('id', '=', survivor.id)
      .execute();
    await moveCustomerRecords(trx, merged.id, survivor.id);
    await replaceTags(trx, survivor.id, plan.tags);
    const primary = await trx.selectFrom('customer_phones').select('e164').where('customer_id', '=', survivor.id).orderBy('position').limit(1).executeTakeFirst();
    await trx.updateTable('customers').set({ primary_phone: primary?.e164 ?? null }).where('id', '=', survivor.id).execute();
    await trx
      .updateTable('customers')
      .set({ deleted_at: now, deleted_by: actor.userId, primary_phone: null, updated_at: now, updated_by: actor.userId })
      .where('id', '=', merged.id)
      .execute();
    const events: CrmEventPayload[] = [
      { type: 'customer.merged', data: { ...refOf(survivor), mergedId: merged.id } },
      { type: 'customer.deleted', data: { ...refOf(merged), purged: false } },
    ];
    for (const event of events) await appendEvent(trx, ctx.store.dialect, ctx.runtime, event);
    await recordAudit(trx, ctx.runtime, actor, { action: 'merge', entity: 'customer', entityId: survivor.id, changes: { mergedId: { before: null, after: merged.id } } });
  });
  if (!done.ok) return done;
  return getCustomer(ctx, actor, input.survivorId);
}

/** Marks a customer as one of the actor's focus customers (重点关注), with a colour. */
export async function setCustomerFocus(ctx: ServiceContext, actor: Actor, id: string, colour: string | null): Promise<Result<Customer, DomainError>> {
  const row = await visibleRow(ctx.store.db, actor, id);
  if (!row) return err({ code: 'CUSTOMER.NOT_FOUND', params: { id } });
  // One statement either way: a delete-then-insert sent twice at once (a double click) would insert twice.
  if (colour) {
    await ctx.store.db
      .insertInto('customer_focus')
      .values({ user_id: actor.userId, customer_id: id, colour, created_at: ctx.runtime.now().toISOString() })
      .onConflict((oc) => oc.columns(['user_id', 'customer_id']).doUpdateSet({ colour }))
      .execute();
  } else await ctx.store.db.deleteFrom('customer_focus').where('user_id', '=', actor.userId).where('customer_id', '=', id).execute();
  return getCustomer(ctx, actor, id);
}

