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
/**
 * Past this length (about 100 MB) the thread has the writer start the log over. Each restart costs the
 * writer a short checkpoint of its own (what the thread had not copied yet), so not much sooner; an
 * import of a million rows took about as long with 40 MB, within the noise of its runs.
 */
const LOG_RESTART_PAGES = 25_000;
/**
 * Past this length (1 GiB) the writer checkpoints by itself after a commit, as it does without the
 * thread: the bound on the log should the thread fall behind (starved of CPU, say). A return run that
 * moves a hundred thousand of a million customers, with their journey and events, writes over 100,000
 * pages in its one transaction, and should not copy them back before it answers.
 */
export const WRITER_FALLBACK_PAGES = 262_144;
/** After a checkpoint empties it, the log file is cut back to this size instead of keeping its peak. */
const LOG_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

// The thread's whole program. It is evaluated as a script, so it also runs where the API is loaded
// from TypeScript sources; the driver comes by the path the main thread resolved.
//
// A passive checkpoint copies what is committed but never makes the log start over: only a writer
// does, as it begins, when every frame is copied and nobody reads them. A writer committing batch
// after batch (an import) always finds the last batch not yet copied, and a checkpoint that waited
// for the write lock would seldom get it between two batches, so the log would grow without end.
// Once the log passes its threshold, the thread raises a flag instead; the writer, before its next
// transaction, copies the little the thread has not (what was committed during the thread's pass), and
// its own BEGIN then starts the log over.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const longLog = new Int32Array(workerData.longLog);
const stop = () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
};
const timer = setInterval(() => {
  try {
    const [copied] = db.pragma('wal_checkpoint(PASSIVE)');
    if (copied.log >= workerData.restartAtFrames) Atomics.store(longLog, 0, 1);
  } catch {
    stop();
  }
}, workerData.everyMs);
parentPort.on('message', stop);
`;

export interface Checkpointer {
  /** Called by the writer before each write transaction: makes a long log start over with it. */
  beforeWrite(): void;
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
  writer.pragma(`wal_autocheckpoint = ${WRITER_FALLBACK_PAGES}`);
  const longLog = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS, restartAtFrames: LOG_RESTART_PAGES, longLog: longLog.buffer } });
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
    beforeWrite() {
      if (Atomics.exchange(longLog, 0, 0) === 1) writer.pragma('wal_checkpoint(PASSIVE)');
    },
    async stop() {
      // Held alive until the thread has closed its connection, or the process could end first.
      worker.ref();
      if (running) worker.postMessage('stop');
      await exited;
    },
  };
}
