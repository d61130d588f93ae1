import { sql, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// Two indexes every claim reads, shaped so that the index alone answers:
// - "Claim next" and the public pool's list read a pool's customers in (created_at, id) order, the
//   order of every customer list. With the index ending at created_at, SQLite had to sort the id part
//   and preferred to walk customers_created instead, skipping every customer already claimed from the
//   front of the pool: after 5,000 claims from a pool of 100,000, one "claim next" read thousands of
//   rows. With id in the index, the index gives the whole order and its first rows are the answer.
// - The holding limit counts an agent's customers outside the recycle bin. With deleted_at in the
//   owner index the count reads index entries only, not every held customer's row; "my customers"
//   (owner, not deleted, by created_at) still reads in index order.
export async function up(db: Kysely<any>): Promise<void> {
  const replace = async (name: string, columns: string[], column: string) => {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on('customers').columns(columns).where(sql.ref(column), 'is not', null).execute();
  };
  await replace('customers_public_pool', ['public_pool_id', 'created_at', 'id'], 'public_pool_id');
  await replace('customers_owner', ['owner_id', 'deleted_at', 'created_at'], 'owner_id');
}
