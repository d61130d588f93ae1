import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { prepareImportFile } from './import-file.js';
import {
  DEFAULT_MAX_UNPACKED,
  collect,
  editCentralDirectory,
  fixture,
  limitsIn,
  sofficeAvailable,
  openRows,
  tempDir,
  type TempDir,
} from '../../test-support/import-readers.js';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const inTmp = (name: string, content: string | Buffer): string => tmp.file(name, content);
const readdirNames = (dir: string): string[] => readdirSync(dir).sort();

const prepare = (path: string, fileName: string, overrides = {}) => prepareImportFile(path, fileName, limitsIn(tmp.dir, overrides));

async function errorOf(path: string, fileName: string, overrides = {}) {
  const prepared = await prepare(path, fileName, overrides);
  return prepared.ok ? null : prepared.error;
}

describe('prepareImportFile: what can be imported', () => {
  it('keeps an xlsx as it is: same path, xlsx, and a cleanup that leaves the original alone', async () => {
    const prepared = await prepare(fixture('clean.xlsx'), 'clean.xlsx');
    expect(prepared.ok && { ...prepared.value, cleanup: undefined }).toEqual({
      path: fixture('clean.xlsx'),
      format: 'xlsx',
      readAs: 'xlsx',
      cleanup: undefined,
    });
    if (prepared.ok) await prepared.value.cleanup();
    expect(existsSync(fixture('clean.xlsx'))).toBe(true);
  });

  it.each([
    ['gb18030.csv', 'gb18030.csv'],
    ['utf8-bom.csv', 'utf8-bom.csv'],
    ['utf16.txt (UTF-16 holds zero bytes, yet is text)', 'utf16.txt'],
    ['header-only.csv', 'header-only.csv'],
  ])('takes %s as csv', async (_name, file) => {
    const prepared = await prepare(fixture(file), file);
    expect(prepared.ok && [prepared.value.path, prepared.value.format, prepared.value.readAs]).toEqual([fixture(file), 'csv', 'csv']);
  });

  it('goes by content, not by name: text named .xlsx is a csv, an xlsx named .csv is an xlsx', async () => {
    const text = await prepare(inTmp('list.xlsx', '姓名,电话\n张三,13800138000\n'), 'list.xlsx');
    expect(text.ok && text.value.readAs).toBe('csv');
    const workbook = await prepare(fixture('clean.xlsx'), '客户.csv');
    expect(workbook.ok && workbook.value.format).toBe('xlsx');
  });

  it('takes UTF-16LE saved without a BOM as text, though it is full of zero bytes', async () => {
    const path = inTmp('nobom.txt', Buffer.from('姓名\t电话\r\n张三\t13800138000\r\n', 'utf16le'));
    const prepared = await prepare(path, 'nobom.txt');
    expect(prepared.ok && prepared.value.readAs).toBe('csv');
  });
});

