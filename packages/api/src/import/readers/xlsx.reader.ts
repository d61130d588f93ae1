import { stat } from 'node:fs/promises';
import { PassThrough, Transform, pipeline, type Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { err, ok, type DomainError, type Result } from '@telecrm/core';
import ExcelJS from 'exceljs';
import type { Entry, ZipFile } from 'yauzl';
import { unreadable } from './readers.errors.js';
import type { ImportRows, SheetRow } from './readers.types.js';
import { readOnce, RowSequencer } from './sheet-rows.js';
import { rowCells } from './xlsx.cells.js';
import { readWorkbookLayout, type WorksheetPart } from './xlsx.layout.js';
import { openEntry, openZip } from './zip.read.js';

const READER_OPTIONS = {
  sharedStrings: 'cache',
  // Styles are what tell a date from a number.
  styles: 'cache',
  hyperlinks: 'ignore',
  worksheets: 'emit',
  entries: 'ignore',
} as const;

/**
 * The part parsers of exceljs's streaming WorkbookReader, which its type declarations leave out. They
 * are fed here one part at a time, read through the zip's central directory, instead of letting the
 * reader walk the zip front to back: Excel, WPS and LibreOffice all store the sheets before the shared
 * strings (exceljs then copies every sheet to a temporary file it only deletes when the whole workbook
 * has been walked), and exceljs 4.4 decodes each chunk of a part on its own, turning a CJK character
 * split between two chunks into U+FFFD (53 cells of a 20,000-row Chinese list).
 */
interface PartParsers {
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(text: AsyncIterable<string>, id: string): Generator<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

/** A part as text, decoded across chunk boundaries. */
async function partText(zip: ZipFile, entry: Entry): Promise<Readable> {
  const stream = await openEntry(zip, entry);
  stream.setEncoding('utf8');
  return stream;
}

// Excel shows the first visible tab first; a hidden first sheet is rarely the one meant.
const defaultSheet = (sheets: WorksheetPart[]): WorksheetPart | undefined => sheets.find((s) => !s.hidden) ?? sheets[0];

// Sheet names are unique without regard to case in Excel.
const namedSheet = (sheets: WorksheetPart[], name: string): WorksheetPart | undefined =>
  sheets.find((s) => s.name === name) ?? sheets.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());

/** Opens a worksheet of an xlsx: the first (visible) one, or the one named. */
export async function openXlsxRows(path: string, sheetName: string | undefined): Promise<Result<ImportRows, DomainError>> {
  const { size } = await stat(path);
  let sheets: WorksheetPart[];
  try {
    const zip = await openZip(path);
    try {
      sheets = (await readWorkbookLayout(zip)).sheets;
    } finally {
      zip.close();
    }
  } catch (e) {
    return err(unreadable(e));
  }
  const names = sheets.map((s) => s.name);
  const sheet = sheetName === undefined ? defaultSheet(sheets) : namedSheet(sheets, sheetName);
  if (!sheet) {
    return sheetName === undefined
      ? err(unreadable('the workbook has no worksheet'))
      : err({ code: 'IMPORT.SHEET_NOT_FOUND', params: { sheet: sheetName, sheets: names } });
  }

  const progress = { bytes: 0 };
  return ok({
    encoding: null,
    sheet: sheet.name,
    sheets: names,
    bytesTotal: size,
    bytesRead: () => progress.bytes,
    rows: readOnce(() => sheetRows(path, sheet.part, size, progress)),
  });
}

/**
 * The rows of one sheet part. Progress counts the stored bytes of the parts read: the workbook,
 * styles and shared strings first, then the sheet as it streams; the rest of the file is never needed,
 * so the end of the sheet is the end of the file.
 */
async function* sheetRows(path: string, part: string, size: number, progress: { bytes: number }): AsyncGenerator<SheetRow> {
  const zip = await openZip(path);
  const opened: Readable[] = [];
  try {
    const layout = await readWorkbookLayout(zip);
    const sheetEntry = layout.entries.get(part);
    if (!sheetEntry) throw new Error(`the workbook has no part ${part}`);
    // The input is never read: the parts are handed over below.
    const parsers = new ExcelJS.stream.xlsx.WorkbookReader(path, READER_OPTIONS) as unknown as PartParsers;
    const read = (entry: Entry) => {
      progress.bytes += entry.compressedSize;
    };
    await parsers._parseWorkbook(await partText(zip, layout.workbook));
    read(layout.workbook);
    if (layout.styles) {
      await parsers._parseStyles(await partText(zip, layout.styles));
      read(layout.styles);
    }
    if (layout.sharedStrings) {
      // Yields nothing when shared strings are cached: it fills the reader's table.
      for await (const _ of parsers._parseSharedStrings(await partText(zip, layout.sharedStrings)));
      read(layout.sharedStrings);
    }

    if (sheetEntry.compressionMethod !== 0 && sheetEntry.compressionMethod !== 8) throw new Error(`${part} is packed in a way xlsx files are not`);
    const stored = await openEntry(zip, sheetEntry, true);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        progress.bytes += chunk.length;
        done(null, chunk);
      },
    });
    const inflated = sheetEntry.compressionMethod === 8 ? createInflateRaw() : new PassThrough();
    opened.push(stored, counter, inflated);
    // A failure destroys `inflated` with the error, which the loop over the rows then throws.
    pipeline(stored, counter, inflated, () => {});
    inflated.setEncoding('utf8');
    const worksheet = parsers._parseWorksheet(inflated, part).next().value!.value;

    const sequencer = new RowSequencer();
    const out: SheetRow[] = [];
    let previous = 0;
    for await (const row of worksheet) {
      // `r` is optional in the sheet XML: a row without it follows the one before.
      const rowNumber = Number.isInteger(row.number) && row.number > 0 ? row.number : previous + 1;
      previous = rowNumber;
      sequencer.push(rowNumber, rowCells(row), out);
      for (const r of out) yield r;
      out.length = 0;
    }
    progress.bytes = size;
  } finally {
    for (const stream of opened) stream.destroy();
    zip.close();
  }
}
