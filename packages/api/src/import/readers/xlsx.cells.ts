import type { ImportCell } from '@telecrm/core';
import type { CellValue, Row } from 'exceljs';

/**
 * A cell as exceljs's streaming reader gives it, as an import cell: numbers stay numbers (a phone in a
 * number cell too), dates stay Dates (their UTC fields are the wall clock the sheet shows), rich text
 * is joined, a formula gives its cached result, a hyperlink its text, a boolean TRUE/FALSE (as Excel
 * shows it), an error value (#N/A ...) nothing.
 */
export function toImportCell(value: CellValue | undefined): ImportCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('error' in value) return null;
  // A formula whose result is an error comes from the streaming reader as NaN, dropped above.
  if ('formula' in value || 'sharedFormula' in value) return toImportCell(value.result);
  if ('hyperlink' in value) return toImportCell(value.text);
  return null;
}

/** The cells of a row by column (A = 0), with null where the sheet stores nothing. */
export function rowCells(row: Row): ImportCell[] {
  const cells = new Array<ImportCell>(row.cellCount).fill(null);
  row.eachCell((cell, column) => {
    cells[column - 1] = toImportCell(cell.value);
  });
  return cells;
}
