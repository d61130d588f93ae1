import { setTimeout as delay } from 'node:timers/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import {
  IMPORT_ENCODINGS,
  IMPORT_POOLS,
  IMPORT_STATES,
  ImportState,
  isImportFinished,
  TABLE_FORMATS,
  type ImportJob,
  type ImportOptionsInput,
} from '@telecrm/core';
import type { ApiClient } from '../client/api-client.js';
import { inspectFile, reportFileName, saveDownload, tableFormatOf, uploadBody, type LocalFile, type SavedFile } from '../client/file-transfer.js';
import type { CommandContext } from '../context.js';
import { msg } from '../i18n/cli.messages.js';
import { CliError } from '../output/errors.js';
import {
  formatBytes,
  formatCount,
  importColumns,
  importFields,
  importProgressDetail,
  importRow,
  importSummary,
  stateLabel,
  uploadDetail,
} from '../output/import-format.js';
import type { CommandHost } from './command-host.js';
import { buildImportOptions, type ImportCommandOptions } from './import.options.js';
import { collect, parseChoice, parseInteger, validate } from './options.js';
import { cursorPages, loadNames } from './people.shared.js';

/** How long to wait between two looks at a running import. */
const POLL_INTERVAL_MS = 300;

/** What `crm import` prints for machines: the ended import and where its failure report went. */
type ImportResult = ImportJob & { failureReport: string | null };

/** Sends the file, a bar on a terminal showing how much of it has gone. */
async function upload(ctx: CommandContext, client: ApiClient, file: LocalFile, options: ImportOptionsInput): Promise<ImportJob> {
  const progress = await ctx.printer.progress(msg(ctx.lang, 'import.uploading', { file: file.name }));
  let shown = -1;
  const body = uploadBody(file, (read) => {
    // Redraw once per percent, not once per chunk.
    const percent = file.bytes > 0 ? Math.floor((read / file.bytes) * 100) : 100;
    if (percent === shown) return;
    shown = percent;
    progress.update(read, file.bytes, uploadDetail(read, file.bytes));
  });
  try {
    return await client.startImport(options, body);
  } finally {
    progress.stop();
  }
}

const STOPPED = Symbol('stopped');

/**
 * Polls an import until it ends, drawing its progress on a terminal. Ctrl-C stops following, never the
 * import: it says how to look at it again and exits as interrupted.
 */
async function follow(ctx: CommandContext, client: ApiClient, queued: ImportJob): Promise<ImportJob> {
  const interval = ctx.deps.pollInterval ?? POLL_INTERVAL_MS;
  const progress = await ctx.printer.progress(msg(ctx.lang, 'import.importing', { file: queued.fileName }));
  const show = (job: ImportJob) => progress.update(job.progress.fraction, 1, importProgressDetail(job, ctx.lang));
  const listening = new AbortController();
  const stopped = ctx.deps.untilStopped(listening.signal).then((): typeof STOPPED => STOPPED);
  let job = queued;
  try {
    show(job);
    while (!isImportFinished(job.state)) {
      const poll = delay(interval).then(() => client.getImport(job.id));
      // When Ctrl-C wins the race, the poll still in flight must not fail unheard.
      poll.catch(() => undefined);
      const next = await Promise.race([poll, stopped]);
      if (next === STOPPED) {
        if (ctx.printer.machine) await ctx.printer.done('', { ...job, failureReport: null } satisfies ImportResult);
        throw new CliError('CLI.CANCELLED', msg(ctx.lang, 'import.detached', { id: job.id }));
      }
      job = next;
      show(job);
    }
    return job;
  } finally {
    listening.abort();
    progress.stop();
  }
}

/** The failure report of an ended import saved to `file`, when it has failed rows. */
async function saveReport(ctx: CommandContext, client: ApiClient, job: ImportJob, file: string): Promise<SavedFile | null> {
  if (job.failures === 0) return null;
  return saveDownload(await client.importFailures(job.id, tableFormatOf(file)), file, ctx.lang);
}

/** The outcome: one JSON line for machines; for people a title, the counts, the unmapped columns and the report. */
async function showOutcome(ctx: CommandContext, job: ImportJob, report: SavedFile | null): Promise<void> {
  const { lang, printer } = ctx;
  if (printer.machine) return printer.done('', { ...job, failureReport: report?.file ?? null } satisfies ImportResult);
  if (job.state === 'done') {
    const key = job.options.dryRun ? 'import.dryRunDone' : 'import.done';
    await printer.done(msg(lang, key, { file: job.fileName, rows: formatCount(job.counts.rows, lang) }));
  }
  const summary = importSummary(job.counts, lang);
  await printer.table(summary.columns, summary.rows);
  if (job.unmapped.length > 0) await printer.warn(msg(lang, 'import.unmapped', { columns: job.unmapped.join(', ') }));
  if (report) await printer.done(msg(lang, 'import.report', { count: formatCount(job.failures, lang), file: report.file }));
}

/** A job that did not end `done` is a failure of the command, with the job's own reason. */
function failureOf(ctx: CommandContext, job: ImportJob): CliError | null {
  const { lang } = ctx;
  switch (job.state) {
    case 'done':
      return null;
    case 'failed':
      return new CliError('CLI.IMPORT_FAILED', msg(lang, 'import.failed', { file: job.fileName, message: job.error?.message ?? stateLabel(job.state, lang) }));
    case 'cancelled':
      return new CliError('CLI.IMPORT_FAILED', msg(lang, 'import.cancelled', { file: job.fileName, id: job.id }));
    default:
      return new CliError('CLI.IMPORT_FAILED', msg(lang, 'import.ended', { file: job.fileName, state: stateLabel(job.state, lang) }));
  }
}

