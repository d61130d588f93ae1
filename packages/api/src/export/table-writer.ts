import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
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
 * Waits until `stream` (the response, or a sheet on its way into the zip) took what was written. A
 * response closed meanwhile (the client went away) never drains: the writing stops with an error
 * instead of waiting for ever or going on for nothing.
 */
async function drainedOrClosed(out: PassThrough, stream: Writable = out): Promise<void> {
  if (stream.writableNeedDrain && !out.destroyed) {
    const settled = new AbortController();
    try {
      await Promise.race([once(stream, 'drain', { signal: settled.signal }), once(out, 'close', { signal: settled.signal })]);
    } finally {
      settled.abort();
    }
  }
  if (out.destroyed) throw new Error('the download was closed before its end');
}

/** Written to the zip a chunk at a time: a deflate call a row costs more than making the row. */
const SHEET_CHUNK_BYTES = 64 * 1024;

/**
 * A part of the workbook (a sheet's XML) on its way into the zip, as a stream that says when it is
 * full. exceljs's own part stream takes every row at once and hands it on without waiting, so rows
 * made faster than the zip deflates them pile up in between: the process of a million-row export
 * grew past 500 MB. This one gathers the writer's pieces into chunks and has a high-water mark
 * that `writeRow` waits on.
 */
class WorkbookPartStream extends PassThrough {
  private pieces: Buffer[] = [];
  private piecesBytes = 0;

  constructor() {
    super({ highWaterMark: HIGH_WATER });
  }

  // exceljs writes strings, Buffers and its own string buffers (which have toBuffer()).
  override write(piece: unknown): boolean {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.isBuffer(piece) ? piece : (piece as { toBuffer(): Buffer }).toBuffer();
    this.pieces.push(bytes);
    this.piecesBytes += bytes.length;
    return this.piecesBytes < SHEET_CHUNK_BYTES || this.flushPieces();
  }

  override end(...args: unknown[]): this {
    this.flushPieces();
    return super.end(...(args as []));
  }

  private flushPieces(): boolean {
    if (this.piecesBytes === 0) return !this.writableNeedDrain;
    const chunk = Buffer.concat(this.pieces, this.piecesBytes);
    this.pieces = [];
    this.piecesBytes = 0;
    return super.write(chunk);
  }
}

/** exceljs's streaming workbook writer, with parts that can be waited on (see WorkbookPartStream). */
class WorkbookWriterWithBackpressure extends ExcelJS.stream.xlsx.WorkbookWriter {
  /** The part opened last: a sheet's XML, as a sheet opens its part when it is added. */
  lastPart: WorkbookPartStream | null = null;

  // exceljs opens every part through this undocumented method; the lock file pins the version it was
  // written against, and the tests read back what it writes.
  _openStream(path: string): WorkbookPartStream {
    const part = new WorkbookPartStream();
    (this as unknown as { zip: { append(source: Readable, data: { name: string }): void } }).zip.append(part, { name: path });
    // exceljs waits for this event before it writes the workbook's last parts.
    part.on('finish', () => part.emit('zipped'));
    this.lastPart = part;
    return part;
  }
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
  if (format === 'xlsx') {
    const workbook = new WorkbookWriterWithBackpressure({ stream: out, useStyles: false, useSharedStrings: false });
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
        await drainedOrClosed(out, workbook.lastPart!);
        await drainedOrClosed(out);
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
      await drainedOrClosed(out);
    },
    async end() {
      flush();
      out.end();
    },
    fail: (error) => out.destroy(error),
  };
}
