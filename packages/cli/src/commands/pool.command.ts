import type { Command } from 'commander';
import { ALLOCATION_STRATEGIES, AssignInput, ClaimInput, ReleaseInput, TransferInput, ValidateInput, type Lang } from '@telecrm/core';
import type { AssignReport, MoveReport } from '../client/api-client.js';
import type { CommandContext } from '../context.js';
import { msg, type MessageKey } from '../i18n/cli.messages.js';
import { CliError } from '../output/errors.js';
import { isKnownCode } from '../output/exit-codes.js';
import { formatTime } from '../output/format.js';
import { formatCount } from '../output/import-format.js';
import {
  assignTable,
  dueColumns,
  dueRow,
  holdingColumns,
  holdingRow,
  journeyColumns,
  journeyRow,
  moveColumns,
  moveRows,
  moveSummary,
  skippedLines,
  unplacedTable,
  type MoveKind,
} from '../output/pool-format.js';
import type { CommandHost } from './command-host.js';
import { collect, parseChoice, parseFilterOption, parseInteger, usageError, validate } from './options.js';
import { loadNames, onePage } from './people.shared.js';
import { parseAsOf, resolveUsers, splitList } from './pool.options.js';
import { registerPoolSettingsCommands } from './pool-settings.command.js';

/** The failure of a bulk operation where nothing succeeded: exits by the first reason, says it once. */
function nothingDone(lang: Lang, key: MessageKey, count: number, error: { code: string; message: string } | undefined): CliError | null {
  if (!error) return null;
  return new CliError(isKnownCode(error.code) ? error.code : 'CLI.UNEXPECTED', msg(lang, key, { count: formatCount(count, lang), message: error.message }));
}

/** Past this many customers a move lists only those that did not move (`--json` gives every one). */
const MOVES_LISTED_IN_FULL = 200;

/**
 * A move report: one JSON line for machines; for people each customer's result and a summary. When
 * customers were given and none moved, the command fails by the first customer's reason.
 */
async function showMoves(ctx: CommandContext, report: MoveReport, kind: MoveKind, empty: MessageKey): Promise<void> {
  const { lang, printer } = ctx;
  if (printer.machine) {
    await printer.done('', report);
  } else if (report.results.length === 0) {
    await printer.done(msg(lang, empty));
  } else {
    const rows = moveRows(report, kind, lang);
    // A transfer of everything an agent holds can be tens of thousands: then only what did not move.
    const failed = rows.filter((_, i) => !report.results[i]!.ok);
    const shown = rows.length > MOVES_LISTED_IN_FULL ? failed.slice(0, MOVES_LISTED_IN_FULL) : rows;
    if (shown.length > 0) await printer.table(moveColumns(lang), shown);
    if (shown.length < rows.length && failed.length > 0) {
      const counts = { shown: formatCount(shown.length, lang), failed: formatCount(failed.length, lang), total: formatCount(rows.length, lang) };
      await printer.warn(msg(lang, shown.length < failed.length ? 'pool.movesListedFirstFailed' : 'pool.movesListedFailed', counts));
    }
    const summary = moveSummary(report, kind, lang);
    await (report.moved === report.results.length ? printer.done(summary) : printer.warn(summary));
  }
  if (report.moved > 0) return;
  const failure = nothingDone(lang, 'pool.nothingMoved', report.results.length, report.results.find((r) => !r.ok)?.error);
  if (failure) throw failure;
}

/** An assignment: one JSON line for machines; for people the count per agent, who was skipped and what was not placed. */
async function showAssignment(ctx: CommandContext, report: AssignReport, agentIds: readonly string[], strategy: string, names: Map<string, string>): Promise<void> {
  const { lang, printer } = ctx;
  const total = report.assigned.length + report.unplaced.length;
  if (printer.machine) {
    await printer.done('', report);
  } else if (total === 0) {
    await printer.done(msg(lang, 'pool.noneToAssign'));
  } else {
    const agents = assignTable(report, agentIds, lang, { users: names });
    await printer.table(agents.columns, agents.rows);
    const summary = msg(lang, 'pool.assignSummary', {
      assigned: formatCount(report.assigned.length, lang),
      unplaced: formatCount(report.unplaced.length, lang),
      strategy,
    });
    await (report.unplaced.length === 0 ? printer.done(summary) : printer.warn(summary));
    if (report.unplaced.length > 0) {
      await printer.warn(msg(lang, 'pool.unplaced'));
      const unplaced = unplacedTable(report, lang);
      await printer.table(unplaced.columns, unplaced.rows);
    }
    if (report.skippedAgents.length > 0) await printer.warn([msg(lang, 'pool.skippedAgents'), ...skippedLines(report, lang, { users: names })]);
  }
  if (report.assigned.length > 0) return;
  const failure = nothingDone(lang, 'pool.nothingAssigned', report.unplaced.length, report.unplaced[0]?.error);
  if (failure) throw failure;
}

interface ClaimOptions {
  next?: string;
  pool?: string;
  view?: string;
  filter?: string;
}

