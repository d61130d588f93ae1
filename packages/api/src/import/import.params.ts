import {
  describeError,
  emptyImportCounts,
  failedRowCount,
  type Actor,
  type DomainError,
  type ImportCounts,
  type ImportFormat,
  type ImportJob,
  type ImportMapping,
  type ImportOptions,
  type ImportState,
  type Lang,
} from '@telecrm/core';
import type { JobRow } from '../store/database.js';
import { readJson } from '../store/dialect.js';

export const IMPORT_JOB_KIND = 'import';

/** What an import job was asked to do, fixed when it was started (the job's `params`). */
export interface ImportJobParams {
  options: ImportOptions;
  fileName: string;
  format: ImportFormat;
  /** How the stored file is read: a legacy xls is stored converted to xlsx. */
  readAs: 'xlsx' | 'csv';
  fileBytes: number;
  /** The csv encoding found at the start, pinned so a resumed run reads the same text. */
  encoding: string | null;
  sheet: string | null;
  /** The header row (1-based), or null for a file without one. */
  headerRow: number | null;
  mapping: ImportMapping;
  /** The public pool new customers go to when `options.pool` is public: the importer's department's, else the default. */
  publicPoolId: string | null;
  /** Who started it, with the permissions they had then: the run acts as them. */
  actor: Actor;
}

/** How far an import got (the job's `progress`), rewritten with every committed batch. */
export interface ImportJobProgress {
  counts: ImportCounts;
  rowsRead: number;
  bytesRead: number;
  bytesTotal: number;
}

export const initialImportProgress = (bytesTotal: number): ImportJobProgress => ({
  counts: emptyImportCounts(),
  rowsRead: 0,
  bytesRead: 0,
  bytesTotal,
});

/**
 * The API's view of an import job, with its rate and the time it still needs worked out at `now`,
 * and why it failed in the reader's language.
 */
export function toImportJob(row: JobRow, now: Date, lang: Lang = 'en'): ImportJob {
  const params = readJson<ImportJobParams>(row.params, {} as ImportJobParams);
  const progress = readJson<ImportJobProgress>(row.progress, initialImportProgress(params.fileBytes));
  const state = row.state as ImportState;
  const finished = state !== 'queued' && state !== 'running';
  const fraction = finished && state === 'done' ? 1 : progress.bytesTotal > 0 ? Math.min(1, progress.bytesRead / progress.bytesTotal) : 0;
  const end = row.finished_at ? new Date(row.finished_at) : now;
  const seconds = row.started_at ? (end.getTime() - new Date(row.started_at).getTime()) / 1000 : 0;
  const rowsPerSecond = seconds > 0 && progress.rowsRead > 0 ? Math.round(progress.rowsRead / seconds) : null;
  const etaSeconds = !finished && fraction > 0 && seconds > 0 ? Math.round((seconds * (1 - fraction)) / fraction) : null;
  const failure = readJson<Pick<DomainError, 'code' | 'params'> | null>(row.error, null);
  const error = failure ? { code: failure.code, message: describeError(failure, lang) } : null;
  return {
    id: row.id,
    state,
    fileName: params.fileName,
    format: params.format,
    fileBytes: params.fileBytes,
    options: params.options,
    encoding: params.encoding,
    sheet: params.sheet,
    headerRow: params.headerRow,
    columns: params.mapping.columns,
    unmapped: params.mapping.unmapped,
    counts: progress.counts,
    progress: { rowsRead: progress.rowsRead, bytesRead: progress.bytesRead, bytesTotal: progress.bytesTotal, fraction, rowsPerSecond, etaSeconds },
    failures: failedRowCount(progress.counts),
    error,
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    revertedAt: row.reverted_at,
  };
}
