import { type CustomValue, type ImportBefore, type ImportComparable, type ImportedFields } from '@telecrm/core';
import type { Transaction } from 'kysely';
import type { DialectName } from './connect.js';
import type { CustomerRow, CustomerRowUpdate, Database } from './database.js';
import { readByIds, readJson } from './dialect.js';
import { COLUMN, groupByCustomer, indexName, replaceTags } from './customer.repo.js';

// Updates of existing customers by an import, and their revert: the two write the same fields, one
// with the row's values and one with the values kept from before.

type Trx = Transaction<Database>;

/** What a revert needs to undo one update: the fields' old values and the numbers the import added. */
export interface ImportUpdateBefore {
  fields: ImportBefore;
  addedPhones: string[];
}

/** The fields an import row sets one column each of, with that column. */
const SCALAR_COLUMNS = Object.fromEntries(
  (['name', 'company', 'wechat', 'email', 'source', 'industry', 'region', 'status', 'stage', 'level', 'remark', 'nextFollowUpAt'] as const).map(
    (field) => [field, COLUMN[field]!],
  ),
) as Record<Exclude<keyof ImportedFields, 'tags' | 'custom'>, keyof CustomerRow>;

/** The stored values an import compares a row with, for each of these customers. */
export async function loadImportComparables(trx: Trx, ids: readonly string[]): Promise<Map<string, ImportComparable>> {
  const result = new Map<string, ImportComparable>();
  if (ids.length === 0) return result;
  const [rows, phones, tags] = await Promise.all([
    readByIds(ids, (slice) => trx.selectFrom('customers').selectAll().where('id', 'in', slice).execute()),
    readByIds(ids, (slice) =>
      trx.selectFrom('customer_phones').select(['customer_id', 'e164']).where('customer_id', 'in', slice).orderBy('customer_id').orderBy('position').execute(),
    ),
    readByIds(ids, (slice) => trx.selectFrom('customer_tags').select(['customer_id', 'tag']).where('customer_id', 'in', slice).execute()),
  ]);
  // Grouped once: filtering the batch's numbers and tags for each of its customers took seconds a batch.
  const tagsOf = groupByCustomer(tags);
  const phonesOf = groupByCustomer(phones);
  for (const row of rows) {
    const fields: ImportedFields = {};
    for (const [field, column] of Object.entries(SCALAR_COLUMNS) as [keyof typeof SCALAR_COLUMNS, keyof typeof row][]) {
      const value = row[column];
      if (value !== null && value !== undefined) (fields as Record<string, unknown>)[field] = value;
    }
    fields.custom = readJson<Record<string, CustomValue>>(row.custom, {});
    const own = tagsOf.get(row.id);
    if (own) fields.tags = own.map((t) => t.tag);
    result.set(row.id, { fields, phones: (phonesOf.get(row.id) ?? []).map((p) => p.e164) });
  }
  return result;
}

/**
 * Writes import fields on one customer: scalars set (null clears), `custom` merged key by key (null
 * removes a key), `tags` replaced; numbers added at the end or removed; the stamp moved to `now`.
 */
