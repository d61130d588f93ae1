import { Option, type Command } from 'commander';
import { FOCUS_COLOURS, FocusInput, MergeInput, type Customer, type Lang } from '@telecrm/core';
import type { ApiClient, CustomerQuery, Page } from '../client/api-client.js';
import type { CommandContext } from '../context.js';
import { msg } from '../i18n/cli.messages.js';
import { customerColumns, customerFields, customerRow } from '../output/format.js';
import type { ListShape } from '../output/printer.js';
import type { CommandHost } from './command-host.js';
import { buildCustomerCreate, buildCustomerUpdate, TEXT_FIELDS, type CustomerOptions } from './customers.options.js';
import { collect, formatSort, parseFilterOption, parseInteger, parseSortOption, usageError, validate } from './options.js';

interface ListOptions {
  q?: string;
  view?: string;
  filter?: string;
  sort?: string;
  limit?: string;
  cursor?: string;
  all?: boolean;
  deleted?: boolean;
}

/** The pages of a list: just the first, or with `all` every page until `nextCursor` is null. */
export async function* customerPages(client: ApiClient, query: CustomerQuery, all: boolean): AsyncGenerator<Page<Customer>> {
  let cursor = query.cursor;
  while (true) {
    const page = await client.listCustomers({ ...query, cursor });
    yield page;
    // A cursor that does not move would loop for ever: stop rather than trust it.
    if (!all || !page.nextCursor || page.nextCursor === cursor) return;
    cursor = page.nextCursor;
  }
}

/** Owner names for people's tables; when the caller may not list users, ids will do. */
async function userNames(ctx: CommandContext, client: ApiClient): Promise<Map<string, string>> {
  if (ctx.printer.machine) return new Map();
  try {
    const { items } = await client.listUsers();
    return new Map(items.map((u) => [u.id, u.displayName || u.username]));
  } catch {
    return new Map();
  }
}

export function listQuery(options: ListOptions, lang: Lang): CustomerQuery {
  const filter = parseFilterOption(options.filter, lang);
  const sort = parseSortOption(options.sort, lang);
  return {
    q: options.q,
    view: options.view,
    filter: filter === undefined ? undefined : JSON.stringify(filter),
    sort: sort === undefined ? undefined : formatSort(sort),
    limit: parseInteger('--limit', options.limit, lang, 1),
    cursor: options.cursor,
    deleted: options.deleted,
  };
}

function addFieldOptions(command: Command, host: CommandHost, mode: 'add' | 'edit'): Command {
  for (const field of TEXT_FIELDS) {
    // `--name` is not mandatory here: it may come in --json-body; the schema says when it is missing.
    command.addOption(new Option(`--${field} <${field}>`, host.t(`opt.field.${field}`)));
  }
  command
    .option('--phone <number>', host.t('opt.phone'), collect)
    .option('--tag <tag>', host.t('opt.tag'), collect)
    .option('--custom <key=value>', host.t('opt.custom'), collect)
    .option('--json-body <json>', host.t('opt.jsonBody'));
  if (mode === 'edit') command.option('--clear <field>', host.t('opt.clear'), collect);
  return command;
}

