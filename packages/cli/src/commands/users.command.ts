import type { Command } from 'commander';
import { PasswordChange, UserCreate, UserDelete, UserUpdate, type User } from '@telecrm/core';
import type { ApiClient, UserDetail } from '../client/api-client.js';
import type { CommandContext } from '../context.js';
import { msg, type MessageKey } from '../i18n/cli.messages.js';
import { userColumns, userDetailFields, userRow } from '../output/format.js';
import type { CommandHost } from './command-host.js';
import { usageError, validate } from './options.js';
import { loadNames, onePage, parseQuota, readPasswords } from './people.shared.js';

interface AddOptions {
  username?: string;
  name?: string;
  password?: string;
  department?: string;
  role?: string;
  admin?: boolean;
}

interface EditOptions {
  name?: string;
  /** `false` with --no-department. */
  department?: string | false;
  role?: string;
  /** `true` with --admin, `false` with --no-admin. */
  admin?: boolean;
  quotaCalls?: string;
  quotaMinutes?: string;
}

/** A user after a change: the message for people, then the record; the record alone for machines. */
async function showChanged(ctx: CommandContext, client: ApiClient, message: string, user: User | UserDetail): Promise<void> {
  if (ctx.printer.machine) return ctx.printer.record(user, () => []);
  const names = await loadNames(ctx, client, ['departments', 'roles']);
  await ctx.printer.done(message);
  await ctx.printer.record(user, (u) => userDetailFields(u, ctx.lang, names));
}

export function registerUsersCommands(program: Command, host: CommandHost): void {
  const users = program.command('users').description(host.t('cmd.users'));

  users
    .command('list')
    .description(host.t('cmd.users.list'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      const { items } = await client.listUsers();
      const names = await loadNames(ctx, client, ['departments', 'roles']);
      await ctx.printer.list(onePage(items), {
        columns: userColumns(ctx.lang),
        row: (user) => userRow(user, ctx.lang, names),
        empty: msg(ctx.lang, 'users.none'),
      });
    });

  users
    .command('show')
    .description(host.t('cmd.users.show'))
    .argument('<id>', host.t('arg.userId'))
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      const user = await client.getUser(id);
      const names = await loadNames(ctx, client, ['departments', 'roles']);
      await ctx.printer.record(user, (u) => userDetailFields(u, ctx.lang, names));
    });

  users
    .command('add')
    .description(host.t('cmd.users.add'))
    .option('--username <username>', host.t('opt.newUsername'))
    .option('--name <name>', host.t('opt.displayName'))
    .option('--password <password>', host.t('opt.newPassword'))
    .option('--department <id>', host.t('opt.department'))
    .option('--role <id>', host.t('opt.role'))
    .option('--admin', host.t('opt.admin'))
    .action(async (options: AddOptions, command: Command) => {
      const ctx = host.context(command);
      const fields = {
        username: options.username,
        displayName: options.name,
        isAdmin: Boolean(options.admin),
        departmentId: options.department ?? null,
        roleId: options.role ?? null,
      };
      // Check the rest before asking for a password that would be thrown away.
      validate(UserCreate, { ...fields, password: 'placeholder-password' }, ctx.lang);
      const client = await ctx.client();
      const { next } = await readPasswords(ctx, { next: options.password }, false);
      const body = validate(UserCreate, { ...fields, password: next }, ctx.lang);
      const user = await client.createUser(body);
      await showChanged(ctx, client, msg(ctx.lang, 'users.created', { username: user.username, id: user.id }), user);
    });

  users
    .command('edit')
    .description(host.t('cmd.users.edit'))
    .argument('<id>', host.t('arg.userId'))
    .option('--name <name>', host.t('opt.displayName'))
    .option('--department <id>', host.t('opt.department'))
    .option('--no-department', host.t('opt.noDepartment'))
    .option('--role <id>', host.t('opt.role'))
    .option('--admin', host.t('opt.admin'))
    .option('--no-admin', host.t('opt.noAdmin'))
    .option('--quota-calls <n>', host.t('opt.quotaCalls'))
    .option('--quota-minutes <n>', host.t('opt.quotaMinutes'))
    .action(async (id: string, options: EditOptions, command: Command) => {
      const ctx = host.context(command);
      const body: Record<string, unknown> = {};
      if (options.name !== undefined) body.displayName = options.name;
      if (options.department !== undefined) body.departmentId = options.department === false ? null : options.department;
      if (options.role !== undefined) body.roleId = options.role;
      if (options.admin !== undefined) body.isAdmin = options.admin;
      const quotaCalls = parseQuota('--quota-calls', options.quotaCalls, ctx.lang);
      const quotaMinutes = parseQuota('--quota-minutes', options.quotaMinutes, ctx.lang);
      if (quotaCalls !== undefined) body.quotaCalls = quotaCalls;
      if (quotaMinutes !== undefined) body.quotaMinutes = quotaMinutes;
      if (Object.keys(body).length === 0) throw usageError(ctx.lang, 'error.nothingToEdit');
      const client = await ctx.client();
      const user = await client.updateUser(id, validate(UserUpdate, body, ctx.lang));
      await showChanged(ctx, client, msg(ctx.lang, 'users.updated', { username: user.username }), user);
    });

  const setStatus = (name: 'disable' | 'enable', status: 'disabled' | 'active', done: MessageKey) =>
    users
      .command(name)
      .description(host.t(`cmd.users.${name}`))
      .argument('<id>', host.t('arg.userId'))
      .action(async (id: string, _options: unknown, command: Command) => {
        const ctx = host.context(command);
        const user = await (await ctx.client()).updateUser(id, { status });
        await ctx.printer.done(msg(ctx.lang, done, { username: user.username }), user);
      });
  setStatus('disable', 'disabled', 'users.disabled');
  setStatus('enable', 'active', 'users.enabled');

  users
    .command('passwd')
    .description(host.t('cmd.users.passwd'))
    .argument('[id]', host.t('arg.userId'))
    .option('--current <password>', host.t('opt.currentPassword'))
    .option('--password <password>', host.t('opt.newPassword'))
    .action(async (id: string | undefined, options: { current?: string; password?: string }, command: Command) => {
      const ctx = host.context(command);
      const client = await ctx.client();
      // One's own password needs the current one, also when one's own id is given.
      const me = await client.me();
      const target = id ?? me.id;
      const self = target === me.id;
      const passwords = await readPasswords(ctx, { current: options.current, next: options.password }, self);
      const body = validate(
        PasswordChange,
        self ? { currentPassword: passwords.current, newPassword: passwords.next } : { newPassword: passwords.next },
        ctx.lang,
      );
      await client.changePassword(target, body);
      await ctx.printer.done(msg(ctx.lang, 'users.passwordChanged', { username: self ? me.username : target }), {
        id: target,
        passwordChanged: true,
      });
    });

  users
    .command('rm')
    .description(host.t('cmd.users.rm'))
    .argument('<id>', host.t('arg.userId'))
    .option('--hand-over-to <userId>', host.t('opt.handOverTo'))
    .action(async (id: string, options: { handOverTo?: string }, command: Command) => {
      const ctx = host.context(command);
      const { handOverTo } = validate(UserDelete, { handOverTo: options.handOverTo }, ctx.lang, '--hand-over-to');
      await (await ctx.client()).deleteUser(id, handOverTo);
      await ctx.printer.done(msg(ctx.lang, 'users.deleted', { id, heir: handOverTo }), { id, deleted: true, handOverTo });
    });
}
