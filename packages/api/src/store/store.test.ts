import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dialects, type TestDialect } from '../test-support/harness.js';
import { startCheckpointer, WRITER_CHECKPOINT_PAGES, WRITER_FALLBACK_PAGES } from './checkpointer.js';
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
      '20261207000000-sparse-indexes',
      '20261207010000-clustered-side-tables',
      '20261207020000-import-changes-by-customer',
      '20261207030000-rowid-phones',
      '20261207040000-claim-indexes',
      '20261208000000-public-customers-in-a-pool',
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

  it('keeps every number, gram, tag and import record across the rebuilds of their tables, and their keys and cascades', async () => {
    await migrateToLatest(store, '20261207000000-sparse-indexes');
    const now = new Date().toISOString();
    const customer = (id: string) => ({ id, name: id, custom: '{}', created_at: now, updated_at: now, pool: 'public' });
    await store.db.insertInto('customers').values([customer('c1'), customer('c2')]).execute();
    await store.db.insertInto('customer_phones').values([
      { e164: '+8613800138000', customer_id: 'c1', position: 0, extension: null, label: null },
      { e164: '+8613800138001', customer_id: 'c1', position: 1, extension: '12', label: null },
      { e164: '+8613800138002', customer_id: 'c2', position: 0, extension: null, label: null },
    ]).execute();
    await store.db.insertInto('customer_name_grams').values([{ gram: 'c1', customer_id: 'c1' }, { gram: 'c2', customer_id: 'c2' }]).execute();
    await store.db.insertInto('customer_tags').values([{ customer_id: 'c1', tag: '重点' }, { customer_id: 'c2', tag: '重点' }]).execute();
    await store.db
      .insertInto('jobs')
      .values({ id: 'j1', kind: 'import', state: 'done', created_by: 'u', created_at: now, updated_at: now, params: '{}', progress: '{}' })
      .execute();
    await store.db.insertInto('import_changes').values({ job_id: 'j1', customer_id: 'c1', row_number: 2, action: 'create', before: null, updated_at: now }).execute();

    expect(await migrateToLatest(store)).toEqual([
      '20261207010000-clustered-side-tables',
      '20261207020000-import-changes-by-customer',
      '20261207030000-rowid-phones',
      '20261207040000-claim-indexes',
      '20261208000000-public-customers-in-a-pool',
    ]);
    const phones = await store.db.selectFrom('customer_phones').selectAll().orderBy('e164').execute();
    expect(phones.map((p) => [p.e164, p.customer_id, p.position, p.extension])).toEqual([
      ['+8613800138000', 'c1', 0, null],
      ['+8613800138001', 'c1', 1, '12'],
      ['+8613800138002', 'c2', 0, null],
    ]);
    expect(await store.db.selectFrom('import_changes').select(['customer_id', 'row_number']).execute()).toEqual([{ customer_id: 'c1', row_number: 2 }]);
    // Keys and references hold as before: a second holder of a number is refused, a deleted customer takes its rows along.
    await expect(
      store.db.insertInto('customer_phones').values({ e164: '+8613800138002', customer_id: 'c1', position: 2, extension: null, label: null }).execute(),
    ).rejects.toThrow();
    await store.db.deleteFrom('customers').where('id', '=', 'c1').execute();
    const left = async (table: 'customer_phones' | 'customer_name_grams' | 'customer_tags') =>
      (await store.db.selectFrom(table).select('customer_id').execute()).map((r) => r.customer_id);
    expect([await left('customer_phones'), await left('customer_name_grams'), await left('customer_tags')]).toEqual([['c2'], ['c2'], ['c2']]);
  });

  it('puts public customers written without a pool into the default one, and starts the missing clocks of private ones', async () => {
    await migrateToLatest(store, '20261207040000-claim-indexes');
    const now = new Date().toISOString();
    const customer = (id: string, pool: string, extra: Record<string, unknown> = {}) => ({ id, name: id, custom: '{}', created_at: `2026-11-0${id.slice(1)}T00:00:00.000Z`, updated_at: now, pool, ...extra });
    const defaultPool = (await store.db.selectFrom('public_pools').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow()).id;
    const other = 'p-other';
    await store.db.insertInto('public_pools').values({ id: other, name: '华东公海', is_default: 0, created_at: now, updated_at: now }).execute();
    await store.db.insertInto('users').values({ id: 'u1', username: 'u1', display_name: 'u1', password_hash: 'x', is_admin: 0, status: 'active', created_at: now, updated_at: now }).execute();
    await store.db
      .insertInto('customers')
      .values([
        customer('c1', 'public'),
        customer('c2', 'public', { public_pool_id: other }),
        customer('c3', 'private', { owner_id: 'u1' }),
        customer('c4', 'private', { owner_id: 'u1', owned_since: now }),
        customer('c5', 'lead'),
      ])
      .execute();

    expect(await migrateToLatest(store)).toEqual(['20261208000000-public-customers-in-a-pool']);
    const rows = await store.db.selectFrom('customers').select(['id', 'public_pool_id', 'owned_since']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'c1', public_pool_id: defaultPool, owned_since: null },
      { id: 'c2', public_pool_id: other, owned_since: null },
      { id: 'c3', public_pool_id: null, owned_since: '2026-11-03T00:00:00.000Z' },
      { id: 'c4', public_pool_id: null, owned_since: now },
      { id: 'c5', public_pool_id: null, owned_since: null },
    ]);
  });

  if (dialect.name === 'sqlite') {
    it('runs SQLite in WAL with foreign keys and a busy timeout', async () => {
      expect(store.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.sqlite!.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(Number(store.sqlite!.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    });

    it('answers reads while a transaction is open, with what is committed; writes wait their turn', async () => {
      await sql`create table notes (body text)`.execute(store.db);
      const notes = async () => (await sql<{ body: string }>`select body from notes order by body`.execute(store.db)).rows.map((r) => r.body);
      let finish!: () => void;
      const held = new Promise<void>((resolve) => (finish = resolve));
      let inside!: () => void;
      const begun = new Promise<void>((resolve) => (inside = resolve));
      const transaction = store.db.transaction().execute(async (trx) => {
        await sql`insert into notes values ('uncommitted')`.execute(trx);
        inside();
        await held;
      });
      await begun;
      // Read while the transaction waits: answered at once, without what it has not committed.
      expect(await notes()).toEqual([]);
      let written = false;
      const write = sql`insert into notes values ('after')`.execute(store.db).then(() => (written = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(written).toBe(false);
      finish();
      await transaction;
      await write;
      expect(await notes()).toEqual(['after', 'uncommitted']);
    });

    it('lets other work run between the statements of a long transaction', async () => {
      await sql`create table filler (n integer)`.execute(store.db);
      const startedAt = performance.now();
      let ranAt: number | undefined;
      let endedAt = 0;
      const transaction = store.db.transaction().execute(async (trx) => {
        setTimeout(() => (ranAt = performance.now()), 0);
        // Statements back to back for half a second: on SQLite each settles without leaving the microtask queue.
        while (performance.now() - startedAt < 500) {
          await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into filler select i from n`.execute(trx);
        }
        endedAt = performance.now();
      });
      await transaction;
      expect(ranAt).toBeDefined();
      expect(ranAt!).toBeLessThan(endedAt);
      expect(ranAt! - startedAt).toBeLessThan(250);
    });

    it('copies committed writes into the database file from a thread of its own, and the writer checkpoints again once it stops', async () => {
      const file = database.url.replace(/^sqlite:(\/\/)?/, '');
      const sqlite = store.sqlite!;
      // The writer leaves checkpoints to the thread (but past 1 GiB); in WAL mode only a checkpoint writes the file itself.
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(262_144);
      sqlite.exec('create table filler (body blob)');
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const before = statSync(file).size;
      // 2 MB, far under the writer's own threshold: no commit here checkpoints it.
      sqlite.transaction(() => {
        const insert = sqlite.prepare('insert into filler values (randomblob(4096))');
        for (let i = 0; i < 500; i++) insert.run();
      })();
      await vi.waitUntil(() => statSync(file).size >= before + 2_000_000, { timeout: 10_000, interval: 50 });
      await store.close();
      // Closed after the thread, the writer checkpointed the rest and removed the log.
      expect(existsSync(`${file}-wal`)).toBe(false);
      const writer = new BetterSqlite3(file);
      try {
        writer.pragma('journal_mode = WAL');
        const checkpointer = startCheckpointer(writer, file);
        expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(262_144);
        await checkpointer.stop();
        expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(WRITER_CHECKPOINT_PAGES);
        expect(writer.prepare('select count(*) from filler').pluck().get()).toBe(500);
      } finally {
        writer.close();
      }
      store = await openStore(database.url);
    });

    it('starts the log over under a writer that commits large batches back to back, as an import does', async () => {
      const file = database.url.replace(/^sqlite:(\/\/)?/, '');
      await sql`create table filler (body blob)`.execute(store.db);
      // The log's checkpoint sequence number (bytes 12 to 15 of its header) counts its restarts.
      const restarts = () => {
        const header = Buffer.alloc(16);
        const fd = openSync(`${file}-wal`, 'r');
        try {
          readSync(fd, header, 0, 16, 0);
        } finally {
          closeSync(fd);
        }
        return header.readUInt32BE(12);
      };
      const before = restarts();
      const logPages = () => (statSync(`${file}-wal`).size - 32) / (4096 + 24);
      // 256 kB a transaction. A passive checkpoint alone never catches up with such a writer, and the
      // log would grow until the writer's own fallback (1 GiB) made it start over; with the thread it
      // starts over past 100 MB. How far past depends on how long the thread's copying takes on a busy
      // machine (about 100 MB alone, 200 MB has been seen): the bound is the fallback, with room left.
      while (restarts() === before && logPages() < WRITER_FALLBACK_PAGES * 0.8) {
        await store.db.transaction().execute(async (trx) => {
          await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 64) insert into filler select randomblob(4096) from n`.execute(trx);
        });
      }
      expect(restarts()).not.toBe(before);
    });

    it('reads owners, public pools, WeChat ids and a customer’s journey along indexes (those of mostly empty columns hold only rows with a value)', async () => {
      await migrateToLatest(store);
      const plan = (text: string, ...params: unknown[]) =>
        (store.sqlite!.prepare(`explain query plan ${text}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan("select count(*) from customers where owner_id in (?, ?) and pool = 'private' group by owner_id", 'u1', 'u2')).toContain('customers_owner');
      expect(plan('select id from customers where public_pool_id = ? order by created_at', 'p')).toContain('customers_public_pool');
      expect(plan('select id from customers where wechat = ?', 'w')).toContain('customers_wechat');
      expect(plan("select count(*) from pool_events where to_owner_id = ? and action = 'claim' and at >= ?", 'u', '2026')).toContain('pool_events_claims');
      expect(plan('select max(at) from pool_events where from_owner_id = ? and customer_id in (?) group by customer_id', 'u', 'c')).toContain('pool_events_losses');
      expect(plan('select job_id from import_changes where customer_id = ? and action = ?', 'c', 'create')).toContain('import_changes_customer');
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
