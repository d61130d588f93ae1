import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { startCheckpointer } from './checkpointer.js';
import { RoutedSqliteDialect, type SqliteStatements, type SqliteStatementWithMode } from './sqlite-driver.js';
import type { Database } from './database.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  url: string;
  /** The SQLite file, for online backups; undefined on PostgreSQL. */
  sqlite?: BetterSqlite3.Database;
  /** A pg pool for LISTEN/NOTIFY and COPY; undefined on SQLite. */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused, and preparing is a large
 * part of a small query's cost. Keeps the most recently used statements by SQL text.
 */
function withStatementCache(database: BetterSqlite3.Database, size = 500): SqliteStatements {
  const cache = new Map<string, SqliteStatementWithMode>();
  return {
    close: () => database.close(),
    prepare(sqlText: string) {
      let statement = cache.get(sqlText);
      if (statement) {
        cache.delete(sqlText);
      } else {
        statement = withRowsOfOneShape(database.prepare(sqlText));
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sqlText, statement);
      return statement;
    },
  };
}

/**
 * A reading statement whose rows are built by an object literal compiled once for its columns.
 * better-sqlite3 adds a row's properties one by one, which for the 35 columns of a customer costs
 * about 10 µs a row (14 s of a million-row export); the literal makes objects of one shape in a third
 * of that. The rows are the same: the columns in order, a later column of the same name winning.
 */
function withRowsOfOneShape(statement: BetterSqlite3.Statement): SqliteStatementWithMode {
  if (!statement.reader) return statement as unknown as SqliteStatementWithMode;
  const names = statement.columns().map((c) => JSON.stringify(c.name));
  const toRow = new Function('values', `return { ${names.map((name, i) => `${name}: values[${i}]`).join(', ')} };`) as (values: unknown[]) => unknown;
  statement.raw(true);
  return {
    reader: true,
    readonly: statement.readonly,
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(toRow),
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      for (const values of statement.iterate(parameters) as IterableIterator<unknown[]>) yield toRow(values);
    },
  };
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Opens the embedded SQLite file or a PostgreSQL server, by URL. */
export async function openStore(url: string): Promise<Store> {
  return isPostgresUrl(url) ? openPostgres(url) : openSqlite(url);
}

function openSqlite(url: string): Store {
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('cache_size = -65536');
  // Gathers the planner statistics that are missing or stale (SQLite's advice for long-lived
  // connections); without them a million-row table can be walked in the wrong index order.
  sqlite.pragma('optimize = 0x10002');
  // An in-memory database has no log to copy back.
  const checkpointer = file === ':memory:' ? null : startCheckpointer(sqlite, file);
  const reader = file === ':memory:' ? null : new BetterSqlite3(file);
  if (reader) {
    reader.pragma('busy_timeout = 10000');
    reader.pragma('query_only = ON');
    reader.pragma('cache_size = -65536');
  }
  const db = new Kysely<Database>({
    dialect: new RoutedSqliteDialect({
      writer: withStatementCache(sqlite),
      reader: reader && withStatementCache(reader),
      beforeWrite: () => checkpointer?.beforeWrite(),
    }),
  });
  return {
    db,
    dialect: 'sqlite',
    url,
    sqlite,
    async close() {
      // The thread's connection goes first: the last one to close checkpoints what is left and removes the log.
      await checkpointer?.stop();
      await db.destroy();
      // Kysely closes the files only if a query of its own opened its driver.
      if (reader?.open) reader.close();
      if (sqlite.open) sqlite.close();
    },
  };
}

async function openPostgres(url: string): Promise<Store> {
  const parsed = new URL(url);
  // `?schema=name` confines a store to one schema: tests get one each, created on first use.
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const connectionString = parsed.toString();
  if (schema) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name in CRM_DB: ${schema}`);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', url, pgPool: pool, close: () => db.destroy() };
}

// count(*) and bigserial come back as strings from pg; every number we store fits a double.
pg.types.setTypeParser(20, (v) => Number(v));
