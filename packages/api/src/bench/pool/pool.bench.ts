import { closeSync, copyFileSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_POOL_RULES, returnCutoff } from '@telecrm/core';
import { openStore, type Store } from '../../store/connect.js';
import { HttpClient, percentile, runLoad, type LoadRequest, type LoadResult } from '../bench.http.js';
import { removeDatabase, withSchema } from '../bench.seed.js';
import { startBenchServers, type BenchServers } from '../bench.servers.js';
import { printTable } from '../bench.table.js';
import type { AssignFloorBody, ClaimFloorBody, ReturnFloorBody } from './pool.floor.js';
import {
  ADMIN_PASSWORD,
  adminClient,
  agentClients,
  createPoolDatabase,
  DAY_MS,
  defaultPublicPool,
  ensureReturnDatabase,
  insertCustomers,
  POOL_BENCH_ENV,
  settle,
} from './pool.seed.js';

// The pool figures of `npm run bench`: claims from one public pool by 50 agents at once, the
// assignment of 100,000 pending customers to 50 agents in one request, and a return run over a million
// private customers of which a tenth are due; each through HTTP beside a floor (pool.floor.ts) that
// does the same move as one SQL statement behind a bare route, on the same data. Prints figures only.

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

export interface PoolBenchOptions {
  /** Customers each claim run takes (requests: this over the batch). */
  claims: number;
  /** Concurrent HTTP clients, one agent each; also the agents assigned to. */
  clients: number;
  publicCustomers: number;
  assignCustomers: number;
  returnCustomers: number;
  /** Unmeasured claim requests before each claim run. */
  warmup: number;
  /** Time bound of each claim run. */
  maxMs: number;
  reseed: boolean;
  /** A PostgreSQL server to measure the claims and the assignment on too (in a schema made and dropped). */
  pgUrl: string | undefined;
  log(line: string): void;
}

/** Claim batches measured: one customer a request, and ten. */
const BATCHES = [1, 10] as const;
/** Marks the customers the assignment takes, to undo the floor's assignment before ours. */
const ASSIGN_MARK = 'pool-bench-assign';
/** A single set-based request may take long; the bench waits for it. */
const ONE_REQUEST_MS = 600_000;

interface ClaimRun {
  result: LoadResult;
  claimed: number;
}

interface ClaimRow {
  name: string;
  db: string;
  clients: number;
  ours: ClaimRun;
  floor: ClaimRun;
}

interface MoveRow {
  name: string;
  db: string;
  customers: number;
  moved: number;
  seconds: number;
  floorName: string;
  floorSeconds: number;
  goalSeconds?: number;
  note?: string;
}

