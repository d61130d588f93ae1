import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  addImportCounts,
  customerFromImportRow,
  emptyImportCounts,
  FirstRowByNumber,
  importActionFailure,
  nameGramsOf,
  normaliseImportRow,
  outcomeOfAction,
  planImportBatch,
  planImportUpdate,
  describeError,
  type Actor,
  type DomainError,
  type ImportCell,
  type ImportCounts,
  type ImportRow,
  type ImportRowContext,
  type PlannedRow,
} from '@telecrm/core';
import type { CountryCode } from 'libphonenumber-js';
import { JobStopped, type JobLease } from '../jobs/job-runner.js';
import { letOthersRun } from '../shared/turns.js';
import { appendProgressEvent } from '../services/import.service.js';
import { getCompanySettings } from '../services/company.service.js';
import { inTransaction, isUniqueViolation, type ServiceContext, type Trx } from '../services/context.js';
import { holderFacts } from '../services/holding.js';
import { recordAudit } from '../store/audit.repo.js';
import { loadCustomFields, loadPicklistAliases, loadPicklistIndex } from '../store/catalogue.repo.js';
import { lockCustomers, writableCustomerIds } from '../store/customer.repo.js';
import type { JobRow } from '../store/database.js';
import { readJson } from '../store/dialect.js';
import { loadImportComparables, writeImportFields, type ImportUpdateBefore } from '../store/import-changes.repo.js';
import {
  customersUpdatedByImport,
  findExistingPhones,
  insertImportedCustomers,
  recordImportChanges,
  recordImportFailures,
  type ImportChangeRecord,
  type ImportedCustomerRow,
  type ImportFailureRow,
  type ImportWriteContext,
} from '../store/import.repo.js';
import { deleteJobFile, restoreJobFile } from '../store/job.repo.js';
import { toImportJob, type ImportJobParams, type ImportJobProgress } from './import.params.js';
import { openImportRows, type SheetRow } from './readers/import-file.js';

// A concurrent writer can take a number between the lookup and the insert (PostgreSQL runs batches
// beside other writes): the batch rolls back whole and is planned again against what is stored now.
const BATCH_ATTEMPTS = 3;

/** Cells as stored for the failure report: JSON keeps numbers and text; dates are tagged. */
export function serialiseCells(cells: readonly ImportCell[]): string {
  return JSON.stringify(cells.map((c) => (c instanceof Date ? { date: c.toISOString() } : (c ?? null))));
}

export function deserialiseCells(text: string): ImportCell[] {
  return (JSON.parse(text) as unknown[]).map((c) =>
    c !== null && typeof c === 'object' && 'date' in c ? new Date((c as { date: string }).date) : (c as ImportCell),
  );
}

const failureOf = (row: SheetRow, error: DomainError & { column?: string | null }): ImportFailureRow => ({
  rowNumber: row.rowNumber,
  cells: serialiseCells(row.cells),
  code: error.code,
  field: error.field ?? null,
  column: error.column ?? (typeof error.params?.column === 'string' ? error.params.column : null),
  params: JSON.stringify(error.params ?? {}),
});

interface RunState {
  job: JobRow;
  params: ImportJobParams;
  progress: ImportJobProgress;
  rowContext: ImportRowContext;
  region: CountryCode;
  /** Numbers seen in the file so far, with the first row that carried each. */
  seenInFile: FirstRowByNumber;
  /** Customers this import updated, with the row that did it. */
  updatedCustomers: Map<string, number>;
}

/**
 * Runs (or resumes) an import job: reads the stored file from the start, passes over the rows of
 * batches that already committed (remembering their numbers, so in-file duplicates are found exactly
 * as in an uninterrupted run), and writes the rest batch by batch, each batch one transaction that
 * also moves the job's cursor. A crash loses at most the batch in flight, never half of it.
 */
