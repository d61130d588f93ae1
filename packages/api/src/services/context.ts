import { err, ok, type DomainError, type Result } from '@telecrm/core';
import type { Transaction } from 'kysely';
import { DomainFailure } from '../http/problem.js';
import type { Store } from '../store/connect.js';
import type { Database } from '../store/database.js';
import type { Runtime } from '../shared/runtime.js';

export interface ImportSettings {
  maxUploadBytes: number;
  maxUnpackedBytes: number;
  batchRows: number;
  /** The LibreOffice command for legacy .xls, or null when conversion is off. */
  soffice: string | null;
  tmpDir: string;
}

/** What every service function needs: the store, the clock and ids, and ways to wake the event hub and the job runner. */
export interface ServiceContext {
  store: Store;
  runtime: Runtime;
  /** Called after a transaction that wrote events commits. */
  onEventsCommitted(): void;
  /** Called after a job was queued or cancelled, so the runner looks at once instead of at its next poll. */
  onJobsChanged(): void;
  settings: { maxPageSize: number; tokenTtlHours: number; passwordCost: number; jobLeaseMs: number; imports: ImportSettings };
}

export type Trx = Transaction<Database>;

/**
 * Runs one write transaction (IMMEDIATE on SQLite). A DomainFailure thrown inside rolls everything
 * back and comes out as an error value, so nothing is half-written.
 *
 * With `retryDeadlocks`, a transaction PostgreSQL aborted to break a deadlock runs again (its work
 * must start from nothing each time): moves lock holders, then customers in id order, but a return
 * run finds its customers in the order of its indexes, and the caller should not see the collision.
 */
export async function inTransaction<T>(
  ctx: ServiceContext,
  work: (trx: Trx) => Promise<T>,
  options: { retryDeadlocks?: boolean } = {},
): Promise<Result<T, DomainError>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await ctx.store.db.transaction().execute(work);
      return ok(value);
    } catch (e) {
      if (e instanceof DomainFailure) return err(e.error);
      const reference = referenceConflictOf(e);
      if (reference) return err(reference);
      if (options.retryDeadlocks && attempt < DEADLOCK_ATTEMPTS && (e as { code?: string } | null)?.code === PG_DEADLOCK_DETECTED) continue;
      throw e;
    }
  }
}

const PG_DEADLOCK_DETECTED = '40P01';
const DEADLOCK_ATTEMPTS = 3;
const PG_FOREIGN_KEY_VIOLATION = '23503';

/**
 * A foreign key the database refused, as the conflict it is: a transaction checks what it refers to
 * before writing, and on PostgreSQL another one can delete that record between the check and the
 * write (or start using the record a delete checked was unused); on SQLite, where a check runs
 * before the write transaction (creating a user). PostgreSQL names the column, the field of the error.
 */
export function referenceConflictOf(e: unknown): DomainError | null {
  const error = e as { code?: string; detail?: string } | null;
  if (error?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { code: 'REFERENCE.CHANGED' };
  if (error?.code !== PG_FOREIGN_KEY_VIOLATION) return null;
  // `Key (department_id)=(…) is not present in table "departments".` or `… is still referenced from table "users".`
  const found = /^Key \(([a-z_]+)\)=.* (is not present in|is still referenced from) table "([a-z_]+)"/.exec(error.detail ?? '');
  if (!found) return { code: 'REFERENCE.CHANGED' };
  const [, column, relation, table] = found;
  return {
    code: 'REFERENCE.CHANGED',
    ...(relation === 'is not present in' ? { field: column!.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) } : {}),
    params: relation === 'is not present in' ? { deleted: table } : { usedBy: table },
  };
}

/** Unwraps a core result inside a transaction, rolling back on an error. */
export function orFail<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new DomainFailure(result.error);
  return result.value;
}

export const fail = (error: DomainError): never => {
  throw new DomainFailure(error);
};

/** A unique-key violation on either database, optionally on one table. */
export function isUniqueViolation(e: unknown, table?: string): boolean {
  const error = e as { code?: string; message?: string; table?: string; detail?: string } | null;
  if (!error) return false;
  if (error.code === '23505') return !table || error.table === table;
  if (typeof error.code === 'string' && error.code.startsWith('SQLITE_CONSTRAINT') && /UNIQUE|PRIMARY/.test(error.code)) {
    return !table || (error.message ?? '').includes(`${table}.`);
  }
  return false;
}
