import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects, type TestDialect } from '../test-support/harness.js';
import { openStore, type Store } from './connect.js';
import { migrateToLatest } from './migrate.js';

// The child writers run the built package, as the server and the CLI do (`npm test` builds first).
const distIndex = join(dirname(fileURLToPath(import.meta.url)), '../../dist/index.js');

describe.each(dialects)('storage on $name', (dialect: TestDialect) => {
  let database: { url: string; drop(): Promise<void> };
  let store: Store;
  beforeEach(async () => {
    database = await dialect.create();
    store = await openStore(database.url);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('migrates forward once, and a second run applies nothing', async () => {
    expect(await migrateToLatest(store)).toEqual([
      '20261122000000-foundation',
      '20261122010000-recycle-bin-index',
      '20261122020000-access',
      '20261201000000-imports',
      '20261202000000-pools',
      '20261202010000-pool-reminders',
    ]);
    expect(await migrateToLatest(store)).toEqual([]);
    const tables = await store.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['customers', 'customer_phones', 'outbox', 'views', 'users', 'jobs', 'job_files', 'import_failures', 'import_changes']),
    );
  });

  it('enforces the pool invariant and unique numbers in the database itself', async () => {
    await migrateToLatest(store);
    const now = new Date().toISOString();
    const base = { name: 'x', custom: '{}', created_at: now, updated_at: now };
    await expect(store.db.insertInto('customers').values({ ...base, id: 'c1', pool: 'private', owner_id: null }).execute()).rejects.toThrow();
    await expect(store.db.insertInto('customers').values({ ...base, id: 'c2', pool: 'elsewhere' }).execute()).rejects.toThrow();
    await store.db.insertInto('customers').values({ ...base, id: 'c3', pool: 'public' }).execute();
    await store.db.insertInto('customers').values({ ...base, id: 'c4', pool: 'public' }).execute();
    await store.db.insertInto('customer_phones').values({ e164: '+8613800138000', customer_id: 'c3', position: 0, extension: null, label: null }).execute();
    await expect(
      store.db.insertInto('customer_phones').values({ e164: '+8613800138000', customer_id: 'c4', position: 0, extension: null, label: null }).execute(),
    ).rejects.toThrow();
  });

  if (dialect.name === 'sqlite') {
    it('runs SQLite in WAL with foreign keys and a busy timeout', async () => {
      expect(store.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(Number(store.sqlite!.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    });

    it('lets several processes write at once without a busy error (transactions begin IMMEDIATE)', async () => {
      await migrateToLatest(store);
      // Each writer reads, then writes, in one transaction: begun DEFERRED, two of them would both hold
      // a read lock and one would fail to upgrade with SQLITE_BUSY however long busy_timeout is.
      const writer = `
        const { openStore } = await import(${JSON.stringify(distIndex)});
        const store = await openStore(process.argv[1]);
        for (let i = 0; i < 40; i++) {
          await store.db.transaction().execute(async (trx) => {
            const row = await trx.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
            await new Promise((r) => setTimeout(r, 3));
            const now = new Date().toISOString();
            await trx.insertInto('customers').values({ id: process.argv[2] + i, name: 'n' + row.n, pool: 'public', custom: '{}', created_at: now, updated_at: now }).execute();
          });
        }
        await store.close();`;
      const run = (prefix: string) =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', writer, database.url, prefix], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('exit', (code) => resolve(code ?? 1));
        });
      expect(await Promise.all([run('a'), run('b'), run('c')])).toEqual([0, 0, 0]);
      const total = await store.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(120);
    });
  }
});
