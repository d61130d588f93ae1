import { sql, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// Indexes of columns that are empty for most rows hold only the rows that have a value. Every lookup
// of them asks for a value (`owner_id = ?`, `owner_id in (...)`), which both databases match to
// `is not null`, and a move no longer writes an entry for the empty side: a return run deletes the
// owner's entry without inserting a null one, an import into the public pool writes no owner entry,
// a customer without WeChat no WeChat entry. The journey's claim index keeps only claims (what the
// daily limit counts) and its loss index only steps that took a customer from someone.
export async function up(db: Kysely<any>): Promise<void> {
  const sparse = async (name: string, table: string, columns: string[], column: string) => {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on(table).columns(columns).where(sql.ref(column), 'is not', null).execute();
  };
  await sparse('customers_owner', 'customers', ['owner_id', 'created_at'], 'owner_id');
  await sparse('customers_public_pool', 'customers', ['public_pool_id', 'created_at'], 'public_pool_id');
  await sparse('customers_wechat', 'customers', ['wechat'], 'wechat');
  await sparse('pool_events_losses', 'pool_events', ['from_owner_id', 'customer_id', 'at'], 'from_owner_id');
  await db.schema.dropIndex('pool_events_claims').execute();
  await db.schema
    .createIndex('pool_events_claims')
    .on('pool_events')
    .columns(['to_owner_id', 'at'])
    .where(sql.ref('action'), '=', sql.lit('claim'))
    .execute();
}
