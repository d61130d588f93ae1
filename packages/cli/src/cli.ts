import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { LANGS, type Lang } from '@telecrm/core';
import { registerAdminCommands } from './commands/admin.command.js';
import { registerAuthCommands } from './commands/auth.command.js';
import type { CommandHost } from './commands/command-host.js';
import { registerCustomersCommands } from './commands/customers.command.js';
import { registerDepartmentsCommands } from './commands/departments.command.js';
import { registerExportCommand } from './commands/export.command.js';
import { registerImportsCommands } from './commands/imports.command.js';
import { registerKeysCommands } from './commands/keys.command.js';
import { registerLogsCommands } from './commands/logs.command.js';
import { registerPoolCommands } from './commands/pool.command.js';
import { registerRolesCommands } from './commands/roles.command.js';
import { registerUsersCommands } from './commands/users.command.js';
import { registerViewsCommands } from './commands/views.command.js';
import { CommandContext, type CliDeps, type GlobalOptions } from './context.js';
import { resolveLang, scanLangFlag } from './i18n/cli.lang.js';
import { CLI_MESSAGES, msg, type MessageKey } from './i18n/cli.messages.js';
import { describeFailure } from './output/errors.js';
import { ExitCode } from './output/exit-codes.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(CLI_MESSAGES, key);

/** The whole `crm` command tree, in the language `lang` for its help texts. */
export function buildProgram(deps: CliDeps, lang: Lang): Command {
  const t = (key: MessageKey) => msg(lang, key);
  // Settings made here are inherited by every subcommand added afterwards.
  const program = new Command('crm')
    .description(t('program.description'))
    .version(VERSION, '-V, --version', t('opt.version'))
    .helpOption('-h, --help', t('opt.help'))
    .helpCommand('help [command]', t('cmd.help'))
    .option('--server <url>', t('opt.server'))
    .option('--json', t('opt.json'))
    .addOption(new Option('--lang <lang>', t('opt.lang')).choices(LANGS))
    .exitOverride()
    .showSuggestionAfterError()
    .configureHelp({
      // Commander's own headings, in the user's language.
      styleTitle: (title) => {
        const key = `help.${title}`;
        return isMessageKey(key) ? msg(lang, key) : title;
      },
    })
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
    });

  const host: CommandHost = {
    lang,
    deps,
    t: (key, params) => msg(lang, key, params),
    context(command) {
      const options = command.optsWithGlobals<GlobalOptions>();
      return new CommandContext(deps, resolveLang(options.lang, deps.env.langHint), options);
    },
  };
  registerAuthCommands(program, host);
  registerCustomersCommands(program, host);
  registerViewsCommands(program, host);
  registerImportsCommands(program, host);
  registerExportCommand(program, host);
  registerPoolCommands(program, host);
  registerUsersCommands(program, host);
  registerDepartmentsCommands(program, host);
  registerRolesCommands(program, host);
  registerKeysCommands(program, host);
  registerLogsCommands(program, host);
  registerAdminCommands(program, host);
  return program;
}

/** Runs one command line and returns the exit code; failures are reported on stderr, never thrown. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const lang = resolveLang(scanLangFlag(argv), deps.env.langHint);
  const program = buildProgram(deps, lang);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help / version).
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const failure = describeFailure(error, lang);
    const [first = '', ...rest] = failure.lines;
    deps.stderr.write(`${[msg(lang, 'error.prefix', { message: first }), ...rest].join('\n')}\n`);
    return failure.exitCode;
  }
}
