import { sql, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// `crm demo` wrote its public customers without a public pool and its private ones without the time
// their owner got them. A public customer in no pool is in no pool's list and "claim next" never
// finds it, so demo databases filled since pools arrived had a public sea nobody could claim from.
// Such customers go to the default pool, as the pools migration put every public customer there;
// a private customer's clock starts at its creation, as that migration started it.
export async function up(db: Kysely<any>): Promise<void> {
  const defaultPool = db.selectFrom('public_pools').select('id').where('is_default', '=', 1).limit(1);
  await db.updateTable('customers').set({ public_pool_id: defaultPool }).where('pool', '=', 'public').where('public_pool_id', 'is', null).execute();
  await db.updateTable('customers').set({ owned_since: sql`created_at` }).where('pool', '=', 'private').where('owned_since', 'is', null).execute();
}
