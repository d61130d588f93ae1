import type { Command } from 'commander';
import { PublicPoolCreate, PublicPoolUpdate, type PoolRulesOverride, type PublicPool } from '@telecrm/core';
import type { ApiClient } from '../client/api-client.js';
import type { CommandContext } from '../context.js';
import { msg } from '../i18n/cli.messages.js';
import { named, type Names } from '../output/format.js';
import { overridesTable, poolRulesFields, publicPoolColumns, publicPoolFields, publicPoolRow } from '../output/pool-format.js';
import type { CommandHost } from './command-host.js';
import { collect, usageError, validate } from './options.js';
import { loadNames, onePage } from './people.shared.js';
import { companyRules, departmentRules, levelsSet, memberList, parseRulesChange, resolveUsers, type RulesSetOptions } from './pool.options.js';

interface PoolOptions {
  name?: string;
  departments?: string[];
  users?: string[];
  default?: boolean;
}

/** Rules after a change: the record alone for machines; the message, then the rules, for people. */
async function showRules(ctx: CommandContext, client: ApiClient, message: (names: Names) => string, rules: PoolRulesOverride): Promise<void> {
  if (ctx.printer.machine) return ctx.printer.record(rules, () => []);
  const names = await loadNames(ctx, client, ['departments', 'roles']);
  await ctx.printer.done(message(names));
  await ctx.printer.record(rules, (r) => poolRulesFields(r, ctx.lang, names));
}

/** A public pool after a change: the record alone for machines; the message, then the pool, for people. */
async function showPool(ctx: CommandContext, client: ApiClient, message: string, pool: PublicPool): Promise<void> {
  if (ctx.printer.machine) return ctx.printer.record(pool, () => []);
  const names = await loadNames(ctx, client, ['departments', 'users', 'roles']);
  await ctx.printer.done(message);
  await ctx.printer.record(pool, (p) => publicPoolFields(p, ctx.lang, names));
}

/** The members of a pool as the options give them, users found by username or id. */
async function poolMembers(client: ApiClient, ctx: CommandContext, options: PoolOptions): Promise<{ departmentIds?: string[]; userIds?: string[] }> {
  const departmentIds = memberList(options.departments);
  const users = memberList(options.users);
  const userIds = users && users.length > 0 ? (await resolveUsers(client, ctx.lang, { '--users': users })).ids['--users'] : users;
  return { departmentIds, userIds };
}

