import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { openImportRows } from './import-file.js';
import { cellsByRow, collect, fixture, openFiles, openRows, settle, tempDir, type TempDir } from '../../test-support/import-readers.js';
import { toImportCell } from './xlsx.cells.js';
import { openZip, readEntryText, zipEntries } from './zip.read.js';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const open = (path: string, sheet?: string) => openRows(path, 'xlsx', sheet === undefined ? {} : { sheet });

const byNumber = async (path: string, sheet?: string) => cellsByRow(await open(path, sheet));

/** The same workbook with its parts in another order, and some of them replaced. */
async function repack(source: string, order: string[], replace: Record<string, string> = {}): Promise<string> {
  const zip = await openZip(source);
  const parts = new Map<string, string>();
  for await (const entry of zipEntries(zip)) if (!entry.fileName.endsWith('/')) parts.set(entry.fileName, await readEntryText(zip, entry, 1 << 24));
  zip.close();
  const names = [...order.filter((n) => parts.has(n)), ...[...parts.keys()].filter((n) => !order.includes(n))];
  const out = new yazl.ZipFile();
  for (const name of names) out.addBuffer(Buffer.from(replace[name] ?? parts.get(name)!), name);
  out.end();
  const target = join(tmp.dir, `repacked-${names.length}-${Object.keys(replace).length}.xlsx`);
  await pipeline(out.outputStream, createWriteStream(target));
  return target;
}
const SHEET_OPEN = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
// Excel, WPS, LibreOffice and exceljs store the sheets before the shared strings; some writers do not.
const STRINGS_FIRST = ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml'];

describe('openImportRows (xlsx): clean.xlsx', () => {
  it('reads the first sheet with numbers, text and dates as they are', async () => {
    const opened = await open(fixture('clean.xlsx'));
    expect([opened.encoding, opened.sheet, opened.sheets]).toEqual([null, '客户名单', ['客户名单', '说明']]);
    const rows = await collect(opened.rows());
    expect(rows.map((r) => r.rowNumber)).toEqual([...Array(21).keys()].map((i) => i + 1));
    expect(rows[0]!.cells).toEqual(['客户名称', '手机', '公司', '来源', '行业', '地区', '标签', '微信', '备注', '下次跟进时间']);
    expect(rows[1]!.cells).toEqual([
      '张伟', '13800138000', '北京华信科技有限公司', '展会', '互联网', '北京', '高意向', 'zhangwei_88', '对方案感兴趣',
      new Date('2026-12-01T09:00:00Z'),
    ]);
    // A phone in a number cell arrives as a number; an empty text cell as nothing.
    expect(rows[2]!.cells).toEqual([
      '李娜', 13900139000, '上海恒达贸易有限公司', '客户介绍', '零售', '上海', '老客户，决策人', 'lina1990', null,
      new Date('2026-12-02T10:30:00Z'),
    ]);
    expect(rows.slice(1).every((r) => r.cells[9] instanceof Date)).toBe(true);
  });

  it('reads the sheet named, also when the case differs', async () => {
    expect(await byNumber(fixture('clean.xlsx'), '说明')).toEqual({ 1: ['字段', '说明'], 2: ['手机', '11 位手机号，必填'] });
    expect((await open(fixture('blank-rows-only.xlsx'), 'sheet1')).sheet).toBe('Sheet1');
  });

  it('IMPORT.SHEET_NOT_FOUND names the sheets the workbook has', async () => {
    expect(await openImportRows(fixture('clean.xlsx'), 'xlsx', { sheet: '客户' })).toEqual({
      ok: false,
      error: { code: 'IMPORT.SHEET_NOT_FOUND', params: { sheet: '客户', sheets: ['客户名单', '说明'] } },
    });
  });

  it('counts bytes read up to bytesTotal', async () => {
    const opened = await open(fixture('clean.xlsx'));
    expect(opened.bytesRead()).toBe(0);
    await collect(opened.rows());
    expect(opened.bytesRead()).toBe(opened.bytesTotal);
    expect(() => opened.rows()).toThrow(/once/);
  });
});