export function registerCustomersCommands(program: Command, host: CommandHost): void {
  const customers = program.command('customers').description(host.t('cmd.customers'));

  const show = async (ctx: CommandContext, client: ApiClient, customer: Customer) => {
    const owners = await userNames(ctx, client);
    await ctx.printer.record(customer, (c) => customerFields(c, ctx.lang, owners));
  };

  customers
    .command('list')
    .description(host.t('cmd.customers.list'))
    .option('--q <text>', host.t('opt.q'))
    .option('--view <id>', host.t('opt.view'))
    .option('--filter <json>', host.t('opt.filter'))
    .option('--sort <field:dir>', host.t('opt.sort'))
    .option('--limit <n>', host.t('opt.limit'))
    .option('--cursor <cursor>', host.t('opt.cursor'))
    .option('--all', host.t('opt.all'))
    .option('--deleted', host.t('opt.deleted'))
    .action(async (options: ListOptions, command: Command) => {
      const ctx = host.context(command);
      const query = listQuery(options, ctx.lang);
      const client = await ctx.client();
      const owners = await userNames(ctx, client);
      const shape: ListShape<Customer> = {
        columns: customerColumns(ctx.lang),
        row: (c) => customerRow(c, owners),
        empty: msg(ctx.lang, 'customers.none'),
        more: (count, cursor) => msg(ctx.lang, 'customers.more', { count, cursor }),
      };
      await ctx.printer.list(customerPages(client, query, Boolean(options.all)), shape);
    });

  customers
    .command('show')
    .description(host.t('cmd.customers.show'))
    .argument('<id>', host.t('arg.id'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      await show(ctx, client, await client.getCustomer(id));
    });

  addFieldOptions(customers.command('add').description(host.t('cmd.customers.add')), host, 'add').action(
    async (options: CustomerOptions, command: Command) => {
      const ctx = host.context(command);
      const body = buildCustomerCreate(options, ctx.lang);
      const client = await ctx.client();
      await show(ctx, client, await client.createCustomer(body));
    },
  );

  const edit = customers.command('edit').description(host.t('cmd.customers.edit')).argument('<id>', host.t('arg.id'));
  addFieldOptions(edit, host, 'edit').action(
    async (id: string, options: CustomerOptions, command: Command) => {
      const ctx = host.context(command);
      const body = buildCustomerUpdate(options, ctx.lang);
      const client = await ctx.client();
      await show(ctx, client, await client.updateCustomer(id, body));
    },
  );

  customers
    .command('rm')
    .description(host.t('cmd.customers.rm'))
    .argument('<id>', host.t('arg.id'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const customer = await (await ctx.client()).deleteCustomer(id);
      await ctx.printer.done(msg(ctx.lang, 'customers.deleted', { name: customer.name, id: customer.id }), customer);
    });

  customers
    .command('restore')
    .description(host.t('cmd.customers.restore'))
    .argument('<id>', host.t('arg.id'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const customer = await (await ctx.client()).restoreCustomer(id);
      await ctx.printer.done(msg(ctx.lang, 'customers.restored', { name: customer.name }), customer);
    });

  customers
    .command('purge')
    .description(host.t('cmd.customers.purge'))
    .argument('<id>', host.t('arg.id'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      await (await ctx.client()).purgeCustomer(id);
      await ctx.printer.done(msg(ctx.lang, 'customers.purged', { id }), { id, purged: true });
    });

  customers
    .command('merge')
    .description(host.t('cmd.customers.merge'))
    .argument('<survivor>', host.t('arg.survivor'))
    .argument('<merged>', host.t('arg.merged'))
    .action(async (survivor: string, merged: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const body = validate(MergeInput, { survivorId: survivor, mergedId: merged }, ctx.lang);
      const customer = await (await ctx.client()).mergeCustomers(body.survivorId, body.mergedId);
      await ctx.printer.done(msg(ctx.lang, 'customers.merged', { merged: body.mergedId, name: customer.name }), customer);
    });

  customers
    .command('focus')
    .description(host.t('cmd.customers.focus'))
    .argument('<id>', host.t('arg.id'))
    .option('--colour <colour>', host.t('opt.colour', { colours: FOCUS_COLOURS.join(', ') }))
    .option('--off', host.t('opt.off'))
    .action(async (id: string, options: { colour?: string; off?: boolean }, command: Command) => {
      const ctx = host.context(command);
      if (options.off && options.colour !== undefined) throw usageError(ctx.lang, 'error.focusOffColour');
      if (options.off) {
        const customer = await (await ctx.client()).clearFocus(id);
        await ctx.printer.done(msg(ctx.lang, 'customers.focusOff', { name: customer.name }), customer);
        return;
      }
      const { colour } = validate(FocusInput, { colour: options.colour }, ctx.lang, '--colour');
      const customer = await (await ctx.client()).setFocus(id, colour);
      await ctx.printer.done(msg(ctx.lang, 'customers.focusOn', { name: customer.name, colour }), customer);
    });
}
