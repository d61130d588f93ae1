import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeDatabase, withSchema } from '../bench.seed.js';
import { printTable } from '../bench.table.js';

// The import figures of `npm run bench`: a generated csv (5% duplicate numbers, 1% bad rows) imported
// into SQLite beside the `sqlite3` shell's plain `.import` of the same file into a bare table (the
// floor), the same csv into PostgreSQL beside `psql \copy`, and a generated xlsx. Each import runs in a
// child process of its own (import.child.ts) for an honest peak RSS. Prints figures; asserts nothing.

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./import.child.js', import.meta.url));
const GENERATOR = join(ROOT, 'fixtures', 'import', 'generate.mjs');

export interface ImportBenchOptions {
  rows: number;
  xlsxRows: number;
  batchRows: number;
  /** A PostgreSQL server to measure too (a schema of its own is made and dropped). */
  pgUrl: string | undefined;
  log(line: string): void;
}

interface Measured {
  name: string;
  rows: number;
  seconds: number;
  maxRssMb?: number;
  floorName?: string;
  floorSeconds?: number;
  goal?: string;
  pass?: boolean;
  note?: string;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Generates a list file once and keeps it under .bench/ for later runs. */
function generated(rows: number, format: 'csv' | 'xlsx', log: (line: string) => void): string {
  const file = join(ROOT, '.bench', `import-${rows}.${format}`);
  if (existsSync(file)) return file;
  log(`generating ${file} (${rows.toLocaleString('en-US')} rows)`);
  const run = spawnSync(process.execPath, [GENERATOR, '--rows', String(rows), '--format', format, '--out', file, '--seed', '7', '--duplicates', '0.05', '--bad', '0.01'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`generate.mjs failed: ${run.stderr}`);
  return file;
}

/** Runs one import in a child process; its JSON line. */
function importInChild(
  db: string,
  file: string,
  name: string,
  batchRows: number,
  plain = false,
): { seconds: number; maxRssMb: number; counts: Record<string, number>; state: string } {
  const args = [CHILD, '--db', db, '--file', file, '--name', name, '--batch', String(batchRows), ...(plain ? ['--plain'] : [])];
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`import child failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

const hasCommand = (command: string) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;

/** The floor: the sqlite3 shell's `.import` into a table it makes from the header; optionally a UNIQUE phone index first. */
function sqliteShellImport(csv: string, uniquePhone: boolean): number {
  const db = join(ROOT, '.bench', `floor-${uniquePhone ? 'unique' : 'bare'}.sqlite`);
  removeDatabase(db);
  const script = uniquePhone
    ? ['create table bare (name text, phone text unique, company text, source text, industry text, tags text, remark text);', '.import --csv --skip 1 ' + csv + ' bare']
    : ['.import --csv ' + csv + ' bare'];
  const start = process.hrtime.bigint();
  const run = spawnSync('sqlite3', [db], { input: script.join('\n'), stdio: ['pipe', 'ignore', 'ignore'] });
  const took = seconds(start);
  removeDatabase(db);
  if (run.status !== 0 && !uniquePhone) throw new Error('sqlite3 .import failed');
  return took;
}

/** The PostgreSQL floor: `psql \copy` of the csv into a bare table. */
function psqlCopy(url: string, schema: string, csv: string): number {
  const sqlText = [
    `set search_path to "${schema}";`,
    'create table bare (name text, phone text, company text, source text, industry text, tags text, remark text);',
    `\\copy bare from '${csv.replace(/'/g, "''")}' with (format csv, header true)`,
  ].join('\n');
  const start = process.hrtime.bigint();
  const run = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q'], { input: sqlText, encoding: 'utf8' });
  const took = seconds(start);
  if (run.status !== 0) throw new Error(`psql \\copy failed: ${run.stderr}`);
  return took;
}