export async function runImportJob(ctx: ServiceContext, job: JobRow, lease: JobLease): Promise<void> {
  const params = readJson<ImportJobParams>(job.params, {} as ImportJobParams);
  const file = join(ctx.settings.imports.tmpDir, `crm-import-${job.id}-${lease.nodeId}.${params.readAs}`);
  try {
    await restoreJobFile(ctx.store.db, job.id, file);
    const opened = await openImportRows(file, params.readAs, {
      ...(params.options.encoding ? { encoding: params.options.encoding } : {}),
      ...(params.sheet ? { sheet: params.sheet } : {}),
    });
    if (!opened.ok) return await failJob(ctx, job, lease, opened.error);
    const state = await startState(ctx, job, params);
    if (!state) return await failJob(ctx, job, lease, { code: 'AUTH.USER_DISABLED', params: { userId: job.created_by } });

    const batchRows = ctx.settings.imports.batchRows;
    let batch: SheetRow[] = [];
    for await (const row of opened.value.rows()) {
      if (params.headerRow !== null && row.rowNumber <= params.headerRow) continue;
      if (row.rowNumber <= job.cursor) {
        rememberCommittedRow(state, row);
        continue;
      }
      batch.push(row);
      if (batch.length >= batchRows) {
        lease.throwIfStopped();
        await commitBatch(ctx, state, lease, batch, opened.value.bytesRead());
        batch = [];
        await letOthersRun();
      }
    }
    lease.throwIfStopped();
    await commitBatch(ctx, state, lease, batch, opened.value.bytesTotal);
    await finishJob(ctx, state, lease);
  } catch (e) {
    if (e instanceof JobStopped || lease.stopped()) return;
    await failJob(ctx, job, lease, { code: 'IMPORT.INTERRUPTED', params: { reason: e instanceof Error ? e.message : String(e) } });
    throw e;
  } finally {
    await rm(file, { force: true });
  }
}

async function startState(ctx: ServiceContext, job: JobRow, params: ImportJobParams): Promise<RunState | undefined> {
  const db = ctx.store.db;
  const user = await db.selectFrom('users').select('status').where('id', '=', params.actor.userId).executeTakeFirst();
  if (!user || user.status !== 'active') return undefined;
  const [company, picklists, aliases, customFields] = await Promise.all([
    getCompanySettings(db),
    loadPicklistIndex(db),
    loadPicklistAliases(db),
    loadCustomFields(db, 'customer'),
  ]);
  const region = company.phoneRegion as CountryCode;
  const updatedCustomers = await db.transaction().execute((trx) => customersUpdatedByImport(trx, job.id));
  return {
    job,
    params,
    progress: readJson<ImportJobProgress>(job.progress, { counts: emptyImportCounts(), rowsRead: 0, bytesRead: 0, bytesTotal: params.fileBytes }),
    rowContext: { picklists, aliases, customFields, phoneRegion: region, timeZone: company.timeZone },
    region,
    seenInFile: new FirstRowByNumber(),
    updatedCustomers,
  };
}

/** A row of a batch that committed before a restart: only its numbers matter now. */
function rememberCommittedRow(state: RunState, row: SheetRow): void {
  const outcome = normaliseImportRow(row.cells, state.params.mapping, state.rowContext);
  if ('skip' in outcome || !outcome.ok) return;
  for (const phone of outcome.value.phones) if (!state.seenInFile.has(phone.e164)) state.seenInFile.set(phone.e164, row.rowNumber);
}

interface PlannedBatch {
  counts: ImportCounts;
  failures: ImportFailureRow[];
  creates: ImportedCustomerRow[];
  updates: { customerId: string; rowNumber: number; update: NonNullable<ReturnType<typeof planImportUpdate>> }[];
  /** Numbers and customers this batch added to the run's memory: forgotten again if it rolls back. */
  seen: string[];
  updated: string[];
}

async function commitBatch(ctx: ServiceContext, state: RunState, lease: JobLease, rows: readonly SheetRow[], bytesRead: number): Promise<void> {
  const counts = emptyImportCounts();
  const rejected: ImportFailureRow[] = [];
  const valid: { sheet: SheetRow; row: ImportRow }[] = [];
  for (const sheet of rows) {
    const outcome = normaliseImportRow(sheet.cells, state.params.mapping, state.rowContext);
    if ('skip' in outcome) {
      counts.blank++;
      continue;
    }
    counts.rows++;
    if (outcome.ok) valid.push({ sheet, row: outcome.value });
    else {
      counts.rejected++;
      rejected.push(failureOf(sheet, outcome.error));
    }
  }
  const lastRow = rows.length ? rows[rows.length - 1]!.rowNumber : state.job.cursor;

  for (let attempt = 1; ; attempt++) {
    let planned: PlannedBatch | undefined;
    try {
      const committed = await inTransaction(ctx, async (trx) => {
        planned = await planBatch(ctx, trx, state, valid);
        const now = ctx.runtime.now().toISOString();
        if (!state.params.options.dryRun) await writeBatch(ctx, trx, state, planned, now);
        await recordImportFailures(trx, ctx.store, state.job.id, [...rejected, ...planned.failures].sort((a, b) => a.rowNumber - b.rowNumber));
        const progress: ImportJobProgress = {
          counts: addImportCounts(state.progress.counts, addImportCounts(counts, planned.counts)),
          rowsRead: lastRow,
          bytesRead,
          bytesTotal: state.progress.bytesTotal,
        };
        const moved = await trx
          .updateTable('jobs')
          .set({ cursor: lastRow, progress: JSON.stringify(progress), updated_at: now, locked_until: lease.until() })
          .where('id', '=', state.job.id)
          .where('locked_by', '=', lease.nodeId)
          .where('state', '=', 'running')
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new JobStopped();
        const row = await trx.selectFrom('jobs').selectAll().where('id', '=', state.job.id).executeTakeFirstOrThrow();
        await appendProgressEvent(ctx, trx, toImportJob(row, ctx.runtime.now()));
        return progress;
      });
      if (!committed.ok) throw new Error(describeError(committed.error, 'en'));
      state.progress = committed.value;
      state.job = { ...state.job, cursor: lastRow };
      ctx.onEventsCommitted();
      return;
    } catch (e) {
      if (planned) {
        for (const phone of planned.seen) state.seenInFile.delete(phone);
        for (const id of planned.updated) state.updatedCustomers.delete(id);
      }
      if (attempt < BATCH_ATTEMPTS && isUniqueViolation(e)) continue;
      throw e;
    }
  }
}

