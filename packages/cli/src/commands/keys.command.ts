import type { Command } from 'commander';
import { ApiKeyCreate } from '@telecrm/core';
import { msg } from '../i18n/cli.messages.js';
import { keyColumns, keyFields, keyRow } from '../output/format.js';
import type { CommandHost } from './command-host.js';
import { collect, validate } from './options.js';
import { onePage, parsePermissions } from './people.shared.js';

interface AddOptions {
  name?: string;
  expires?: string;
  grant?: string[];
}

export function registerKeysCommands(program: Command, host: CommandHost): void {
  const keys = program.command('keys').description(host.t('cmd.keys'));

  keys
    .command('list')
    .description(host.t('cmd.keys.list'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const { items } = await (await ctx.client()).listKeys();
      const now = new Date();
      await ctx.printer.list(onePage(items), {
        columns: keyColumns(ctx.lang),
        row: (key) => keyRow(key, ctx.lang, now),
        empty: msg(ctx.lang, 'keys.none'),
      });
    });

  keys
    .command('add')
    .description(host.t('cmd.keys.add'))
    .option('--name <name>', host.t('opt.keyName'))
    .option('--expires <iso>', host.t('opt.expires'))
    .option('--grant <permissions>', host.t('opt.keyGrant'), collect)
    .action(async (options: AddOptions, command: Command) => {
      const ctx = host.context(command);
      const body = validate(
        ApiKeyCreate,
        { name: options.name, expiresAt: options.expires, permissions: parsePermissions('--grant', options.grant, ctx.lang) },
        ctx.lang,
      );
      const created = await (await ctx.client()).createKey(body);
      // Machines get the secret in the record, once; people get it with a warning.
      if (ctx.printer.machine) return ctx.printer.record(created, () => []);
      await ctx.printer.done(msg(ctx.lang, 'keys.created', { name: created.name, id: created.id }));
      await ctx.printer.record(created, (key) => [
        { label: msg(ctx.lang, 'label.secret'), value: { text: key.secret, bold: true, colour: 'yellow' } },
        ...keyFields(key, ctx.lang),
      ]);
      await ctx.printer.warn(msg(ctx.lang, 'keys.secretWarning'));
    });

  keys
    .command('revoke')
    .description(host.t('cmd.keys.revoke'))
    .argument('<id>', host.t('arg.keyId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      await (await ctx.client()).revokeKey(id);
      await ctx.printer.done(msg(ctx.lang, 'keys.revoked', { id }), { id, revoked: true });
    });
}
