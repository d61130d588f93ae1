import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from './connect.js';
import type { Database, JobRow } from './database.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Jobs that may still run: waiting, or running on a server whose lease may run out. */
export const RUNNABLE_JOB_STATES = ['queued', 'running'] as const;

/**
 * Takes the oldest runnable job whose lease is free or ran out, for `nodeId` until `until`, in one
 * conditional write: two servers never get the same job (SKIP LOCKED on PostgreSQL, the single
 * writer on SQLite).
 */
export async function claimNextJob(db: Db, dialect: DialectName, nodeId: string, now: string, until: string): Promise<JobRow | undefined> {
  let candidate = db
    .selectFrom('jobs')
    .select('jobs.id')
    .where('jobs.state', 'in', RUNNABLE_JOB_STATES)
    .where((eb) => eb.or([eb('jobs.locked_until', 'is', null), eb('jobs.locked_until', '<', now)]))
    .orderBy('jobs.created_at')
    .limit(1);
  if (dialect === 'postgres') candidate = candidate.forUpdate().skipLocked();
  return db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      locked_by: nodeId,
      locked_until: until,
      started_at: eb.fn.coalesce('started_at', eb.val(now)),
      updated_at: now,
    }))
    .where('id', '=', candidate)
    .where('state', 'in', RUNNABLE_JOB_STATES)
    .returningAll()
    .executeTakeFirst();
}

/** Extends a lease the node still holds on a running job; false when it lost it (or the job was cancelled). */
export async function renewJobLease(db: Db, id: string, nodeId: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: until })
    .where('id', '=', id)
    .where('locked_by', '=', nodeId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const CHUNK_BYTES = 1024 * 1024;

/** Stores a file with its job, in chunks, so whichever server runs the job can read it. */
export async function storeJobFile(trx: Db, jobId: string, path: string): Promise<number> {
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    await trx.insertInto('job_files').values({ job_id: jobId, seq: seq++, data: Buffer.concat(pending, pendingBytes) }).execute();
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    total += chunk.length;
    if (pendingBytes >= CHUNK_BYTES) await flush();
  }
  await flush();
  return total;
}

/** Writes a job's stored file back to disk, chunk by chunk (memory stays at one chunk). */
export async function restoreJobFile(db: Db, jobId: string, path: string): Promise<void> {
  const out = createWriteStream(path);
  try {
    for (let seq = 0; ; seq++) {
      const chunk = await db.selectFrom('job_files').select('data').where('job_id', '=', jobId).where('seq', '=', seq).executeTakeFirst();
      if (!chunk) break;
      if (!out.write(chunk.data)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}

export async function deleteJobFile(db: Db, jobId: string): Promise<void> {
  await db.deleteFrom('job_files').where('job_id', '=', jobId).execute();
}
