import {
  PICKLIST_NAMES,
  err,
  ok,
  type Actor,
  type CustomField,
  type CustomFieldCreate,
  type CustomFieldUpdate,
  type DomainError,
  type PicklistName,
  type PicklistValue,
  type PicklistValueCreate,
  type PicklistValueUpdate,
  type Result,
} from '@telecrm/core';
import { sql } from 'kysely';
import { diffFields, recordAudit } from '../store/audit.repo.js';
import { loadCustomFields } from '../store/catalogue.repo.js';
import { customPath, takeTurns } from '../store/dialect.js';
import { fail, inTransaction, isUniqueViolation, type ServiceContext, type Trx } from './context.js';


export const listCustomFields = (ctx: ServiceContext, module?: string): Promise<CustomField[]> => loadCustomFields(ctx.store.db, module);

async function fieldById(ctx: ServiceContext, id: string): Promise<Result<CustomField, DomainError>> {
  const field = (await loadCustomFields(ctx.store.db)).find((f) => f.id === id);
  return field ? ok(field) : err({ code: 'FIELD.NOT_FOUND', params: { id } });
}

/** A custom field as the audit log records it, read in the writing transaction. */
async function fieldSnapshot(trx: Trx, id: string): Promise<Record<string, unknown> | null> {
  const field = (await loadCustomFields(trx)).find((f) => f.id === id);
  return field ? { ...field } : null;
}

/** An index on the JSON value makes filters on a much-used custom field index lookups. */
async function syncFieldIndex(ctx: ServiceContext, field: CustomField): Promise<void> {
  if (field.module !== 'customer') return;
  const name = `customers_cf_${field.key.toLowerCase()}`;
  if (!field.indexed) {
    await sql`drop index if exists ${sql.id(name)}`.execute(ctx.store.db);
    return;
  }
  const expression =
    ctx.store.dialect === 'postgres' ? sql`((custom->>${sql.lit(field.key)}))` : sql`json_extract(custom, ${sql.lit(customPath(field.key))})`;
  await sql`create index if not exists ${sql.id(name)} on customers (${expression})`.execute(ctx.store.db);
}

export async function createCustomField(ctx: ServiceContext, actor: Actor, input: CustomFieldCreate): Promise<Result<CustomField, DomainError>> {
  if ((input.type === 'select' || input.type === 'multiSelect') && input.options.length === 0) {
    return err({ code: 'VALIDATION.REQUIRED', field: 'options' });
  }
  const now = ctx.runtime.now().toISOString();
  const id = ctx.runtime.newId();
  try {
    const created = await inTransaction(ctx, async (trx) => {
      // Fields added at once take turns, so each gets the next position.
      await takeTurns(trx, ctx.store.dialect, `custom_fields.${input.module}`);
      const count = await trx.selectFrom('custom_fields').select((eb) => eb.fn.countAll<number>().as('n')).where('module', '=', input.module).executeTakeFirst();
      await trx
        .insertInto('custom_fields')
        .values({
          id,
          module: input.module,
          key: input.key,
          label: input.label,
          type: input.type,
          required: input.required ? 1 : 0,
          hidden: input.hidden ? 1 : 0,
          position: input.position ?? Number(count?.n ?? 0),
          options: JSON.stringify([...new Set(input.options)]),
          indexed: input.indexed ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'customField', entityId: id, changes: diffFields(null, await fieldSnapshot(trx, id)) });
    });
    if (!created.ok) return created;
  } catch (e) {
    if (isUniqueViolation(e, 'custom_fields')) return err({ code: 'FIELD.KEY_TAKEN', field: 'key', params: { value: input.key } });
    throw e;
  }
  const field = await fieldById(ctx, id);
  if (field.ok) await syncFieldIndex(ctx, field.value);
  return field;
}

