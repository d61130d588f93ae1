// `crm import`, `crm imports` and `crm export`: the real binary against a real server on a temporary
// SQLite file. Needs `npx tsc -b packages/cli`.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '@telecrm/api';
import type { Customer, ImportJob } from '@telecrm/core';
import { ExitCode } from './output/exit-codes.js';
import { CRM_BIN as BIN, spawnCrm, type Run } from './test-support/spawn-crm.js';

const ADMIN_PASSWORD = 'secret-pass-1';

let dir: string;
let home: string;
let server: { url: string; close(): Promise<void> };

/** Runs `crm ...args` as a child process, logged in as the admin, talking to the test server. */
const crm = (args: string[], input = ''): Promise<Run> =>
  spawnCrm(args, { CRM_URL: server.url, XDG_CONFIG_HOME: home, LANG: 'en_US.UTF-8' }, input);

type ImportResult = ImportJob & { failureReport: string | null };

let phoneSeq = 0;
/** A valid, unused mobile number for each row a test imports. */
const nextPhone = () => `1370013${String(7000 + phoneSeq++).padStart(4, '0')}`;

/** A UTF-8 csv in a folder of its own, from rows of cells. */
async function csvFile(name: string, rows: string[][]): Promise<string> {
  const folder = await mkdtemp(join(dir, 'in-'));
  const file = join(folder, name);
  await writeFile(file, `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');
  return file;
}

/** Imports a file to its end and returns the JSON line `crm import` prints. */
async function importFile(file: string, ...args: string[]): Promise<ImportResult> {
  const run = await crm(['import', file, ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.json<ImportResult>();
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

/** The bytes of one entry of a zip file (an xlsx), found through its central directory. */
function zipEntry(zip: Buffer, name: string): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 0 ? data : inflateRawSync(data);
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  throw new Error(`${name} is not in the zip`);
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first with npx tsc -b packages/cli`);
  dir = await mkdtemp(join(tmpdir(), 'crm-import-e2e-'));
  server = await startServer({ port: 0, host: '127.0.0.1', db: join(dir, 'crm.sqlite'), adminPassword: ADMIN_PASSWORD });
  home = await mkdtemp(join(dir, 'home-'));
  const login = await crm(['login', '-u', 'admin'], `${ADMIN_PASSWORD}\n`);
  expect(login.stderr).toBe('');
  expect(login.code).toBe(0);
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('crm import', () => {
  it('imports a csv to its end, counts the rows by outcome and saves the failure report next to it', async () => {
    const phone = nextPhone();
    const other = nextPhone();
    const file = await csvFile('客户名单.csv', [
      ['客户名称', '手机', '来源'],
      ['E2E 张三', phone, '展会'],
      ['E2E 李四', other, ''],
      ['E2E 张三 again', `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, '展会'],
      ['E2E 坏号', '12345', ''],
    ]);
    const job = await importFile(file);
    expect(job).toMatchObject({
      state: 'done',
      fileName: '客户名单.csv',
      format: 'csv',
      counts: { rows: 4, created: 2, duplicateInFile: 1, rejected: 1 },
      failures: 2,
      error: null,
    });
    expect(job.columns.map((c) => c.target)).toEqual(['name', 'phones', 'source']);
    expect(job.failureReport).toBe(join(file, '..', '客户名单.failures.xlsx'));
    const report = await readFile(job.failureReport!);
    expect(report.subarray(0, 2).toString()).toBe('PK');
    // Only the two files: no temporary download left behind.
    expect((await readdir(join(file, '..'))).sort()).toEqual(['客户名单.csv', '客户名单.failures.xlsx']);

    const found = await crm(['customers', 'list', '--q', phone]);
    expect(found.json<Customer>().map((c) => c.name)).toEqual(['E2E 张三']);
  });

  it('lists and shows imports, and downloads a failure report as csv', async () => {
    const file = await csvFile('list.csv', [['姓名', '电话'], ['E2E 王五', nextPhone()], ['E2E 空号', '0']]);
    const job = await importFile(file);
    expect(job.counts).toMatchObject({ created: 1, rejected: 1 });

    const list = await crm(['imports', 'list', '--json']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const items = list.json<ImportJob>();
    expect(items[0]!.id).toBe(job.id);
    const done = await crm(['imports', 'list', '--state', 'done', '--limit', '1']);
    expect(done.json<ImportJob>().map((j) => j.id)).toEqual([job.id]);

    const show = await crm(['imports', 'show', job.id]);
    expect(show.json<ImportJob>()[0]).toMatchObject({ id: job.id, state: 'done', counts: job.counts });

    const out = join(dir, 'reports', 'list-failures.csv');
    const failures = await crm(['imports', 'failures', job.id, '--out', out]);
    expect(failures.stderr).toBe('');
    expect(failures.code).toBe(0);
    expect(failures.json<{ file: string; bytes: number }>()[0]).toEqual({ file: out, bytes: (await stat(out)).size });
    const csv = await readFile(out, 'utf8');
    expect(csv).toContain('E2E 空号');
    expect(csv.split('\n')[0]).toContain('reason');
  });

  it('refuses bad options before uploading, and a file the server cannot import, with the usage exit code', async () => {
    const file = await csvFile('x.csv', [['姓名', '爱好'], ['E2E 无号', '钓鱼']]);
    const pool = await crm(['import', file, '--pool', 'vip']);
    expect(pool.code).toBe(ExitCode.USAGE);
    expect(pool.stderr).toContain('--pool');
    const missing = await crm(['import', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(ExitCode.USAGE);
    const noPhone = await crm(['import', file]);
    expect(noPhone.code).toBe(ExitCode.USAGE);
    expect(noPhone.stderr).toMatch(/^error: /);
    expect(noPhone.stdout).toBe('');
    expect((await crm(['imports', 'show', 'no-such-import'])).code).toBe(ExitCode.NOT_FOUND);
  });

  it('reverts an import: its customers are gone, and a second revert is a conflict', async () => {
    const phone = nextPhone();
    const job = await importFile(await csvFile('revert.csv', [['客户名称', '手机'], ['E2E 撤销', phone]]));
    expect(job.counts.created).toBe(1);
    expect((await crm(['customers', 'list', '--q', phone])).json()).toHaveLength(1);

    const revert = await crm(['imports', 'revert', job.id]);
    expect(revert.stderr).toBe('');
    expect(revert.code).toBe(0);
    expect(revert.json<ImportJob>()[0]).toMatchObject({ id: job.id, state: 'reverted' });
    expect((await crm(['customers', 'list', '--q', phone])).json()).toHaveLength(0);

    const again = await crm(['imports', 'revert', job.id]);
    expect(again.code).toBe(ExitCode.CONFLICT);
    expect(again.stderr).toMatch(/^error: /);
  });
});

describe('crm export', () => {
  it('exports customers to a csv with a BOM and to an xlsx, the same ones', async () => {
    const file = await csvFile('export.csv', [['客户名称', '手机'], ['E2EXP 王一', nextPhone()], ['E2EXP 王二', nextPhone()]]);
    expect((await importFile(file)).counts.created).toBe(2);

    const csvOut = join(dir, 'out', 'x.csv');
    const csv = await crm(['export', '--out', csvOut, '--q', 'E2EXP', '--sort', 'name:asc']);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    const bytes = await readFile(csvOut);
    expect(csv.json<{ file: string; bytes: number }>()[0]).toEqual({ file: csvOut, bytes: bytes.length });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('E2EXP 王一');
    expect(text).toContain('E2EXP 王二');
    expect(text.indexOf('E2EXP 王一')).toBeLessThan(text.indexOf('E2EXP 王二'));

    const xlsxOut = join(dir, 'out', 'x.xlsx');
    const xlsx = await crm(['export', '--out', xlsxOut, '--q', 'E2EXP', '--fields', 'name,phones']);
    expect(xlsx.stderr).toBe('');
    expect(xlsx.code).toBe(0);
    const workbook = await readFile(xlsxOut);
    expect(workbook.subarray(0, 2).toString()).toBe('PK');
    const sheet = zipEntry(workbook, 'xl/worksheets/sheet1.xml').toString('utf8');
    expect(sheet).toContain('E2EXP 王一');
    expect(sheet).toContain('E2EXP 王二');

    // Only the two exports in the folder: the temporary names are gone.
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['x.csv', 'x.xlsx']);
  });

  it('refuses an unknown field without leaving a file', async () => {
    const out = join(dir, 'bad.xlsx');
    const run = await crm(['export', '--out', out, '--fields', 'name,no_such_field']);
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toMatch(/^error: /);
    expect(existsSync(out)).toBe(false);
  });
});
