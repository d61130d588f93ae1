// The committed fixture files through the whole import: upload, checks, job, counts, failure report.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';
import { fixture, sofficeAvailable } from '../../test-support/import-readers.js';
import { importAndWait, readXlsx, startImport } from '../../test-support/import-files.js';

const file = (name: string) => readFileSync(fixture(name));

describe.each(dialects)('fixture files imported on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const count = async () => (await h.request('GET', '/api/v1/customers?limit=200', { token: h.adminToken })).body.items.length;

  it('clean.xlsx: every row', async () => {
    const job = await importAndWait(h, h.adminToken, file('clean.xlsx'), { fileName: 'clean.xlsx' });
    expect(job).toMatchObject({ state: 'done', format: 'xlsx', sheet: expect.any(String), counts: { rows: 20, created: 20, rejected: 0 }, unmapped: [] });
    expect(await count()).toBe(20);
  });

  it('gb18030.csv as Chinese Excel saves it: detected, every row', async () => {
    const job = await importAndWait(h, h.adminToken, file('gb18030.csv'), { fileName: 'gb18030.csv' });
    expect(job).toMatchObject({ state: 'done', encoding: 'gb18030', counts: { rows: 15, created: 15 } });
    const names = (await h.request('GET', '/api/v1/customers?limit=200', { token: h.adminToken })).body.items.map((c: { name: string }) => c.name);
    expect(names).toContain('刘䶮');
  });

  it.each([
    ['utf8-bom.csv', 'utf-8', 3],
    ['utf16.txt', 'utf-16le', 3],
  ])('%s: encoding and delimiter found', async (name, encoding, rows) => {
    const job = await importAndWait(h, h.adminToken, file(name), { fileName: name });
    expect(job).toMatchObject({ state: 'done', encoding, counts: { rows, created: rows } });
  });

  it('messy.xlsx: title row skipped, numbers in every format, duplicates and bad rows reported', async () => {
    const job = await importAndWait(h, h.adminToken, file('messy.xlsx'), { fileName: 'messy.xlsx' });
    // 备用电话 (a backup number) is a second phone column.
    expect(job).toMatchObject({ state: 'done', headerRow: 3, unmapped: [], counts: { blank: 3, created: 14, duplicateInFile: 5, rejected: 7 } });
    const report = await readXlsx((await h.download(`/api/v1/imports/${job.id}/failures`, { token: h.adminToken, headers: { 'accept-language': 'zh-CN' } })).bytes);
    expect(report[0]).toEqual(['客户名称', '联系电话', '备用电话', '公司', '来源', '标签', '备注', '行号', '原因', '字段']);
    expect(report.slice(1).map((r) => r[7])).toEqual([16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 30, 32]);
    const withoutBackup = await importAndWait(h, h.adminToken, file('messy.xlsx'), { fileName: 'messy.xlsx', map: ['备用电话=-'], dryRun: true });
    // Rows created above are now skipped; row 30 (whose backup number was row 4's) now creates, row
    // 31 (a backup number only) has no number left.
    expect(withoutBackup).toMatchObject({ unmapped: ['备用电话'], counts: { blank: 3, created: 1, skipped: 13, duplicateInFile: 4, rejected: 8 } });
  });

  it.each([
    ['empty.csv', 400, 'IMPORT.FILE_EMPTY'],
    ['header-only.csv', 400, 'IMPORT.NO_DATA_ROWS'],
    ['blank-rows-only.xlsx', 400, 'IMPORT.NO_DATA_ROWS'],
    ['zip-bomb.xlsx', 400, 'IMPORT.UNPACKED_TOO_LARGE'],
    ['not-a-workbook.zip', 400, 'IMPORT.NOT_A_WORKBOOK'],
    ['encrypted.xlsx', 400, 'IMPORT.FILE_ENCRYPTED'],
    ['encrypted.xls', 400, 'IMPORT.FILE_ENCRYPTED'],
  ])('%s is refused with a clear error before anything is written', async (name, status, code) => {
    const before = await h.snapshot();
    const res = await startImport(h, h.adminToken, file(name), { fileName: name }, { 'accept-language': 'zh-CN' });
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.body.detail).toMatch(/[\u4e00-\u9fff]/);
    expect(await h.snapshot()).toBe(before);
  });

  it('legacy.xls without a converter: refused, saying how to convert it', async () => {
    const off = await createHarness(dialect, { env: { CRM_SOFFICE: 'off' } });
    try {
      const res = await startImport(off, off.adminToken, file('legacy.xls'), { fileName: 'legacy.xls' }, { 'accept-language': 'zh-CN' });
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('IMPORT.XLS_UNSUPPORTED');
      expect(res.body.detail).toContain('另存为');
    } finally {
      await off.close();
    }
  });

  it.skipIf(!sofficeAvailable())('legacy.xls through LibreOffice: every row of clean.xlsx', async () => {
    const job = await importAndWait(h, h.adminToken, file('legacy.xls'), { fileName: 'legacy.xls' });
    expect(job).toMatchObject({ state: 'done', format: 'xls', counts: { rows: 20, created: 20 } });
  }, 120_000);
});
