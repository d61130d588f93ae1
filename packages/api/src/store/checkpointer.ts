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
/** How long a RESTART checkpoint may hold writers back waiting for readers to move off the log. */
const RESTART_WAIT_MS = 100;
/** How long the thread leaves writers alone after a RESTART found the log still read. */
const RESTART_BACKOFF_MS = 2_000;
/** After a checkpoint empties it, the log file is cut back to this size instead of keeping its peak. */
const LOG_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

// The thread's whole program. It is evaluated as a script, so it also runs where the API is loaded
// from TypeScript sources; the driver comes by the path the main thread resolved.
//
// A passive checkpoint copies what is committed but never makes the log start over: only a writer
// does, when it begins with every frame copied and nobody reading them, and a writer that commits
// batch after batch (an import) always finds the last one not yet copied, so the log would grow
// without end. Once it passes the threshold, a RESTART checkpoint takes the write lock for the few
// frames the passive one left and waits for readers, briefly, so that the next writer starts the log
// over. A reader that holds on past the wait (a long export) keeps the log from starting over however
// it is checkpointed; the thread then waits a while before it holds writers back again.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = ' + workerData.restartWaitMs);
const stop = () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
};
let restartAfter = 0;
const timer = setInterval(() => {
  try {
    const [copied] = db.pragma('wal_checkpoint(PASSIVE)');
    if (copied.log < workerData.restartAtFrames || Date.now() < restartAfter) return;
    const [restarted] = db.pragma('wal_checkpoint(RESTART)');
    if (restarted.busy) restartAfter = Date.now() + workerData.restartBackoffMs;
  } catch {
    stop();
  }
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
export function startCheckpointer(
  writer: BetterSqlite3.Database,
  file: string,
  /** The log length (in pages) past which the thread makes the log start over. */
  restartAtFrames = WRITER_CHECKPOINT_PAGES,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  writer.pragma(`journal_size_limit = ${LOG_SIZE_LIMIT_BYTES}`);
  writer.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS, restartAtFrames, restartWaitMs: RESTART_WAIT_MS, restartBackoffMs: RESTART_BACKOFF_MS } });
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
