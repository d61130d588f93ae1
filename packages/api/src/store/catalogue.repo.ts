import { customerFieldCatalogue, indexPicklists, type CustomField, type PicklistIndex, type PicklistName } from '@telecrm/core';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function loadCustomFields(db: Db, module?: string): Promise<CustomField[]> {
  let q = db.selectFrom('custom_fields').selectAll().orderBy('position').orderBy('created_at');
  if (module) q = q.where('module', '=', module);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    module: r.module as CustomField['module'],
    key: r.key,
    label: r.label,
    type: r.type as CustomField['type'],
    required: r.required === 1,
    hidden: r.hidden === 1,
    position: r.position,
    options: JSON.parse(r.options) as string[],
    indexed: r.indexed === 1,
  }));
}

export async function loadPicklistIndex(db: Db): Promise<PicklistIndex> {
  const rows = await db.selectFrom('picklist_values').select(['list', 'value', 'active']).execute();
  return indexPicklists(rows.map((r) => ({ list: r.list as PicklistName, value: r.value, active: r.active === 1 })));
}

export async function loadCustomerCatalogue(db: Db) {
  return customerFieldCatalogue(await loadCustomFields(db, 'customer'));
}

/** Per list, each alias of an active value and the value it stands for (for imports). */
export async function loadPicklistAliases(db: Db): Promise<Partial<Record<PicklistName, Record<string, string>>>> {
  const rows = await db.selectFrom('picklist_values').select(['list', 'value', 'aliases']).where('active', '=', 1).execute();
  const aliases: Partial<Record<PicklistName, Record<string, string>>> = {};
  for (const row of rows) {
    for (const alias of JSON.parse(row.aliases) as string[]) (aliases[row.list as PicklistName] ??= {})[alias] = row.value;
  }
  return aliases;
}
