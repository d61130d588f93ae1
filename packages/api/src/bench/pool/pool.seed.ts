import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { openStore, type Store } from '../../store/connect.js';
import { HttpClient } from '../bench.http.js';
import { removeDatabase } from '../bench.seed.js';
import { startBenchServers } from '../bench.servers.js';

// Data for the pool benchmark, written straight into the tables (an import would take minutes for a
// million rows and measure the import): customers in one pool, the agents made through the API.

/** What the API server of the pool benchmark runs with: cheap logins, and no job or return rule on its own. */
export const POOL_BENCH_ENV = { CRM_PASSWORD_COST: '10', CRM_JOBS: 'off', CRM_POOL_RETURN_MINUTES: '0' };

// Only for the scratch bench databases, reachable on 127.0.0.1 while the bench runs.
export const ADMIN_PASSWORD = 'bench-admin-password';
const AGENT_PASSWORD = 'bench-agent-password';
const agentName = (i: number) => `agent${String(i).padStart(3, '0')}`;

export const DAY_MS = 86_400_000;

/** One seeded customer's pool columns; every other column keeps its default. */
export interface SeedCustomer {
  pool: 'public' | 'pending' | 'private';
  ownerId?: string | null;
  publicPoolId?: string | null;
  ownedSince?: string | null;
  /** A mark to find the rows again (the assignment is undone between its two runs). */
  source?: string | null;
}

const COLUMNS = ['id', 'name', 'pool', 'owner_id', 'public_pool_id', 'owned_since', 'source', 'created_at'] as const;
type Tuple = (string | null)[];

