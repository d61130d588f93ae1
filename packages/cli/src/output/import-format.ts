// What people see of imports: sizes, speeds and times left, the list, the record and the summary.
import type { ImportCounts, ImportJob, ImportState, Lang } from '@telecrm/core';
import { msg } from '../i18n/cli.messages.js';
import { fieldLabel, formatTime, formatValue, optionLabel, type Names } from './format.js';
import type { CellColour, Cell, Column, Field, Row } from './view-model.js';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 -> `1.5 KB`, 52428800 -> `50 MB`: sizes for people, in steps of 1024. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** 1234 -> `1,234`. */
export const formatCount = (count: number, lang: Lang): string => new Intl.NumberFormat(lang).format(count);

/** Seconds as a clock: 5 -> `0:05`, 125 -> `2:05`, 3725 -> `1:02:05` (rounded up: never says 0:00 too early). */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** `850 rows/s`; nothing while the server cannot tell yet. */
export function formatRate(rowsPerSecond: number | null, lang: Lang): string | undefined {
  if (rowsPerSecond === null || !Number.isFinite(rowsPerSecond) || rowsPerSecond < 0) return undefined;
  return msg(lang, 'import.rate', { rate: formatCount(Math.round(rowsPerSecond), lang) });
}

/** `1:05 left`; nothing while the server cannot tell yet. */
export function formatEta(etaSeconds: number | null, lang: Lang): string | undefined {
  if (etaSeconds === null || !Number.isFinite(etaSeconds) || etaSeconds < 0) return undefined;
  return msg(lang, 'import.eta', { time: formatDuration(etaSeconds) });
}

/** What follows the bar of a running import: `12,000 rows · 850 rows/s · 1:05 left`. */
export function importProgressDetail(job: Pick<ImportJob, 'state' | 'counts' | 'progress'>, lang: Lang): string {
  if (job.state === 'queued') return stateLabel(job.state, lang);
  const parts = [
    msg(lang, 'import.rows', { rows: formatCount(job.counts.rows, lang) }),
    formatRate(job.progress.rowsPerSecond, lang),
    // Once it has ended, the time left is no news.
    job.state === 'running' ? formatEta(job.progress.etaSeconds, lang) : undefined,
  ];
  return parts.filter((p): p is string => p !== undefined).join(' · ');
}

/** What follows the bar of an upload: `12 MB / 100 MB`. */
export const uploadDetail = (sent: number, total: number): string => `${formatBytes(sent)} / ${formatBytes(total)}`;

const STATE_COLOURS: Record<ImportState, CellColour> = {
  queued: 'yellow',
  running: 'cyan',
  done: 'green',
  failed: 'red',
  cancelled: 'gray',
  reverted: 'magenta',
};

export const stateLabel = (state: ImportState, lang: Lang): string => msg(lang, `value.import.${state}`);

const stateCell = (state: ImportState, lang: Lang): Cell => ({ text: stateLabel(state, lang), colour: STATE_COLOURS[state] });

/** The outcomes of the summary, in the order people read them. */
export const COUNT_KEYS = ['created', 'updated', 'unchanged', 'skipped', 'duplicateInFile', 'blocked', 'rejected', 'blank'] as const satisfies readonly (keyof ImportCounts)[];

const BAD_OUTCOMES = new Set<keyof ImportCounts>(['blocked', 'rejected']);

/** The summary table of an ended import: one line per outcome, how many rows had it. */
export function importSummary(counts: ImportCounts, lang: Lang): { columns: Column[]; rows: Row[] } {
  return {
    columns: [
      { key: 'outcome', header: msg(lang, 'label.outcome') },
      { key: 'count', header: msg(lang, 'label.rowCount') },
    ],
    rows: COUNT_KEYS.map((key) => {
      const count = counts[key];
      const colour: CellColour | undefined = count === 0 ? undefined : key === 'created' ? 'green' : BAD_OUTCOMES.has(key) ? 'red' : undefined;
      return {
        outcome: { text: msg(lang, `count.${key}`), dim: count === 0 },
        count: { text: formatCount(count, lang), colour, dim: count === 0, bold: key === 'created' && count > 0 },
      };
    }),
  };
}

