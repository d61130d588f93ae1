import type { Command } from 'commander';
import { LoginRequest } from '@telecrm/core';
import { ApiError } from '../client/api-client.js';
import { msg } from '../i18n/cli.messages.js';
import { CliError } from '../output/errors.js';
import { userFields } from '../output/format.js';
import { ask, askHidden, PromptCancelled, readFirstLine } from '../ui/prompt.js';
import type { CommandHost } from './command-host.js';
import { usageError, validate } from './options.js';

interface LoginOptions {
  username?: string;
  password?: string;
}

export function registerAuthCommands(program: Command, host: CommandHost): void {

  program
    .command('login')
    .description(host.t('cmd.login'))
    .option('-u, --username <name>', host.t('opt.username'))
    .option('-p, --password <password>', host.t('opt.password'))
    .action(async (options: LoginOptions, command: Command) => {
      const ctx = host.context(command);
      const { lang } = ctx;
      const { stdin, stderr, config } = ctx.deps;
      const interactive = Boolean(stdin.isTTY);
      let username = options.username;
      let password = options.password;
      try {
        if (username === undefined && interactive) username = await ask(msg(lang, 'login.askUsername'), stdin, stderr);
        if (!username) throw usageError(lang, 'error.usernameRequired');
        if (password === undefined) {
          password = interactive ? await askHidden(msg(lang, 'login.askPassword'), stdin, stderr) : await readFirstLine(stdin);
        }
      } catch (error) {
        if (error instanceof PromptCancelled) throw new CliError('CLI.CANCELLED', msg(lang, 'error.cancelled'));
        throw error;
      }
      if (!password) throw usageError(lang, 'error.passwordRequired');
      const body = validate(LoginRequest, { username, password }, lang);

      const client = await ctx.client({ auth: false });
      const result = await client.login(body.username, body.password);
      await config.write({
        server: client.server,
        token: result.token,
        username: result.user.username,
        expiresAt: result.expiresAt,
      });
      await ctx.printer.done(
        [
          msg(lang, 'login.done', {
            server: client.server,
            name: result.user.displayName,
            username: result.user.username,
            expiresAt: result.expiresAt,
          }),
          msg(lang, 'login.saved', { file: config.file }),
        ],
        // Never the token: output ends up in logs.
        { server: client.server, expiresAt: result.expiresAt, user: result.user },
      );
    });

  program
    .command('logout')
    .description(host.t('cmd.logout'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const server = await ctx.server();
      const token = await ctx.token();
      if (!token) {
        await ctx.printer.done(msg(ctx.lang, 'logout.notLoggedIn'), { server, loggedOut: false });
        return;
      }
      try {
        await (await ctx.client()).logout();
      } catch (error) {
        // An expired or revoked token is as good as logged out; anything else keeps the token for a retry.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
      const stored = await ctx.storedConfig();
      if (stored?.token === token) await ctx.deps.config.clear();
      await ctx.printer.done(msg(ctx.lang, 'logout.done', { server }), { server, loggedOut: true });
    });

  program
    .command('whoami')
    .description(host.t('cmd.whoami'))
    .action(async (_options: unknown, command: Command) => {
      const ctx = host.context(command);
      const user = await (await ctx.client()).me();
      await ctx.printer.record(user, (u) => userFields(u, ctx.lang));
    });
}