/** Decides every valid row of a batch against the file so far and the database as it is now. */
async function planBatch(ctx: ServiceContext, trx: Trx, state: RunState, valid: readonly { sheet: SheetRow; row: ImportRow }[]): Promise<PlannedBatch> {
  const { params } = state;
  const planned: PlannedBatch = { counts: emptyImportCounts(), failures: [], creates: [], updates: [], seen: [], updated: [] };
  const rows: PlannedRow[] = valid.map((v) => ({ rowNumber: v.sheet.rowNumber, phones: v.row.phones.map((p) => p.e164) }));
  for (const row of rows) for (const phone of row.phones) if (!state.seenInFile.has(phone)) planned.seen.push(phone);
  const existing = await findExistingPhones(trx, ctx.store, [...new Set(rows.flatMap((r) => r.phones))]);
  const plans = planImportBatch(rows, existing, state.seenInFile, params.options.duplicates);

  // New customers private to the importer count against its holding limit, as one created by hand.
  // A dry run writes nothing, so the rows it would have created before this batch count too. The
  // holder is locked before the customers below, in the order every move takes.
  let room = Number.POSITIVE_INFINITY;
  let holdingLimit: number | null = null;
  if (params.options.pool === 'private') {
    const { holding, rules } = await holderFacts(ctx, trx, params.actor.userId);
    const planned = params.options.dryRun ? state.progress.counts.created : 0;
    holdingLimit = rules.holdingLimit;
    if (holdingLimit !== null) room = holdingLimit - holding - planned;
  }

  // The customers the batch updates are locked before they are read (PostgreSQL), so an edit made
  // meanwhile is neither overwritten by `update` nor filled over by `fill`, and `before` is true.
  const targets = [...new Set(plans.flatMap((p) => (p.action === 'update' || p.action === 'fill' ? [p.customerId] : [])))];
  await lockCustomers(trx, ctx.store.dialect, targets);
  // An import never edits what its importer could not.
  const writable = await writableCustomerIds(trx, params.actor, targets);
  const comparables = await loadImportComparables(trx, targets.filter((id) => writable.has(id)));

  // Reasons about numbers point at the file's (first) phone column.
  const phoneColumn = params.mapping.columns.find((c) => c.target === 'phones')?.header ?? null;
  plans.forEach((plan, i) => {
    const { sheet, row } = valid[i]!;
    const failed = (error: DomainError & { column?: string | null }, outcome: keyof ImportCounts) => {
      planned.counts[outcome]++;
      planned.failures.push(failureOf(sheet, error.field === 'phones' ? { column: phoneColumn, ...error } : error));
    };
    if (plan.action === 'create') {
      const customer = customerFromImportRow(row, params.mapping, state.rowContext.customFields, state.region);
      if (!customer.ok) return failed(customer.error, 'rejected');
      if (room <= 0) return failed({ code: 'POOL.HOLDING_LIMIT', params: { userId: params.actor.userId, limit: holdingLimit, holding: holdingLimit } }, 'rejected');
      room--;
      const f = customer.value.fields;
      planned.counts.created++;
      planned.creates.push({
        id: ctx.runtime.newId(),
        rowNumber: sheet.rowNumber,
        name: customer.value.name,
        company: f.company ?? null,
        wechat: f.wechat ?? null,
        email: f.email ?? null,
        source: f.source ?? null,
        industry: f.industry ?? null,
        region: f.region ?? null,
        status: f.status ?? null,
        stage: f.stage ?? null,
        level: f.level ?? null,
        remark: f.remark ?? null,
        nextFollowUpAt: f.nextFollowUpAt ?? null,
        custom: JSON.stringify(f.custom ?? {}),
        phones: customer.value.phones.map((p) => ({ e164: p.e164, extension: p.extension ?? null })),
        tags: f.tags ?? [],
        grams: nameGramsOf(customer.value.name),
      });
      return undefined;
    }
    if (plan.action === 'update' || plan.action === 'fill') {
      if (!writable.has(plan.customerId)) return failed({ code: 'IMPORT.DUPLICATE_NOT_WRITABLE', field: 'phones', params: { phone: plan.phone } }, 'skipped');
      const firstRow = state.updatedCustomers.get(plan.customerId);
      if (firstRow !== undefined) {
        return failed({ code: 'IMPORT.DUPLICATE_IN_FILE', field: 'phones', params: { phone: plan.phone, firstRow } }, 'duplicateInFile');
      }
      state.updatedCustomers.set(plan.customerId, sheet.rowNumber);
      planned.updated.push(plan.customerId);
      const update = planImportUpdate(comparables.get(plan.customerId)!, row, plan.action);
      if (!update) {
        planned.counts.unchanged++;
        return undefined;
      }
      planned.counts.updated++;
      planned.updates.push({ customerId: plan.customerId, rowNumber: sheet.rowNumber, update });
      return undefined;
    }
    return failed(importActionFailure(plan)!, outcomeOfAction(plan));
  });
  return planned;
}