describe('prepareImportFile: refused files', () => {
  it('IMPORT.FILE_EMPTY for a 0-byte file (empty.csv)', async () => {
    expect(await errorOf(fixture('empty.csv'), 'empty.csv')).toEqual({ code: 'IMPORT.FILE_EMPTY' });
  });

  it.each([
    ['a PNG', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]), 'photo.png'],
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), 'list.pdf'],
    ['binary data with NUL bytes', Buffer.from([0x01, 0x02, 0x00, 0x00, 0x00, 0x03, 0xff, 0x00, 0x10, 0x00, 0x00, 0x00]), 'list.csv'],
  ])('IMPORT.FORMAT_UNKNOWN for %s', async (_name, bytes, fileName) => {
    expect(await errorOf(inTmp(fileName, bytes), fileName)).toEqual({ code: 'IMPORT.FORMAT_UNKNOWN' });
  });

  it('IMPORT.UNPACKED_TOO_LARGE for zip-bomb.xlsx (1 GiB sheet in a 1 MB file) with the default 512 MiB cap', async () => {
    expect(await errorOf(fixture('zip-bomb.xlsx'), 'zip-bomb.xlsx')).toEqual({
      code: 'IMPORT.UNPACKED_TOO_LARGE',
      params: { max: DEFAULT_MAX_UNPACKED, maxEntries: 10_000 },
    });
  });

  it('IMPORT.UNPACKED_TOO_LARGE for a zip whose central directory lies about sizes, caught while inflating', async () => {
    const bytes = readFileSync(fixture('zip-bomb.xlsx'));
    editCentralDirectory(bytes, (at, name) => {
      if (name === 'xl/worksheets/sheet1.xml') bytes.writeUInt32LE(1000, at + 24);
    });
    const path = inTmp('lying.xlsx', bytes);
    const cap = 4 * 1024 * 1024;
    expect(await errorOf(path, 'lying.xlsx', { maxUnpackedBytes: cap })).toEqual({
      code: 'IMPORT.UNPACKED_TOO_LARGE',
      params: { max: cap, maxEntries: 10_000 },
    });
  });

  it('IMPORT.UNPACKED_TOO_LARGE when the declared sizes alone pass the cap, before inflating anything', async () => {
    expect(await errorOf(fixture('clean.xlsx'), 'clean.xlsx', { maxUnpackedBytes: 1000 })).toMatchObject({ code: 'IMPORT.UNPACKED_TOO_LARGE' });
  });

  it('IMPORT.UNPACKED_TOO_LARGE for more than 10,000 entries', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('<Types/>'), '[Content_Types].xml');
    zip.addBuffer(Buffer.from('<workbook/>'), 'xl/workbook.xml');
    for (let i = 0; i < 10_000; i++) zip.addBuffer(Buffer.alloc(0), `xl/media/image${i}.png`, { compress: false });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    expect(await errorOf(inTmp('many.xlsx', Buffer.concat(chunks)), 'many.xlsx')).toMatchObject({ code: 'IMPORT.UNPACKED_TOO_LARGE' });
  });

  it('IMPORT.NOT_A_WORKBOOK for a zip of a text file (not-a-workbook.zip)', async () => {
    expect(await errorOf(fixture('not-a-workbook.zip'), 'not-a-workbook.zip')).toEqual({ code: 'IMPORT.NOT_A_WORKBOOK' });
  });

  it('IMPORT.FILE_UNREADABLE with a reason for a truncated xlsx', async () => {
    const bytes = readFileSync(fixture('clean.xlsx'));
    const error = await errorOf(inTmp('cut.xlsx', bytes.subarray(0, bytes.length >> 1)), 'cut.xlsx');
    expect(error).toMatchObject({ code: 'IMPORT.FILE_UNREADABLE', params: { reason: expect.stringMatching(/central directory/) } });
  });

  it('IMPORT.FILE_ENCRYPTED for an xlsx whose zip entries are encrypted', async () => {
    const bytes = readFileSync(fixture('clean.xlsx'));
    editCentralDirectory(bytes, (at, name) => {
      if (name === 'xl/worksheets/sheet1.xml') bytes.writeUInt16LE(bytes.readUInt16LE(at + 8) | 1, at + 8);
    });
    expect(await errorOf(inTmp('zipcrypto.xlsx', bytes), 'zipcrypto.xlsx')).toEqual({ code: 'IMPORT.FILE_ENCRYPTED' });
  });

  it('IMPORT.FILE_ENCRYPTED for a password-protected xlsx (encrypted.xlsx, an OLE file with EncryptionInfo)', async () => {
    expect(await errorOf(fixture('encrypted.xlsx'), 'encrypted.xlsx')).toEqual({ code: 'IMPORT.FILE_ENCRYPTED' });
  });

  it('IMPORT.FILE_ENCRYPTED for a password-protected xls (FilePass), found without trying to convert it', async () => {
    // With conversion off, a file that got as far as conversion would be XLS_UNSUPPORTED.
    expect(await errorOf(fixture('encrypted.xls'), 'encrypted.xls', { soffice: null })).toEqual({ code: 'IMPORT.FILE_ENCRYPTED' });
  });

  it('IMPORT.FORMAT_UNKNOWN for an OLE file that holds no workbook (a Word file, say)', async () => {
    const bytes = readFileSync(fixture('legacy.xls'));
    const workbook = Buffer.from('Workbook', 'utf16le');
    bytes.set(Buffer.from('Contents', 'utf16le'), bytes.indexOf(workbook));
    expect(await errorOf(inTmp('letter.doc', bytes), 'letter.doc')).toEqual({ code: 'IMPORT.FORMAT_UNKNOWN' });
  });

  it('IMPORT.FILE_UNREADABLE for a truncated OLE file', async () => {
    const bytes = readFileSync(fixture('legacy.xls')).subarray(0, 700);
    expect(await errorOf(inTmp('cut.xls', bytes), 'cut.xls')).toMatchObject({ code: 'IMPORT.FILE_UNREADABLE' });
  });
});

