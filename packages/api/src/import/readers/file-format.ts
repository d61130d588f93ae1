import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { markedEncoding } from './csv.encoding.js';

/** How many leading bytes tell a file's format. */
const HEAD_BYTES = 8192;

/** The first bytes of a file (fewer when it is shorter). */
export async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * What a file is by its content: `zip` (an xlsx, if anything), `ole` (a compound file: legacy xls or an
 * encrypted workbook), `markup` (an HTML or XML table named .xls, which many systems export as "Excel"),
 * `text` (a csv or txt), or `unknown`.
 */
export type SniffedFormat = 'zip' | 'ole' | 'markup' | 'text' | 'unknown';

const ZIP = [0x50, 0x4b];
const ZIP_THIRD = [0x03, 0x05, 0x07]; // local header, empty archive, spanned archive
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
// Formats people upload by mistake whose first bytes could pass for text.
const NOT_TEXT = [
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // Rar!
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
  [0x7b, 0x5c, 0x72, 0x74, 0x66], // {\rtf
];

const startsWith = (head: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => head[i] === b);

/** Tells the format from the magic bytes; the file name only decides whether markup is a legacy "xls". */
export function sniffFormat(head: Uint8Array, fileName: string): SniffedFormat {
  if (startsWith(head, ZIP) && ZIP_THIRD.includes(head[2]!)) return 'zip';
  if (startsWith(head, OLE)) return 'ole';
  if (NOT_TEXT.some((magic) => startsWith(head, magic))) return 'unknown';
  const encoding = markedEncoding(head);
  if (!encoding && head.includes(0)) return 'unknown';
  if (extname(fileName).toLowerCase() === '.xls') {
    // The decoder skips a BOM; a character cut at the end of the slice does not matter here.
    const text = new TextDecoder(encoding ?? 'utf-8').decode(head.subarray(0, 1024));
    if (/^\s*</.test(text)) return 'markup';
  }
  return 'text';
}
