import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
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

  it('holds no more of an xlsx at its end than at its start, and every row arrives', async () => {
    const writer = createTableWriter('xlsx', { sheetName: '客户' });
    // The reader takes the file as fast as it comes, into a file, as a download to a disk does.
    const path = join(mkdtempSync(join(tmpdir(), 'export-')), 'customers.xlsx');
    const saved = pipeline(writer.stream, createWriteStream(path));
    const rows = 150_000;
    // Memory held by buffers, at most, over each third of the rows.
    const heldAtMost = [0, 0, 0];
    for (let i = 0; i < rows; i++) {
      await writer.writeRow([`客户${i}`, `+86138${String(i).padStart(8, '0')}`, '上海市浦东新区张江镇', '老客户,复购', i, '备注 '.repeat(8)]);
      const third = Math.floor((3 * i) / rows);
      if (i % 1_000 === 0) heldAtMost[third] = Math.max(heldAtMost[third]!, process.memoryUsage().arrayBuffers);
    }
    await writer.end();
    await saved;
    // Flat: rows made faster than the zip deflates them used to wait in buffers without a bound, and
    // the last third held about 40 MB more than the first.
    expect(heldAtMost[2]! - heldAtMost[0]!).toBeLessThan(8 * 1024 * 1024);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    rmSync(dirname(path), { recursive: true });
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(rows);
    expect((sheet.getRow(rows).values as unknown[]).slice(1, 3)).toEqual([`客户${rows - 1}`, `+86138${String(rows - 1).padStart(8, '0')}`]);
  });

  it('stops with an error when the download is closed while it waits for the reader', async () => {
    const writer = createTableWriter('csv', { sheetName: 'x' });
    const wide = 'x'.repeat(10_000);
    // Nobody reads: 500 rows of 10 KB fill the response past its high-water mark, and the last waits.
    const writes = Array.from({ length: 500 }, () => writer.writeRow([wide]));
    writer.stream.destroy();
    await expect(Promise.all(writes)).rejects.toThrow('the download was closed before its end');
  });

  it('stops an xlsx too when the download is closed while it waits', async () => {
    const writer = createTableWriter('xlsx', { sheetName: 'x' });
    const wide = 'x'.repeat(10_000);
    const writes = Array.from({ length: 2_000 }, (_, i) => writer.writeRow([`${i}${wide}`]));
    writer.stream.destroy();
    await expect(Promise.all(writes)).rejects.toThrow('the download was closed before its end');
  });
});