export async function updateCustomField(ctx: ServiceContext, actor: Actor, id: string, input: CustomFieldUpdate): Promise<Result<CustomField, DomainError>> {
  const existing = await fieldById(ctx, id);
  if (!existing.ok) return existing;
  const updated = await inTransaction(ctx, async (trx) => {
    const before = await fieldSnapshot(trx, id);
    if (!before) fail({ code: 'FIELD.NOT_FOUND', params: { id } });
    await trx
      .updateTable('custom_fields')
      .set({
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.required !== undefined ? { required: input.required ? 1 : 0 } : {}),
        ...(input.hidden !== undefined ? { hidden: input.hidden ? 1 : 0 } : {}),
        ...(input.options !== undefined ? { options: JSON.stringify([...new Set(input.options)]) } : {}),
        ...(input.indexed !== undefined ? { indexed: input.indexed ? 1 : 0 } : {}),
        updated_at: ctx.runtime.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    if (input.position !== undefined) {
      // Moving a field shifts the others, keeping positions 0..n-1 without ties.
      const order = (await loadCustomFields(trx, existing.value.module)).map((f) => f.id).filter((fid) => fid !== id);
      order.splice(Math.min(input.position, order.length), 0, id);
      for (const [position, fid] of order.entries()) {
        await trx.updateTable('custom_fields').set({ position }).where('id', '=', fid).execute();
      }
    }
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'customField', entityId: id, changes: diffFields(before, await fieldSnapshot(trx, id)) });
  });
  if (!updated.ok) return updated;
  const field = await fieldById(ctx, id);
  if (field.ok) await syncFieldIndex(ctx, field.value);
  return field;
}

/** Removes the definition; stored values stay in the records but are no longer shown or filterable. */
export async function deleteCustomField(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<null, DomainError>> {
  const existing = await fieldById(ctx, id);
  if (!existing.ok) return existing;
  await syncFieldIndex(ctx, { ...existing.value, indexed: false });
  return inTransaction(ctx, async (trx) => {
    const before = await fieldSnapshot(trx, id);
    if (!before) return fail({ code: 'FIELD.NOT_FOUND', params: { id } });
    await trx.deleteFrom('custom_fields').where('id', '=', id).execute();
    await recordAudit(trx, ctx.runtime, actor, { action: 'delete', entity: 'customField', entityId: id, changes: diffFields(before, null) });
    return null;
  });
}

const toPicklistValue = (r: { id: string; list: string; value: string; position: number; active: number; color: string | null; aliases: string }): PicklistValue => ({
  id: r.id,
  list: r.list as PicklistName,
  value: r.value,
  position: r.position,
  active: r.active === 1,
  color: r.color,
  aliases: JSON.parse(r.aliases) as string[],
});

/**
 * An alias must not read as another value of the list, nor as another value's alias: an imported cell
 * has to mean one value only.
 */
async function assertAliasesFree(trx: Trx, list: PicklistName, id: string | null, value: string, aliases: readonly string[]): Promise<void> {
  const others = await trx.selectFrom('picklist_values').select(['id', 'value', 'aliases']).where('list', '=', list).execute();
  const taken = new Set(others.filter((o) => o.id !== id).flatMap((o) => [o.value, ...(JSON.parse(o.aliases) as string[])]));
  const clash = aliases.find((a) => a === value || taken.has(a));
  if (clash !== undefined) fail({ code: 'PICKLIST.VALUE_EXISTS', field: 'aliases', params: { value: clash } });
}

export async function listPicklistValues(ctx: ServiceContext, list?: PicklistName): Promise<PicklistValue[]> {
  let q = ctx.store.db.selectFrom('picklist_values').selectAll().orderBy('list').orderBy('position').orderBy('value');
  if (list) q = q.where('list', '=', list);
  return (await q.execute()).map(toPicklistValue);
}

export const isPicklistName = (name: string): name is PicklistName => (PICKLIST_NAMES as readonly string[]).includes(name);

export async function addPicklistValue(ctx: ServiceContext, actor: Actor, list: PicklistName, input: PicklistValueCreate): Promise<Result<PicklistValue, DomainError>> {
  try {
    return await inTransaction(ctx, async (trx) => {
      // Values added or renamed at once take turns: each gets the next position, and no alias comes to
      // name two values (there is no constraint to catch it: aliases are a list in each row).
      await takeTurns(trx, ctx.store.dialect, `picklist.${list}`);
      const last = await trx.selectFrom('picklist_values').select('position').where('list', '=', list).orderBy('position', 'desc').limit(1).executeTakeFirst();
      const row = {
        id: ctx.runtime.newId(),
        list,
        value: input.value,
        position: input.position ?? (last ? last.position + 1 : 0),
        active: 1,
        color: input.color ?? null,
        aliases: JSON.stringify(input.aliases ?? []),
        created_at: ctx.runtime.now().toISOString(),
      };
      await assertAliasesFree(trx, list, null, input.value, input.aliases ?? []);
      await trx.insertInto('picklist_values').values(row).execute();
      const value = toPicklistValue(row);
      await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'picklistValue', entityId: row.id, changes: diffFields(null, { ...value }) });
      return value;
    });
  } catch (e) {
    if (isUniqueViolation(e, 'picklist_values')) return err({ code: 'PICKLIST.VALUE_EXISTS', field: 'value', params: { value: input.value } });
    throw e;
  }
}