export async function writeImportFields(
  trx: Trx,
  customerId: string,
  fields: ImportBefore,
  phones: { add: readonly { e164: string; extension: string | null }[]; remove: readonly string[] },
  stamp: { actorId: string; now: string },
): Promise<void> {
  const set: CustomerRowUpdate = { updated_at: stamp.now, updated_by: stamp.actorId };
  for (const [field, column] of Object.entries(SCALAR_COLUMNS) as [keyof typeof SCALAR_COLUMNS, keyof CustomerRowUpdate][]) {
    if (field in fields) (set as Record<string, unknown>)[column] = fields[field] ?? null;
  }
  if (fields.custom) {
    const row = await trx.selectFrom('customers').select('custom').where('id', '=', customerId).executeTakeFirstOrThrow();
    const custom = readJson<Record<string, CustomValue>>(row.custom, {});
    for (const [key, value] of Object.entries(fields.custom)) {
      if (value === null) delete custom[key];
      else custom[key] = value;
    }
    set.custom = JSON.stringify(custom);
  }
  await trx.updateTable('customers').set(set).where('id', '=', customerId).execute();
  if ('tags' in fields) await replaceTags(trx, customerId, (fields.tags as string[] | null) ?? []);
  if (typeof fields.name === 'string') await indexName(trx, customerId, fields.name);
  if (phones.remove.length) {
    await trx.deleteFrom('customer_phones').where('customer_id', '=', customerId).where('e164', 'in', phones.remove).execute();
  }
  if (phones.add.length) {
    const last = await trx
      .selectFrom('customer_phones')
      .select('position')
      .where('customer_id', '=', customerId)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    const first = (last?.position ?? -1) + 1;
    await trx
      .insertInto('customer_phones')
      .values(phones.add.map((p, i) => ({ e164: p.e164, customer_id: customerId, extension: p.extension, label: null, position: first + i })))
      .execute();
  }
  if (phones.add.length || phones.remove.length) {
    const primary = await trx.selectFrom('customer_phones').select('e164').where('customer_id', '=', customerId).orderBy('position').limit(1).executeTakeFirst();
    await trx.updateTable('customers').set({ primary_phone: primary?.e164 ?? null }).where('id', '=', customerId).execute();
  }
}

/**
 * Locks an import's job and every customer it touched until the transaction ends (PostgreSQL; SQLite's
 * writer lock already does it): a second revert waits and then finds it reverted, and an edit of one
 * of its customers either commits first (a conflict the revert then sees) or waits for the revert.
 */
export async function lockImportForRevert(trx: Trx, dialect: DialectName, jobId: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await trx.selectFrom('jobs').select('id').where('id', '=', jobId).forUpdate().execute();
  await trx
    .selectFrom('customers')
    .select('id')
    .where('id', 'in', (eb) => eb.selectFrom('import_changes').select('customer_id').where('job_id', '=', jobId))
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/** Customers of the import that changed after it (their stamp moved on), counted, with a few ids to name. */
export async function findImportRevertConflicts(trx: Trx, jobId: string): Promise<{ count: number; sample: string[] }> {
  const changed = trx
    .selectFrom('import_changes')
    .innerJoin('customers', 'customers.id', 'import_changes.customer_id')
    .where('import_changes.job_id', '=', jobId)
    .whereRef('customers.updated_at', '<>', 'import_changes.updated_at');
  const [count, sample] = await Promise.all([
    changed.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    changed.select('customers.id').orderBy('import_changes.row_number').limit(5).execute(),
  ]);
  return { count: Number(count.n), sample: sample.map((s) => s.id) };
}

/**
 * Deletes what the import created (set-based: phones, tags and the rest go with them) and restores
 * what it updated, one customer at a time from the kept values.
 */
export async function revertImportChanges(
  trx: Trx,
  jobId: string,
  stamp: { actorId: string; now: string },
): Promise<{ deleted: number; restored: number }> {
  const created = await trx
    .deleteFrom('customers')
    .where('id', 'in', (eb) => eb.selectFrom('import_changes').select('customer_id').where('job_id', '=', jobId).where('action', '=', 'create'))
    .executeTakeFirst();
  const updates = await trx
    .selectFrom('import_changes')
    .innerJoin('customers', 'customers.id', 'import_changes.customer_id')
    .select(['import_changes.customer_id', 'import_changes.before'])
    .where('import_changes.job_id', '=', jobId)
    .where('import_changes.action', '=', 'update')
    .execute();
  for (const update of updates) {
    const before = readJson<ImportUpdateBefore>(update.before, { fields: {}, addedPhones: [] });
    await writeImportFields(trx, update.customer_id, before.fields, { add: [], remove: before.addedPhones }, stamp);
  }
  return { deleted: Number(created.numDeletedRows), restored: updates.length };
}
