import type { Command } from 'commander';
import { ALL_PERMISSIONS, DATA_SCOPES, RoleCreate, RoleUpdate, type Role } from '@telecrm/core';
import type { ApiClient } from '../client/api-client.js';
import type { CommandContext } from '../context.js';
import { msg } from '../i18n/cli.messages.js';
import { roleColumns, roleFields, roleRow, treeOrder } from '../output/format.js';
import type { CommandHost } from './command-host.js';
import { collect, usageError, validate } from './options.js';
import { loadNames, onePage, parseFieldAccess, parsePermissions } from './people.shared.js';

interface RoleOptions {
  name?: string;
  parent?: string;
  scope?: string;
  grant?: string[];
  revoke?: string[];
  field?: string[];
}

/** A role after a change: the message for people, then the record; the record alone for machines. */
async function showChanged(ctx: CommandContext, client: ApiClient, message: string, role: Role): Promise<void> {
  if (ctx.printer.machine) return ctx.printer.record(role, () => []);
  const names = await loadNames(ctx, client, ['roles']);
  await ctx.printer.done(message);
  await ctx.printer.record(role, (r) => roleFields(r, ctx.lang, names));
}

function addRoleOptions(command: Command, host: CommandHost): Command {
  return command
    .option('--name <name>', host.t('opt.roleName'))
    .option('--parent <id>', host.t('opt.parentRole'))
    .option('--scope <scope>', host.t('opt.scope', { scopes: DATA_SCOPES.join(', ') }))
    .option('--grant <permissions>', host.t('opt.grant'), collect)
    .option('--field <module.field=access>', host.t('opt.fieldAccess'), collect);
}

export function registerRolesCommands(program: Command, host: CommandHost): void {
  const roles = program.command('roles').description(host.t('cmd.roles'));

  roles
    .command('list')
    .description(host.t('cmd.roles.list'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const { items } = await (await ctx.client()).listRoles();
      const tree = treeOrder(items);
      const depth = new Map(tree.map(({ item, depth }) => [item.id, depth]));
      await ctx.printer.list(onePage(tree.map(({ item }) => item)), {
        columns: roleColumns(ctx.lang),
        row: (role) => roleRow(role, ctx.lang, depth.get(role.id)),
        empty: msg(ctx.lang, 'roles.none'),
      });
    });

  roles
    .command('show')
    .description(host.t('cmd.roles.show'))
    .argument('<id>', host.t('arg.roleId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      const role = await client.getRole(id);
      const names = await loadNames(ctx, client, ['roles']);
      await ctx.printer.record(role, (r) => roleFields(r, ctx.lang, names));
    });

  addRoleOptions(roles.command('add').description(host.t('cmd.roles.add')), host).action(
    async (options: RoleOptions, command: Command) => {
      const ctx = host.context(command);
      const body = validate(
        RoleCreate,
        {
          name: options.name,
          parentId: options.parent ?? null,
          dataScope: options.scope,
          permissions: parsePermissions('--grant', options.grant, ctx.lang) ?? [],
          fieldPermissions: parseFieldAccess(options.field, ctx.lang) ?? {},
        },
        ctx.lang,
      );
      const client = await ctx.client();
      const role = await client.createRole(body);
      await showChanged(ctx, client, msg(ctx.lang, 'roles.created', { name: role.name, id: role.id }), role);
    },
  );

  addRoleOptions(roles.command('edit').description(host.t('cmd.roles.edit')).argument('<id>', host.t('arg.roleId')), host)
    .option('--revoke <permissions>', host.t('opt.revoke'), collect)
    .action(async (id: string, options: RoleOptions, command: Command) => {
      const ctx = host.context(command);
      const grant = parsePermissions('--grant', options.grant, ctx.lang);
      const revoke = parsePermissions('--revoke', options.revoke, ctx.lang);
      const both = grant?.find((p) => revoke?.includes(p));
      if (both) throw usageError(ctx.lang, 'error.grantRevokeBoth', { value: both });
      // Check the --field syntax before any request; it is applied onto the role's current map below.
      parseFieldAccess(options.field, ctx.lang);
      const body: Record<string, unknown> = {};
      if (options.name !== undefined) body.name = options.name;
      if (options.parent !== undefined) body.parentId = options.parent;
      if (options.scope !== undefined) body.dataScope = options.scope;
      const changesLists = grant !== undefined || revoke !== undefined || options.field !== undefined;
      if (Object.keys(body).length === 0 && !changesLists) throw usageError(ctx.lang, 'error.nothingToEdit');
      validate(RoleUpdate, body, ctx.lang);

      const client = await ctx.client();
      if (changesLists) {
        // The API replaces the whole list and the whole map: start from what the role has now.
        const current = await client.getRole(id);
        if (grant !== undefined || revoke !== undefined) {
          const held = new Set<string>([...current.permissions, ...(grant ?? [])]);
          for (const p of revoke ?? []) held.delete(p);
          body.permissions = ALL_PERMISSIONS.filter((p) => held.has(p));
        }
        if (options.field !== undefined) body.fieldPermissions = parseFieldAccess(options.field, ctx.lang, current.fieldPermissions);
      }
      const role = await client.updateRole(id, validate(RoleUpdate, body, ctx.lang));
      await showChanged(ctx, client, msg(ctx.lang, 'roles.updated', { name: role.name }), role);
    });

  roles
    .command('rm')
    .description(host.t('cmd.roles.rm'))
    .argument('<id>', host.t('arg.roleId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      await (await ctx.client()).deleteRole(id);
      await ctx.printer.done(msg(ctx.lang, 'roles.deleted', { id }), { id, deleted: true });
    });
}
