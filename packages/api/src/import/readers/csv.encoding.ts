import { createReadStream } from 'node:fs';
import { err, ok, type DomainError, type ImportEncoding, type Result } from '@telecrm/core';

/**
 * Bytes read at a time when a csv is scanned or parsed. 64 KiB measured fastest: with 1 MiB chunks the
 * decoded text and its rows outlive the young generation and reading a million rows took 2.5x as long.
 */
export const CSV_CHUNK_BYTES = 1 << 16;

type MarkedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding a byte order mark at the start of a text file announces. */
function encodingFromBom(head: Uint8Array): MarkedEncoding | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * UTF-16 saved without a BOM. A csv is mostly ASCII (digits, delimiters, line ends), which UTF-16 stores
 * with a 0 high byte: many zero bytes on one side of each byte pair and hardly any on the other (a
 * CJK character such as 一 U+4E00 has a 0 low byte now and then). Binary files have zeros on both sides.
 */
function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = head.length >> 1;
  if (pairs < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= pairs / 10 && evenZeros * 10 <= oddZeros) return 'utf-16le';
  if (evenZeros >= pairs / 10 && oddZeros * 10 <= evenZeros) return 'utf-16be';
  return null;
}

/** The encoding a text file announces by itself: a BOM, or the zero-byte pattern of UTF-16. */
export const markedEncoding = (head: Uint8Array): MarkedEncoding | null => encodingFromBom(head) ?? utf16WithoutBom(head);

/** Whether the whole file decodes in `encoding` without an error; streams, so any size is fine. */
async function decodesCleanly(path: string, encoding: string): Promise<boolean> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CSV_CHUNK_BYTES })) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return false;
    throw e;
  }
}

/**
 * The encoding to read a csv in. A chosen one must decode the whole file. Otherwise a BOM (or
 * BOM-less UTF-16) decides; else the file is UTF-8 when all of it is valid UTF-8, and GB18030 (what
 * Chinese Excel and WPS save as "CSV") when not.
 */
export async function csvEncoding(path: string, head: Uint8Array, chosen: ImportEncoding | undefined): Promise<Result<string, DomainError>> {
  if (chosen) {
    return (await decodesCleanly(path, chosen)) ? ok(chosen) : err({ code: 'IMPORT.ENCODING_INVALID', params: { encoding: chosen } });
  }
  const marked = markedEncoding(head);
  if (marked) return ok(marked);
  return ok((await decodesCleanly(path, 'utf-8')) ? 'utf-8' : 'gb18030');
}
