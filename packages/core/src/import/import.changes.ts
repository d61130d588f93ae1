import type { CountryCode } from 'libphonenumber-js/max';
import type { CustomField } from '../fields/field.schema.js';
import type { CustomValue } from '../customer/customer.schema.js';
import { nationalPhone, type NormalisedPhone } from '../phone/phone.rules.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';
import type { ImportAction } from './import.dedup.js';
import { fillOnlyEmpty } from './import.dedup.js';
import type { ImportMapping } from './import.mapping.js';
import type { ImportedFields, ImportRow, ImportRowError } from './import.rows.js';

/** A customer keeps at most this many numbers (as the customer schema allows). */
export const MAX_PHONES_PER_CUSTOMER = 20;

/** A new customer from one row: its name (the first number when the row has none) and its fields. */
export interface ImportedCustomer {
  name: string;
  fields: ImportedFields;
  phones: NormalisedPhone[];
}

/**
 * What a row that creates a customer stores. Lists are often bare numbers, so a row without a name is
 * named after its first number, as people would write it. Custom fields marked required must hold a
 * value, as for any new customer; the error names the column that should have held it.
 *
 * @example customerFromImportRow({ fields: {}, phones: [{ e164: '+8613800138000', kind: 'mobile' }] }, mapping, [], 'CN')
 *   // ok: { name: '13800138000', fields: {}, phones: [...] }
 */
export function customerFromImportRow(
  row: ImportRow,
  mapping: ImportMapping,
  customFields: readonly CustomField[],
  region: CountryCode,
): Result<ImportedCustomer, ImportRowError> {
  for (const field of customFields) {
    if (field.module !== 'customer' || !field.required || field.hidden) continue;
    const value = row.fields.custom?.[field.key];
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
      const column = mapping.columns.find((c) => c.target === `custom.${field.key}`)?.header ?? null;
      return err({ code: 'VALIDATION.REQUIRED', field: `custom.${field.key}`, params: { column, label: field.label }, column, value: null });
    }
  }
  const { name, ...fields } = row.fields;
  return ok({ name: name ?? nationalPhone(row.phones[0]!.e164, region), fields, phones: row.phones });
}

/** A stored customer as an import compares it: the fields a row can set, and its numbers in order. */
export interface ImportComparable {
  fields: ImportedFields;
  phones: readonly string[];
}

/** The fields an import row can set, each as stored before the change (null when it had none). */
export type ImportBefore = Partial<Record<Exclude<keyof ImportedFields, 'custom'>, unknown>> & {
  custom?: Record<string, CustomValue>;
};

/** What a duplicate row changes on the customer it matched, and what to put back on a revert. */
export interface ImportUpdate {
  /** Only the fields whose value changes; `custom` holds only the changed keys, `tags` the whole list. */
  set: ImportedFields;
  /** Numbers of the row the customer does not hold yet, appended after its own. */
  addPhones: NormalisedPhone[];
  before: ImportBefore;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameTags = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  same([...(a ?? [])].sort(), [...(b ?? [])].sort());

/**
 * Plans the change of a duplicate under `update` (the row's values overwrite, blank cells leave a
 * field alone) or `fill` (only fields the customer has no value in). Either policy adds the row's
 * numbers the customer lacks, up to the limit of numbers per customer. Null when nothing changes.
 *
 * @example planImportUpdate({ fields: { company: 'A' }, phones: ['+86...'] }, row, 'fill') // null when the row only has a company
 */
export function planImportUpdate(stored: ImportComparable, row: ImportRow, policy: 'update' | 'fill'): ImportUpdate | null {
  const incoming: ImportedFields =
    policy === 'update' ? row.fields : (fillOnlyEmpty(stored.fields as Record<string, unknown>, row.fields as Record<string, unknown>) as ImportedFields);
  const set: ImportedFields = {};
  const before: ImportBefore = {};
  for (const [key, value] of Object.entries(incoming) as [keyof ImportedFields, ImportedFields[keyof ImportedFields]][]) {
    if (key === 'custom') {
      const storedCustom = stored.fields.custom ?? {};
      for (const [customKey, customValue] of Object.entries(value as Record<string, CustomValue>)) {
        if (same(storedCustom[customKey], customValue)) continue;
        (set.custom ??= {})[customKey] = customValue;
        (before.custom ??= {})[customKey] = storedCustom[customKey] ?? null;
      }
    } else if (key === 'tags') {
      if (sameTags(stored.fields.tags, value as string[])) continue;
      set.tags = value as string[];
      before.tags = stored.fields.tags ?? [];
    } else {
      if (same(stored.fields[key], value)) continue;
      (set as Record<string, unknown>)[key] = value;
      before[key] = stored.fields[key] ?? null;
    }
  }
  const room = Math.max(0, MAX_PHONES_PER_CUSTOMER - stored.phones.length);
  const addPhones = row.phones.filter((p) => !stored.phones.includes(p.e164)).slice(0, room);
  if (Object.keys(set).length === 0 && addPhones.length === 0) return null;
  return { set, addPhones, before };
}

/** Why a planned row is not written, as a failure-report reason; null for rows that are written. */
export function importActionFailure(action: ImportAction): DomainError | null {
  switch (action.action) {
    case 'create':
    case 'update':
    case 'fill':
      return null;
    case 'duplicateInFile':
      return { code: 'IMPORT.DUPLICATE_IN_FILE', field: 'phones', params: { phone: action.phone, firstRow: action.firstRow } };
    case 'duplicate':
      return { code: action.deleted ? 'IMPORT.DUPLICATE_DELETED' : 'IMPORT.DUPLICATE', field: 'phones', params: { phone: action.phone } };
    case 'blocked':
      return { code: action.reason === 'wrongNumber' ? 'IMPORT.WRONG_NUMBER' : 'IMPORT.DO_NOT_CALL', field: 'phones', params: { phone: action.phone } };
    case 'ambiguous':
      return { code: 'IMPORT.AMBIGUOUS', field: 'phones', params: { phones: action.phones, customerIds: action.customerIds } };
  }
}

/** Which count a row's outcome adds to. */
export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'duplicateInFile' | 'blocked' | 'rejected';

export function outcomeOfAction(action: ImportAction): ImportOutcome {
  switch (action.action) {
    case 'create':
      return 'created';
    case 'update':
    case 'fill':
      return 'updated';
    case 'duplicateInFile':
      return 'duplicateInFile';
    case 'duplicate':
      return 'skipped';
    case 'blocked':
      return 'blocked';
    case 'ambiguous':
      return 'rejected';
  }
}