interface AssignOptions {
  view?: string;
  filter?: string;
  import?: string;
  to?: string[];
  strategy?: string;
  scope?: string;
}

export function registerPoolCommands(program: Command, host: CommandHost): void {
  const pool = program.command('pool').description(host.t('cmd.pool'));
  const movesHelp = `\n${host.t('help.pool.moves.output')}`;

  pool
    .command('claim')
    .description(host.t('cmd.pool.claim'))
    .argument('[ids...]', host.t('arg.customerIds'))
    .option('--next <n>', host.t('opt.next'))
    .option('--pool <id>', host.t('opt.fromPool'))
    .option('--view <id>', host.t('opt.claimView'))
    .option('--filter <json>', host.t('opt.claimFilter'))
    .addHelpText('after', movesHelp)
    .action(async (ids: string[], options: ClaimOptions, command: Command) => {
      const ctx = host.context(command);
      const { lang } = ctx;
      const next = parseInteger('--next', options.next, lang, 1, 1000);
      if ((ids.length > 0) === (next !== undefined)) throw usageError(lang, 'error.claimWhich');
      if (next === undefined && options.view !== undefined) throw usageError(lang, 'error.nextOnly', { option: '--view' });
      if (next === undefined && options.filter !== undefined) throw usageError(lang, 'error.nextOnly', { option: '--filter' });
      const filter = parseFilterOption(options.filter, lang);
      const input = next === undefined ? { customerIds: ids, poolId: options.pool } : { next, poolId: options.pool, view: options.view, filter };
      const body = validate(ClaimInput, input, lang, { customerIds: 'ID', next: '--next', poolId: '--pool', view: '--view', filter: '--filter' });
      const report = await (await ctx.client()).claimCustomers(body);
      await showMoves(ctx, report, 'claim', next === undefined ? 'pool.noneToMove' : 'pool.noneToClaim');
    });

  pool
    .command('release')
    .description(host.t('cmd.pool.release'))
    .argument('<ids...>', host.t('arg.customerIds'))
    .option('--reason <reason>', host.t('opt.reason'))
    .option('--pool <id>', host.t('opt.toPool'))
    .addHelpText('after', movesHelp)
    .action(async (ids: string[], options: { reason?: string; pool?: string }, command: Command) => {
      const ctx = host.context(command);
      const { lang } = ctx;
      if (options.reason === undefined) throw usageError(lang, 'error.optionRequired', { option: '--reason' });
      const body = validate(ReleaseInput, { customerIds: ids, reason: options.reason, poolId: options.pool }, lang, {
        customerIds: 'ID',
        reason: '--reason',
        poolId: '--pool',
      });
      const client = await ctx.client();
      // The server would refuse it too, but without saying which reasons there are.
      const reasons = (await client.getPicklist('releaseReason')).items.filter((v) => v.active).map((v) => v.value);
      if (!reasons.includes(body.reason)) throw usageError(lang, 'error.badChoice', { option: '--reason', value: body.reason, choices: reasons.join(', ') });
      await showMoves(ctx, await client.releaseCustomers(body), 'release', 'pool.noneToMove');
    });

  pool
    .command('validate')
    .description(host.t('cmd.pool.validate'))
    .argument('<ids...>', host.t('arg.customerIds'))
    .addHelpText('after', movesHelp)
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const body = validate(ValidateInput, { customerIds: ids }, ctx.lang, { customerIds: 'ID' });
      await showMoves(ctx, await (await ctx.client()).validateLeads(body), 'validate', 'pool.noneToMove');
    });

  pool
    .command('assign')
    .description(host.t('cmd.pool.assign'))
    .argument('[ids...]', host.t('arg.customerIds'))
    .option('--view <id>', host.t('opt.assignView'))
    .option('--filter <json>', host.t('opt.assignFilter'))
    .option('--import <id>', host.t('opt.importId'))
    .option('--to <users>', host.t('opt.assignTo'), collect)
    .option('--strategy <strategy>', host.t('opt.strategy', { strategies: ALLOCATION_STRATEGIES.join(', ') }))
    .option('--scope <scope>', host.t('opt.assignScope'))
    .addHelpText('after', `\n${host.t('help.pool.assign.output')}`)
    .action(async (ids: string[], options: AssignOptions, command: Command) => {
      const ctx = host.context(command);
      const { lang } = ctx;
      const strategy = parseChoice('--strategy', options.strategy, ALLOCATION_STRATEGIES, lang);
      const filter = parseFilterOption(options.filter, lang);
      const sources = [ids.length > 0, options.view !== undefined || filter !== undefined, options.import !== undefined];
      if (sources.filter(Boolean).length !== 1) throw usageError(lang, 'error.assignWhich');
      const agents = splitList(options.to);
      if (agents.length === 0) throw usageError(lang, 'error.optionRequired', { option: '--to' });
      const input = {
        customerIds: ids.length > 0 ? ids : undefined,
        view: options.view,
        filter,
        importId: options.import,
        strategy,
        scope: options.scope,
      };
      const where = { customerIds: 'ID', view: '--view', filter: '--filter', importId: '--import', agentIds: '--to', strategy: '--strategy', scope: '--scope' };
      // Check the rest before the names cost a call.
      validate(AssignInput, { ...input, agentIds: agents }, lang, where);
      const client = await ctx.client();
      const users = await resolveUsers(client, lang, { '--to': agents });
      const body = validate(AssignInput, { ...input, agentIds: users.ids['--to'] }, lang, where);
      const report = await client.assignCustomers(body);
      await showAssignment(ctx, report, body.agentIds, body.strategy, users.names);
    });

  pool
    .command('transfer')
    .description(host.t('cmd.pool.transfer'))
    .argument('[ids...]', host.t('arg.customerIds'))
    .option('--from <user>', host.t('opt.transferFrom'))
    .option('--to <user>', host.t('opt.transferTo'))
    .addHelpText('after', movesHelp)
    .action(async (ids: string[], options: { from?: string; to?: string }, command: Command) => {
      const ctx = host.context(command);
      const { lang } = ctx;
      if (options.to === undefined) throw usageError(lang, 'error.optionRequired', { option: '--to' });
      if ((ids.length > 0) === (options.from !== undefined)) throw usageError(lang, 'error.transferWhich');
      const where = { customerIds: 'ID', fromUserId: '--from', toUserId: '--to' };
      const input = (from: string | undefined, to: string) => ({ customerIds: ids.length > 0 ? ids : undefined, fromUserId: from, toUserId: to });
      validate(TransferInput, input(options.from, options.to), lang, where);
      const client = await ctx.client();
      const users = await resolveUsers(client, lang, { '--from': options.from === undefined ? [] : [options.from], '--to': [options.to] });
      const body = validate(TransferInput, input(users.ids['--from'][0], users.ids['--to'][0]!), lang, where);
      await showMoves(ctx, await client.transferCustomers(body), 'transfer', 'pool.noneToMove');
    });

  pool
    .command('journey')
    .description(host.t('cmd.pool.journey'))
    .argument('<id>', host.t('arg.customerId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      const { items } = await client.customerJourney(id);
      const names = await loadNames(ctx, client, ['users', 'pools']);
      await ctx.printer.list(onePage(items), {
        columns: journeyColumns(ctx.lang),
        row: (event) => journeyRow(event, ctx.lang, names),
        empty: msg(ctx.lang, 'pool.journeyEmpty'),
      });
    });

  pool
    .command('holdings')
    .description(host.t('cmd.pool.holdings'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const { items } = await (await ctx.client()).holdings();
      await ctx.printer.list(onePage(items), {
        columns: holdingColumns(ctx.lang),
        row: (item) => holdingRow(item, ctx.lang),
        empty: msg(ctx.lang, 'pool.noAgents'),
      });
    });

  pool
    .command('soon')
    .description(host.t('cmd.pool.soon'))
    .option('--within <days>', host.t('opt.within'))
    .action(async (options: { within?: string }, command: Command) => {
      const ctx = host.context(command);
      const within = parseInteger('--within', options.within, ctx.lang, 0, 365);
      const client = await ctx.client();
      const { items } = await client.aboutToReturn(within);
      const names = await loadNames(ctx, client, ['users', 'pools']);
      await ctx.printer.list(onePage(items), {
        columns: dueColumns(ctx.lang),
        row: (item) => dueRow(item, ctx.lang, names),
        empty: msg(ctx.lang, 'pool.noneSoon'),
      });
    });

  pool
    .command('return')
    .description(host.t('cmd.pool.return'))
    .option('--dry-run', host.t('opt.returnDryRun'))
    .option('--as-of <time>', host.t('opt.asOf'))
    .action(async (options: { dryRun?: boolean; asOf?: string }, command: Command) => {
      const ctx = host.context(command);
      const { lang, printer } = ctx;
      const asOf = parseAsOf(options.asOf, lang);
      const client = await ctx.client();
      const run = await client.runPoolReturns({ dryRun: Boolean(options.dryRun), asOf });
      if (printer.machine) return printer.done('', run);
      const names = await loadNames(ctx, client, ['users', 'pools']);
      const counts = {
        count: formatCount(run.returned.length, lang),
        noFollowUp: formatCount(run.byRule.noFollowUp, lang),
        noDeal: formatCount(run.byRule.noDeal, lang),
        asOf: formatTime(run.asOf),
      };
      await printer.done(msg(lang, run.dryRun ? 'pool.returnDryRun' : 'pool.returnDone', counts));
      if (run.returned.length > 0) await printer.table(dueColumns(lang), run.returned.map((item) => dueRow(item, lang, names, new Date(run.asOf))));
      if (!run.dryRun && run.reminded > 0) await printer.done(msg(lang, 'pool.reminded', { count: formatCount(run.reminded, lang) }));
    });

  registerPoolSettingsCommands(pool, host);
}
