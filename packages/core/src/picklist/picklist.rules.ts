import type { PicklistName, PicklistValue } from './picklist.schema.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';
import { cleanText } from '../shared/text.js';

/** The active values of every list, as the validator needs them. */
export type PicklistIndex = ReadonlyMap<PicklistName, ReadonlySet<string>>;

export function indexPicklists(values: readonly Pick<PicklistValue, 'list' | 'value' | 'active'>[]): PicklistIndex {
  const index = new Map<PicklistName, Set<string>>();
  for (const v of values) {
    if (!v.active) continue;
    let set = index.get(v.list);
    if (!set) index.set(v.list, (set = new Set()));
    set.add(v.value);
  }
  return index;
}

/**
 * A picklist value must match a configured, active value exactly: the manuals' users rely on clean
 * lists for their reports, so "网络" is not silently accepted for "网络推广". Only full-width forms and
 * spacing are forgiven.
 */
export function checkPicklistValue(
  index: PicklistIndex,
  list: PicklistName,
  value: string,
  field: string,
): Result<string, DomainError> {
  const values = index.get(list);
  if (values?.has(value)) return ok(value);
  // Writes fold full-width forms and spaces (cleanText); a configured value may hold them, e.g.
  // "网络推广（百度）". Same text once folded is the same value: answer with the configured spelling.
  const folded = cleanText(value);
  for (const configured of values ?? []) if (cleanText(configured) === folded) return ok(configured);
  return err({ code: 'PICKLIST.VALUE_UNKNOWN', field, params: { list, value, allowed: [...(index.get(list) ?? [])] } });
}
