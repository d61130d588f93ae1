import type { ImportCell } from '@telecrm/core';
import type { SheetRow } from './readers.types.js';

// Blank as the import rules see it: nothing, or only spaces.
const isBlank = (cells: readonly ImportCell[]): boolean =>
  cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

/**
 * Numbers rows 1, 2, 3 ... without holes, for both readers. A row the source does not have (a sheet
 * stores no element for an empty row) comes out as a blank row. Blank rows are only counted until a
 * row with content follows, so the blank rows after the last one cost nothing and are never handed
 * out: a sheet formatted down to row 1,048,576 must not turn into a million empty rows.
 */
export class RowSequencer {
  private next = 1;

  /** Appends to `out` the held-back blank rows before `rowNumber` and the row itself; holds a blank row back. */
  push(rowNumber: number, cells: ImportCell[], out: SheetRow[]): void {
    if (isBlank(cells)) return;
    // A row numbered before one already seen (a damaged sheet) keeps its place in the order.
    const number = Math.max(rowNumber, this.next);
    for (; this.next < number; this.next++) out.push({ rowNumber: this.next, cells: [] });
    out.push({ rowNumber: number, cells });
    this.next = number + 1;
  }
}

/** ImportRows.rows(): a file is streamed once, so a second call is a bug in the caller. */
export function readOnce(open: () => AsyncIterable<SheetRow>): () => AsyncIterable<SheetRow> {
  let opened = false;
  return () => {
    if (opened) throw new Error('rows() of an import file can be iterated once');
    opened = true;
    return open();
  };
}