export function importColumns(lang: Lang): Column[] {
  return [
    { key: 'file', header: msg(lang, 'label.file'), maxWidth: 30, shrink: true },
    { key: 'state', header: msg(lang, 'label.state') },
    { key: 'created', header: msg(lang, 'count.created') },
    { key: 'updated', header: msg(lang, 'count.updated') },
    { key: 'rejected', header: msg(lang, 'count.rejected') },
    { key: 'at', header: msg(lang, 'label.at') },
    { key: 'id', header: msg(lang, 'label.id') },
  ];
}

export function importRow(job: ImportJob, lang: Lang): Row {
  const dry = job.options.dryRun ? ` (${msg(lang, 'label.dryRun')})` : '';
  return {
    id: { text: job.id, dim: true },
    file: { text: `${job.fileName}${dry}`, bold: job.state === 'running' },
    state: stateCell(job.state, lang),
    created: { text: formatCount(job.counts.created, lang) },
    updated: { text: formatCount(job.counts.updated, lang) },
    rejected: { text: formatCount(job.counts.rejected, lang), colour: job.counts.rejected > 0 ? 'red' : undefined },
    at: { text: formatTime(job.createdAt), dim: true },
  };
}

/** `客户名称 → name, 手机 → phones, 爱好 → (not imported)`. */
export const formatMapping = (job: Pick<ImportJob, 'columns'>, lang: Lang): string =>
  job.columns.map((c) => `${c.header} → ${c.target ?? msg(lang, 'value.notImported')}`).join(', ');

/** One import as a key/value list: the file, the options, progress or outcome, and the mapping. */
export function importFields(job: ImportJob, lang: Lang, names: Names = {}): Field[] {
  const text = (value: string): Cell => ({ text: value });
  const fields: Field[] = [
    { label: msg(lang, 'label.id'), value: { text: job.id, dim: true } },
    { label: msg(lang, 'label.file'), value: { text: job.fileName, bold: true } },
    { label: msg(lang, 'label.format'), value: text(`${job.format}, ${formatBytes(job.fileBytes)}`) },
    { label: msg(lang, 'label.state'), value: stateCell(job.state, lang) },
  ];
  if (!['done', 'reverted'].includes(job.state)) {
    const percent = `${Math.floor(job.progress.fraction * 100)}%`;
    fields.push({ label: msg(lang, 'label.progress'), value: text(`${percent} · ${importProgressDetail(job, lang)}`) });
  }
  if (job.error) fields.push({ label: msg(lang, 'label.error'), value: { text: job.error.message, colour: 'red' } });
  fields.push(
    { label: fieldLabel('pool', lang), value: text(optionLabel('pool', job.options.pool, lang)) },
    { label: msg(lang, 'label.duplicates'), value: text(job.options.duplicates) },
  );
  if (job.options.dryRun) fields.push({ label: msg(lang, 'label.dryRun'), value: text(formatValue(true, lang)) });
  if (job.encoding) fields.push({ label: msg(lang, 'label.encoding'), value: text(job.encoding) });
  if (job.sheet) fields.push({ label: msg(lang, 'label.sheet'), value: text(job.sheet) });
  fields.push({ label: msg(lang, 'label.headerRow'), value: text(job.headerRow === null ? '' : String(job.headerRow)) });
  fields.push({ label: msg(lang, 'count.rows'), value: text(formatCount(job.counts.rows, lang)) });
  for (const key of COUNT_KEYS) fields.push({ label: msg(lang, `count.${key}`), value: text(formatCount(job.counts[key], lang)) });
  fields.push({ label: msg(lang, 'label.failures'), value: text(formatCount(job.failures, lang)) });
  fields.push({ label: msg(lang, 'label.mapping'), value: text(formatMapping(job, lang)) });
  if (job.unmapped.length > 0) fields.push({ label: msg(lang, 'label.unmapped'), value: { text: job.unmapped.join(', '), colour: 'yellow' } });
  fields.push(
    { label: msg(lang, 'label.createdBy'), value: text(names.users?.get(job.createdBy) ?? job.createdBy) },
    { label: msg(lang, 'label.createdAt'), value: { text: formatTime(job.createdAt), dim: true } },
  );
  for (const [key, at] of [
    ['label.startedAt', job.startedAt],
    ['label.finishedAt', job.finishedAt],
    ['label.revertedAt', job.revertedAt],
  ] as const) {
    if (at) fields.push({ label: msg(lang, key), value: { text: formatTime(at), dim: true } });
  }
  return fields;
}