/** One request, timed from the call to the last byte of the answer; its JSON body. */
async function timed<T>(client: HttpClient, method: string, path: string, body: unknown): Promise<{ seconds: number; body: T }> {
  const started = performance.now();
  const res = await client.sendAfterPause(method, path, body);
  const seconds = (performance.now() - started) / 1000;
  const text = res.body.toString('utf8');
  if (res.status !== 200) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 500)}`);
  return { seconds, body: JSON.parse(text) as T };
}

/** A claim load; the customers its answers say were claimed. */
async function claimLoad(client: HttpClient, next: (slot: number) => LoadRequest, count: number, concurrency: number, maxMs: number): Promise<ClaimRun> {
  let claimed = 0;
  const result = await runLoad({
    client,
    next,
    count,
    concurrency,
    maxMs,
    observe: (res) => {
      claimed += (JSON.parse(res.body.toString('utf8')) as { moved: number }).moved;
    },
  });
  return { result, claimed };
}

async function claimRuns(db: string, servers: BenchServers, store: Store, agentIds: readonly string[], o: PoolBenchOptions): Promise<ClaimRow[]> {
  const agents = await agentClients(servers.apiUrl, agentIds.length, o.maxMs);
  const floorClient = new HttpClient(servers.floorUrl, { maxSockets: agentIds.length, timeoutMs: o.maxMs });
  try {
    const rows: ClaimRow[] = [];
    for (const batch of BATCHES) {
      const ours = (slot: number) => ({ client: agents[slot]!, method: 'POST', path: '/api/v1/customers/claim', body: { next: batch } });
      const floor = (slot: number) => ({ method: 'POST', path: '/claim', body: { ownerId: agentIds[slot]!, next: batch } satisfies ClaimFloorBody });
      const count = Math.ceil(o.claims / batch);
      const run = async (client: HttpClient, next: (slot: number) => LoadRequest) => {
        await claimLoad(client, next, o.warmup, agentIds.length, o.maxMs);
        const measured = await claimLoad(client, next, count, agentIds.length, o.maxMs);
        await settle(store);
        return measured;
      };
      o.log(`${db}: claim next ${batch}, ${count} requests from ${agentIds.length} clients, floor then ours`);
      const floorRun = await run(floorClient, floor);
      rows.push({ name: `claim next ${batch}`, db, clients: agentIds.length, floor: floorRun, ours: await run(agents[0]!, ours) });
    }
    return rows;
  } finally {
    for (const agent of agents) agent.close();
    floorClient.close();
  }
}

async function assignRun(db: string, servers: BenchServers, store: Store, agentIds: string[], o: PoolBenchOptions): Promise<MoveRow> {
  const admin = await adminClient(servers.apiUrl, ONE_REQUEST_MS);
  const floorClient = new HttpClient(servers.floorUrl, { maxSockets: 1, timeoutMs: ONE_REQUEST_MS });
  try {
    o.log(`${db}: assign ${o.assignCustomers.toLocaleString('en-US')} pending customers to ${agentIds.length} agents, floor then ours`);
    const floor = await timed<{ moved: number }>(floorClient, 'POST', '/assign', { agentIds } satisfies AssignFloorBody);
    // The same customers pending again, as the floor found them.
    await store.db
      .updateTable('customers')
      .set({ pool: 'pending', owner_id: null, owned_since: null, protected_until: null })
      .where('source', '=', ASSIGN_MARK)
      .execute();
    await settle(store);
    const ours = await timed<{ assigned: unknown[]; unplaced: unknown[] }>(admin, 'POST', '/api/v1/customers/assign', {
      filter: { field: 'pool', op: 'eq', value: 'pending' },
      agentIds,
      strategy: 'round-robin',
    });
    return {
      name: 'assign (round-robin, by filter)',
      db,
      customers: o.assignCustomers,
      moved: ours.body.assigned.length,
      seconds: ours.seconds,
      floorName: 'one UPDATE, row number mod agents',
      floorSeconds: floor.seconds,
      goalSeconds: 1,
      note: `${ours.body.unplaced.length} not placed; the floor moved ${floor.body.moved.toLocaleString('en-US')}`,
    };
  } finally {
    admin.close();
    floorClient.close();
  }
}

/** Claims and the assignment on one database: made, seeded, served, measured. */
async function movesOn(name: string, db: string, o: PoolBenchOptions): Promise<{ claims: ClaimRow[]; assign: MoveRow }> {
  o.log(`${name}: creating the database and ${o.clients} agents`);
  const agentIds = await createPoolDatabase(db, o.clients);
  const store = await openStore(db);
  try {
    const publicPoolId = await defaultPublicPool(store);
    const from = Date.now() - 30 * DAY_MS;
    o.log(`${name}: seeding ${o.publicCustomers.toLocaleString('en-US')} public and ${o.assignCustomers.toLocaleString('en-US')} pending customers`);
    await insertCustomers(store, o.publicCustomers, from, () => ({ pool: 'public', publicPoolId }));
    await insertCustomers(store, o.assignCustomers, from + o.publicCustomers, () => ({ pool: 'pending', source: ASSIGN_MARK }));
    const servers = await startBenchServers({ db, adminPassword: ADMIN_PASSWORD, env: POOL_BENCH_ENV, floor: 'pool' });
    try {
      const claims = await claimRuns(name, servers, store, agentIds, o);
      return { claims, assign: await assignRun(name, servers, store, agentIds, o) };
    } finally {
      await servers.close();
    }
  } finally {
    await store.close();
  }
}

async function returnRun(o: PoolBenchOptions): Promise<MoveRow> {
  const cached = join(ROOT, '.bench', `pool-returns-${o.returnCustomers}.sqlite`);
  const seeded = await ensureReturnDatabase(cached, { customers: o.returnCustomers, agents: o.clients, reseed: o.reseed, log: o.log });
  o.log(seeded.reused ? `reused ${cached} (--reseed rebuilds it)` : `seeded ${cached} in ${seeded.seconds.toFixed(1)} s`);
  const facts = new BetterSqlite3(cached, { readonly: true, fileMustExist: true });
  const timeZone = facts.prepare('select time_zone from company').pluck().get() as string;
  const publicPoolId = facts.prepare('select id from public_pools where is_default = 1').pluck().get() as string;
  facts.close();
  // Copies: both runs move the same customers.
  const ours = join(ROOT, '.bench', 'pool-returns-ours.sqlite');
  const floorFile = join(ROOT, '.bench', 'pool-returns-floor.sqlite');
  for (const copy of [ours, floorFile]) {
    removeDatabase(copy);
    copyFileSync(cached, copy);
    // On disk before the runs: the kernel writing the copies back meanwhile would slow them by seconds.
    const fd = openSync(copy, 'r+');
    fsyncSync(fd);
    closeSync(fd);
  }
  try {
    // Days that make the long-held tenth due and the rest a month short of it.
    const days = Math.floor((Date.now() - seeded.recentSince.getTime()) / DAY_MS) + 30;
    const servers = await startBenchServers({ db: ours, floorDb: floorFile, adminPassword: ADMIN_PASSWORD, env: POOL_BENCH_ENV, floor: 'pool' });
    let floor: { seconds: number; body: { moved: number } };
    let run: { seconds: number; body: { returned: unknown[]; reminded: number } };
    try {
      const admin = await adminClient(servers.apiUrl, ONE_REQUEST_MS);
      const floorClient = new HttpClient(servers.floorUrl, { maxSockets: 1, timeoutMs: ONE_REQUEST_MS });
      try {
        await admin.json('PUT', '/api/v1/pool-rules', { ...DEFAULT_POOL_RULES, returnNoFollowUpDays: days });
        o.log(`SQLite: return run over ${o.returnCustomers.toLocaleString('en-US')} private customers (no follow-up for ${days} days), floor then ours`);
        const cutoff = returnCutoff(new Date(), days, timeZone);
        floor = await timed(floorClient, 'POST', '/returns', { publicPoolId, cutoff } satisfies ReturnFloorBody);
        // The floor's log copied back before ours starts: each run's checkpoint comes after its answer,
        // and the floor's would otherwise run on the same two cores during ours.
        const floorStore = await openStore(floorFile);
        await settle(floorStore);
        await floorStore.close();
        run = await timed(admin, 'POST', '/api/v1/pool/returns', {});
      } finally {
        admin.close();
        floorClient.close();
      }
    } finally {
      await servers.close();
    }
    // The sanity check the figure rests on: how many customers the run really moved.
    const check = new BetterSqlite3(ours, { readonly: true, fileMustExist: true });
    const nowPublic = check.prepare("select count(*) from customers where pool = 'public'").pluck().get() as number;
    const events = check.prepare("select count(*) from pool_events where action = 'return'").pluck().get() as number;
    check.close();
    return {
      name: 'return run (10% due)',
      db: 'SQLite',
      customers: o.returnCustomers,
      moved: run.body.returned.length,
      seconds: run.seconds,
      floorName: 'one UPDATE, same WHERE',
      floorSeconds: floor.seconds,
      goalSeconds: 5,
      note:
        `after the run ${nowPublic.toLocaleString('en-US')} customers are public with ${events.toLocaleString('en-US')} return events` +
        ` (expected ${(o.returnCustomers / 10).toLocaleString('en-US')}); ${run.body.reminded} reminders; the floor moved ${floor.body.moved.toLocaleString('en-US')}`,
    };
  } finally {
    removeDatabase(ours);
    removeDatabase(floorFile);
  }
}

const rate = (n: number, r: LoadResult) => n / (r.elapsedMs / 1000);
const ms = (sorted: readonly number[], p: number) => {
  const v = percentile(sorted, p);
  return Number.isFinite(v) ? v.toFixed(2) : '-';
};

function printClaims(rows: readonly ClaimRow[]): void {
  const header = ['case', 'db', 'clients', 'requests', 'claimed', 'claims/s', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'floor claims/s', 'floor p50', 'floor p99', 'ratio'];
  const lines = rows.map(({ name, db, clients, ours, floor }) => [
    name,
    db,
    String(clients),
    String(ours.result.samples.length),
    ours.claimed.toLocaleString('en-US'),
    rate(ours.claimed, ours.result).toFixed(0),
    rate(ours.result.samples.length, ours.result).toFixed(0),
    ms(ours.result.samples, 50),
    ms(ours.result.samples, 99),
    String(ours.result.errors),
    rate(floor.claimed, floor.result).toFixed(0),
    ms(floor.result.samples, 50),
    ms(floor.result.samples, 99),
    `${(rate(floor.claimed, floor.result) / rate(ours.claimed, ours.result)).toFixed(2)}x`,
  ]);
  printTable(header, lines, [0, 1]);
  console.log("  ratio: the floor's claims/s over ours, what one claim of ours costs in floor claims (1.00x: as fast as the floor)");
  for (const { name, db, ours, floor } of rows) {
    for (const [kind, n] of ours.result.errorKinds) console.log(`  ${name} on ${db}: ${n} x ${kind}`);
    for (const [kind, n] of floor.result.errorKinds) console.log(`  ${name} on ${db}, floor: ${n} x ${kind}`);
  }
}

function printMoves(rows: readonly MoveRow[]): void {
  const header = ['case', 'db', 'customers', 'moved', 's', 'floor', 'floor s', 'ratio', 'goal', 'pass'];
  const lines = rows.map((r) => [
    r.name,
    r.db,
    r.customers.toLocaleString('en-US'),
    r.moved.toLocaleString('en-US'),
    r.seconds.toFixed(3),
    r.floorName,
    r.floorSeconds.toFixed(3),
    `${(r.seconds / r.floorSeconds).toFixed(2)}x`,
    r.goalSeconds === undefined ? '-' : `< ${r.goalSeconds} s`,
    r.goalSeconds === undefined ? '-' : r.seconds < r.goalSeconds ? 'yes' : 'NO',
  ]);
  printTable(header, lines, [0, 1, 5]);
  for (const r of rows) if (r.note) console.log(`  ${r.name} on ${r.db}: ${r.note}`);
}

export async function runPoolBench(o: PoolBenchOptions): Promise<void> {
  const claims: ClaimRow[] = [];
  const moves: MoveRow[] = [];
  const sqliteFile = join(ROOT, '.bench', 'pool-moves.sqlite');
  removeDatabase(sqliteFile);
  try {
    const sqlite = await movesOn('SQLite', sqliteFile, o);
    claims.push(...sqlite.claims);
    moves.push(sqlite.assign);
  } finally {
    removeDatabase(sqliteFile);
  }
  if (o.pgUrl) {
    const pg = await withSchema(o.pgUrl, (schemaUrl) => movesOn('PostgreSQL', schemaUrl, o));
    claims.push(...pg.claims);
    moves.push(pg.assign);
  } else {
    o.log('PostgreSQL: skipped (give --pg URL or set CRM_TEST_PG_URL)');
  }
  moves.push(await returnRun(o));
  console.log('');
  printClaims(claims);
  console.log('');
  printMoves(moves);
}
