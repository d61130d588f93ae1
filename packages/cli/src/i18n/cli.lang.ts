import { LANGS, pickLang, type Lang } from '@telecrm/core';

export const isLang = (value: string): value is Lang => (LANGS as readonly string[]).includes(value);

/** `--lang` wins; else LC_ALL / LANG (zh* -> zh-CN, anything else -> en). */
export function resolveLang(flag: string | undefined, envHint: string | undefined): Lang {
  return flag !== undefined && isLang(flag) ? flag : pickLang(envHint);
}

/**
 * The `--lang` value in raw argv, read before commander parses it so that help texts and parse errors
 * come out in the right language too. An invalid value is left for commander to reject.
 */
export function scanLangFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg === '--lang') return argv[i + 1];
    if (arg.startsWith('--lang=')) return arg.slice('--lang='.length);
  }
  return undefined;
}
