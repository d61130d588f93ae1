import type { ImportEncoding } from '@telecrm/core';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCsvDialect } from './csv.dialect.js';
import { openImportRows } from './import-file.js';
import { cellsByRow, collect, fixture, openFiles, openRows, settle, tempDir, type TempDir } from '../../test-support/import-readers.js';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const inTmp = (content: string | Buffer, name = 'list.csv'): string => tmp.file(name, content);
const open = (path: string, encoding?: ImportEncoding) => openRows(path, 'csv', encoding ? { encoding } : {});

async function read(path: string, encoding?: ImportEncoding): Promise<{ encoding: string | null; rows: Record<number, unknown[]> }> {
  const opened = await open(path, encoding);
  return { encoding: opened.encoding, rows: await cellsByRow(opened) };
}

describe('openImportRows (csv): the fixtures', () => {
  it('reads gb18030.csv as Chinese Excel saves it: GB18030, CRLF, a quoted comma, newline and quotes', async () => {
    const opened = await open(fixture('gb18030.csv'));
    const rows = await collect(opened.rows());
    expect([opened.encoding, opened.sheet, opened.sheets]).toEqual(['gb18030', null, []]);
    expect(rows.map((r) => r.rowNumber)).toEqual([...Array(16).keys()].map((i) => i + 1));
    expect(rows[0]!.cells).toEqual(['姓名', '电话', '公司', '来源', '备注']);
    expect(rows[2]!.cells).toEqual(['李娜', '13900139000', '北京华信科技有限公司,海淀分部', '客户介绍', '公司名里有逗号']);
    expect(rows[3]!.cells).toEqual(['王芳', '13700137000', '深圳瑞丰电子有限公司', '网络推广', '第一次联系\n约下周面谈']);
    // 䶮 is outside GBK: four bytes in GB18030.
    expect(rows[4]!.cells[0]).toBe('刘䶮');
    // No typing: the leading zero of a landline stays.
    expect(rows[5]!.cells[1]).toBe('01062345678');
    expect(rows[7]!.cells[4]).toBe('他说"考虑一下"');
    expect(rows.every((r) => r.cells.every((c) => typeof c === 'string'))).toBe(true);
  });

  it('reads utf8-bom.csv: UTF-8, the BOM stripped, semicolons', async () => {
    const { encoding, rows } = await read(fixture('utf8-bom.csv'));
    expect(encoding).toBe('utf-8');
    expect(rows[1]).toEqual(['客户名称', '手机', '公司', '备注']);
    expect(rows[3]).toEqual(['李娜', '13900139000', '上海恒达贸易有限公司', '分号;在引号里']);
  });

  it('reads utf16.txt (Excel "Unicode text"): UTF-16LE with a BOM, tabs', async () => {
    const { encoding, rows } = await read(fixture('utf16.txt'));
    expect(encoding).toBe('utf-16le');
    expect(rows).toEqual({
      1: ['客户名称', '手机', '公司', '来源'],
      2: ['张伟', '13800138000', '北京华信科技有限公司', '展会'],
      3: ['李娜', '13900139000', '上海恒达贸易有限公司', '客户介绍'],
      4: ['王芳', '13700137000', '深圳瑞丰电子有限公司', '网络推广'],
    });
  });

  it('reads header-only.csv as its one row', async () => {
    expect((await read(fixture('header-only.csv'))).rows).toEqual({ 1: ['姓名', '电话', '公司'] });
  });
});

describe('openImportRows (csv): encodings', () => {
  const text = '姓名,电话\r\n张三,13800138000\r\n';
  const expected = { 1: ['姓名', '电话'], 2: ['张三', '13800138000'] };

  it.each([
    ['UTF-8 without a BOM', Buffer.from(text), 'utf-8'],
    ['UTF-8 with a BOM', Buffer.from('\uFEFF' + text), 'utf-8'],
    ['GB18030 as iconv-lite writes it', iconv.encode(text, 'gb18030'), 'gb18030'],
    ['UTF-16LE with a BOM', Buffer.from('\uFEFF' + text, 'utf16le'), 'utf-16le'],
    ['UTF-16BE with a BOM', iconv.encode('\uFEFF' + text, 'utf-16be'), 'utf-16be'],
    ['UTF-16LE without a BOM', Buffer.from(text, 'utf16le'), 'utf-16le'],
  ])('detects %s', async (_name, bytes, encoding) => {
    expect(await read(inTmp(bytes))).toEqual({ encoding, rows: expected });
  });

  it('scans the whole file: a GB18030 character far past the first chunk still makes it GB18030', async () => {
    const ascii = 'name,phone\r\n' + 'zhang,13800138000\r\n'.repeat(20_000);
    const { encoding, rows } = await read(inTmp(Buffer.concat([Buffer.from(ascii), iconv.encode('王五,13900139000\r\n', 'gb18030')])));
    expect(encoding).toBe('gb18030');
    expect(rows[20_002]).toEqual(['王五', '13900139000']);
  });

  it.each([
    ['gbk', iconv.encode(text, 'gbk')],
    ['gb18030', iconv.encode(text, 'gb18030')],
    ['big5', iconv.encode('姓名,電話\r\n張三,13800138000\r\n', 'big5')],
    ['utf-16be', iconv.encode(text, 'utf-16be')],
  ] as const)('reads the encoding chosen: %s', async (encoding, bytes) => {
    const read1 = await read(inTmp(bytes), encoding);
    expect(read1.encoding).toBe(encoding);
    expect(read1.rows[2]).toEqual([encoding === 'big5' ? '張三' : '张三', '13800138000']);
  });

  it('IMPORT.ENCODING_INVALID when the chosen encoding does not fit the bytes', async () => {
    const gb = inTmp(iconv.encode(text, 'gb18030'));
    expect(await openImportRows(gb, 'csv', { encoding: 'utf-8' })).toEqual({
      ok: false,
      error: { code: 'IMPORT.ENCODING_INVALID', params: { encoding: 'utf-8' } },
    });
    // An odd number of bytes cannot be UTF-16.
    const odd = inTmp(Buffer.from('abc'), 'odd.csv');
    expect(await openImportRows(odd, 'csv', { encoding: 'utf-16le' })).toMatchObject({ ok: false, error: { code: 'IMPORT.ENCODING_INVALID' } });
  });
});

