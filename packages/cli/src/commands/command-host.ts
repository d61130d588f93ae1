import type { Command } from 'commander';
import type { Lang } from '@telecrm/core';
import type { CliDeps, CommandContext } from '../context.js';
import type { MessageKey } from '../i18n/cli.messages.js';

/** What a feature file needs to add its commands. */
export interface CommandHost {
  /** The language of help texts: `--lang` as found in argv, else LANG. */
  readonly lang: Lang;
  readonly deps: CliDeps;
  /** A help text in that language. */
  t(key: MessageKey, params?: Record<string, unknown>): string;
  /** The context of one run of `command`, from its options and the global ones. */
  context(command: Command): CommandContext;
}