function printImportTable(rows: readonly Measured[]): void {
  const header = ['case', 'rows', 's', 'rows/s', 'peak RSS MB', 'floor', 'floor s', 'ratio', 'goal', 'pass'];
  const lines = rows.map((r) => [
    r.name,
    r.rows.toLocaleString('en-US'),
    r.seconds.toFixed(2),
    Math.round(r.rows / r.seconds).toLocaleString('en-US'),
    r.maxRssMb === undefined ? '-' : r.maxRssMb.toFixed(0),
    r.floorName ?? '-',
    r.floorSeconds === undefined ? '-' : r.floorSeconds.toFixed(2),
    r.floorSeconds === undefined ? '-' : `${(r.seconds / r.floorSeconds).toFixed(2)}x`,
    r.goal ?? '-',
    r.pass === undefined ? '-' : r.pass ? 'yes' : 'NO',
  ]);
  printTable(header, lines, [0, 5]);
  for (const r of rows) if (r.note) console.log(`  ${r.name}: ${r.note}`);
}

export async function runImportBench(options: ImportBenchOptions): Promise<void> {
  const { log } = options;
  const csv = generated(options.rows, 'csv', log);
  const xlsx = generated(options.xlsxRows, 'xlsx', log);
  log(`csv ${(statSync(csv).size / 1e6).toFixed(1)} MB, xlsx ${(statSync(xlsx).size / 1e6).toFixed(1)} MB; imports of ${options.batchRows} rows per batch`);
  const results: Measured[] = [];

  const shell = hasCommand('sqlite3');
  const floor = shell ? sqliteShellImport(csv, false) : undefined;
  const floorUnique = shell ? sqliteShellImport(csv, true) : undefined;
  const sqliteDb = join(ROOT, '.bench', 'import-target.sqlite');
  removeDatabase(sqliteDb);
  const plain = importInChild(sqliteDb, csv, 'list.csv', options.batchRows, true);
  removeDatabase(sqliteDb);
  const ours = importInChild(sqliteDb, csv, 'list.csv', options.batchRows);
  removeDatabase(sqliteDb);
  const note =
    `${JSON.stringify(ours.counts)}; plain prepared inserts of the same rows into the CRM tables (no checks): ${plain.seconds.toFixed(2)} s` +
    ` = ${(ours.seconds / plain.seconds).toFixed(2)}x` +
    (floorUnique === undefined ? '' : `; sqlite3 .import with a UNIQUE phone index: ${floorUnique.toFixed(2)} s`);
  results.push({
    name: 'csv -> SQLite',
    rows: options.rows,
    seconds: ours.seconds,
    maxRssMb: ours.maxRssMb,
    ...(floor === undefined ? { note: `${note}; the sqlite3 shell is not installed, no floor` } : { floorName: 'sqlite3 .import', floorSeconds: floor, note }),
    goal: '<= 3x floor, RSS < 400 MB',
    ...(floor === undefined ? {} : { pass: ours.seconds <= 3 * floor && ours.maxRssMb < 400 }),
  });

  const sheet = join(ROOT, '.bench', 'import-xlsx-target.sqlite');
  removeDatabase(sheet);
  const fromXlsx = importInChild(sheet, xlsx, 'list.xlsx', options.batchRows);
  removeDatabase(sheet);
  results.push({ name: 'xlsx -> SQLite', rows: options.xlsxRows, seconds: fromXlsx.seconds, maxRssMb: fromXlsx.maxRssMb, note: JSON.stringify(fromXlsx.counts) });

  if (options.pgUrl && hasCommand('psql')) {
    const pgUrl = options.pgUrl;
    const floorPg = await withSchema(pgUrl, async (_url, _client, schema) => psqlCopy(pgUrl, schema, csv));
    const oursPg = await withSchema(pgUrl, async (schemaUrl) => importInChild(schemaUrl, csv, 'list.csv', options.batchRows));
    results.push({
      name: 'csv -> PostgreSQL',
      rows: options.rows,
      seconds: oursPg.seconds,
      maxRssMb: oursPg.maxRssMb,
      floorName: 'psql \\copy',
      floorSeconds: floorPg,
      note: JSON.stringify(oursPg.counts),
    });
  } else {
    log('PostgreSQL: skipped (give --pg URL or set CRM_TEST_PG_URL, with psql installed)');
  }
  console.log('');
  printImportTable(results);
}