describe('openImportRows (xlsx): messy.xlsx', () => {
  it('numbers every row as the sheet does, the missing blank ones included, and stops after the last with content', async () => {
    const rows = await collect((await open(fixture('messy.xlsx'))).rows());
    expect(rows.map((r) => r.rowNumber)).toEqual([...Array(32).keys()].map((i) => i + 1));
    const blank = rows.filter((r) => r.cells.length === 0).map((r) => r.rowNumber);
    expect(blank).toEqual([2, 6, 12, 13]);
  });

  it('hands over cells as stored: merged title, full-width text untouched, number cells, formula result, rich text, hyperlink', async () => {
    const rows = await byNumber(fixture('messy.xlsx'));
    expect(rows[1]).toEqual(['2026年11月 展会客户名单', null, null, null, null, null, null]);
    expect(rows[3]).toEqual(['客户名称', '联系电话', '备用电话', '公司', '来源', '标签', '备注']);
    expect(rows[5]![1]).toBe('１３９００１３９０００');
    expect(rows[9]![1]).toBe(8613500135000);
    expect(rows[11]![1]).toBe(2158886666);
    expect(rows[20]![1]).toBe(1062345678);
    expect(rows[17]![1]).toBe('13600136001；13600136002');
    expect(rows[27]![1]).toBe('13200132000');
    expect(rows[28]).toEqual(['谢娜', '15000150000', null, '厦门同创贸易有限公司', '客户介绍', null, '见官网']);
    expect(rows[32]![1]).toBe('０１０－６２３４５６７８');
  });

  it('reads blank-rows-only.xlsx as its header alone', async () => {
    expect(await byNumber(fixture('blank-rows-only.xlsx'))).toEqual({ 1: ['客户名称', '手机', '公司'] });
  });
});

describe('openImportRows (xlsx): the package', () => {
  it('reads the same rows whatever the order of the parts in the zip', async () => {
    const repacked = await repack(fixture('clean.xlsx'), STRINGS_FIRST);
    expect(await byNumber(repacked)).toEqual(await byNumber(fixture('clean.xlsx')));
  });

  it.skipIf(openFiles() === null)('releases the file when the loop breaks early', async () => {
    const before = openFiles()!;
    const opened = await open(fixture('clean.xlsx'));
    for await (const row of opened.rows()) {
      expect(openFiles()).toContain(fixture('clean.xlsx'));
      if (row.rowNumber === 2) break;
    }
    await settle(() => openFiles()!.length <= before.length);
    expect(openFiles()).toEqual(before);
  });

  it('throws (does not hang) when a sheet turns out to be damaged', async () => {
    const damaged = await repack(fixture('clean.xlsx'), [], {
      'xl/worksheets/sheet1.xml': `${SHEET_OPEN}<row r="1"><c r="A1"><v>1</v></c></row><<`,
    });
    await expect(collect((await open(damaged)).rows())).rejects.toThrow();
  });
});

describe('openImportRows (xlsx): workbooks made here', () => {
  it('keeps CJK characters whole across chunk boundaries, in shared strings and in the sheet (exceljs 4.4 alone garbles some)', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `客户${i}号深圳华信科技有限公司备注第${i}行`);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    names.forEach((name, i) => sheet.addRow([name, 13800000000 + i]));
    const shared = join(tmp.dir, 'cjk.xlsx');
    await workbook.xlsx.writeFile(shared);
    const cells = names.map((name, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>${name}</t></is></c></row>`);
    const inline = await repack(fixture('clean.xlsx'), [], { 'xl/worksheets/sheet1.xml': `${SHEET_OPEN}${cells.join('')}</sheetData></worksheet>` });
    for (const file of [shared, inline]) expect((await collect((await open(file)).rows())).map((r) => r.cells[0])).toEqual(names);
  });

  it('starts from the first visible sheet and lists hidden ones too', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('模板', { state: 'hidden' }).addRow(['隐藏']);
    workbook.addWorksheet('客户').addRow(['可见']);
    const path = join(tmp.dir, 'hidden.xlsx');
    await workbook.xlsx.writeFile(path);
    const opened = await open(path);
    expect([opened.sheet, opened.sheets]).toEqual(['客户', ['模板', '客户']]);
    expect((await collect(opened.rows()))[0]!.cells).toEqual(['可见']);
    expect(await byNumber(path, '模板')).toEqual({ 1: ['隐藏'] });
  });
});

describe('toImportCell', () => {
  it.each([
    ['a boolean', true, 'TRUE'],
    ['false', false, 'FALSE'],
    ['an error', { error: '#N/A' }, null],
    ['a formula with its result', { formula: 'A1*2', result: 42 }, 42],
    ['a formula whose result was an error (NaN from the streaming reader)', { formula: '1/0', result: Number.NaN }, null],
    ['a formula without a cached result', { formula: 'NOW()' }, null],
    ['a hyperlink', { text: '官网', hyperlink: 'https://example.com/' }, '官网'],
    ['rich text', { richText: [{ text: '张' }, { font: { bold: true }, text: '三' }] }, '张三'],
    ['an invalid date', new Date(Number.NaN), null],
    ['nothing', null, null],
  ])('%s', (_name, value, expected) => {
    expect(toImportCell(value as ExcelJS.CellValue)).toEqual(expected);
  });
});
