/**
 * Lets whatever waits on this process (other requests, the job runner) run before going on. On
 * SQLite a query settles without leaving the microtask queue, so a loop of queries (the pages of an
 * export, the batches of an import) would otherwise hold the server until it ends: a request sent
 * during a million-row export waited 8 s for it.
 */
export const letOthersRun = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How long work holding the server's thread goes on before it lets others take a turn. */
const TURN_EVERY_MS = 50;

/**
 * A turn for others once every TURN_EVERY_MS of work, for loops of synchronous statements (SQLite)
 * inside a transaction: reads go on meanwhile on the store's reader, writes wait for the transaction.
 *
 * @example const turn = turnsEvery(); for (const row of rows) { insert.run(row); await turn(); }
 */
export function turnsEvery(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < TURN_EVERY_MS) return;
    await letOthersRun();
    last = performance.now();
  };
}
