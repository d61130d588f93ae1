import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type SqliteStatement } from 'kysely';
import { turnsEvery } from '../shared/turns.js';

// SQLite has one writer at a time, and better-sqlite3 runs each statement on the server's one thread.
// With a single connection every read waited for the transaction in progress to end: while an
// assignment of 50,000 customers was written, nobody's customer list or search was answered. Reads
// outside a transaction that find the writer taken go to a second, read-only connection instead,
// which sees what is committed (WAL); writes and transactions take the writer in turn, and a long
// transaction lets the others run between its statements.

// Only a plain query goes to the reader: a PRAGMA that sets something counts as read-only to SQLite
// but must reach the writer.
const QUERY = /^\s*(select|with)\b/i;

/** The writer's lock: held by one connection at a time, in the order they asked. */
class WriterLock {
  private tail: Promise<void> = Promise.resolve();
  /** Whether a connection holds the writer now (in a transaction, or between a write and its release). */
  held = false;

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const before = this.tail;
    this.tail = before.then(() => done);
    await before;
    this.held = true;
    return () => {
      this.held = false;
      release();
    };
  }
}

/** A statement that says whether it writes (better-sqlite3's `readonly`). */
export interface SqliteStatementWithMode extends SqliteStatement {
  readonly readonly: boolean;
}

/** A SQLite connection as the driver uses it: statements by SQL text. */
export interface SqliteStatements {
  prepare(sql: string): SqliteStatementWithMode;
  close(): void;
}

export interface SqliteConnections {
  writer: SqliteStatements;
  /** Null for an in-memory database, which a second connection would not share. */
  reader: SqliteStatements | null;
  /** Called before each write transaction begins (the checkpointer's turn). */
  beforeWrite(): void;
}

function run<R>(database: SqliteStatements, query: CompiledQuery): QueryResult<R> {
  const statement = database.prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** What Kysely sees as a connection: reads run at once (see executeQuery) until this one holds the writer. */
class RoutedConnection implements DatabaseConnection {
  private releaseWriter: (() => void) | null = null;
  /** While a transaction is open, a turn for others between its statements every so often. */
  private turn: (() => Promise<void>) | null = null;

  constructor(
    private readonly connections: SqliteConnections,
    private readonly lock: WriterLock,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { writer, reader } = this.connections;
    if (!this.releaseWriter && QUERY.test(query.sql) && writer.prepare(query.sql).readonly) {
      // A read outside a transaction runs at once: on the writer while nobody holds it (its page cache
      // is warm, while the reader's is dropped whenever the writer commits), else on the reader.
      if (!this.lock.held) return run<R>(writer, query);
      if (reader) return run<R>(reader, query);
    }
    this.releaseWriter ??= await this.lock.acquire();
    if (this.turn) await this.turn();
    return run<R>(writer, query);
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not used on SQLite');
  }

  /** Writers queue on the file lock from the start (BEGIN IMMEDIATE) instead of upgrading a read lock later, which fails with SQLITE_BUSY. */
  async begin(): Promise<void> {
    this.releaseWriter ??= await this.lock.acquire();
    this.connections.beforeWrite();
    this.connections.writer.prepare('begin immediate').run([]);
    this.turn = turnsEvery();
  }

  end(command: 'commit' | 'rollback'): void {
    this.turn = null;
    this.connections.writer.prepare(command).run([]);
  }

  release(): void {
    this.releaseWriter?.();
    this.releaseWriter = null;
  }
}

class RoutedSqliteDriver implements Driver {
  private readonly lock = new WriterLock();

  constructor(private readonly connections: SqliteConnections) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.connections, this.lock);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as RoutedConnection).end('commit');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as RoutedConnection).end('rollback');
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as RoutedConnection).release();
  }
  async destroy(): Promise<void> {
    this.connections.reader?.close();
    this.connections.writer.close();
  }
}

/** Kysely's SQLite dialect over a writer and a reader connection (see above). */
export class RoutedSqliteDialect extends SqliteDialect {
  constructor(private readonly connections: SqliteConnections) {
    super({ database: connections.writer });
  }
  override createDriver(): Driver {
    return new RoutedSqliteDriver(this.connections);
  }
}
