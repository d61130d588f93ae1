import { sql, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// An index on deleted_at alone tempts the planner to walk it for `deleted_at is null`, which holds for
// nearly every row. Only the recycle bin is worth indexing: a partial index of the deleted rows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_deleted').ifExists().execute();
  await db.schema
    .createIndex('customers_in_recycle_bin')
    .on('customers')
    .columns(['deleted_at', 'id'])
    .where(sql.ref('deleted_at'), 'is not', null)
    .execute();
}