/**
 * Renames, reorders or (de)activates a value. A rename carries over to every customer holding the old
 * value in the same transaction, so records never hold a value the list no longer has.
 */
export async function updatePicklistValue(
  ctx: ServiceContext,
  actor: Actor,
  list: PicklistName,
  id: string,
  input: PicklistValueUpdate,
): Promise<Result<PicklistValue, DomainError>> {
  try {
    return await inTransaction(ctx, async (trx) => {
      await takeTurns(trx, ctx.store.dialect, `picklist.${list}`);
      const existing = await trx.selectFrom('picklist_values').selectAll().where('id', '=', id).where('list', '=', list).executeTakeFirst();
      if (!existing) return fail({ code: 'PICKLIST.VALUE_NOT_FOUND', params: { id } });
      if (input.aliases !== undefined || input.value !== undefined) {
        await assertAliasesFree(trx, list, id, input.value ?? existing.value, input.aliases ?? (JSON.parse(existing.aliases) as string[]));
      }
      await trx
        .updateTable('picklist_values')
        .set({
          ...(input.value !== undefined ? { value: input.value } : {}),
          ...(input.aliases !== undefined ? { aliases: JSON.stringify(input.aliases) } : {}),
          ...(input.position !== undefined ? { position: input.position } : {}),
          ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
          ...(input.color !== undefined ? { color: input.color } : {}),
        })
        .where('id', '=', id)
        .execute();
      if (input.value !== undefined && input.value !== existing.value) {
        if (list === 'tags') {
          await trx.updateTable('customer_tags').set({ tag: input.value }).where('tag', '=', existing.value).execute();
        } else if (list !== 'releaseReason') {
          const column = list;
          await trx.updateTable('customers').set({ [column]: input.value }).where(column, '=', existing.value).execute();
        }
      }
      const row = await trx.selectFrom('picklist_values').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const after = toPicklistValue(row);
      await recordAudit(trx, ctx.runtime, actor, {
        action: 'update',
        entity: 'picklistValue',
        entityId: id,
        changes: diffFields({ ...toPicklistValue(existing) }, { ...after }),
      });
      return after;
    });
  } catch (e) {
    if (isUniqueViolation(e)) return err({ code: 'PICKLIST.VALUE_EXISTS', field: 'value', params: { value: input.value } });
    throw e;
  }
}

/** Deletes a value; customers holding it keep it until they are next edited. */
export async function deletePicklistValue(ctx: ServiceContext, actor: Actor, list: PicklistName, id: string): Promise<Result<null, DomainError>> {
  return inTransaction(ctx, async (trx) => {
    const existing = await trx.selectFrom('picklist_values').selectAll().where('id', '=', id).where('list', '=', list).executeTakeFirst();
    if (!existing) return fail({ code: 'PICKLIST.VALUE_NOT_FOUND', params: { id } });
    await trx.deleteFrom('picklist_values').where('id', '=', id).execute();
    await recordAudit(trx, ctx.runtime, actor, { action: 'delete', entity: 'picklistValue', entityId: id, changes: diffFields({ ...toPicklistValue(existing) }, null) });
    return null;
  });
}
