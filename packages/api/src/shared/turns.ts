/**
 * Lets whatever waits on this process (other requests, the job runner) run before going on. On
 * SQLite a query settles without leaving the microtask queue, so a loop of queries (the pages of an
 * export, the batches of an import) would otherwise hold the server until it ends: a request sent
 * during a million-row export waited 8 s for it.
 */
export const letOthersRun = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
