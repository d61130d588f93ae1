import type { Command } from 'commander';
import { ViewCreate } from '@telecrm/core';
import { msg } from '../i18n/cli.messages.js';
import { viewColumns, viewFields, viewRow } from '../output/format.js';
import type { CommandHost } from './command-host.js';
import { parseFilterOption, parseSortOption, validate } from './options.js';

interface AddOptions {
  name?: string;
  filter?: string;
  shared?: boolean;
  default?: boolean;
  sort?: string;
  columns?: string;
}

export function registerViewsCommands(program: Command, host: CommandHost): void {
  const views = program.command('views').description(host.t('cmd.views'));

  views
    .command('list')
    .description(host.t('cmd.views.list'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const { items } = await (await ctx.client()).listViews();
      await ctx.printer.list(onePage(items), {
        columns: viewColumns(ctx.lang),
        row: (view) => viewRow(view, ctx.lang),
        empty: msg(ctx.lang, 'views.none'),
      });
    });

  views
    .command('add')
    .description(host.t('cmd.views.add'))
    .option('--name <name>', host.t('opt.viewName'))
    .option('--filter <json>', host.t('opt.filter'))
    .option('--shared', host.t('opt.shared'))
    .option('--default', host.t('opt.default'))
    .option('--sort <field:dir>', host.t('opt.sort'))
    .option('--columns <a,b,...>', host.t('opt.columns'))
    .action(async (options: AddOptions, command: Command) => {
      const ctx = host.context(command);
      const body = validate(
        ViewCreate,
        {
          name: options.name,
          shared: Boolean(options.shared),
          isDefault: Boolean(options.default),
          filter: parseFilterOption(options.filter, ctx.lang) ?? null,
          sort: parseSortOption(options.sort, ctx.lang) ?? null,
          columns: options.columns?.split(',').map((c) => c.trim()).filter(Boolean) ?? [],
        },
        ctx.lang,
      );
      const view = await (await ctx.client()).createView(body);
      if (ctx.printer.machine) return ctx.printer.record(view, () => []);
      await ctx.printer.done(msg(ctx.lang, 'views.created', { name: view.name, id: view.id }));
      await ctx.printer.record(view, (v) => viewFields(v, ctx.lang));
    });
}

async function* onePage<T>(items: T[]) {
  yield { items, nextCursor: null };
}
