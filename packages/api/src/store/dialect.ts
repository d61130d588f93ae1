import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Expression, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './database.js';
import type { DialectName } from './connect.js';
import { turnsEvery } from '../shared/turns.js';

// The few places where SQLite and PostgreSQL spell the same thing differently.

/** A custom field's value as text (or number) from the customer's JSON column. */
export function customValue(dialect: DialectName, key: string, as: 'text' | 'number' = 'text'): RawBuilder<unknown> {
  // The key is inlined, not bound, so the expression matches the field's expression index (see
  // settings.service); keys are checked against /^[a-z][a-zA-Z0-9_]*$/ when fields are defined.
  if (dialect === 'sqlite') return sql`json_extract(customers.custom, ${sql.lit(customPath(key))})`;
  return as === 'number' ? sql`(customers.custom->>${sql.lit(key)})::numeric` : sql`(customers.custom->>${sql.lit(key)})`;
}

/** The JSON path of a custom field's value on SQLite. */
export const customPath = (key: string): string => `$."${key}"`;

/** Whether a custom multi-select value holds any / all / none of the given strings. */
export function customArrayMatch(
  dialect: DialectName,
  key: string,
  op: 'hasAll' | 'hasAny' | 'hasNone',
  values: readonly string[],
): RawBuilder<boolean> {
  if (dialect === 'postgres') {
    const array = sql`${sql.val([...values])}::text[]`;
    if (op === 'hasAll') return sql<boolean>`coalesce(customers.custom->${key} ?& ${array}, false)`;
    if (op === 'hasAny') return sql<boolean>`coalesce(customers.custom->${key} ?| ${array}, false)`;
    return sql<boolean>`not coalesce(customers.custom->${key} ?| ${array}, false)`;
  }
  const path = `$."${key}"`;
  const list = sql.join(values.map((v) => sql.val(v)));
  const matches = sql`(select count(distinct value) from json_each(customers.custom, ${path}) where value in (${list}))`;
  if (op === 'hasAll') return sql<boolean>`${matches} = ${values.length}`;
  if (op === 'hasAny') return sql<boolean>`${matches} > 0`;
  return sql<boolean>`${matches} = 0`;
}

/** Case-insensitive LIKE: SQLite's LIKE already is for ASCII, PostgreSQL needs ILIKE. */
export function likeInsensitive(dialect: DialectName, column: Expression<unknown>, pattern: string): RawBuilder<boolean> {
  return dialect === 'postgres'
    ? sql<boolean>`${column} ilike ${pattern} escape '\\'`
    : sql<boolean>`${column} like ${pattern} escape '\\'`;
}

/** Escapes LIKE wildcards in user text. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The JSON column value as a parameter: text on SQLite, jsonb on PostgreSQL. */
export const jsonParam = (value: unknown): string => JSON.stringify(value);

/** Reads a JSON column: SQLite gives text, pg gives the parsed value. */
export function readJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  return value as T;
}

/**
 * Ids bound per statement where a list of them goes into `in (...)`: an "everything agent A holds" can
 * be any number, and SQLite refuses a statement of over 32,766 bound values, PostgreSQL one of over 65,535.
 */
const IDS_PER_STATEMENT = 10_000;

/** Runs `read` over `ids` in slices of IDS_PER_STATEMENT, in order; the rows of them all. */
export async function readByIds<T>(ids: readonly string[], read: (slice: string[]) => Promise<readonly T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    for (const row of await read(ids.slice(i, i + IDS_PER_STATEMENT))) rows.push(row);
  }
  return rows;
}

/**
 * Rows of text values as a table a statement can read from: `values (...), (...)` on SQLite; on
 * PostgreSQL one array a column and `unnest`, so that 100,000 rows bind a parameter a column instead
 * of one a value (parsing those is most of the time of a statement that large).
 */
export function textRowsAsTable(dialect: DialectName, rows: readonly (readonly (string | null)[])[]): RawBuilder<unknown> {
  if (dialect === 'postgres') {
    const width = rows[0]?.length ?? 0;
    return sql`select * from unnest(${sql.join(Array.from({ length: width }, (_, c) => sql`${rows.map((r) => r[c] ?? null)}::text[]`))})`;
  }
  return sql`values ${sql.join(rows.map((r) => sql`(${sql.join([...r])})`))}`;
}

/** Many rows into a table of text columns on PostgreSQL, 50,000 a statement (see textRowsAsTable). */
export async function insertTextRowsFromArrays<T extends keyof Database>(
  db: Kysely<Database> | Transaction<Database>,
  table: T,
  rows: readonly Record<string, string | null>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 50_000) {
    const chunk = rows.slice(i, i + 50_000);
    const columns = Object.keys(chunk[0]!);
    const values = textRowsAsTable('postgres', chunk.map((r) => columns.map((c) => r[c] ?? null)));
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) ${values}`.execute(db);
  }
}

const rowStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/**
 * Many rows into a table on SQLite, inside the transaction the caller holds on this connection: one
 * prepared statement run per row. Binding a row costs a microsecond; building and compiling a
 * 1,000-row insert costs more than SQLite spends writing it. The events of a large move take a
 * second or more: others get their turns meanwhile.
 */
export async function insertRowsOnSqlite<T extends keyof Database>(
  sqlite: BetterSqlite3.Database,
  table: T,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
  let statements = rowStatements.get(sqlite);
  if (!statements) rowStatements.set(sqlite, (statements = new Map()));
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = sqlite.prepare(text)));
  const turn = turnsEvery();
  for (const row of rows) {
    statement.run(columns.map((c) => row[c] ?? null));
    await turn();
  }
}

/**
 * Makes the transactions that do one kind of thing (change a tree, the set of public pools; run the
 * returns) take turns until they end: a lock of that name in the current schema on PostgreSQL, so
 * several companies sharing one database do not wait on each other; SQLite's writer lock already
 * does it. For work that checks rows and then writes others, where row locks cannot cover a row
 * another transaction is about to insert. With `wait: false`, gives up at once when another holds
 * the turn; whether the turn is now this transaction's.
 */
export async function takeTurns(trx: Transaction<Database>, dialect: DialectName, name: string, { wait = true } = {}): Promise<boolean> {
  if (dialect !== 'postgres') return true;
  const key = sql`hashtext(${`crm.${name}.`} || current_schema())`;
  if (wait) {
    await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
    return true;
  }
  const { rows } = await sql<{ taken: boolean }>`select pg_try_advisory_xact_lock(${key}) as taken`.execute(trx);
  return rows[0]?.taken === true;
}
