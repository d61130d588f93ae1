import type { PicklistName, PicklistValue } from './picklist.schema.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';

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
 * lists for their reports, so "网络" is not silently accepted for "网络推广".
 */
export function checkPicklistValue(
  index: PicklistIndex,
  list: PicklistName,
  value: string,
  field: string,
): Result<string, DomainError> {
  if (index.get(list)?.has(value)) return ok(value);
  return err({ code: 'PICKLIST.VALUE_UNKNOWN', field, params: { list, value, allowed: [...(index.get(list) ?? [])] } });
}
