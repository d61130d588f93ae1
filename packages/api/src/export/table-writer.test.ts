import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createTableWriter } from './table-writer.js';

describe('table writer', () => {
  it('goes on in another sheet under the same header when an xlsx sheet is full', async () => {
    const writer = createTableWriter('xlsx', { sheetName: '客户', maxRowsPerSheet: 3 });
    const file = buffer(writer.stream);
    for (const row of [['姓名', '电话'], ['甲', 1], ['乙', 2], ['丙', 3], ['丁', 4], ['戊', 5]]) await writer.writeRow(row);
    await writer.end();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await file);
    const sheets = workbook.worksheets.map((sheet) => [sheet.name, sheet.getSheetValues().slice(1).map((row) => (row as unknown[]).slice(1))]);
    expect(sheets).toEqual([
      ['客户', [['姓名', '电话'], ['甲', 1], ['乙', 2]]],
      ['客户 (2)', [['姓名', '电话'], ['丙', 3], ['丁', 4]]],
      ['客户 (3)', [['姓名', '电话'], ['戊', 5]]],
    ]);
  });

  it('stops with an error when the download is closed while it waits for the reader', async () => {
    const writer = createTableWriter('csv', { sheetName: 'x' });
    const wide = 'x'.repeat(10_000);
    // Nobody reads: 500 rows of 10 KB fill the response past its high-water mark, and the last waits.
    const writes = Array.from({ length: 500 }, () => writer.writeRow([wide]));
    writer.stream.destroy();
    await expect(Promise.all(writes)).rejects.toThrow('the download was closed before its end');
  });
});
