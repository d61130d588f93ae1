import { Migrator, sql, type Migration } from 'kysely';
import * as foundation from './migrations/20261122000000-foundation.js';
import * as recycleBinIndex from './migrations/20261122010000-recycle-bin-index.js';
import * as access from './migrations/20261122020000-access.js';
import * as imports from './migrations/20261201000000-imports.js';
import * as pools from './migrations/20261202000000-pools.js';
import * as poolReminders from './migrations/20261202010000-pool-reminders.js';
import * as sparseIndexes from './migrations/20261207000000-sparse-indexes.js';
import * as clusteredSideTables from './migrations/20261207010000-clustered-side-tables.js';
import * as importChangesByCustomer from './migrations/20261207020000-import-changes-by-customer.js';
import * as rowidPhones from './migrations/20261207030000-rowid-phones.js';
import * as claimIndexes from './migrations/20261207040000-claim-indexes.js';
import * as publicCustomersInAPool from './migrations/20261208000000-public-customers-in-a-pool.js';
import type { Store } from './connect.js';

const MIGRATIONS = {
  '20261122000000-foundation': foundation,
  '20261122010000-recycle-bin-index': recycleBinIndex,
  '20261122020000-access': access,
  '20261201000000-imports': imports,
  '20261202000000-pools': pools,
  '20261202010000-pool-reminders': poolReminders,
  '20261207000000-sparse-indexes': sparseIndexes,
  '20261207010000-clustered-side-tables': clusteredSideTables,
  '20261207020000-import-changes-by-customer': importChangesByCustomer,
  '20261207030000-rowid-phones': rowidPhones,
  '20261207040000-claim-indexes': claimIndexes,
  '20261208000000-public-customers-in-a-pool': publicCustomersInAPool,
} satisfies Record<string, Migration>;

/**
 * Applies every pending migration in order (or those up to `upTo`, for tests of an upgrade); throws
 * (and the process exits non-zero) when one fails.
 */
export async function migrateToLatest(store: Store, upTo?: keyof typeof MIGRATIONS): Promise<string[]> {
  // Kysely looks its bookkeeping tables up in every schema: on PostgreSQL, name the one in use, or a
  // database holding another CRM schema (tests run one per test) looks migrated already.
  const schema =
    store.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  // An index a migration made has no planner statistics until ANALYZE, and without them SQLite may
  // prefer it to a better one (reading a million customers by owner instead of by clock). The
  // statistics gathered when the connection opened predate it: gather the missing ones now.
  if (applied.length && store.sqlite) store.sqlite.pragma('optimize = 0x10002');
  return applied;
}
