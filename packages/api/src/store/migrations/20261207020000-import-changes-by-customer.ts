import type { Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// A customer's journey starts with the import that created it, looked up by the customer: without an
// index of its own that lookup read every import change ever recorded (a million after one large
// import) on every journey shown. Customer ids grow with time, so an import appends to this index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('import_changes_customer').on('import_changes').columns(['customer_id', 'action']).execute();
}
