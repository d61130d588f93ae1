import { describe, expect, it } from 'vitest';
import { reportFileName, tableFormatOf } from '../client/file-transfer.js';
import { anImport } from '../test-support/fixtures.js';
import { formatBytes, formatDuration, formatEta, formatMapping, formatRate, importProgressDetail, importRow, importSummary } from './import-format.js';

describe('sizes, speeds and times left', () => {
  it('writes sizes in steps of 1024 with one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });

  it('writes durations as a clock, rounded up', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(4.2)).toBe('0:05');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(-3)).toBe('0:00');
  });

  it('formats the rate and the time left in both languages, and nothing while unknown', () => {
    expect(formatRate(1234.4, 'en')).toBe('1,234 rows/s');
    expect(formatRate(850, 'zh-CN')).toBe('850 行/秒');
    expect(formatRate(null, 'en')).toBeUndefined();
    expect(formatRate(Number.NaN, 'en')).toBeUndefined();
    expect(formatEta(65, 'en')).toBe('1:05 left');
    expect(formatEta(65, 'zh-CN')).toBe('剩余 1:05');
    expect(formatEta(null, 'en')).toBeUndefined();
  });

  it('puts rows, rate and time left after the bar; the time left only while running', () => {
    const counts = { ...anImport().counts, rows: 12000 };
    const progress = { ...anImport().progress, rowsPerSecond: 850, etaSeconds: 65 };
    expect(importProgressDetail({ state: 'running', counts, progress }, 'en')).toBe('12,000 rows · 850 rows/s · 1:05 left');
    expect(importProgressDetail({ state: 'running', counts, progress: { ...progress, rowsPerSecond: null, etaSeconds: null } }, 'en')).toBe('12,000 rows');
    expect(importProgressDetail({ state: 'done', counts, progress }, 'zh-CN')).toBe('12,000 行 · 850 行/秒');
    expect(importProgressDetail({ state: 'queued', counts, progress }, 'zh-CN')).toBe('排队中');
  });
});

describe('imports for people', () => {
  it('lists every outcome in the summary, in order, with the count', () => {
    const counts = { rows: 9, created: 3, updated: 1, unchanged: 0, skipped: 2, duplicateInFile: 1, blocked: 1, rejected: 1, blank: 0 };
    const { columns, rows } = importSummary(counts, 'zh-CN');
    expect(columns.map((c) => c.header)).toEqual(['结果', '行数']);
    expect(rows.map((r) => `${r.outcome!.text}=${r.count!.text}`)).toEqual([
      '新建=3',
      '更新=1',
      '重复且无变化=0',
      '跳过的重复=2',
      '文件内重复=1',
      '空号/禁止拨打=1',
      '被拒绝=1',
      '空行=0',
    ]);
    expect(rows[6]!.count!.colour).toBe('red');
    expect(rows[2]!.count!.dim).toBe(true);
  });

  it('makes a list row and the mapping line', () => {
    const job = anImport({ state: 'failed', options: { ...anImport().options, dryRun: true } });
    const row = importRow(job, 'en');
    expect(row.file!.text).toBe('客户名单.csv (Trial run)');
    expect(row.state).toEqual({ text: 'failed', colour: 'red' });
    expect(formatMapping(job, 'zh-CN')).toBe('客户名称 → name, 手机 → phones, 爱好 → （不导入）');
  });
});

describe('file names', () => {
  it('names a failure report after the imported file, without its folder', () => {
    expect(reportFileName('客户名单.xlsx', 'xlsx')).toBe('客户名单.failures.xlsx');
    expect(reportFileName('list.v2.csv', 'csv')).toBe('list.v2.failures.csv');
    expect(reportFileName('../../etc/passwd', 'csv')).toBe('passwd.failures.csv');
    expect(reportFileName('.csv', 'xlsx')).toBe('import.failures.xlsx');
  });

  it('tells the table format from the extension', () => {
    expect(tableFormatOf('a/B.CSV')).toBe('csv');
    expect(tableFormatOf('b.xlsx')).toBe('xlsx');
    expect(tableFormatOf('c.txt')).toBe('xlsx');
    expect(tableFormatOf('c.txt', 'csv')).toBe('csv');
  });
});
