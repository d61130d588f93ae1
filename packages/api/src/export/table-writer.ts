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

/** Writes rows as an xlsx (exceljs's streaming writer) or a csv (papaparse's quoting), streaming. */
export function createTableWriter(format: TableFormat, options: { sheetName: string; encoding?: ExportEncoding }): TableWriter {
  const out = new PassThrough({ highWaterMark: HIGH_WATER });
  const backpressure = async () => {
    if (out.writableNeedDrain) await once(out, 'drain');
  };
  if (format === 'xlsx') {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const sheet = workbook.addWorksheet(options.sheetName);
    return {
      stream: out,
      async writeRow(cells) {
        sheet.addRow([...cells]).commit();
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