describe('prepareImportFile: legacy xls', () => {
  it('IMPORT.XLS_UNSUPPORTED when conversion is off (soffice: null)', async () => {
    expect(await errorOf(fixture('legacy.xls'), 'legacy.xls', { soffice: null })).toEqual({ code: 'IMPORT.XLS_UNSUPPORTED' });
  });

  it('IMPORT.XLS_UNSUPPORTED when the soffice command does not exist, leaving no temporary files', async () => {
    const soffice = join(tmp.dir, 'no-such-soffice');
    expect(await errorOf(fixture('legacy.xls'), 'legacy.xls', { soffice })).toEqual({ code: 'IMPORT.XLS_UNSUPPORTED' });
    expect(readdirNames(tmp.dir)).toEqual([]);
  });

  it('takes an HTML table named .xls (what many systems export as "Excel") for a legacy workbook to convert', async () => {
    const html = '<html><body><table><tr><td>姓名</td><td>电话</td></tr></table></body></html>';
    expect(await errorOf(inTmp('export.xls', html), 'export.xls')).toEqual({ code: 'IMPORT.XLS_UNSUPPORTED' });
    const asCsv = await prepare(inTmp('export.csv', html), 'export.csv');
    expect(asCsv.ok && asCsv.value.readAs).toBe('csv');
  });

  it('IMPORT.FILE_UNREADABLE with what LibreOffice said when it writes nothing (it exits 0 then)', async () => {
    const soffice = inTmp('fake-soffice', '#!/bin/sh\necho "Error: source file could not be loaded"\nexit 0\n');
    chmodSync(soffice, 0o755);
    expect(await errorOf(fixture('legacy.xls'), 'legacy.xls', { soffice })).toEqual({
      code: 'IMPORT.FILE_UNREADABLE',
      params: { reason: 'conversion failed: Error: source file could not be loaded' },
    });
    expect(readdirNames(tmp.dir)).toEqual(['fake-soffice']);
  });

  it.skipIf(!sofficeAvailable())('converts legacy.xls with LibreOffice (installed here) and reads the rows clean.xlsx has', async () => {
    const prepared = await prepare(fixture('legacy.xls'), 'legacy.xls', { soffice: 'soffice' });
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
    const { path, format, readAs, cleanup } = prepared.value;
    expect([path.startsWith(tmp.dir), format, readAs]).toEqual([true, 'xls', 'xlsx']);

    const converted = await openRows(path, readAs);
    expect(converted.sheets).toEqual(['客户名单', '说明']);
    expect(await collect(converted.rows())).toEqual(await collect((await openRows(fixture('clean.xlsx'), 'xlsx')).rows()));

    await cleanup();
    expect(existsSync(path)).toBe(false);
    expect(readdirNames(tmp.dir)).toEqual([]);
    expect(existsSync(fixture('legacy.xls'))).toBe(true);
  });
});