describe('openImportRows (csv): records', () => {
  it.each([
    ['comma', 'a,b,c\n1,2,3\n'],
    ['tab', 'a\tb\tc\n1\t2\t3\n'],
    ['semicolon', 'a;b;c\n1;2;3\n'],
    ['pipe', 'a|b|c\n1|2|3\n'],
  ])('detects the delimiter: %s', async (_name, content) => {
    expect((await read(inTmp(content))).rows).toEqual({ 1: ['a', 'b', 'c'], 2: ['1', '2', '3'] });
  });

  it('keeps commas inside fields when semicolons separate them, and reads a one-column file', async () => {
    expect((await read(inTmp('姓名;备注\n张三;"好,的"\n李四;可以, 再说\n'))).rows).toEqual({
      1: ['姓名', '备注'],
      2: ['张三', '好,的'],
      3: ['李四', '可以, 再说'],
    });
    expect((await read(inTmp('手机\n13800138000\n13900139000\n'))).rows).toEqual({ 1: ['手机'], 2: ['13800138000'], 3: ['13900139000'] });
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks, and LF, CRLF or CR line ends', async () => {
    const records = ['名称,备注', '"华信,海淀","他说""好"""', '"多行","第一行\r\n第二行"', 'x,"末尾"'];
    const expected = { 1: ['名称', '备注'], 2: ['华信,海淀', '他说"好"'], 3: ['多行', '第一行\r\n第二行'], 4: ['x', '末尾'] };
    for (const newline of ['\n', '\r\n', '\r']) expect((await read(inTmp(records.join(newline) + newline))).rows).toEqual(expected);
  });

  it('gives every cell as the text it is: no numbers, dates or booleans', async () => {
    expect((await read(inTmp('a,b,c,d,e\n007,1e5,TRUE,2026-01-01,13800138000\n'))).rows[2]).toEqual(['007', '1e5', 'TRUE', '2026-01-01', '13800138000']);
  });

  it('yields blank lines between records as rows without cells, with their numbers, and nothing after the last record', async () => {
    const { rows } = await read(inTmp('姓名,电话\r\n\r\n张三,13800138000\r\n , \r\n,\r\n李四,13900139000\r\n\r\n\r\n'));
    expect(rows).toEqual({ 1: ['姓名', '电话'], 2: [], 3: ['张三', '13800138000'], 4: [], 5: [], 6: ['李四', '13900139000'] });
  });

  it('joins records and characters split between chunks', async () => {
    const expected: string[][] = [['序号', '姓名', '备注']];
    for (let i = 1; i <= 6000; i++) expected.push([String(i), `客户${i}`, i % 7 ? `普通备注${i}` : `第一行,${i}\r\n第二行 "引号"`]);
    const content = expected.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n');
    expect(Buffer.byteLength(content)).toBeGreaterThan(3 * 65536);
    const rows = await collect((await open(inTmp(content))).rows());
    expect(rows.map((r) => r.cells)).toEqual(expected);
    expect(rows.at(-1)!.rowNumber).toBe(6001);
  });
});

describe('openImportRows (csv): progress and the file', () => {
  const bigCsv = () => inTmp('姓名,电话\r\n' + '张三,13800138000\r\n'.repeat(20_000));

  it('counts bytes read up to bytesTotal', async () => {
    const opened = await open(bigCsv());
    expect(opened.bytesRead()).toBe(0);
    let midway = 0;
    for await (const row of opened.rows()) if (row.rowNumber === 2) midway = opened.bytesRead();
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(opened.bytesTotal);
    expect(opened.bytesRead()).toBe(opened.bytesTotal);
  });

  it.skipIf(openFiles() === null)('releases the file when the loop breaks early', async () => {
    const path = bigCsv();
    const opened = await open(path);
    for await (const row of opened.rows()) {
      expect(openFiles()).toContain(path);
      if (row.rowNumber === 2) break;
    }
    await settle(() => !openFiles()!.includes(path));
    expect(openFiles()).not.toContain(path);
  });

  it('can be iterated once', async () => {
    const opened = await open(fixture('header-only.csv'));
    await collect(opened.rows());
    expect(() => opened.rows()).toThrow(/once/);
  });
});

describe('detectCsvDialect', () => {
  it('prefers the delimiter that splits the records the same way', () => {
    expect(detectCsvDialect('姓名\t备注\n张三\t好,的\n李四\t可以\n', true).delimiter).toBe('\t');
    expect(detectCsvDialect('a;b\n1;2\n"x,y";3\n', true).delimiter).toBe(';');
  });

  it('takes LF for CRLF files too, and CR only when there is no LF', () => {
    expect(detectCsvDialect('a,b\r\n1,2\r\n', true).newline).toBe('\n');
    expect(detectCsvDialect('a,b\r1,2\r', true).newline).toBe('\r');
  });

  it('falls back to comma when nothing splits the records', () => {
    expect(detectCsvDialect('手机\n13800138000\n', true)).toEqual({ delimiter: ',', newline: '\n' });
  });
});
