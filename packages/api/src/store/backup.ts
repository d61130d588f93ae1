import type { Store } from './connect.js';

/** An online backup of the SQLite file: consistent while the server keeps writing. */
export async function backupSqlite(store: Store, destination: string): Promise<void> {
  if (!store.sqlite) throw new Error('backups of PostgreSQL are made with pg_dump; this command backs up the SQLite file');
  await store.sqlite.backup(destination);
}