export function registerImportsCommands(program: Command, host: CommandHost): void {
  program
    .command('import')
    .description(host.t('cmd.import'))
    .argument('<file>', host.t('arg.importFile'))
    .option('--map <column=field>', host.t('opt.map'), collect)
    .option('--pool <pool>', host.t('opt.pool', { pools: IMPORT_POOLS.join(', ') }))
    .option('--duplicates <policy>', host.t('opt.duplicates'))
    .option('--dry-run', host.t('opt.dryRun'))
    .option('--encoding <encoding>', host.t('opt.encoding', { encodings: IMPORT_ENCODINGS.join(', ') }))
    .option('--sheet <name>', host.t('opt.sheet'))
    .option('--no-header', host.t('opt.noHeader'))
    .option('--header-row <n>', host.t('opt.headerRow'))
    .option('--report <file>', host.t('opt.report'))
    .option('--no-wait', host.t('opt.noWait'))
    .addHelpText('after', `\n${host.t('help.import.output')}`)
    .action(async (path: string, options: ImportCommandOptions, command: Command) => {
      const ctx = host.context(command);
      // Options first: a typo should not wait for the disk, the token or an upload.
      const body = buildImportOptions(basename(path), options, ctx.lang);
      const file = await inspectFile(path, ctx.lang);
      const client = await ctx.client();
      const queued = await upload(ctx, client, file, body);
      if (!options.wait) {
        return ctx.printer.done(msg(ctx.lang, 'import.queued', { file: queued.fileName, id: queued.id }), queued);
      }
      const job = await follow(ctx, client, queued);
      const reportFile = options.report ?? join(dirname(file.path), reportFileName(file.name, 'xlsx'));
      // A report that cannot be saved still leaves the outcome to show, before its own error.
      let report: SavedFile | null = null;
      let reportError: unknown;
      try {
        report = await saveReport(ctx, client, job, reportFile);
      } catch (error) {
        reportError = error;
      }
      await showOutcome(ctx, job, report);
      if (reportError !== undefined) throw reportError;
      const failure = failureOf(ctx, job);
      if (failure) throw failure;
    });

  const imports = program.command('imports').description(host.t('cmd.imports'));

  imports
    .command('list')
    .description(host.t('cmd.imports.list'))
    .option('--state <state>', host.t('opt.importState', { states: IMPORT_STATES.join(', ') }))
    .option('--limit <n>', host.t('opt.limit'))
    .option('--cursor <cursor>', host.t('opt.cursor'))
    .option('--all', host.t('opt.all'))
    .action(async (options: { state?: string; limit?: string; cursor?: string; all?: boolean }, command: Command) => {
      const ctx = host.context(command);
      const state = options.state === undefined ? undefined : validate(ImportState, options.state, ctx.lang, '--state');
      const limit = parseInteger('--limit', options.limit, ctx.lang, 1);
      const client = await ctx.client();
      const pages = cursorPages<ImportJob>((cursor) => client.listImports({ state, limit, cursor }), options.cursor, Boolean(options.all));
      await ctx.printer.list(pages, {
        columns: importColumns(ctx.lang),
        row: (job) => importRow(job, ctx.lang),
        empty: msg(ctx.lang, 'imports.none'),
        more: (count, cursor) => msg(ctx.lang, 'imports.more', { count, cursor }),
      });
    });

  imports
    .command('show')
    .description(host.t('cmd.imports.show'))
    .argument('<id>', host.t('arg.importId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      const job = await client.getImport(id);
      const names = await loadNames(ctx, client, ['users']);
      await ctx.printer.record(job, (j) => importFields(j, ctx.lang, names));
    });

  imports
    .command('cancel')
    .description(host.t('cmd.imports.cancel'))
    .argument('<id>', host.t('arg.importId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const job = await (await ctx.client()).cancelImport(id);
      await ctx.printer.done(msg(ctx.lang, 'imports.cancelled', { id: job.id }), job);
    });

  imports
    .command('revert')
    .description(host.t('cmd.imports.revert'))
    .argument('<id>', host.t('arg.importId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const job = await (await ctx.client()).revertImport(id);
      await ctx.printer.done(msg(ctx.lang, 'imports.reverted', { file: job.fileName, id: job.id }), job);
    });

  imports
    .command('failures')
    .description(host.t('cmd.imports.failures'))
    .argument('<id>', host.t('arg.importId'))
    .option('--out <file>', host.t('opt.reportOut'))
    .option('--format <format>', host.t('opt.tableFormat'))
    .action(async (id: string, options: { out?: string; format?: string }, command: Command) => {
      const ctx = host.context(command);
      const chosen = parseChoice('--format', options.format, TABLE_FORMATS, ctx.lang);
      const format = chosen ?? (options.out === undefined ? 'xlsx' : tableFormatOf(options.out));
      const client = await ctx.client();
      const out = options.out ?? reportFileName((await client.getImport(id)).fileName, format);
      const saved = await saveDownload(await client.importFailures(id, format), out, ctx.lang);
      await ctx.printer.done(msg(ctx.lang, 'imports.reportSaved', { file: saved.file, size: formatBytes(saved.bytes) }), saved);
    });
}
