import type BetterSqlite3 from 'better-sqlite3';
import { compareCodeUnits, type ExistingPhone } from '@telecrm/core';
import { sql, type Transaction } from 'kysely';
import type { Store } from './connect.js';
import type { Database } from './database.js';

// The bulk paths of an import. Each function runs inside the caller's batch transaction. SQLite gets
// prepared statements run on the connection Kysely's transaction holds (one statement per row is the
// fastest way into SQLite); PostgreSQL gets one multi-row statement per table over unnest() arrays.

type Trx = Transaction<Database>;

/** A customer an import creates, with everything stored beside it. */
export interface ImportedCustomerRow {
  id: string;
  rowNumber: number;
  name: string;
  company: string | null;
  wechat: string | null;
  email: string | null;
  source: string | null;
  industry: string | null;
  region: string | null;
  status: string | null;
  stage: string | null;
  level: string | null;
  remark: string | null;
  nextFollowUpAt: string | null;
  /** JSON object of custom values. */
  custom: string;
  phones: { e164: string; extension: string | null }[];
  tags: string[];
  grams: string[];
}

export interface ImportFailureRow {
  rowNumber: number;
  /** JSON array of the row's cells. */
  cells: string;
  code: string;
  field: string | null;
  column: string | null;
  /** JSON object of the reason's facts. */
  params: string;
}

export interface ImportWriteContext {
  jobId: string;
  pool: string;
  ownerId: string | null;
  /** The public pool new customers go to, when the pool is `public`. */
  publicPoolId: string | null;
  actorId: string;
  now: string;
}

const CUSTOMER_COLUMNS = [
  'id', 'name', 'company', 'primary_phone', 'wechat', 'email', 'source', 'industry', 'region', 'status', 'stage', 'level',
  'remark', 'pool', 'owner_id', 'public_pool_id', 'owned_since', 'next_follow_up_at', 'custom', 'created_by', 'created_at', 'updated_by', 'updated_at',
] as const;

const customerValues = (c: ImportedCustomerRow, w: ImportWriteContext): unknown[] => [
  c.id, c.name, c.company, c.phones[0]!.e164, c.wechat, c.email, c.source, c.industry, c.region, c.status, c.stage, c.level,
  c.remark, w.pool, w.ownerId, w.publicPoolId, w.ownerId === null ? null : w.now, c.nextFollowUpAt, c.custom, w.actorId, w.now, w.actorId, w.now,
];

interface SqliteImportStatements {
  findPhones: BetterSqlite3.Statement;
  customer: BetterSqlite3.Statement;
  phone: BetterSqlite3.Statement;
  gram: BetterSqlite3.Statement;
  tag: BetterSqlite3.Statement;
  change: BetterSqlite3.Statement;
  failure: BetterSqlite3.Statement;
}

const sqliteStatements = new WeakMap<BetterSqlite3.Database, SqliteImportStatements>();