/** Adds `rules` and `pools` under `crm pool`. */
export function registerPoolSettingsCommands(pool: Command, host: CommandHost): void {
  const rules = pool.command('rules').description(host.t('cmd.pool.rules'));

  rules
    .command('show')
    .description(host.t('cmd.pool.rules.show'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const { lang, printer } = ctx;
      const client = await ctx.client();
      const set = await client.getPoolRules();
      if (printer.machine) return printer.record(set, () => []);
      const names = await loadNames(ctx, client, ['departments', 'roles']);
      await printer.record(set.company, (r) => [
        { label: msg(lang, 'label.appliesTo'), value: { text: msg(lang, 'value.company'), bold: true } },
        ...poolRulesFields(r, lang, names),
      ]);
      if (set.departments.length > 0) {
        const table = overridesTable(set.departments, lang, names);
        await printer.table(table.columns, table.rows);
      }
    });

  rules
    .command('set')
    .description(host.t('cmd.pool.rules.set'))
    .option('--department <id>', host.t('opt.rulesDepartment'))
    .option('--holding-limit <n>', host.t('opt.holdingLimit'))
    .option('--daily-claim-limit <n>', host.t('opt.dailyClaimLimit'))
    .option('--protection-days <n>', host.t('opt.protectionDays'))
    .option('--no-follow-up-days <n>', host.t('opt.noFollowUpDays'))
    .option('--no-deal-days <n>', host.t('opt.noDealDays'))
    .option('--reminder-days <n>', host.t('opt.reminderDays'))
    .option('--cooldown-days <n>', host.t('opt.cooldownDays'))
    .option('--exempt-won <yes|no>', host.t('opt.exemptWon'))
    .option('--exempt-locked <yes|no>', host.t('opt.exemptLocked'))
    .option('--level <rule>', host.t('opt.level'), collect)
    .option('--claim-roles <roles>', host.t('opt.claimRoles'))
    .action(async (options: RulesSetOptions, command: Command) => {
      const ctx = host.context(command);
      const { lang } = ctx;
      const change = parseRulesChange(options, lang);
      const client = await ctx.client();
      const levels = levelsSet(change);
      if (levels.length > 0) {
        // A level nobody can have would never apply: say so now rather than keep a rule for nothing.
        const known = (await client.getPicklist('level')).items.map((v) => v.value);
        const unknown = levels.find((level) => !known.includes(level));
        if (unknown !== undefined) throw usageError(lang, 'error.badChoice', { option: '--level', value: unknown, choices: known.join(', ') });
      }
      const set = await client.getPoolRules();
      const department = options.department;
      if (department === undefined) {
        const saved = await client.setCompanyPoolRules(companyRules(set.company, change, lang));
        return showRules(ctx, client, () => msg(lang, 'pool.rulesSet'), saved);
      }
      const saved = await client.setDepartmentPoolRules(department, departmentRules(set, department, change, lang));
      await showRules(ctx, client, (names) => msg(lang, 'pool.departmentRulesSet', { name: named(names.departments, department) }), saved);
    });

  rules
    .command('reset')
    .description(host.t('cmd.pool.rules.reset'))
    .argument('<department>', host.t('arg.departmentId'))
    .action(async (department: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      await client.setDepartmentPoolRules(department, {});
      const names = await loadNames(ctx, client, ['departments']);
      await ctx.printer.done(msg(ctx.lang, 'pool.departmentRulesReset', { name: named(names.departments, department) }), { departmentId: department, rules: {} });
    });

  const pools = pool.command('pools').description(host.t('cmd.pool.pools'));

  pools
    .command('list')
    .description(host.t('cmd.pool.pools.list'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      const { items } = await client.listPublicPools();
      const names = await loadNames(ctx, client, ['departments', 'users', 'roles']);
      await ctx.printer.list(onePage(items), {
        columns: publicPoolColumns(ctx.lang),
        row: (p) => publicPoolRow(p, ctx.lang, names),
        empty: msg(ctx.lang, 'pools.none'),
      });
    });

  const memberOptions = (command: Command) =>
    command
      .option('--name <name>', host.t('opt.poolName'))
      .option('--departments <ids>', host.t('opt.poolDepartments'), collect)
      .option('--users <users>', host.t('opt.poolUsers'), collect)
      .option('--default', host.t('opt.poolDefault'));
  const where = { name: '--name', departmentIds: '--departments', userIds: '--users', isDefault: '--default' };

  memberOptions(pools.command('add').description(host.t('cmd.pool.pools.add'))).action(async (options: PoolOptions, command: Command) => {
    const ctx = host.context(command);
    const { lang } = ctx;
    const fields = { name: options.name, isDefault: options.default ? true : undefined };
    // Check the rest before the names cost a call.
    validate(PublicPoolCreate, fields, lang, where);
    const client = await ctx.client();
    const body = validate(PublicPoolCreate, { ...fields, ...(await poolMembers(client, ctx, options)) }, lang, where);
    const created = await client.createPublicPool(body);
    await showPool(ctx, client, msg(lang, 'pools.created', { name: created.name, id: created.id }), created);
  });

  memberOptions(pools.command('edit').description(host.t('cmd.pool.pools.edit')).argument('<id>', host.t('arg.poolId'))).action(
    async (id: string, options: PoolOptions, command: Command) => {
      const ctx = host.context(command);
      const { lang } = ctx;
      const fields = { name: options.name, isDefault: options.default ? true : undefined };
      if (Object.values(fields).every((v) => v === undefined) && options.departments === undefined && options.users === undefined) {
        throw usageError(lang, 'error.nothingToEdit');
      }
      validate(PublicPoolUpdate, fields, lang, where);
      const client = await ctx.client();
      const body = validate(PublicPoolUpdate, { ...fields, ...(await poolMembers(client, ctx, options)) }, lang, where);
      const updated = await client.updatePublicPool(id, body);
      await showPool(ctx, client, msg(lang, 'pools.updated', { name: updated.name }), updated);
    },
  );

  pools
    .command('rm')
    .description(host.t('cmd.pool.pools.rm'))
    .argument('<id>', host.t('arg.poolId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      await (await ctx.client()).deletePublicPool(id);
      await ctx.printer.done(msg(ctx.lang, 'pools.deleted', { id }), { id, deleted: true });
    });
}
