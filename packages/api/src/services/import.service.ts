import {
  applyMappingOverrides,
  checkWritableFields,
  err,
  findHeaderRow,
  guessMapping,
  HEADER_SEARCH_ROWS,
  importHeaders,
  isImportFinished,
  ok,
  releasePoolOf,
  type Actor,
  type DomainError,
  type ImportCell,
  type ImportJob,
  type ImportMapping,
  type ImportOptions,
  type Lang,
  type Result,
} from '@telecrm/core';
import { sql } from 'kysely';
import { appendEvent } from '../events/outbox.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { IMPORT_JOB_KIND, initialImportProgress, toImportJob, type ImportJobParams } from '../import/import.params.js';
import { openImportRows, prepareImportFile, type SheetRow } from '../import/readers/import-file.js';
import { recordAudit } from '../store/audit.repo.js';
import { loadCustomFields } from '../store/catalogue.repo.js';
import { usersInReach } from '../store/customer.repo.js';
import type { JobRow } from '../store/database.js';
import { readJson } from '../store/dialect.js';
import { findImportRevertConflicts, lockImportForRevert, revertImportChanges } from '../store/import-changes.repo.js';
import { storeJobFile } from '../store/job.repo.js';
import { departmentPaths, listPublicPools } from '../store/pool.repo.js';
import { fail, inTransaction, type ServiceContext, type Trx } from './context.js';

/** The first rows of a file: where its header is, and whether any data follows. */
interface FileHead {
  headerRow: number | null;
  headers: string[];
  hasData: boolean;
}

const isBlank = (cells: readonly ImportCell[]) => cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

/** Reads only as far as needed: the rows where the header may be, then on to the first data row. */
async function readHead(rows: AsyncIterable<SheetRow>, options: ImportOptions, customFields: Parameters<typeof findHeaderRow>[1]): Promise<FileHead> {
  const iterator = rows[Symbol.asyncIterator]();
  const head: SheetRow[] = [];
  const searched = options.headerRow ?? HEADER_SEARCH_ROWS;
  try {
    while (head.length < searched) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
    }
    let headerRow: number | null = null;
    if (options.header) {
      headerRow = options.headerRow ?? (head.length ? head[findHeaderRow(head.map((r) => r.cells), customFields)]!.rowNumber : 1);
    }
    const isData = (row: SheetRow) => row.rowNumber > (headerRow ?? 0) && !isBlank(row.cells);
    let hasData = head.some(isData);
    while (!hasData) {
      const next = await iterator.next();
      if (next.done) break;
      hasData = isData(next.value);
    }
    const width = Math.max(0, ...head.map((r) => r.cells.length));
    const headerCells = headerRow === null ? null : (head.find((r) => r.rowNumber === headerRow)?.cells ?? []);
    return { headerRow, headers: importHeaders(headerCells, width), hasData };
  } finally {
    await iterator.return?.();
  }
}

/**
 * Starts an import (导入) of an uploaded file: refuses a file that cannot be read (before anything is
 * written), finds the header and maps the columns, then stores the file with a queued job that the job
 * runner works through batch by batch. Returns the job at once.
 */
