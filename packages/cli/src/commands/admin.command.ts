import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ApiModule, CommandContext } from '../context.js';
import { msg } from '../i18n/cli.messages.js';
import { CliError } from '../output/errors.js';
import type { CommandHost } from './command-host.js';
import { parseInteger } from './options.js';

type Store = Awaited<ReturnType<ApiModule['openStore']>>;

/** A database URL fit to print: the password of a postgres:// URL is masked. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

const isPostgresUrl = (url: string): boolean => /^postgres(?:ql)?:\/\//i.test(url);

/** Opens the database, runs `work`, and always closes it again. */
async function withStore<T>(
  ctx: CommandContext,
  flag: string | undefined,
  work: (api: ApiModule, store: Store, url: string) => Promise<T>,
): Promise<T> {
  const api = await ctx.deps.loadApi();
  const url = ctx.database(flag, api);
  const store = await api.openStore(url);
  try {
    return await work(api, store, url);
  } finally {
    await store.close();
  }
}

export function registerAdminCommands(program: Command, host: CommandHost): void {
  program
    .command('serve')
    .description(host.t('cmd.serve'))
    .option('--port <n>', host.t('opt.port'))
    .option('--host <host>', host.t('opt.host'))
    .option('--db <url>', host.t('opt.db'))
    .action(async (options: { port?: string; host?: string; db?: string }, command: Command) => {
      const ctx = host.context(command);
      const port = parseInteger('--port', options.port, ctx.lang, 0, 65535);
      // Listen for Ctrl-C from the start: one during start-up still closes the server cleanly.
      const stopped = ctx.deps.untilStopped();
      const api = await ctx.deps.loadApi();
      const server = await api.startServer({
        db: ctx.database(options.db, api),
        ...(port === undefined ? {} : { port }),
        ...(options.host === undefined ? {} : { host: options.host }),
      });
      const docs = `${server.url.replace(/\/+$/, '')}/docs`;
      await ctx.printer.done([msg(ctx.lang, 'serve.listening', { url: server.url }), msg(ctx.lang, 'serve.docs', { url: docs })], {
        url: server.url,
        docs,
      });
      await stopped;
      ctx.deps.stderr.write(`${msg(ctx.lang, 'serve.stopping')}\n`);
      await server.close();
    });

  const db = program.command('db').description(host.t('cmd.db'));

  db.command('migrate')
    .description(host.t('cmd.db.migrate'))
    .option('--db <url>', host.t('opt.db'))
    .action(async (options: { db?: string }, command: Command) => {
      const ctx = host.context(command);
      await withStore(ctx, options.db, async (api, store, url) => {
        const applied = await api.migrateToLatest(store);
        const shown = redactDatabaseUrl(url);
        const message = applied.length === 0
          ? msg(ctx.lang, 'db.upToDate', { db: shown })
          : [msg(ctx.lang, 'db.migrated', { db: shown, count: applied.length }), ...applied];
        await ctx.printer.done(message, { database: shown, applied });
      });
    });

  db.command('backup')
    .description(host.t('cmd.db.backup'))
    .argument('<file>', host.t('arg.file'))
    .option('--db <url>', host.t('opt.db'))
    .action(async (file: string, options: { db?: string }, command: Command) => {
      const ctx = host.context(command);
      const refuse = (url: string) => new CliError('CLI.USAGE', msg(ctx.lang, 'error.backupPostgres', { url: redactDatabaseUrl(url) }));
      const api = await ctx.deps.loadApi();
      // Refuse PostgreSQL before connecting to it.
      if (isPostgresUrl(ctx.database(options.db, api))) throw refuse(ctx.database(options.db, api));
      await withStore(ctx, options.db, async (_api, store, url) => {
        if (store.dialect !== 'sqlite') throw refuse(url);
        const destination = resolve(file);
        await mkdir(dirname(destination), { recursive: true });
        await api.backupSqlite(store, destination);
        const shown = redactDatabaseUrl(url);
        await ctx.printer.done(msg(ctx.lang, 'db.backedUp', { db: shown, file: destination }), { database: shown, backup: destination });
      });
    });

  program
    .command('demo')
    .description(host.t('cmd.demo'))
    .option('--db <url>', host.t('opt.db'))
    .option('--customers <n>', host.t('opt.customers'), '200')
    .option('--seed <n>', host.t('opt.seed'), '1')
    .action(async (options: { db?: string; customers: string; seed: string }, command: Command) => {
      const ctx = host.context(command);
      const customers = parseInteger('--customers', options.customers, ctx.lang, 0)!;
      const seed = parseInteger('--seed', options.seed, ctx.lang, 0)!;
      await withStore(ctx, options.db, async (api, store, url) => {
        await api.migrateToLatest(store);
        const progress = await ctx.printer.progress(msg(ctx.lang, 'demo.progress'));
        let result: Awaited<ReturnType<ApiModule['fillDemo']>>;
        try {
          result = await api.fillDemo(store, { customers, seed, onProgress: (done, total) => progress.update(done, total) });
        } finally {
          progress.stop();
        }
        const shown = redactDatabaseUrl(url);
        if (ctx.printer.machine) return ctx.printer.done('', { database: shown, ...result });
        const summary = msg(ctx.lang, 'demo.done', { db: shown, company: result.company, customers: result.customers });
        if (result.users.length === 0) return ctx.printer.done([summary, msg(ctx.lang, 'demo.usersKept')]);
        await ctx.printer.done([summary, msg(ctx.lang, 'demo.users')]);
        await ctx.printer.table(
          [
            { key: 'username', header: msg(ctx.lang, 'label.username') },
            { key: 'password', header: msg(ctx.lang, 'label.password') },
            { key: 'role', header: msg(ctx.lang, 'label.role') },
          ],
          result.users.map((u) => ({
            username: { text: u.username, bold: true },
            password: { text: u.password },
            role: { text: u.role, dim: true },
          })),
        );
      });
    });
}
