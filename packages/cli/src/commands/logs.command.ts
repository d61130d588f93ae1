import type { Command } from 'commander';
import type { AuditEntry, LoginEntry } from '@telecrm/core';
import { msg } from '../i18n/cli.messages.js';
import { auditColumns, auditRow, loginColumns, loginRow } from '../output/format.js';
import type { CommandHost } from './command-host.js';
import { parseInteger } from './options.js';
import { cursorPages, loadNames } from './people.shared.js';

interface PageOptions {
  limit?: string;
  cursor?: string;
  all?: boolean;
}

function addPageOptions(command: Command, host: CommandHost): Command {
  return command
    .option('--limit <n>', host.t('opt.limit'))
    .option('--cursor <cursor>', host.t('opt.cursor'))
    .option('--all', host.t('opt.all'));
}

export function registerLogsCommands(program: Command, host: CommandHost): void {
  addPageOptions(
    program
      .command('audit')
      .description(host.t('cmd.audit'))
      .option('--entity <entity>', host.t('opt.entity'))
      .option('--id <id>', host.t('opt.entityId'))
      .option('--actor <userId>', host.t('opt.actor')),
    host,
  ).action(async (options: PageOptions & { entity?: string; id?: string; actor?: string }, command: Command) => {
    const ctx = host.context(command);
    const limit = parseInteger('--limit', options.limit, ctx.lang, 1);
    const client = await ctx.client();
    const names = await loadNames(ctx, client, ['users']);
    const pages = cursorPages<AuditEntry>(
      (cursor) => client.listAudit({ entity: options.entity, entityId: options.id, actorId: options.actor, limit, cursor }),
      options.cursor,
      Boolean(options.all),
    );
    await ctx.printer.list(pages, {
      columns: auditColumns(ctx.lang),
      row: (entry) => auditRow(entry, ctx.lang, names),
      empty: msg(ctx.lang, 'audit.none'),
      more: (count, cursor) => msg(ctx.lang, 'logs.more', { count, cursor }),
    });
  });

  addPageOptions(
    program
      .command('logins')
      .description(host.t('cmd.logins'))
      .option('--username <username>', host.t('opt.loginUsername'))
      .option('--failed', host.t('opt.failed')),
    host,
  ).action(async (options: PageOptions & { username?: string; failed?: boolean }, command: Command) => {
    const ctx = host.context(command);
    const limit = parseInteger('--limit', options.limit, ctx.lang, 1);
    const client = await ctx.client();
    const pages = cursorPages<LoginEntry>(
      (cursor) => client.listLogins({ username: options.username, success: options.failed ? false : undefined, limit, cursor }),
      options.cursor,
      Boolean(options.all),
    );
    await ctx.printer.list(pages, {
      columns: loginColumns(ctx.lang),
      row: (entry) => loginRow(entry, ctx.lang),
      empty: msg(ctx.lang, 'logins.none'),
      more: (count, cursor) => msg(ctx.lang, 'logs.more', { count, cursor }),
    });
  });
}