export async function startImport(
  ctx: ServiceContext,
  actor: Actor,
  options: ImportOptions,
  uploadPath: string,
  lang: Lang = 'en',
): Promise<Result<ImportJob, DomainError>> {
  const limits = ctx.settings.imports;
  const prepared = await prepareImportFile(uploadPath, options.fileName, limits);
  if (!prepared.ok) return prepared;
  try {
    const opened = await openImportRows(prepared.value.path, prepared.value.readAs, { encoding: options.encoding, sheet: options.sheet });
    if (!opened.ok) return opened;
    const customFields = await loadCustomFields(ctx.store.db, 'customer');
    const head = await readHead(opened.value.rows(), options, customFields);
    if (!head.hasData) return err({ code: 'IMPORT.NO_DATA_ROWS' });
    const mapping = applyMappingOverrides(guessMapping(head.headers, customFields), options.map, customFields);
    if (!mapping.ok) return mapping;
    const targets = [...new Set(mapping.value.columns.map((c) => c.target).filter((t): t is NonNullable<typeof t> => t !== null))];
    if (!targets.includes('phones')) return err({ code: 'IMPORT.NO_PHONE_COLUMN', field: 'map', params: { headers: head.headers } });
    const writable = checkWritableFields(targets, actor.fieldPermissions, 'customer');
    if (!writable.ok) return writable;

    const id = ctx.runtime.newId();
    const now = ctx.runtime.now().toISOString();
    const publicPoolId =
      options.pool === 'public'
        ? releasePoolOf(await listPublicPools(ctx.store.db), (await departmentPaths(ctx.store.db, [actor.userId])).get(actor.userId) ?? [])
        : null;
    const params: ImportJobParams = {
      options,
      fileName: options.fileName,
      format: prepared.value.format,
      readAs: prepared.value.readAs,
      fileBytes: opened.value.bytesTotal,
      encoding: opened.value.encoding,
      sheet: opened.value.sheet,
      headerRow: head.headerRow,
      mapping: mapping.value,
      publicPoolId,
      actor,
    };
    const created = await inTransaction(ctx, async (trx) => {
      await trx
        .insertInto('jobs')
        .values({
          id,
          kind: IMPORT_JOB_KIND,
          state: 'queued',
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
          params: JSON.stringify(params),
          progress: JSON.stringify(initialImportProgress(opened.value.bytesTotal)),
        })
        .execute();
      await storeJobFile(trx, id, prepared.value.path);
      await recordAudit(trx, ctx.runtime, actor, {
        action: 'create',
        entity: 'import',
        entityId: id,
        changes: {
          fileName: { before: null, after: options.fileName },
          pool: { before: null, after: options.pool },
          duplicates: { before: null, after: options.duplicates },
          dryRun: { before: null, after: options.dryRun },
        },
      });
      return trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    if (!created.ok) return created;
    ctx.onJobsChanged();
    return ok(toImportJob(created.value, ctx.runtime.now(), lang));
  } finally {
    await prepared.value.cleanup();
  }
}

/** Imports the actor may look at: their own and those of the people they reach (managers see their teams'). */
function importsVisibleTo(db: ServiceContext['store']['db'] | Trx, actor: Actor) {
  let q = db.selectFrom('jobs').selectAll('jobs').where('jobs.kind', '=', IMPORT_JOB_KIND);
  if (!actor.isAdmin && actor.dataScope !== 'all') q = q.where('jobs.created_by', 'in', (eb) => usersInReach(eb, actor));
  return q;
}

async function visibleImport(db: ServiceContext['store']['db'] | Trx, actor: Actor, id: string): Promise<JobRow | undefined> {
  return importsVisibleTo(db, actor).where('jobs.id', '=', id).executeTakeFirst();
}

export async function getImport(ctx: ServiceContext, actor: Actor, id: string, lang: Lang = 'en'): Promise<Result<ImportJob, DomainError>> {
  const row = await visibleImport(ctx.store.db, actor, id);
  return row ? ok(toImportJob(row, ctx.runtime.now(), lang)) : err({ code: 'IMPORT.NOT_FOUND', params: { id } });
}

export interface ImportListQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  state?: ImportJob['state'] | undefined;
}

/** Newest first, one keyset page. */
export async function listImports(ctx: ServiceContext, actor: Actor, query: ImportListQuery, lang: Lang = 'en'): Promise<Result<{ items: ImportJob[]; nextCursor: string | null }, DomainError>> {
  const limit = Math.min(query.limit ?? 50, ctx.settings.maxPageSize);
  let q = importsVisibleTo(ctx.store.db, actor);
  if (query.state) q = q.where('jobs.state', '=', query.state);
  if (query.cursor) {
    const after = decodeCursor(query.cursor, 'imports');
    if (!after.ok) return after;
    const { value, id } = after.value;
    q = q.where(sql<boolean>`(jobs.created_at, jobs.id) < (${value}, ${id})`);
  }
  const rows = await q.orderBy('jobs.created_at', 'desc').orderBy('jobs.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor('imports', { value: last.created_at, id: last.id }) : null;
  const now = ctx.runtime.now();
  return ok({ items: page.map((r) => toImportJob(r, now, lang)), nextCursor });
}

/**
 * Stops an import: a queued one never starts, a running one stops before its next batch. What already
 * committed stays (revert it to undo); the batch in flight is rolled back whole.
 */
export async function cancelImport(ctx: ServiceContext, actor: Actor, id: string, lang: Lang = 'en'): Promise<Result<ImportJob, DomainError>> {
  const done = await inTransaction(ctx, async (trx) => {
    const row = await visibleImport(trx, actor, id);
    if (!row) return fail({ code: 'IMPORT.NOT_FOUND', params: { id } });
    if (isImportFinished(row.state as ImportJob['state'])) return fail({ code: 'IMPORT.NOT_CANCELLABLE', params: { id, state: row.state } });
    const now = ctx.runtime.now().toISOString();
    // Only while it is queued or running: it may have finished since it was read.
    const cancelled = await trx
      .updateTable('jobs')
      .set({ state: 'cancelled', finished_at: now, updated_at: now, locked_by: null, locked_until: null })
      .where('id', '=', id)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (Number(cancelled.numUpdatedRows) !== 1) {
      const state = (await trx.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
      return fail({ code: 'IMPORT.NOT_CANCELLABLE', params: { id, state } });
    }
    await trx.deleteFrom('job_files').where('job_id', '=', id).execute();
    const updated = await trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const job = toImportJob(updated, ctx.runtime.now(), lang);
    await appendProgressEvent(ctx, trx, job);
    await recordAudit(trx, ctx.runtime, actor, { action: 'cancel', entity: 'import', entityId: id, changes: { state: { before: row.state, after: 'cancelled' } } });
    return job;
  });
  if (done.ok) {
    ctx.onEventsCommitted();
    ctx.onJobsChanged();
  }
  return done;
}

/** The import's progress to the user who started it (only them: it names no customer). */
export async function appendProgressEvent(ctx: ServiceContext, trx: Trx, job: ImportJob): Promise<void> {
  await appendEvent(
    trx,
    ctx.store.dialect,
    ctx.runtime,
    { type: 'import.progress', data: { importId: job.id, state: job.state, counts: job.counts, progress: job.progress } },
    job.createdBy,
  );
}

/**
 * Undoes an import (撤销导入): deletes the customers it created and puts back what it changed on the
 * ones it updated, in one transaction. Refused, naming them, when any of those customers was changed
 * since: their new data is somebody's work.
 */
export async function revertImport(ctx: ServiceContext, actor: Actor, id: string, lang: Lang = 'en'): Promise<Result<ImportJob, DomainError>> {
  const done = await inTransaction(ctx, async (trx) => {
    await lockImportForRevert(trx, ctx.store.dialect, id);
    const row = await visibleImport(trx, actor, id);
    if (!row) return fail({ code: 'IMPORT.NOT_FOUND', params: { id } });
    const params = readJson<ImportJobParams>(row.params, {} as ImportJobParams);
    const notRevertible = (reason: string) => fail({ code: 'IMPORT.NOT_REVERTIBLE', params: { id, reason, state: row.state } });
    if (row.state === 'reverted') notRevertible('already reverted');
    if (!isImportFinished(row.state as ImportJob['state'])) notRevertible('still running: cancel it first');
    if (params.options.dryRun) notRevertible('a dry run wrote nothing');
    const conflicts = await findImportRevertConflicts(trx, id);
    if (conflicts.count > 0) {
      fail({ code: 'IMPORT.REVERT_CONFLICT', params: { id, count: conflicts.count, customers: conflicts.sample } });
    }
    const now = ctx.runtime.now().toISOString();
    const reverted = await revertImportChanges(trx, id, { actorId: actor.userId, now });
    await trx.updateTable('jobs').set({ state: 'reverted', reverted_at: now, updated_at: now }).where('id', '=', id).execute();
    await recordAudit(trx, ctx.runtime, actor, {
      action: 'revert',
      entity: 'import',
      entityId: id,
      changes: { deleted: { before: null, after: reverted.deleted }, restored: { before: null, after: reverted.restored } },
    });
    const updated = await trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const job = toImportJob(updated, ctx.runtime.now(), lang);
    await appendProgressEvent(ctx, trx, job);
    return job;
  });
  if (done.ok) ctx.onEventsCommitted();
  return done;
}

/** The mapping of a visible import and its failure rows, page by page, for the failure report. */
export async function importForReport(ctx: ServiceContext, actor: Actor, id: string, lang: Lang = 'en'): Promise<Result<{ job: ImportJob; mapping: ImportMapping }, DomainError>> {
  const row = await visibleImport(ctx.store.db, actor, id);
  if (!row) return err({ code: 'IMPORT.NOT_FOUND', params: { id } });
  const params = readJson<ImportJobParams>(row.params, {} as ImportJobParams);
  return ok({ job: toImportJob(row, ctx.runtime.now(), lang), mapping: params.mapping });
}