/** The rows in chunks, created one millisecond apart from `createdFrom` (claims go oldest first). */
function* tuples(count: number, createdFrom: number, row: (i: number) => SeedCustomer, chunk: number): Generator<Tuple[]> {
  let out: Tuple[] = [];
  for (let i = 0; i < count; i++) {
    const c = row(i);
    out.push([uuidv7(), `${c.pool}客户${i}`, c.pool, c.ownerId ?? null, c.publicPoolId ?? null, c.ownedSince ?? null, c.source ?? null, new Date(createdFrom + i).toISOString()]);
    if (out.length === chunk) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/**
 * Inserts `count` customers: on SQLite with one prepared statement in one transaction, on PostgreSQL
 * in multi-row inserts of arrays (unnest); then refreshes the planner's statistics, as a database that
 * grew over time has them.
 */
export async function insertCustomers(store: Store, count: number, createdFrom: number, row: (i: number) => SeedCustomer): Promise<void> {
  if (store.sqlite) {
    const sqlite = store.sqlite;
    const insert = sqlite.prepare(
      `insert into customers (${COLUMNS.join(', ')}, updated_at) values (${COLUMNS.map(() => '?').join(', ')}, ?)`,
    );
    sqlite.transaction(() => {
      for (const rows of tuples(count, createdFrom, row, 10_000)) for (const t of rows) insert.run(...t, t[7]);
    })();
    sqlite.exec('analyze');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return;
  }
  const pool = store.pgPool!;
  const arrays = COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const text = `insert into customers (${COLUMNS.join(', ')}, updated_at)
    select ${COLUMNS.join(', ')}, created_at from unnest(${arrays}) as t(${COLUMNS.join(', ')})`;
  for (const rows of tuples(count, createdFrom, row, 10_000)) await pool.query(text, COLUMNS.map((_, i) => rows.map((t) => t[i])));
  await pool.query('analyze customers');
}

/** After a run that changed many rows: PostgreSQL's dead rows vacuumed, SQLite's log checkpointed. */
export async function settle(store: Store): Promise<void> {
  if (store.sqlite) store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  else await store.pgPool!.query('vacuum analyze customers');
}

/** The default public pool's id. */
export async function defaultPublicPool(store: Store): Promise<string> {
  return (await store.db.selectFrom('public_pools').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow()).id;
}

/** Makes `n` agents (the default agent role, no department) as the admin; their ids. */
export async function createAgents(admin: HttpClient, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const user = await admin.json<{ id: string }>('POST', '/api/v1/users', { username: agentName(i), displayName: agentName(i), password: AGENT_PASSWORD });
    ids.push(user.id);
  }
  return ids;
}

/** A client per agent made by createAgents, logged in; `maxSockets` 1, as one user with one request at a time. */
export async function agentClients(apiUrl: string, n: number, timeoutMs: number): Promise<HttpClient[]> {
  const clients: HttpClient[] = [];
  for (let i = 0; i < n; i++) {
    const client = new HttpClient(apiUrl, { maxSockets: 1, timeoutMs });
    client.token = (await client.json<{ token: string }>('POST', '/api/v1/auth/login', { username: agentName(i), password: AGENT_PASSWORD })).token;
    clients.push(client);
  }
  return clients;
}

/** The admin's client, logged in. */
export async function adminClient(apiUrl: string, timeoutMs: number): Promise<HttpClient> {
  const admin = new HttpClient(apiUrl, { maxSockets: 4, timeoutMs });
  admin.token = (await admin.json<{ token: string }>('POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).token;
  return admin;
}

/**
 * Makes the schema, the company, the admin and `agents` agents in a new database, through a server
 * started for it and stopped again (so that the server measured later starts on the full data).
 */
export async function createPoolDatabase(db: string, agents: number): Promise<string[]> {
  const servers = await startBenchServers({ db, adminPassword: ADMIN_PASSWORD, env: POOL_BENCH_ENV, floor: 'pool' });
  try {
    const admin = await adminClient(servers.apiUrl, 60_000);
    try {
      return await createAgents(admin, agents);
    } finally {
      admin.close();
    }
  } finally {
    await servers.close();
  }
}

export interface ReturnDatabase {
  file: string;
  reused: boolean;
  seconds: number;
  /** When the recent nine tenths got their customers: the rules are set from it at run time. */
  recentSince: Date;
}

// The due tenth got its customers long before the rest, so that one number of days returns exactly it
// however long after the seeding the file is used again.
const OLD_DAYS = 2000;

/**
 * A SQLite database of `customers` private customers of `agents` agents in turn, every tenth owned for
 * OLD_DAYS days and the rest for a day: kept under .bench/ and reused while it has the same size.
 */
export async function ensureReturnDatabase(
  file: string,
  opts: { customers: number; agents: number; reseed: boolean; log: (line: string) => void },
): Promise<ReturnDatabase> {
  if (!opts.reseed && existsSync(file)) {
    const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      const held = sqlite.prepare("select count(*) from customers where pool = 'private'").pluck().get() as number;
      const all = sqlite.prepare('select count(*) from customers').pluck().get() as number;
      const recent = sqlite.prepare("select max(owned_since) from customers where pool = 'private'").pluck().get() as string | null;
      const owners = sqlite.prepare("select count(distinct owner_id) from customers where pool = 'private'").pluck().get() as number;
      // Past about OLD_DAYS / 2 the recent ones would come close to the old ones: seed again.
      const fresh = recent !== null && Date.now() - Date.parse(recent) < (OLD_DAYS / 2) * DAY_MS;
      if (held === opts.customers && all === held && owners === Math.min(opts.agents, opts.customers) && fresh) {
        return { file, reused: true, seconds: 0, recentSince: new Date(recent) };
      }
    } finally {
      sqlite.close();
    }
  }
  removeDatabase(file);
  const started = performance.now();
  const agentIds = await createPoolDatabase(file, opts.agents);
  const now = Date.now();
  const recentSince = new Date(now - DAY_MS);
  const old = now - OLD_DAYS * DAY_MS;
  const store = await openStore(file);
  try {
    opts.log(`seeding ${opts.customers.toLocaleString('en-US')} private customers into ${file}`);
    await insertCustomers(store, opts.customers, now - (OLD_DAYS + 1) * DAY_MS, (i) => ({
      pool: 'private',
      ownerId: agentIds[i % agentIds.length]!,
      // A millisecond apart (as customers are got one at a time, which the planner's statistics see)
      // and in another order than the rows (as customers are got long after they are created).
      ownedSince: new Date((i % 10 === 0 ? old : recentSince.getTime()) - ((i * 7919) % opts.customers)).toISOString(),
    }));
  } finally {
    await store.close();
  }
  return { file, reused: false, seconds: (performance.now() - started) / 1000, recentSince };
}
