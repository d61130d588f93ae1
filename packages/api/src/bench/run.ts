import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { createSeededRandom } from '@telecrm/core';
import { HttpClient, percentile, runLoad, type LoadResult } from './bench.http.js';
import { ensureBenchDatabase } from './bench.seed.js';
import { startBenchServers } from './bench.servers.js';
import { printTable } from './bench.table.js';
import type { BenchCase } from './bench.types.js';
import { sampleColumn } from './cases/sample.js';
import { BENCH_CASES } from './cases/index.js';
import { runImportBench } from './import/import.bench.js';
import { runPoolBench } from './pool/pool.bench.js';

// `npm run bench`: latency of the API's hot reads on a million customers in SQLite, through HTTP on
// loopback, beside a floor (bare Hono + a prepared statement by primary key) measured the same way;
// then bulk imports beside the database shells' own loaders (import/import.bench.ts); then the pool
// moves (claims under load, a bulk assignment, a return run) beside single SQL statements (pool/pool.bench.ts).
// Prints figures only; it asserts nothing.

const USAGE = `usage: node packages/api/dist/bench/run.js [options]
  --suite <l>         comma-separated: latency, import, pool (default all three)
  --customers <n>     customers in the bench database (default 1000000)
  --requests <n>      measured requests per case and concurrency (default 2000)
  --warmup <n>        unmeasured requests per case first; before each claim run too (default 200)
  --concurrency <l>   comma-separated levels (default 1,10)
  --max-seconds <s>   time bound per case and level, and per claim run (default 30)
  --cases <l>         comma-separated case names to run (default all)
  --reseed            rebuild the bench databases even if they can be reused
  --import-rows <n>   rows of the generated csv to import (default 1000000)
  --xlsx-rows <n>     rows of the generated xlsx to import (default 100000)
  --batch <n>         rows per import transaction (default 5000, as CRM_IMPORT_BATCH_ROWS)
  --claims <n>        customers each claim run takes, a request claiming 1 or 10 (default 5000)
  --clients <n>       concurrent claim clients, one agent each; also the agents assigned to (default 50)
  --public-customers <n>  public customers seeded for the claims (default 100000)
  --assign-customers <n>  pending customers assigned in one request (default 100000)
  --return-customers <n>  private customers of the return run, a tenth of them due (default 1000000)
  --pg <url>          also import, claim and assign on this PostgreSQL (default CRM_TEST_PG_URL)`;

// Only for the scratch bench database under .bench/, reachable on 127.0.0.1 while the bench runs.
const ADMIN_PASSWORD = 'bench-admin-password';
const SEED = 20_261_122;

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

