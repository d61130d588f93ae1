import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// Long work (imports now, pool returns later) runs as rows of `jobs` with a lease, so a server that
// starts after a crash takes over a job whose lease ran out and continues from its last committed
// batch. An import's file lives in the database with its job, so any node can take the job over.
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const json = postgres ? 'jsonb' : 'text';

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('reverted_at', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    // What the job was asked to do, fixed at creation.
    .addColumn('params', json, (c) => c.notNull())
    // How far it got: the last source row whose batch committed, and the figures so far.
    .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress', json, (c) => c.notNull())
    .addColumn('error', json)
    .execute();
  await db.schema.createIndex('jobs_runnable').on('jobs').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('jobs_kind_created').on('jobs').columns(['kind', 'created_at', 'id']).execute();

  await db.schema
    .createTable('job_files')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_files_pk', ['job_id', 'seq'])
    .execute();

  // The rows of a file that were not imported, as they were, for the failure report.
  await db.schema
    .createTable('import_failures')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('cells', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('field', 'text')
    .addColumn('column_name', 'text')
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('import_failures_pk', ['job_id', 'row_number'])
    .execute();

  // What an import did to each customer, so it can be reverted: created, or updated from `before`.
  // `updated_at` is the customer's stamp after the import; a different one means someone changed it since.
  await db.schema
    .createTable('import_changes')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_changes_pk', ['job_id', 'customer_id'])
    .execute();

  // Events for one user only (an import's progress); null means everyone who may see the customer.
  await db.schema.alterTable('outbox').addColumn('recipient_id', 'text').execute();

  // Other spellings a picklist value is known by in imported files, e.g. 百度 for 网络推广.
  await db.schema.alterTable('picklist_values').addColumn('aliases', 'text', (c) => c.notNull().defaultTo(sql`'[]'`)).execute();
}
