import type { Command } from 'commander';
import { DepartmentCreate, DepartmentUpdate } from '@telecrm/core';
import { msg } from '../i18n/cli.messages.js';
import { departmentColumns, departmentRow, treeOrder } from '../output/format.js';
import type { CommandHost } from './command-host.js';
import { usageError, validate } from './options.js';
import { loadNames, onePage } from './people.shared.js';

export function registerDepartmentsCommands(program: Command, host: CommandHost): void {
  const departments = program.command('departments').description(host.t('cmd.departments'));

  departments
    .command('list')
    .description(host.t('cmd.departments.list'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const { items } = await (await ctx.client()).listDepartments();
      const tree = treeOrder(items);
      const depth = new Map(tree.map(({ item, depth }) => [item.id, depth]));
      await ctx.printer.list(onePage(tree.map(({ item }) => item)), {
        columns: departmentColumns(ctx.lang),
        row: (department) => departmentRow(department, depth.get(department.id)),
        empty: msg(ctx.lang, 'departments.none'),
      });
    });

  departments
    .command('add')
    .description(host.t('cmd.departments.add'))
    .option('--name <name>', host.t('opt.departmentName'))
    .option('--parent <id>', host.t('opt.parentDepartment'))
    .action(async (options: { name?: string; parent?: string }, command: Command) => {
      const ctx = host.context(command);
      const body = validate(DepartmentCreate, { name: options.name, parentId: options.parent ?? null }, ctx.lang);
      const department = await (await ctx.client()).createDepartment(body);
      await ctx.printer.done(msg(ctx.lang, 'departments.created', { name: department.name, id: department.id }), department);
    });

  departments
    .command('rename')
    .description(host.t('cmd.departments.rename'))
    .argument('<id>', host.t('arg.departmentId'))
    .argument('<name>', host.t('arg.newName'))
    .action(async (id: string, name: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const body = validate(DepartmentUpdate, { name }, ctx.lang);
      const department = await (await ctx.client()).updateDepartment(id, body);
      await ctx.printer.done(msg(ctx.lang, 'departments.renamed', { name: department.name }), department);
    });

  departments
    .command('move')
    .description(host.t('cmd.departments.move'))
    .argument('<id>', host.t('arg.departmentId'))
    .option('--parent <id>', host.t('opt.parentDepartment'))
    .option('--root', host.t('opt.root'))
    .action(async (id: string, options: { parent?: string; root?: boolean }, command: Command) => {
      const ctx = host.context(command);
      if ((options.parent === undefined) === !options.root) throw usageError(ctx.lang, 'error.moveTarget');
      const body = validate(DepartmentUpdate, { parentId: options.root ? null : options.parent }, ctx.lang, '--parent');
      const client = await ctx.client();
      const department = await client.updateDepartment(id, body);
      if (department.parentId === null) {
        await ctx.printer.done(msg(ctx.lang, 'departments.movedToRoot', { name: department.name }), department);
        return;
      }
      const names = await loadNames(ctx, client, ['departments']);
      const parent = names.departments?.get(department.parentId) ?? department.parentId;
      await ctx.printer.done(msg(ctx.lang, 'departments.moved', { name: department.name, parent }), department);
    });

  departments
    .command('rm')
    .description(host.t('cmd.departments.rm'))
    .argument('<id>', host.t('arg.departmentId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      await (await ctx.client()).deleteDepartment(id);
      await ctx.printer.done(msg(ctx.lang, 'departments.deleted', { id }), { id, deleted: true });
    });
}