interface Row {
  name: string;
  concurrency: number;
  result: LoadResult;
  floor: LoadResult;
  goalP99Ms?: number;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');

function printLatencyTable(rows: readonly Row[]): void {
  const header = ['case', 'conc', 'n', 'p50 ms', 'p99 ms', 'req/s', 'floor p50', 'floor p99', 'goal', 'pass', 'errors'];
  const lines = rows.map((row) => {
    const p99 = percentile(row.result.samples, 99);
    const goal = row.goalP99Ms === undefined ? '-' : `p99 < ${row.goalP99Ms}`;
    const pass = row.goalP99Ms === undefined ? '-' : p99 < row.goalP99Ms ? 'yes' : 'NO';
    return [
      row.name,
      String(row.concurrency),
      String(row.result.samples.length),
      ms(percentile(row.result.samples, 50)),
      ms(p99),
      (row.result.samples.length / (row.result.elapsedMs / 1000)).toFixed(0),
      ms(percentile(row.floor.samples, 50)),
      ms(percentile(row.floor.samples, 99)),
      goal,
      pass,
      String(row.result.errors),
    ];
  });
  printTable(header, lines);
  for (const row of rows) {
    for (const [kind, n] of row.result.errorKinds) console.log(`  ${row.name} (conc ${row.concurrency}): ${n} x ${kind}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '1000000' },
      requests: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '1,10' },
      'max-seconds': { type: 'string', default: '30' },
      cases: { type: 'string' },
      reseed: { type: 'boolean', default: false },
      suite: { type: 'string', default: 'latency,import,pool' },
      'import-rows': { type: 'string', default: '1000000' },
      'xlsx-rows': { type: 'string', default: '100000' },
      batch: { type: 'string', default: '5000' },
      claims: { type: 'string', default: '5000' },
      clients: { type: 'string', default: '50' },
      'public-customers': { type: 'string', default: '100000' },
      'assign-customers': { type: 'string', default: '100000' },
      'return-customers': { type: 'string', default: '1000000' },
      pg: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const int = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${text}\n${USAGE}`);
    return n;
  };
  const suites = values.suite.split(',').map((s) => s.trim());
  const unknownSuite = suites.find((s) => s !== 'latency' && s !== 'import' && s !== 'pool');
  if (unknownSuite) throw new Error(`unknown suite ${unknownSuite}\n${USAGE}`);
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  if (suites.includes('latency')) await latencySuite(values, int);
  if (suites.includes('import')) {
    console.log('\n# imports');
    await runImportBench({
      rows: int('import-rows', values['import-rows']),
      xlsxRows: int('xlsx-rows', values['xlsx-rows']),
      batchRows: int('batch', values.batch),
      pgUrl: values.pg ?? process.env.CRM_TEST_PG_URL,
      log: (line) => console.log(line),
    });
  }
  if (suites.includes('pool')) {
    console.log('\n# pool');
    await runPoolBench({
      claims: int('claims', values.claims),
      clients: int('clients', values.clients),
      publicCustomers: int('public-customers', values['public-customers']),
      assignCustomers: int('assign-customers', values['assign-customers']),
      returnCustomers: int('return-customers', values['return-customers']),
      warmup: int('warmup', values.warmup),
      maxMs: int('max-seconds', values['max-seconds']) * 1000,
      reseed: values.reseed,
      pgUrl: values.pg ?? process.env.CRM_TEST_PG_URL,
      log: (line) => console.log(line),
    });
  }
}

async function latencySuite(
  values: { customers: string; requests: string; warmup: string; concurrency: string; 'max-seconds': string; cases?: string | undefined; reseed: boolean },
  int: (name: string, text: string) => number,
): Promise<void> {
  console.log('# latency');
  const customers = int('customers', values.customers);
  const requests = int('requests', values.requests);
  const warmup = int('warmup', values.warmup);
  const maxMs = int('max-seconds', values['max-seconds']) * 1000;
  const levels = values.concurrency.split(',').map((c) => int('concurrency', c.trim())).filter((c) => c > 0);
  const wanted = values.cases?.split(',').map((c) => c.trim());
  const cases: BenchCase[] = BENCH_CASES.filter((c) => !wanted || wanted.includes(c.name));
  if (cases.length === 0) throw new Error(`no case matches --cases; known: ${BENCH_CASES.map((c) => c.name).join(', ')}`);

  const file = join(ROOT, '.bench', `customers-${customers}.sqlite`);
  const shown = relative(process.cwd(), file) || file;
  console.log(`bench database ${shown}`);
  const seeded = await ensureBenchDatabase(file, {
    customers,
    seed: SEED,
    adminPassword: ADMIN_PASSWORD,
    reseed: values.reseed,
    log: (line) => console.log(line),
  });
  if (seeded.reused) console.log(`reused: it already holds ${seeded.customers.toLocaleString('en-US')} customers (--reseed rebuilds it)`);
  else {
    console.log(
      `seeded ${seeded.customers.toLocaleString('en-US')} customers in ${seeded.seconds.toFixed(1)} s` +
        ` (${Math.round(seeded.rowsPerSecond ?? 0).toLocaleString('en-US')} rows/s over customers, phones, tags, name grams, contacts)`,
    );
  }

  const servers = await startBenchServers({ db: file, adminPassword: ADMIN_PASSWORD });
  const maxSockets = Math.max(...levels, 1);
  const api = new HttpClient(servers.apiUrl, { maxSockets, timeoutMs: maxMs });
  const floorClient = new HttpClient(servers.floorUrl, { maxSockets, timeoutMs: maxMs });
  const sample = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  const clients: HttpClient[] = [];
  try {
    const { token } = await api.json<{ token: string }>('POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    api.token = token;
    const rng = createSeededRandom(SEED);

    const ids = sampleColumn(sample, rng, 'id', 2_000);
    let nextId = 0;
    const floorCase = { next: () => `/c/${ids[nextId++ % ids.length]}` };

    const runners = [];
    const clientWith = (token: string) => {
      const client = new HttpClient(servers.apiUrl, { maxSockets, timeoutMs: maxMs });
      client.token = token;
      clients.push(client);
      return client;
    };
    for (const benchCase of cases) runners.push({ benchCase, runner: await benchCase.setup({ api, sample, rng, file, clientWith }) });

    console.log(`warm-up: ${warmup} requests per case; then ${requests} per case and level (at most ${maxMs / 1000} s each)`);
    await runLoad({ client: floorClient, next: floorCase.next, count: warmup, concurrency: maxSockets, maxMs });
    for (const { runner } of runners) {
      await runLoad({ client: runner.client ?? api, next: runner.next, observe: runner.observe, count: warmup, concurrency: maxSockets, maxMs });
    }

    const rows: Row[] = [];
    for (const concurrency of levels) {
      const floor = await runLoad({ client: floorClient, next: floorCase.next, count: requests, concurrency, maxMs });
      rows.push({ name: 'floor: bare Hono, select by id', concurrency, result: floor, floor });
      for (const { benchCase, runner } of runners) {
        const result = await runLoad({ client: runner.client ?? api, next: runner.next, observe: runner.observe, count: requests, concurrency, maxMs });
        rows.push({ name: benchCase.name, concurrency, result, floor, ...(benchCase.goalP99Ms !== undefined ? { goalP99Ms: benchCase.goalP99Ms } : {}) });
      }
    }
    console.log('');
    printLatencyTable(rows);
  } finally {
    sample.close();
    api.close();
    for (const client of clients) client.close();
    floorClient.close();
    await servers.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