async function writeBatch(ctx: ServiceContext, trx: Trx, state: RunState, planned: PlannedBatch, now: string): Promise<void> {
  const { options, actor } = state.params;
  const write: ImportWriteContext = {
    jobId: state.job.id,
    pool: options.pool,
    ownerId: options.pool === 'private' ? actor.userId : null,
    publicPoolId: options.pool === 'public' ? state.params.publicPoolId : null,
    actorId: actor.userId,
    now,
  };
  await insertImportedCustomers(trx, ctx.store, write, planned.creates);
  const changes: ImportChangeRecord[] = [];
  for (const { customerId, rowNumber, update } of planned.updates) {
    const phones = update.addPhones.map((p) => ({ e164: p.e164, extension: p.extension ?? null }));
    await writeImportFields(trx, customerId, update.set, { add: phones, remove: [] }, { actorId: actor.userId, now });
    const before: ImportUpdateBefore = { fields: update.before, addedPhones: phones.map((p) => p.e164) };
    changes.push({ customerId, rowNumber, action: 'update', before: JSON.stringify(before) });
  }
  await recordImportChanges(trx, ctx.store, write, changes);
}

async function finishJob(ctx: ServiceContext, state: RunState, lease: JobLease): Promise<void> {
  const done = await inTransaction(ctx, async (trx) => {
    const now = ctx.runtime.now().toISOString();
    const progress: ImportJobProgress = { ...state.progress, bytesRead: state.progress.bytesTotal };
    const moved = await trx
      .updateTable('jobs')
      .set({ state: 'done', finished_at: now, updated_at: now, progress: JSON.stringify(progress), locked_by: null, locked_until: null })
      .where('id', '=', state.job.id)
      .where('locked_by', '=', lease.nodeId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new JobStopped();
    await deleteJobFile(trx, state.job.id);
    const row = await trx.selectFrom('jobs').selectAll().where('id', '=', state.job.id).executeTakeFirstOrThrow();
    const job = toImportJob(row, ctx.runtime.now());
    await recordAudit(trx, ctx.runtime, state.params.actor, {
      action: 'finish',
      entity: 'import',
      entityId: state.job.id,
      changes: { state: { before: 'running', after: 'done' }, counts: { before: null, after: job.counts } },
    });
    await appendProgressEvent(ctx, trx, job);
  });
  if (!done.ok) throw new Error(describeError(done.error, 'en'));
  ctx.onEventsCommitted();
}

/** Marks the job failed with the reason people will read; what committed before stays. */
async function failJob(ctx: ServiceContext, job: JobRow, lease: JobLease, error: DomainError): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const now = ctx.runtime.now().toISOString();
    const moved = await trx
      .updateTable('jobs')
      .set({
        state: 'failed',
        finished_at: now,
        updated_at: now,
        locked_by: null,
        locked_until: null,
        error: JSON.stringify({ code: error.code, params: error.params ?? {} }),
      })
      .where('id', '=', job.id)
      .where('locked_by', '=', lease.nodeId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return;
    await deleteJobFile(trx, job.id);
    const row = await trx.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    await appendProgressEvent(ctx, trx, toImportJob(row, ctx.runtime.now()));
  });
  ctx.onEventsCommitted();
}
