import { existsSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { fillDemo } from '../demo/demo.fill.js';
import { startServer } from '../server.js';
import { openStore } from '../store/connect.js';

export interface SeedReport {
  reused: boolean;
  customers: number;
  /** Seconds spent filling (0 when reused). */
  seconds: number;
  rowsPerSecond?: number;
}

/** Customers in the file when it is a finished bench database with an admin, else undefined. */
function finishedCount(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      const admin = sqlite.prepare("select 1 from users where username = 'admin'").pluck().get();
      const count = sqlite.prepare('select count(*) from customers').pluck().get() as number;
      return admin ? count : undefined;
    } finally {
      sqlite.close();
    }
  } catch {
    return undefined;
  }
}

/** Removes a SQLite database with its write-ahead log. */
export const removeDatabase = (file: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
};

/** Runs `work` in a fresh schema of the PostgreSQL at `url` (its URL names it) and drops it afterwards. */
export async function withSchema<T>(url: string, work: (schemaUrl: string, client: pg.Client, schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema "${schema}"`);
    const schemaUrl = new URL(url);
    schemaUrl.searchParams.set('schema', schema);
    return await work(schemaUrl.toString(), client, schema);
  } finally {
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}

/**
 * Makes sure `file` holds exactly `customers` demo customers and an `admin` with `adminPassword`;
 * reuses it when it does, else seeds it from scratch.
 */
export async function ensureBenchDatabase(
  file: string,
  opts: { customers: number; seed: number; adminPassword: string; reseed?: boolean; log: (line: string) => void },
): Promise<SeedReport> {
  const existing = opts.reseed ? undefined : finishedCount(file);
  if (existing === opts.customers) return { reused: true, customers: existing, seconds: 0 };

  removeDatabase(file);
  // The first start migrates and creates the company, `admin` and the picklists.
  const server = await startServer({ port: 0, host: '127.0.0.1', db: file, adminPassword: opts.adminPassword });
  await server.close();

  const store = await openStore(file);
  try {
    const started = performance.now();
    let lastShown = 0;
    const result = await fillDemo(store, {
      customers: opts.customers,
      seed: opts.seed,
      onProgress: (done, total) => {
        const now = performance.now();
        if (now - lastShown > 5_000 || done === total) {
          lastShown = now;
          opts.log(`  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} customers, ${((now - started) / 1000).toFixed(1)} s`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const sqlite = store.sqlite!;
    const rows = ['customers', 'customer_phones', 'customer_tags', 'customer_name_grams', 'contacts']
      .map((table) => sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number)
      .reduce((a, b) => a + b, 0);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { reused: false, customers: result.customers, seconds, rowsPerSecond: rows / seconds };
  } finally {
    await store.close();
  }
}
