import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ok, type DomainError, type ImportEncoding, type Result } from '@telecrm/core';
import Papa from 'papaparse';
import { CSV_CHUNK_BYTES, csvEncoding } from './csv.encoding.js';
import { detectCsvDialect, type CsvDialect } from './csv.dialect.js';
import { readHead } from './file-format.js';
import type { ImportRows, SheetRow } from './readers.types.js';
import { readOnce, RowSequencer } from './sheet-rows.js';

/** Text looked at to guess the delimiter: enough for the first records of any real list. */
const SAMPLE_CHARS = 64 * 1024;

/**
 * Opens a csv: settles the encoding (chosen, else detected; a full streaming scan either way), then
 * rows() streams the file: bytes are decoded chunk by chunk and papaparse's parser takes the complete
 * records of each chunk, the unfinished last one waiting for the next chunk. Every cell is a string.
 */
export async function openCsvRows(path: string, chosen: ImportEncoding | undefined): Promise<Result<ImportRows, DomainError>> {
  const { size } = await stat(path);
  const encoding = await csvEncoding(path, await readHead(path), chosen);
  if (!encoding.ok) return encoding;
  let consumed = 0;
  return ok({
    encoding: encoding.value,
    sheet: null,
    sheets: [],
    bytesTotal: size,
    bytesRead: () => consumed,
    rows: readOnce(() =>
      csvRows(path, encoding.value, (bytes) => {
        consumed += bytes;
      }),
    ),
  });
}

async function* csvRows(path: string, encoding: string, onBytes: (bytes: number) => void): AsyncGenerator<SheetRow> {
  // Not fatal: a chosen encoding was checked on the whole file already, a detected one is the best guess.
  const decoder = new TextDecoder(encoding);
  const sequencer = new RowSequencer();
  const out: SheetRow[] = [];
  let dialect: CsvDialect | undefined;
  let pending = '';
  let record = 0;

  // Parses the complete records of `text` into `out` and returns what is left for the next chunk.
  const take = (text: string, last: boolean): string => {
    dialect ??= detectCsvDialect(text, last);
    const parsed = new Papa.Parser({ delimiter: dialect.delimiter, newline: dialect.newline }).parse(text, 0, !last) as {
      data: string[][];
      meta: { cursor: number };
    };
    const dropCr = dialect.newline === '\n';
    for (const cells of parsed.data) {
      record++;
      const end = cells.length - 1;
      if (dropCr && cells[end]!.endsWith('\r')) cells[end] = cells[end]!.slice(0, -1);
      sequencer.push(record, cells, out);
    }
    return last ? '' : text.slice(parsed.meta.cursor);
  };

  let started = false;
  const decode = (bytes?: Buffer): string => {
    let text = bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    if (!started && text !== '') {
      started = true;
      // Decoders drop a UTF-8/UTF-16 BOM; a GB18030 one decodes to U+FEFF.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };

  for await (const chunk of createReadStream(path, { highWaterMark: CSV_CHUNK_BYTES })) {
    onBytes((chunk as Buffer).length);
    pending += decode(chunk as Buffer);
    if (!dialect && pending.length < SAMPLE_CHARS) continue;
    pending = take(pending, false);
    for (const row of out) yield row;
    out.length = 0;
  }
  pending += decode();
  if (pending !== '') take(pending, true);
  for (const row of out) yield row;
}
