// crm import, crm imports ... and crm export, in-process against a fake server.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportJob } from '@telecrm/core';
import { ExitCode } from './output/exit-codes.js';
import { anImport } from './test-support/fixtures.js';
import { call, cliHarness, json, problem, type Handler, type RunOptions } from './test-support/run-cli.js';

const { crm, loggedIn } = cliHarness();

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_BYTES = Buffer.from('\ufeff客户名称,手机,爱好\r\n张三,13800138000,钓鱼\r\n李四,13900139000,\r\n', 'utf8');
/** What the fake server sends as a failure report or an export. */
const FILE_BYTES = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(3000, 7)]);

let dir: string;
let file: string;

beforeEach(async () => {
  await loggedIn();
  dir = await mkdtemp(join(tmpdir(), 'crm-import-'));
  file = join(dir, '客户名单.csv');
  await writeFile(file, CSV_BYTES);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const running = (fraction: number, over: Partial<ImportJob> = {}) =>
  anImport({
    state: 'running',
    startedAt: '2025-03-01T08:05:01.000Z',
    counts: { ...anImport().counts, rows: Math.round(fraction * 10), created: Math.round(fraction * 10) },
    progress: { rowsRead: Math.round(fraction * 10) + 1, bytesRead: fraction * 2048, bytesTotal: 2048, fraction, rowsPerSecond: 850, etaSeconds: 4.2 },
    ...over,
  });

const done = (over: Partial<ImportJob> = {}) =>
  anImport({
    state: 'done',
    startedAt: '2025-03-01T08:05:01.000Z',
    finishedAt: '2025-03-01T08:05:09.000Z',
    counts: { rows: 10, created: 5, updated: 1, unchanged: 0, skipped: 1, duplicateInFile: 1, blocked: 0, rejected: 1, blank: 1 },
    progress: { rowsRead: 12, bytesRead: 2048, bytesTotal: 2048, fraction: 1, rowsPerSecond: 850, etaSeconds: 0 },
    failures: 3,
    ...over,
  });

/**
 * A fake of the import routes: the upload queues the import, each look at it gets the next of `polls`
 * (the last one over and over), the failure report is FILE_BYTES.
 */
function importServer(polls: ImportJob[], more: Handler = () => problem(404, 'REQUEST.ROUTE_NOT_FOUND', 'No such route')): Handler {
  let next = 0;
  return (request) => {
    const path = request.url.pathname;
    if (request.method === 'POST' && path === '/api/v1/imports') return json(anImport(), 202);
    if (request.method === 'GET' && path === '/api/v1/imports/imp-1') return json(polls[Math.min(next++, polls.length - 1)]);
    if (path === '/api/v1/imports/imp-1/failures') return new Response(FILE_BYTES, { headers: { 'content-type': XLSX } });
    return more(request);
  };
}

/** A run that Ctrl-C does not interrupt (the harness's default stops at once). */
const following = (argv: string[], options: RunOptions = {}) => crm(argv, { untilStopped: () => new Promise(() => {}), ...options });

describe('crm import: the upload', () => {
  it('streams the file as the body, with its type and size, and only the given options in the query', async () => {
    const run = await crm(['import', file, '--no-wait'], { handler: importServer([]) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [upload] = run.seen;
    expect(upload!.method).toBe('POST');
    expect(upload!.url.pathname).toBe('/api/v1/imports');
    expect([...upload!.url.searchParams]).toEqual([['fileName', '客户名单.csv']]);
    expect(upload!.bytes).toEqual(CSV_BYTES);
    expect(upload!.duplex).toBe('half');
    expect(upload!.headers.get('content-type')).toBe('text/csv');
    expect(upload!.headers.get('content-length')).toBe(String(CSV_BYTES.length));
    expect(upload!.headers.get('authorization')).toBe('Bearer stored-token');
    expect(upload!.headers.get('accept-language')).toBe('en');
  });

  it('sends every option as a query parameter, --map once per mapping', async () => {
    const run = await crm(
      ['import', file, '--no-wait', '--pool', 'public', '--duplicates', 'update', '--dry-run', '--encoding', 'GBK', '--sheet', '名单', '--no-header', '--header-row', '2', '--map', '电话2=phones', '--map', '3=name'],
      { handler: importServer([]) },
    );
    expect(run.stderr).toBe('');
    const params = run.seen[0]!.url.searchParams;
    expect(Object.fromEntries([...params].filter(([key]) => key !== 'map'))).toEqual({
      fileName: '客户名单.csv',
      pool: 'public',
      duplicates: 'update',
      dryRun: 'true',
      encoding: 'gbk',
      sheet: '名单',
      header: 'false',
      headerRow: '2',
    });
    expect(params.getAll('map')).toEqual(['电话2=phones', '3=name']);
  });

  it('tells workbooks from csv by the extension, anything else is octet-stream', async () => {
    const xlsx = join(dir, 'list.xlsx');
    const txt = join(dir, 'list.txt');
    await writeFile(xlsx, FILE_BYTES);
    await writeFile(txt, CSV_BYTES);
    const a = await crm(['import', xlsx, '--no-wait'], { handler: importServer([]) });
    expect(a.seen[0]!.headers.get('content-type')).toBe(XLSX);
    expect(a.seen[0]!.bytes).toEqual(FILE_BYTES);
    const b = await crm(['import', txt, '--no-wait'], { handler: importServer([]) });
    expect(b.seen[0]!.headers.get('content-type')).toBe('application/octet-stream');
    expect(b.seen[0]!.url.searchParams.get('fileName')).toBe('list.txt');
  });

  it.each([
    [['--pool', 'vip'], '--pool'],
    [['--duplicates', 'merge'], '--duplicates'],
    [['--encoding', 'latin1'], '--encoding'],
    [['--header-row', '0'], '--header-row'],
    [['--header-row', 'two'], '--header-row'],
    [['--header-row', '51'], '--header-row'],
    [['--sheet', ' '], '--sheet'],
    [['--map', 'phones'], '--map'],
    [['--map', '=phones'], '--map'],
    [['--map', '电话2='], '--map'],
  ])('refuses %j before reading the file or uploading, naming %s', async (args, option) => {
    const run = await crm(['import', join(dir, 'missing.csv'), ...args], { handler: importServer([]) });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.seen).toHaveLength(0);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).toContain(option);
  });

  it('says which choices there are, in Chinese too', async () => {
    const en = await crm(['import', file, '--pool', 'vip']);
    expect(en.stderr).toBe('error: --pool is malformed: lead | pending | public | private\n');
    const zh = await crm(['import', file, '--pool', 'vip', '--lang', 'zh-CN']);
    expect(zh.stderr).toBe('错误：--pool 格式不对：lead | pending | public | private\n');
    const map = await crm(['import', file, '--map', 'phones', '--lang', 'zh-CN']);
    expect(map.stderr).toBe('错误：--map 应为 列=字段（列为表头或列号，字段为字段名或 - 表示不导入）：phones\n');
  });

  it('refuses a file that is missing or a folder, without asking the server', async () => {
    const missing = await crm(['import', join(dir, 'nope.csv')], { handler: importServer([]) });
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('Cannot read');
    expect(missing.stderr).toContain('ENOENT');
    const folder = await crm(['import', dir], { handler: importServer([]) });
    expect(folder.code).toBe(ExitCode.USAGE);
    expect(folder.stderr).toContain('is not a file');
    expect([...missing.seen, ...folder.seen]).toHaveLength(0);
  });

  it.each([
    [400, 'IMPORT.NO_PHONE_COLUMN', 'No column holds phone numbers', ExitCode.USAGE],
    [400, 'IMPORT.FILE_ENCRYPTED', 'The file is password-protected', ExitCode.USAGE],
    [413, 'IMPORT.UPLOAD_TOO_LARGE', 'The file is larger than 100 MB', ExitCode.USAGE],
    [415, 'IMPORT.XLS_UNSUPPORTED', 'Save the .xls as .xlsx', ExitCode.USAGE],
    [403, 'AUTH.FORBIDDEN', 'You may not import', ExitCode.AUTH],
  ])('a refused upload (%i %s) exits with %i and the server message', async (status, code, detail, exit) => {
    const run = await crm(['import', file], { handler: () => problem(status, code, detail) });
    expect(run.code).toBe(exit);
    expect(run.stderr).toBe(`error: ${detail}\n`);
    expect(run.stdout).toBe('');
    expect(run.seen).toHaveLength(1);
  });

  it('with --no-wait, prints the queued import and how to follow it', async () => {
    const machine = await crm(['import', file, '--no-wait'], { handler: importServer([]) });
    expect(machine.lines.map((l) => JSON.parse(l))).toEqual([anImport()]);
    const person = await crm(['import', file, '--no-wait'], { handler: importServer([]), tty: true });
    expect(person.stdout).toContain('Queued the import of 客户名单.csv (imp-1). See how it goes with: crm imports show imp-1');
  });
});

describe('crm import: following the import', () => {
  it('polls through queued and running until done, then prints the ended import as one JSON line', async () => {
    const polls = [anImport(), running(0.3), running(0.7), done({ failures: 0 })];
    const run = await following(['import', file], { handler: importServer(polls) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /api/v1/imports',
      'GET /api/v1/imports/imp-1',
      'GET /api/v1/imports/imp-1',
      'GET /api/v1/imports/imp-1',
      'GET /api/v1/imports/imp-1',
    ]);
    expect(run.lines).toHaveLength(1);
    expect(JSON.parse(run.lines[0]!)).toEqual({ ...done({ failures: 0 }), failureReport: null });
  });

  it('saves the failure report next to the file and names it in the JSON line', async () => {
    const run = await following(['import', file, '--lang', 'zh-CN'], { handler: importServer([running(0.5), done()]) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = run.seen.find((r) => r.url.pathname.endsWith('/failures'))!;
    expect(report.url.searchParams.get('format')).toBe('xlsx');
    expect(report.headers.get('accept-language')).toBe('zh-CN');
    const saved = join(dir, '客户名单.failures.xlsx');
    expect(await readFile(saved)).toEqual(FILE_BYTES);
    expect(JSON.parse(run.lines[0]!)).toMatchObject({ state: 'done', failures: 3, failureReport: saved });
    // No temporary file is left beside it.
    expect((await readdir(dir)).sort()).toEqual(['客户名单.csv', '客户名单.failures.xlsx']);
  });

  it('saves the report where --report says, as csv for a .csv name', async () => {
    const target = join(dir, 'reports', 'bad-rows.csv');
    const run = await following(['import', file, '--report', target], { handler: importServer([done()]) });
    expect(run.code).toBe(0);
    expect(run.seen.find((r) => r.url.pathname.endsWith('/failures'))!.url.searchParams.get('format')).toBe('csv');
    expect(await readFile(target)).toEqual(FILE_BYTES);
    expect(JSON.parse(run.lines[0]!).failureReport).toBe(target);
  });

  it('draws progress on a terminal, then the counts, the unmapped columns and the report', async () => {
    const run = await following(['import', file], { handler: importServer([running(0.5), done()]), tty: true });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('Uploading 客户名单.csv');
    expect(out).toMatch(/Importing 客户名单\.csv █+ 100% 10 rows · 850 rows\/s/);
    expect(out).toContain('✔ Imported 客户名单.csv: 10 rows read.');
    expect(out).toMatch(/Outcome\s+Rows/);
    for (const line of [/Created\s+5/, /Updated\s+1/, /Duplicates, unchanged\s+0/, /Duplicates skipped\s+1/, /Duplicates within the file\s+1/, /Wrong or do-not-call numbers\s+0/, /Rejected\s+1/, /Blank rows\s+1/]) {
      expect(out).toMatch(line);
    }
    expect(out).toContain('! These columns were not imported: 爱好. Map them with --map COLUMN=FIELD.');
    expect(out).toContain(`Failure report (3 rows): ${join(dir, '客户名单.failures.xlsx')}`);
    expect(out).not.toContain('{"');
  });

  it('speaks Chinese on a terminal and says when it was a trial run', async () => {
    const dry = done({ options: { ...anImport().options, dryRun: true }, failures: 0, unmapped: [] });
    const run = await following(['import', file, '--dry-run', '--lang', 'zh-CN'], { handler: importServer([dry]), tty: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('正在导入 客户名单.csv');
    expect(run.stdout).toContain('客户名单.csv 试导入完成：共读取 10 行，未写入任何客户。');
    expect(run.stdout).toMatch(/新建\s+5/);
    expect(run.stdout).toMatch(/文件内重复\s+1/);
    expect(run.stdout).not.toContain('失败报告');
  });

  it('exits non-zero with the reason when the import fails, still showing the outcome', async () => {
    const failed = anImport({
      state: 'failed',
      counts: { ...anImport().counts, rows: 4, created: 4 },
      error: { code: 'IMPORT.INTERRUPTED', message: 'The import stopped: the file changed' },
    });
    const run = await following(['import', file], { handler: importServer([running(0.4), failed]) });
    expect(run.code).toBe(ExitCode.FAILURE);
    expect(run.stderr).toBe('error: The import of 客户名单.csv failed: The import stopped: the file changed\n');
    expect(JSON.parse(run.lines[0]!)).toMatchObject({ state: 'failed', failureReport: null });
    const zh = await following(['import', file, '--lang', 'zh-CN'], { handler: importServer([failed]), tty: true });
    expect(zh.code).toBe(ExitCode.FAILURE);
    expect(zh.stderr).toMatch(/^错误：客户名单\.csv 导入失败：/);
    expect(zh.stdout).toMatch(/新建\s+4/);
  });

  it('exits non-zero when someone cancels the import, saying how to undo what was written', async () => {
    const cancelled = anImport({ state: 'cancelled', counts: { ...anImport().counts, rows: 3, created: 3 } });
    const run = await following(['import', file], { handler: importServer([running(0.2), cancelled]) });
    expect(run.code).toBe(ExitCode.FAILURE);
    expect(run.stderr).toContain('crm imports revert imp-1');
  });

  it('Ctrl-C stops following, not the import, and says how to look at it again', async () => {
    let stop!: () => void;
    const pressed = new Promise<string>((resolve) => (stop = () => resolve('SIGINT')));
    const server = importServer([running(0.1), running(0.2), running(0.3)]);
    let polls = 0;
    const handler: Handler = (request) => {
      if (request.method === 'GET' && ++polls === 2) stop();
      return server(request);
    };
    const run = await crm(['import', file], { handler, untilStopped: () => pressed });
    expect(run.code).toBe(ExitCode.INTERRUPTED);
    expect(run.stderr).toBe(
      'error: Stopped following; the import imp-1 goes on on the server. Look at it again with: crm imports show imp-1\n',
    );
    expect(run.seen.some((r) => r.url.pathname.endsWith('/cancel'))).toBe(false);
    // Machines learn the id and how far it got.
    expect(JSON.parse(run.lines[0]!)).toMatchObject({ id: 'imp-1', state: 'running', failureReport: null });
  });

  it('an error while following exits by its code', async () => {
    const handler = importServer([], () => problem(500, 'INTERNAL', 'boom'));
    const gone: Handler = (request) =>
      request.method === 'GET' ? problem(404, 'IMPORT.NOT_FOUND', 'No import imp-1') : handler(request);
    const run = await following(['import', file], { handler: gone });
    expect(run.code).toBe(ExitCode.NOT_FOUND);
    expect(run.stderr).toBe('error: No import imp-1\n');
  });
});

describe('crm imports', () => {
  const jobs = [done({ id: 'imp-2', fileName: '展会.xlsx', format: 'xlsx' }), done()];
  const server: Handler = ({ method, url }) => {
    const path = url.pathname;
    if (path === '/api/v1/imports') {
      return url.searchParams.get('cursor') === 'p2' ? json({ items: [jobs[1]], nextCursor: null }) : json({ items: [jobs[0]], nextCursor: 'p2' });
    }
    if (path === '/api/v1/users') return json({ items: [{ id: 'u-1', username: 'admin', displayName: '王经理' }] });
    if (path === '/api/v1/imports/imp-1' && method === 'GET') return json(running(0.5));
    if (path === '/api/v1/imports/imp-1/cancel') return json(anImport({ state: 'cancelled' }));
    if (path === '/api/v1/imports/imp-1/revert') return json(done({ state: 'reverted', revertedAt: '2025-03-02T00:00:00.000Z' }));
    if (path === '/api/v1/imports/imp-1/failures') return new Response(FILE_BYTES, { headers: { 'content-type': XLSX } });
    return problem(404, 'IMPORT.NOT_FOUND', 'No such import');
  };

  it('lists imports as NDJSON, with the state and paging in the query', async () => {
    const one = await crm(['imports', 'list', '--state', 'done', '--limit', '1'], { handler: server });
    expect(one.code).toBe(0);
    expect(one.lines.map((l) => JSON.parse(l).id)).toEqual(['imp-2']);
    expect(one.seen.map(call)).toEqual(['GET /api/v1/imports?state=done&limit=1 null']);
    const all = await crm(['imports', 'list', '--all'], { handler: server });
    expect(all.lines.map((l) => JSON.parse(l).id)).toEqual(['imp-2', 'imp-1']);
    const bad = await crm(['imports', 'list', '--state', 'finished'], { handler: server });
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.stderr).toContain('--state');
    expect(bad.seen).toHaveLength(0);
  });

  it('draws the list as a table on a terminal', async () => {
    const run = await crm(['imports', 'list', '--all'], { handler: server, tty: true });
    expect(run.lines[0]).toMatch(/File\s+State\s+Created\s+Updated\s+Rejected\s+Time\s+ID/);
    expect(run.stdout).toMatch(/展会\.xlsx\s+done\s+5\s+1\s+1\s+\S+ \S+\s+imp-2/);
    const zh = await crm(['imports', 'list', '--lang', 'zh-CN'], { handler: server, tty: true });
    expect(zh.lines[0]).toMatch(/文件\s+状态\s+新建/);
    expect(zh.stdout).toMatch(/展会\.xlsx\s+完成/);
    expect(zh.stdout).toContain('--cursor p2');
  });

  it('shows one import as JSON, or with progress, counts and the mapping on a terminal', async () => {
    const machine = await crm(['imports', 'show', 'imp-1'], { handler: server });
    expect(JSON.parse(machine.lines[0]!)).toEqual(running(0.5));
    expect(machine.seen).toHaveLength(1);
    const person = await crm(['imports', 'show', 'imp-1'], { handler: server, tty: true });
    const out = person.stdout;
    expect(out).toMatch(/State\s+running/);
    expect(out).toMatch(/Progress\s+50% · 5 rows · 850 rows\/s · 0:05 left/);
    expect(out).toMatch(/Pool\s+Private/);
    expect(out).toMatch(/Created\s+5/);
    expect(out).toMatch(/Column → field\s+客户名称 → name, 手机 → phones, 爱好 → \(not imported\)/);
    expect(out).toMatch(/Columns not imported\s+爱好/);
    expect(out).toMatch(/Created by\s+王经理/);
    const missing = await crm(['imports', 'show', 'imp-9'], { handler: server });
    expect(missing.code).toBe(ExitCode.NOT_FOUND);
  });

  it('cancels and reverts', async () => {
    const cancel = await crm(['imports', 'cancel', 'imp-1'], { handler: server });
    expect(cancel.seen.map(call)).toEqual(['POST /api/v1/imports/imp-1/cancel null']);
    expect(JSON.parse(cancel.lines[0]!).state).toBe('cancelled');
    const revert = await crm(['imports', 'revert', 'imp-1'], { handler: server, tty: true });
    expect(revert.seen.map(call)).toEqual(['POST /api/v1/imports/imp-1/revert null']);
    expect(revert.stdout).toContain('Reverted the import of 客户名单.csv (imp-1)');
    const zh = await crm(['imports', 'cancel', 'imp-1', '--lang', 'zh-CN'], { handler: server, tty: true });
    expect(zh.stdout).toContain('已取消导入 imp-1');
  });

  it.each([
    ['cancel', 'IMPORT.NOT_CANCELLABLE', 'The import has already ended (done) and cannot be cancelled'],
    ['revert', 'IMPORT.NOT_REVERTIBLE', 'This import cannot be reverted: already reverted'],
    ['revert', 'IMPORT.REVERT_CONFLICT', '2 customers of this import were changed after it, so it cannot be reverted (e.g. 张三, 李四)'],
  ])('%s refused with %s is a conflict', async (action, code, detail) => {
    const run = await crm(['imports', action, 'imp-1'], { handler: () => problem(409, code, detail) });
    expect(run.code).toBe(ExitCode.CONFLICT);
    expect(run.stderr).toBe(`error: ${detail}\n`);
  });

  it('downloads the failure report to --out, in the format of its extension or --format', async () => {
    const out = join(dir, 'failures.csv');
    const run = await crm(['imports', 'failures', 'imp-1', '--out', out], { handler: server });
    expect(run.stderr).toBe('');
    expect(run.seen.map(call)).toEqual(['GET /api/v1/imports/imp-1/failures?format=csv null']);
    expect(await readFile(out)).toEqual(FILE_BYTES);
    expect(JSON.parse(run.lines[0]!)).toEqual({ file: out, bytes: FILE_BYTES.length });
    const forced = await crm(['imports', 'failures', 'imp-1', '--out', join(dir, 'r.bin'), '--format', 'xlsx'], { handler: server, tty: true });
    expect(forced.seen[0]!.url.searchParams.get('format')).toBe('xlsx');
    expect(forced.stdout).toContain(`Saved the failure report to ${join(dir, 'r.bin')} (2.9 KB).`);
    const bad = await crm(['imports', 'failures', 'imp-1', '--format', 'pdf'], { handler: server });
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.stderr).toBe('error: --format must be one of xlsx, csv: pdf\n');
  });
});

describe('crm export', () => {
  const exported: Handler = () =>
    new Response(FILE_BYTES, { headers: { 'content-type': XLSX, 'content-disposition': 'attachment; filename="customers.xlsx"' } });

  /** A download that breaks off after its first bytes. */
  const broken: Handler = () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(FILE_BYTES.subarray(0, 100));
          controller.error(new Error('connection reset'));
        },
      }),
      { headers: { 'content-type': XLSX } },
    );

  it('streams the file to --out and prints where and how big', async () => {
    const out = join(dir, 'out', 'customers.xlsx');
    const run = await crm(['export', '--out', out], { handler: exported });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.seen.map(call)).toEqual(['GET /api/v1/customers/export?format=xlsx null']);
    expect(await readFile(out)).toEqual(FILE_BYTES);
    expect(JSON.parse(run.lines[0]!)).toEqual({ file: out, bytes: FILE_BYTES.length });
    const person = await crm(['export', '--out', out], { handler: exported, tty: true });
    expect(person.stdout).toContain(`Exported to ${out} (2.9 KB).`);
  });

  it('passes the format, encoding, view, filter, search, sort, fields and the recycle bin', async () => {
    const filter = '{"field":"source","op":"eq","value":"展会"}';
    const run = await crm(
      ['export', '--out', join(dir, 'x.csv'), '--encoding', 'GB18030', '--view', 'builtin-hot', '--filter', filter, '--q', '张', '--sort', 'name:asc', '--fields', 'name, phones,,company', '--deleted'],
      { handler: exported },
    );
    expect(run.stderr).toBe('');
    const params = run.seen[0]!.url.searchParams;
    expect(Object.fromEntries(params)).toEqual({
      format: 'csv',
      encoding: 'gb18030',
      view: 'builtin-hot',
      filter: JSON.stringify(JSON.parse(filter)),
      q: '张',
      sort: 'name:asc',
      fields: 'name,phones,company',
      deleted: 'true',
    });
    const forced = await crm(['export', '--out', join(dir, 'x.dat'), '--format', 'csv'], { handler: exported });
    expect(forced.seen[0]!.url.searchParams.get('format')).toBe('csv');
    const fallback = await crm(['export', '--out', join(dir, 'x.dat')], { handler: exported });
    expect(fallback.seen[0]!.url.searchParams.get('format')).toBe('xlsx');
  });

  it.each([
    [[], 'error: Give the file to write with --out FILE.'],
    [['--out', 'x.xlsx', '--format', 'pdf'], 'error: --format must be one of xlsx, csv: pdf'],
    [['--out', 'x.csv', '--encoding', 'big5'], 'error: --encoding must be one of utf-8, gb18030: big5'],
    [['--out', 'x.xlsx', '--encoding', 'gb18030'], 'error: --encoding applies to csv files only.'],
    [['--out', 'x.xlsx', '--sort', 'name:up'], 'error: --sort must be field:asc or field:desc: name:up'],
    [['--out', 'x.xlsx', '--filter', '{'], 'error: --filter is not valid JSON'],
  ])('refuses %j before asking the server', async (args, message) => {
    const run = await crm(['export', ...args], { handler: exported });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain(message);
    expect(run.seen).toHaveLength(0);
  });

  it('says so in Chinese', async () => {
    const run = await crm(['export', '--lang', 'zh-CN']);
    expect(run.stderr).toBe('错误：请用 --out FILE 给出要写入的文件。\n');
  });

  it('never leaves half a file under the final name when the download breaks off', async () => {
    const out = join(dir, 'customers.xlsx');
    const run = await crm(['export', '--out', out], { handler: broken });
    expect(run.code).toBe(ExitCode.UNREACHABLE);
    expect(run.stderr).toBe(`error: The download broke off (connection reset); ${out} was not saved.\n`);
    expect(existsSync(out)).toBe(false);
    expect(await readdir(dir)).toEqual(['客户名单.csv']);
    // An older file of that name stays as it was.
    await writeFile(out, 'old export');
    expect((await crm(['export', '--out', out], { handler: broken })).code).toBe(ExitCode.UNREACHABLE);
    expect(await readFile(out, 'utf8')).toBe('old export');
    expect((await readdir(dir)).sort()).toEqual(['customers.xlsx', '客户名单.csv']);
  });

  it('writes nothing when the server refuses', async () => {
    const out = join(dir, 'customers.xlsx');
    const run = await crm(['export', '--out', out], { handler: () => problem(403, 'AUTH.FORBIDDEN', 'You may not export') });
    expect(run.code).toBe(ExitCode.AUTH);
    expect(run.stderr).toBe('error: You may not export\n');
    expect(existsSync(out)).toBe(false);
    const unknown = await crm(['export', '--out', out, '--fields', 'nope'], { handler: () => problem(400, 'FIELD.UNKNOWN', 'Unknown field: nope') });
    expect(unknown.code).toBe(ExitCode.USAGE);
  });

  it('cannot write into a folder that is a file', async () => {
    const run = await crm(['export', '--out', join(file, 'x.xlsx')], { handler: exported });
    expect(run.code).toBe(ExitCode.USAGE);
    expect(run.stderr).toContain('Cannot write');
  });
});
