import { stat } from 'node:fs/promises';
import { err, ok, type DomainError, type ImportEncoding, type ImportFormat, type Result } from '@telecrm/core';
import { openCsvRows } from './csv.reader.js';
import { readHead, sniffFormat } from './file-format.js';
import { inspectOleFile } from './ole.inspect.js';
import type { ImportRows, PreparedImportFile, ReaderLimits } from './readers.types.js';
import { convertXlsToXlsx } from './xls.convert.js';
import { openXlsxRows } from './xlsx.reader.js';
import { checkWorkbookPackage } from './zip.guard.js';

export type { ImportRows, PreparedImportFile, ReaderLimits, SheetRow } from './readers.types.js';

const kept = (path: string, format: ImportFormat, readAs: 'xlsx' | 'csv'): PreparedImportFile => ({
  path,
  format,
  readAs,
  cleanup: async () => {},
});

async function convertLegacy(path: string, limits: ReaderLimits): Promise<Result<PreparedImportFile, DomainError>> {
  const converted = await convertXlsToXlsx(path, limits.soffice, limits.tmpDir);
  if (!converted.ok) return converted;
  // What LibreOffice wrote comes from an untrusted file too.
  const checked = await checkWorkbookPackage(converted.value.path, limits.maxUnpackedBytes);
  if (!checked.ok) {
    await converted.value.cleanup();
    return checked;
  }
  return ok({ path: converted.value.path, format: 'xls', readAs: 'xlsx', cleanup: converted.value.cleanup });
}

/**
 * Tells the format from the content (magic bytes first, the file name's extension only as a hint for
 * text), refuses files that cannot be imported, converts legacy xls through LibreOffice headless when
 * available, and for xlsx runs the zip-bomb and is-it-a-workbook checks. Nothing about the file is
 * trusted after this returns an error.
 *
 * @example
 * const prepared = await prepareImportFile('/data/uploads/7f3a', '客户名单.xls', { maxUnpackedBytes: 512 * 2 ** 20, soffice: 'soffice', tmpDir: '/tmp' });
 * // ok: { path: '/tmp/xls-Ab12/out/source.xlsx', format: 'xls', readAs: 'xlsx', cleanup }
 */
export async function prepareImportFile(path: string, fileName: string, limits: ReaderLimits): Promise<Result<PreparedImportFile, DomainError>> {
  const { size } = await stat(path);
  if (size === 0) return err({ code: 'IMPORT.FILE_EMPTY' });
  switch (sniffFormat(await readHead(path), fileName)) {
    case 'zip': {
      const checked = await checkWorkbookPackage(path, limits.maxUnpackedBytes);
      return checked.ok ? ok(kept(path, 'xlsx', 'xlsx')) : checked;
    }
    case 'ole': {
      const content = await inspectOleFile(path);
      if (!content.ok) return content;
      if (content.value === 'encrypted') return err({ code: 'IMPORT.FILE_ENCRYPTED' });
      if (content.value === 'other') return err({ code: 'IMPORT.FORMAT_UNKNOWN' });
      return convertLegacy(path, limits);
    }
    case 'markup':
      return convertLegacy(path, limits);
    case 'text':
      return ok(kept(path, 'csv', 'csv'));
    case 'unknown':
      return err({ code: 'IMPORT.FORMAT_UNKNOWN' });
  }
}

/**
 * Opens a prepared file for reading: the csv's encoding (chosen, or detected from a BOM, else UTF-8
 * when the whole file is valid UTF-8, else GB18030) and delimiter, or the workbook's sheet (the first
 * visible one, or the one named). Rows stream; see ImportRows.
 *
 * @example
 * const opened = await openImportRows(prepared.path, prepared.readAs, { sheet: '客户' });
 * if (opened.ok) for await (const row of opened.value.rows()) console.log(row.rowNumber, row.cells);
 */
export function openImportRows(
  path: string,
  readAs: 'xlsx' | 'csv',
  options: { encoding?: ImportEncoding; sheet?: string },
): Promise<Result<ImportRows, DomainError>> {
  return readAs === 'csv' ? openCsvRows(path, options.encoding) : openXlsxRows(path, options.sheet);
}
