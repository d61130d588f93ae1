import {
  BUILT_IN_VIEWS,
  builtInView,
  err,
  hasPermission,
  ok,
  resolveFilter,
  resolveSort,
  type Actor,
  type DomainError,
  type Lang,
  type Result,
  type View,
  type ViewCreate,
  type ViewUpdate,
} from '@telecrm/core';
import { diffFields, recordAudit } from '../store/audit.repo.js';
import { loadCustomerCatalogue } from '../store/catalogue.repo.js';
import type { ViewTable } from '../store/database.js';
import { readJson } from '../store/dialect.js';
import { getCompanySettings } from './company.service.js';
import type { ServiceContext, Trx } from './context.js';

function toView(row: ViewTable, defaultViewId: string | null): View {
  return {
    id: row.id,
    name: row.name,
    builtIn: false,
    shared: row.shared === 1,
    ownerId: row.owner_id,
    filter: readJson(row.filter, null),
    columns: readJson(row.columns, []),
    sort: readJson(row.sort, null),
    isDefault: row.id === defaultViewId,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function builtInAsView(id: string, lang: Lang, defaultViewId: string | null): View | undefined {
  const v = builtInView(id);
  if (!v) return undefined;
  return { id: v.id, name: v.name[lang], builtIn: true, shared: true, ownerId: null, filter: v.filter, columns: v.columns, sort: v.sort, isDefault: v.id === defaultViewId, createdAt: null, updatedAt: null };
}

async function defaultViewOf(ctx: ServiceContext, actor: Actor): Promise<string | null> {
  const user = await ctx.store.db.selectFrom('users').select('default_view_id').where('id', '=', actor.userId).executeTakeFirst();
  return user?.default_view_id ?? null;
}

/**
 * A view as the audit log records it, read in the writing transaction: as the actor sees it (whether it
 * is their default included), without the timestamp every change moves.
 */
async function viewSnapshot(trx: Trx, actor: Actor, id: string, lang: Lang = 'zh-CN'): Promise<Record<string, unknown> | null> {
  const user = await trx.selectFrom('users').select('default_view_id').where('id', '=', actor.userId).executeTakeFirst();
  const defaultViewId = user?.default_view_id ?? null;
  const builtIn = builtInAsView(id, lang, defaultViewId);
  const row = builtIn ? undefined : await trx.selectFrom('views').selectAll().where('id', '=', id).executeTakeFirst();
  const view = builtIn ?? (row ? toView(row, defaultViewId) : undefined);
  if (!view) return null;
  const { updatedAt: _updatedAt, ...rest } = view;
  return rest;
}

/** A view the actor may use: built-in, shared, or their own. */
export async function findView(ctx: ServiceContext, actor: Actor, id: string, lang: Lang = 'zh-CN'): Promise<Result<View, DomainError>> {
  const defaultViewId = await defaultViewOf(ctx, actor);
  const builtIn = builtInAsView(id, lang, defaultViewId);
  if (builtIn) return ok(builtIn);
  const row = await ctx.store.db.selectFrom('views').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (row.shared !== 1 && row.owner_id !== actor.userId)) return err({ code: 'VIEW.NOT_FOUND', params: { id } });
  return ok(toView(row, defaultViewId));
}

export async function listViews(ctx: ServiceContext, actor: Actor, lang: Lang): Promise<View[]> {
  const defaultViewId = await defaultViewOf(ctx, actor);
  const rows = await ctx.store.db
    .selectFrom('views')
    .selectAll()
    .where((eb) => eb.or([eb('shared', '=', 1), eb('owner_id', '=', actor.userId)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return [...BUILT_IN_VIEWS.map((v) => builtInAsView(v.id, lang, defaultViewId)!), ...rows.map((r) => toView(r, defaultViewId))];
}

/** Checks a view's filter, sort and columns against the field catalogue before it is saved. */
async function checkViewShape(ctx: ServiceContext, actor: Actor, shape: Partial<ViewCreate>): Promise<Result<null, DomainError>> {
  const [company, catalogue] = await Promise.all([getCompanySettings(ctx.store.db), loadCustomerCatalogue(ctx.store.db)]);
  if (shape.filter) {
    const r = resolveFilter(shape.filter, { catalogue, now: ctx.runtime.now(), timeZone: company.timeZone, actorId: actor.userId, phoneRegion: company.phoneRegion });
    if (!r.ok) return r;
  }
  if (shape.sort) {
    const r = resolveSort(shape.sort, catalogue);
    if (!r.ok) return r;
  }
  const unknown = (shape.columns ?? []).findIndex((c) => !catalogue.has(c));
  if (unknown >= 0) return err({ code: 'FILTER.UNKNOWN_FIELD', field: `columns.${unknown}`, params: { value: shape.columns![unknown] } });
  return ok(null);
}

export async function createView(ctx: ServiceContext, actor: Actor, input: ViewCreate): Promise<Result<View, DomainError>> {
  // Shared views show to everyone: publishing one is a grant of its own.
  if (input.shared && !hasPermission(actor.permissions, 'views.share')) return err({ code: 'AUTH.FORBIDDEN', field: 'shared' });
  const checked = await checkViewShape(ctx, actor, input);
  if (!checked.ok) return checked;
  const now = ctx.runtime.now().toISOString();
  const id = ctx.runtime.newId();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('views')
      .values({
        id,
        name: input.name,
        owner_id: actor.userId,
        shared: input.shared ? 1 : 0,
        filter: input.filter ? JSON.stringify(input.filter) : null,
        columns: JSON.stringify(input.columns),
        sort: input.sort ? JSON.stringify(input.sort) : null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (input.isDefault) await trx.updateTable('users').set({ default_view_id: id }).where('id', '=', actor.userId).execute();
    await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'view', entityId: id, changes: diffFields(null, await viewSnapshot(trx, actor, id)) });
  });
  return findView(ctx, actor, id);
}

export async function updateView(ctx: ServiceContext, actor: Actor, id: string, input: ViewUpdate, lang: Lang): Promise<Result<View, DomainError>> {
  const isBuiltIn = builtInView(id) !== undefined;
  const row = isBuiltIn ? undefined : await ctx.store.db.selectFrom('views').selectAll().where('id', '=', id).executeTakeFirst();
  if (!isBuiltIn && (!row || (row.shared !== 1 && row.owner_id !== actor.userId))) return err({ code: 'VIEW.NOT_FOUND', params: { id } });
  const onlyDefault = Object.keys(input).every((k) => k === 'isDefault');
  // Anyone may pick a built-in or shared view as their default; changing it is for its owner or an admin.
  const mayShare = hasPermission(actor.permissions, 'views.share');
  if (!onlyDefault && (isBuiltIn || (row!.owner_id !== actor.userId && !mayShare))) return err({ code: 'VIEW.READ_ONLY', params: { id } });
  if (input.shared && !mayShare) return err({ code: 'AUTH.FORBIDDEN', field: 'shared' });
  const checked = await checkViewShape(ctx, actor, { filter: input.filter ?? undefined, sort: input.sort ?? undefined, columns: input.columns });
  if (!checked.ok) return checked;
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await viewSnapshot(trx, actor, id, lang);
    if (!onlyDefault) {
      await trx
        .updateTable('views')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.shared !== undefined ? { shared: input.shared ? 1 : 0 } : {}),
          ...(input.filter !== undefined ? { filter: input.filter ? JSON.stringify(input.filter) : null } : {}),
          ...(input.columns !== undefined ? { columns: JSON.stringify(input.columns) } : {}),
          ...(input.sort !== undefined ? { sort: input.sort ? JSON.stringify(input.sort) : null } : {}),
          updated_at: ctx.runtime.now().toISOString(),
        })
        .where('id', '=', id)
        .execute();
    }
    if (input.isDefault === true) await trx.updateTable('users').set({ default_view_id: id }).where('id', '=', actor.userId).execute();
    if (input.isDefault === false) {
      await trx.updateTable('users').set({ default_view_id: null }).where('id', '=', actor.userId).where('default_view_id', '=', id).execute();
    }
    const after = await viewSnapshot(trx, actor, id, lang);
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'view', entityId: id, changes: diffFields(before, after) });
  });
  return findView(ctx, actor, id, lang);
}

export async function deleteView(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<null, DomainError>> {
  if (builtInView(id)) return err({ code: 'VIEW.READ_ONLY', params: { id } });
  const row = await ctx.store.db.selectFrom('views').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (row.shared !== 1 && row.owner_id !== actor.userId)) return err({ code: 'VIEW.NOT_FOUND', params: { id } });
  if (row.owner_id !== actor.userId && !hasPermission(actor.permissions, 'views.share')) return err({ code: 'VIEW.READ_ONLY', params: { id } });
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await viewSnapshot(trx, actor, id);
    await trx.updateTable('users').set({ default_view_id: null }).where('default_view_id', '=', id).execute();
    await trx.deleteFrom('views').where('id', '=', id).execute();
    await recordAudit(trx, ctx.runtime, actor, { action: 'delete', entity: 'view', entityId: id, changes: diffFields(before, null) });
  });
  return ok(null);
}
