import type { SeenNumbers } from './import.seen.js';

/** What the database knows about one normalised number. */
export interface ExistingPhone {
  customerId: string;
  /** The customer is in the recycle bin. */
  deleted: boolean;
  wrongNumber: boolean;
  doNotCall: boolean;
}

export type DuplicatePolicy = 'skip' | 'update' | 'fill';

export type ImportAction =
  | { action: 'create' }
  | { action: 'update'; customerId: string; phone: string }
  | { action: 'fill'; customerId: string; phone: string }
  | { action: 'duplicateInFile'; firstRow: number; phone: string }
  | { action: 'duplicate'; customerId: string; deleted: boolean; phone: string }
  | { action: 'blocked'; reason: 'wrongNumber' | 'doNotCall'; phone: string }
  | { action: 'ambiguous'; customerIds: string[]; phones: string[] };

export type ImportPlan = { rowNumber: number } & ImportAction;

export interface PlannedRow {
  rowNumber: number;
  /** Normalised E.164 numbers of the row. */
  phones: readonly string[];
}

/**
 * Decides what each row of a batch does, by its numbers. In order:
 * - `blocked`: a number is flagged wrong-number or do-not-call: never re-created nor touched;
 * - `duplicateInFile`: an earlier row of the file carried one of the numbers (the first row wins);
 * - `ambiguous`: the numbers belong to different existing customers: the row is not guessed at;
 * - `duplicate` (policy skip, or any customer in the recycle bin, which an import neither revives
 *   nor edits), `update` or `fill` for a number already stored;
 * - `create` otherwise.
 * Every row's numbers are recorded in `seenInFile` (first row kept), so batches chain.
 *
 * @example planImportBatch([{ rowNumber: 2, phones: ['+8613800138000'] }], new Map(), new Map(), 'skip')
 *   // [{ rowNumber: 2, action: 'create' }]
 */
export function planImportBatch(
  rows: readonly PlannedRow[],
  existing: ReadonlyMap<string, ExistingPhone>,
  seenInFile: SeenNumbers,
  policy: DuplicatePolicy,
): ImportPlan[] {
  return rows.map((row) => {
    const plan = { rowNumber: row.rowNumber, ...planRow(row, existing, seenInFile, policy) };
    for (const phone of row.phones) if (!seenInFile.has(phone)) seenInFile.set(phone, row.rowNumber);
    return plan;
  });
}

function planRow(
  row: PlannedRow,
  existing: ReadonlyMap<string, ExistingPhone>,
  seenInFile: SeenNumbers,
  policy: DuplicatePolicy,
): ImportAction {
  const stored = row.phones.flatMap((phone) => {
    const hit = existing.get(phone);
    return hit ? [{ phone, ...hit }] : [];
  });
  const wrong = stored.find((s) => s.wrongNumber);
  if (wrong) return { action: 'blocked', reason: 'wrongNumber', phone: wrong.phone };
  const dnc = stored.find((s) => s.doNotCall);
  if (dnc) return { action: 'blocked', reason: 'doNotCall', phone: dnc.phone };

  let earliest: { firstRow: number; phone: string } | undefined;
  for (const phone of row.phones) {
    const firstRow = seenInFile.get(phone);
    if (firstRow !== undefined && (!earliest || firstRow < earliest.firstRow)) earliest = { firstRow, phone };
  }
  if (earliest) return { action: 'duplicateInFile', ...earliest };

  const customerIds = [...new Set(stored.map((s) => s.customerId))];
  if (customerIds.length > 1) return { action: 'ambiguous', customerIds, phones: stored.map((s) => s.phone) };
  const match = stored[0];
  if (!match) return { action: 'create' };
  const { customerId, deleted, phone } = match;
  if (policy === 'skip' || deleted) return { action: 'duplicate', customerId, deleted, phone };
  return { action: policy, customerId, phone };
}

const isEmptyValue = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * The `fill` policy: the incoming fields that are empty on the stored customer (absent, null, blank
 * text, no tags). Nested objects (`custom`) are filled key by key. Incoming empties are never returned.
 *
 * @example fillOnlyEmpty({ company: 'A', remark: null }, { company: 'B', remark: 'x' }) // { remark: 'x' }
 */
export function fillOnlyEmpty(
  existing: Readonly<Record<string, unknown>>,
  incoming: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(incoming)) {
    if (isEmptyValue(value)) continue;
    const current = existing[key];
    if (isPlainObject(value) && (isPlainObject(current) || isEmptyValue(current))) {
      const nested = fillOnlyEmpty(isPlainObject(current) ? current : {}, value);
      if (Object.keys(nested).length) out[key] = nested;
    } else if (isEmptyValue(current)) out[key] = value;
  }
  return out;
}
