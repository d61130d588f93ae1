import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

// SQLite copies the write-ahead log back into the database file (a checkpoint) on the connection whose
// commit pushed the log over its threshold: that request waits for it, and a large move or import
// batch pays seconds of copying and fsyncs for every write before it. A checkpointer thread with its
// own connection does that copying instead, beside the writer, the way PostgreSQL's checkpointer does;
// a passive checkpoint never takes the write lock, so writers go on while it runs.

/** How often the thread looks for committed log to copy back. */
const CHECKPOINT_EVERY_MS = 250;
/**
 * The writer's own threshold when no thread checkpoints for it: about 40 MB instead of SQLite's 4 MB, as
 * a bulk write (an import batch dirties thousands of index pages) would otherwise pay a checkpoint,
 * with its fsyncs, on almost every commit.
 */
export const WRITER_CHECKPOINT_PAGES = 10_000;
/** After a checkpoint empties it, the log file is cut back to this size instead of keeping its peak. */
const LOG_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

// The thread's whole program. It is evaluated as a script, so it also runs where the API is loaded
// from TypeScript sources; the driver comes by the path the main thread resolved.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const stop = () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
};
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { stop(); }
}, workerData.everyMs);
parentPort.on('message', stop);
`;

export interface Checkpointer {
  /** Stops the thread; the writer checkpoints by itself again. */
  stop(): Promise<void>;
}

/**
 * Moves the checkpoints of the SQLite file that `writer` has open to a thread of their own. Should the
 * thread fail, the writer takes its threshold back, so the log never grows without bound.
 */
export function startCheckpointer(writer: BetterSqlite3.Database, file: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  writer.pragma(`journal_size_limit = ${LOG_SIZE_LIMIT_BYTES}`);
  writer.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS } });
  // Never what keeps a process alive: an exit without stop() loses nothing, a checkpoint is atomic.
  worker.unref();
  let running = true;
  const writerTakesOver = () => {
    if (!running) return;
    running = false;
    if (writer.open) writer.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  };
  // A checkpoint that failed (the file gone, the disk full) ends the thread.
  worker.on('error', writerTakesOver);
  worker.on('exit', writerTakesOver);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held alive until the thread has closed its connection, or the process could end first.
      worker.ref();
      if (running) worker.postMessage('stop');
      await exited;
    },
  };
}
