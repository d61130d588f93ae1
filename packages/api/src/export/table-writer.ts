import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { ExportEncoding, TableFormat } from '@telecrm/core';

export type TableCell = string | number | Date | null;

export interface TableWriter {
  /** The file as it is written, to send as a response body. */
  readonly stream: Readable;
  /** Waits when the reader is behind, so memory stays flat however many rows there are. */
  writeRow(cells: readonly TableCell[]): Promise<void>;
  end(): Promise<void>;
  /** Ends the stream with an error (the download breaks off instead of looking complete). */
  fail(error: Error): void;
}

export const TABLE_CONTENT_TYPES: Record<TableFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

const HIGH_WATER = 1024 * 1024;
const CSV_ROWS_PER_CHUNK = 500;
/** The most rows Excel opens in a sheet: a longer table goes on in another sheet, under the same header. */
export const XLSX_MAX_ROWS_PER_SHEET = 1_048_576;

/**
 * Waits until the response took what was written. A response closed meanwhile (the client went away)
 * never drains: the writing stops with an error instead of waiting for ever or going on for nothing.
 */
async function drainedOrClosed(out: PassThrough): Promise<void> {
  if (out.writableNeedDrain && !out.destroyed) {
    const settled = new AbortController();
    try {
      await Promise.race([once(out, 'drain', { signal: settled.signal }), once(out, 'close', { signal: settled.signal })]);
    } finally {
      settled.abort();
    }
  }
  if (out.destroyed) throw new Error('the download was closed before its end');
}

/**
 * Writes rows as an xlsx (exceljs's streaming writer) or a csv (papaparse's quoting), streaming. The
 * first row is the header: an xlsx sheet that is full starts the next one with it.
 */
export function createTableWriter(
  format: TableFormat,
  options: { sheetName: string; encoding?: ExportEncoding; maxRowsPerSheet?: number },
): TableWriter {
  const out = new PassThrough({ highWaterMark: HIGH_WATER });
  const backpressure = () => drainedOrClosed(out);
  if (format === 'xlsx') {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const maxRows = options.maxRowsPerSheet ?? XLSX_MAX_ROWS_PER_SHEET;
    let sheet = workbook.addWorksheet(options.sheetName);
    let sheets = 1;
    let rows = 0;
    let header: TableCell[] | null = null;
    return {
      stream: out,
      async writeRow(cells) {
        if (header === null) header = [...cells];
        else if (rows === maxRows) {
          sheet.commit();
          sheet = workbook.addWorksheet(`${options.sheetName} (${++sheets})`);
          sheet.addRow(header).commit();
          rows = 1;
        }
        sheet.addRow([...cells]).commit();
        rows++;
        await backpressure();
      },
      async end() {
        sheet.commit();
        await workbook.commit();
      },
      fail: (error) => out.destroy(error),
    };
  }
  const encoding = options.encoding ?? 'utf-8';
  const encode = (text: string) => (encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8'));
  if (encoding === 'utf-8') out.write(Buffer.from('\ufeff', 'utf8'));
  // Rows go out a few hundred at a time: a chunk a row cost more to quote and to pass down the
  // response's streams than to make the row (a third of a million-row export).
  let pending: (string | number | null)[][] = [];
  const flush = () => {
    if (pending.length === 0) return;
    out.write(encode(`${Papa.unparse(pending, { newline: '\r\n' })}\r\n`));
    pending = [];
  };
  return {
    stream: out,
    async writeRow(cells) {
      pending.push(cells.map((c) => (c instanceof Date ? c.toISOString() : c)));
      if (pending.length < CSV_ROWS_PER_CHUNK) return;
      flush();
      await backpressure();
    },
    async end() {
      flush();
      out.end();
    },
    fail: (error) => out.destroy(error),
  };
}
