// The API package's entry: what the CLI and the benchmarks use.
export { startServer, buildApplication, type ServerOptions, type Application } from './server.js';
export { loadEnv, defaultDatabaseUrl, type Env } from './env.js';
export { openStore, type Store } from './store/connect.js';
export { migrateToLatest } from './store/migrate.js';
export { backupSqlite } from './store/backup.js';
export type { Database } from './store/database.js';
export { fillDemo, type FillDemoOptions, type FillDemoResult } from './demo/demo.fill.js';
