import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// On SQLite, the tables that are nothing but their key (a customer's numbers, name grams and tags; an
// import's record of what it did) are kept WITHOUT ROWID: stored in key order as one B-tree, where a
// rowid table keeps the same key twice (the rows, and the index of the primary key). An import writes
// one entry less for every number, gram, tag and customer, and a third less to disk. PostgreSQL
// stores every table as a heap beside its key's index and has no such choice to make.
const TABLES = ['customer_phones', 'customer_name_grams', 'customer_tags', 'import_changes'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const table of TABLES) {
    const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
      select type, name, sql from sqlite_schema where tbl_name = ${table} and sql is not null order by type desc`.execute(db);
    const create = rows.find((r) => r.type === 'table')!.sql!;
    const indexes = rows.filter((r) => r.type === 'index').map((r) => r.sql!);
    const rebuilt = `${table}_clustered`;
    // The same definition (columns, key, references, checks) under another name, without a rowid.
    const definition = create.replace(/^CREATE TABLE\s+("?)[A-Za-z_]+\1/i, `create table "${rebuilt}"`);
    await sql.raw(`${definition} without rowid`).execute(db);
    await sql.raw(`insert into "${rebuilt}" select * from "${table}"`).execute(db);
    await sql.raw(`drop table "${table}"`).execute(db);
    await sql.raw(`alter table "${rebuilt}" rename to "${table}"`).execute(db);
    for (const index of indexes) await sql.raw(index).execute(db);
  }
}