function statementsOf(sqlite: BetterSqlite3.Database): SqliteImportStatements {
  let statements = sqliteStatements.get(sqlite);
  if (!statements) {
    statements = {
      findPhones: sqlite.prepare(
        `select p.e164, p.customer_id, c.deleted_at, c.wrong_number, c.do_not_call
           from customer_phones p join customers c on c.id = p.customer_id
          where p.e164 in (select value from json_each(?))`,
      ),
      customer: sqlite.prepare(`insert into customers (${CUSTOMER_COLUMNS.join(', ')}) values (${CUSTOMER_COLUMNS.map(() => '?').join(', ')})`),
      phone: sqlite.prepare('insert into customer_phones (e164, customer_id, extension, label, position) values (?, ?, ?, null, ?)'),
      gram: sqlite.prepare('insert into customer_name_grams (gram, customer_id) values (?, ?) on conflict do nothing'),
      tag: sqlite.prepare('insert into customer_tags (customer_id, tag) values (?, ?) on conflict do nothing'),
      change: sqlite.prepare('insert into import_changes (job_id, customer_id, row_number, action, before, updated_at) values (?, ?, ?, ?, ?, ?)'),
      failure: sqlite.prepare(
        'insert into import_failures (job_id, row_number, cells, code, field, column_name, params) values (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    sqliteStatements.set(sqlite, statements);
  }
  return statements;
}

interface PhoneHit {
  e164: string;
  customer_id: string;
  deleted_at: string | null;
  wrong_number: number;
  do_not_call: number;
}

/** What the database knows about each of these numbers: whose they are, and the customer's flags. */
export async function findExistingPhones(trx: Trx, store: Store, numbers: readonly string[]): Promise<Map<string, ExistingPhone>> {
  const found = new Map<string, ExistingPhone>();
  if (numbers.length === 0) return found;
  let hits: PhoneHit[];
  if (store.sqlite) {
    hits = statementsOf(store.sqlite).findPhones.all(JSON.stringify(numbers)) as PhoneHit[];
  } else {
    const result = await sql<PhoneHit>`
      select p.e164, p.customer_id, c.deleted_at, c.wrong_number, c.do_not_call
        from customer_phones p join customers c on c.id = p.customer_id
       where p.e164 = any(${[...numbers]}::text[])`.execute(trx);
    hits = result.rows;
  }
  for (const hit of hits) {
    found.set(hit.e164, {
      customerId: hit.customer_id,
      deleted: hit.deleted_at !== null,
      wrongNumber: hit.wrong_number === 1,
      doNotCall: hit.do_not_call === 1,
    });
  }
  return found;
}

/** Inserts new customers with their numbers, tags and name grams, and records each as created by the job. */
export async function insertImportedCustomers(trx: Trx, store: Store, w: ImportWriteContext, rows: readonly ImportedCustomerRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (store.sqlite) {
    const s = statementsOf(store.sqlite);
    for (const c of rows) {
      s.customer.run(customerValues(c, w));
      s.change.run(w.jobId, c.id, c.rowNumber, 'create', null, w.now);
    }
    // Numbers and name grams are keyed by what they hold, so a batch's entries land all over their
    // indexes: written in key order, each index page is changed once per batch, not once per entry.
    const phones = rows.flatMap((c) => c.phones.map((p, position) => ({ e164: p.e164, id: c.id, extension: p.extension, position })));
    for (const p of phones.sort((a, b) => compareCodeUnits(a.e164, b.e164))) s.phone.run(p.e164, p.id, p.extension, p.position);
    const grams = rows.flatMap((c) => c.grams.map((gram) => [gram, c.id] as const));
    for (const [gram, id] of grams.sort((a, b) => compareCodeUnits(a[0], b[0]) || compareCodeUnits(a[1], b[1]))) s.gram.run(gram, id);
    for (const c of rows) for (const tag of c.tags) s.tag.run(c.id, tag);
    return;
  }
  const columns = CUSTOMER_COLUMNS.map((name, i) => {
    const values = rows.map((c) => customerValues(c, w)[i]);
    return name === 'custom' ? sql`${values}::jsonb[]` : sql`${values}::text[]`;
  });
  await sql`insert into customers (${sql.join(CUSTOMER_COLUMNS.map((c) => sql.ref(c)))})
            select * from unnest(${sql.join(columns)})`.execute(trx);
  const phones = rows.flatMap((c) => c.phones.map((p, position) => ({ e164: p.e164, id: c.id, extension: p.extension, position })));
  await sql`insert into customer_phones (e164, customer_id, extension, label, position)
            select e164, customer_id, extension, null, position
              from unnest(${phones.map((p) => p.e164)}::text[], ${phones.map((p) => p.id)}::text[],
                          ${phones.map((p) => p.extension)}::text[], ${phones.map((p) => p.position)}::int[])
                   as t(e164, customer_id, extension, position)`.execute(trx);
  await insertPairs(trx, 'customer_name_grams', 'gram', rows.flatMap((c) => c.grams.map((g) => [g, c.id] as const)));
  await insertPairs(trx, 'customer_tags', 'tag', rows.flatMap((c) => c.tags.map((t) => [t, c.id] as const)));
  await recordImportChanges(trx, store, w, rows.map((c) => ({ customerId: c.id, rowNumber: c.rowNumber, action: 'create', before: null })));
}

async function insertPairs(trx: Trx, table: 'customer_name_grams' | 'customer_tags', column: 'gram' | 'tag', pairs: readonly (readonly [string, string])[]) {
  if (pairs.length === 0) return;
  await sql`insert into ${sql.table(table)} (${sql.ref(column)}, customer_id)
            select * from unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[])
            on conflict do nothing`.execute(trx);
}

export interface ImportChangeRecord {
  customerId: string;
  rowNumber: number;
  action: 'create' | 'update';
  /** JSON of what to put back on a revert; null for a created customer. */
  before: string | null;
}

export async function recordImportChanges(trx: Trx, store: Store, w: ImportWriteContext, changes: readonly ImportChangeRecord[]): Promise<void> {
  if (changes.length === 0) return;
  if (store.sqlite) {
    const s = statementsOf(store.sqlite);
    for (const c of changes) s.change.run(w.jobId, c.customerId, c.rowNumber, c.action, c.before, w.now);
    return;
  }
  await sql`insert into import_changes (job_id, customer_id, row_number, action, before, updated_at)
            select ${w.jobId}, customer_id, row_number, action, before, ${w.now}
              from unnest(${changes.map((c) => c.customerId)}::text[], ${changes.map((c) => c.rowNumber)}::int[],
                          ${changes.map((c) => c.action)}::text[], ${changes.map((c) => c.before)}::text[])
                   as t(customer_id, row_number, action, before)`.execute(trx);
}

export async function recordImportFailures(trx: Trx, store: Store, jobId: string, failures: readonly ImportFailureRow[]): Promise<void> {
  if (failures.length === 0) return;
  if (store.sqlite) {
    const s = statementsOf(store.sqlite);
    for (const f of failures) s.failure.run(jobId, f.rowNumber, f.cells, f.code, f.field, f.column, f.params);
    return;
  }
  await sql`insert into import_failures (job_id, row_number, cells, code, field, column_name, params)
            select ${jobId}, * from unnest(${failures.map((f) => f.rowNumber)}::int[], ${failures.map((f) => f.cells)}::text[],
                                           ${failures.map((f) => f.code)}::text[], ${failures.map((f) => f.field)}::text[],
                                           ${failures.map((f) => f.column)}::text[], ${failures.map((f) => f.params)}::text[])`.execute(trx);
}

/** The customers this job updated, by id, with the row that did it: a later row hitting one is a repeat. */
export async function customersUpdatedByImport(trx: Trx, jobId: string): Promise<Map<string, number>> {
  const rows = await trx
    .selectFrom('import_changes')
    .select(['customer_id', 'row_number'])
    .where('job_id', '=', jobId)
    .where('action', '=', 'update')
    .execute();
  return new Map(rows.map((r) => [r.customer_id, r.row_number]));
}
