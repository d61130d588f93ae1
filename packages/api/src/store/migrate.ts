import { Migrator, sql, type Migration } from 'kysely';
import * as foundation from './migrations/20261122000000-foundation.js';
import * as recycleBinIndex from './migrations/20261122010000-recycle-bin-index.js';
import * as access from './migrations/20261122020000-access.js';
import * as imports from './migrations/20261201000000-imports.js';
import * as pools from './migrations/20261202000000-pools.js';
import * as poolReminders from './migrations/20261202010000-pool-reminders.js';
import type { Store } from './connect.js';

const MIGRATIONS: Record<string, Migration> = {
  '20261122000000-foundation': foundation,
  '20261122010000-recycle-bin-index': recycleBinIndex,
  '20261122020000-access': access,
  '20261201000000-imports': imports,
  '20261202000000-pools': pools,
  '20261202010000-pool-reminders': poolReminders,
};

/** Applies every pending migration in order; throws (and the process exits non-zero) when one fails. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  // Kysely looks its bookkeeping tables up in every schema: on PostgreSQL, name the one in use, or a
  // database holding another CRM schema (tests run one per test) looks migrated already.
  const schema =
    store.dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => MIGRATIONS },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
