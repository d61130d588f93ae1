// Option values from the command line, checked with the core's schemas; bad input is a usage error
// that names the option (or the body field) and the reason, in the user's language.
import { describeError, FilterNode, SortSpec, type CustomValue, type DomainError, type Lang } from '@telecrm/core';
import { msg, type MessageKey } from '../i18n/cli.messages.js';
import { CliError } from '../output/errors.js';

/** A zod issue, typed through a core schema so that the CLI needs no zod of its own. */
type SafeParser<T> = { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } } };
type Issue = NonNullable<ReturnType<typeof SortSpec.safeParse>['error']>['issues'][number];

export const usageError = (lang: Lang, key: MessageKey, params: Record<string, unknown> = {}, details: string[] = []) =>
  new CliError('CLI.USAGE', msg(lang, key, params), details);

/** Accumulates a repeatable option (`--phone A --phone B`). */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function parseInteger(option: string, value: string | undefined, lang: Lang, min: number, max?: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.trim());
  if (value.trim() === '' || !Number.isSafeInteger(number) || number < min || (max !== undefined && number > max)) {
    throw max === undefined
      ? usageError(lang, 'error.badInteger', { option, min, value })
      : usageError(lang, 'error.badRange', { option, min, max, value });
  }
  return number;
}

export function parseJson(option: string, text: string, lang: Lang): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw usageError(lang, 'error.badJson', { option, reason: (error as Error).message });
  }
}

/**
 * Parses with a core schema; on failure, one line per problem, each naming its field. `option` names
 * the one option the whole input came from, or the option of each field (`{ pool: '--pool' }`) so that
 * the messages speak of what the user typed.
 */
export function validate<T>(schema: SafeParser<T>, input: unknown, lang: Lang, option?: string | Readonly<Record<string, string>>): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  let errors = issueErrors(result.error.issues);
  if (typeof option === 'object') {
    errors = errors.map((e) => {
      const key = e.field?.split('.')[0];
      return key !== undefined && Object.hasOwn(option, key) ? { ...e, field: option[key] } : e;
    });
  }
  const lines = errors.map((e) => describeError(e, lang));
  if (typeof option === 'string') {
    throw new CliError('VALIDATION.FAILED', msg(lang, 'error.badOption', { option, reason: lines[0] }), lines.slice(1));
  }
  if (option && lines.length === 1) throw new CliError('VALIDATION.FAILED', lines[0]!);
  throw new CliError('VALIDATION.FAILED', msg(lang, 'error.invalidInput'), lines);
}

/** One of a fixed list of words (`--format xlsx`), else a usage error that lists them. */
export function parseChoice<T extends string>(option: string, value: string | undefined, choices: readonly T[], lang: Lang): T | undefined {
  if (value === undefined) return undefined;
  const chosen = choices.find((c) => c === value.trim().toLowerCase());
  if (chosen === undefined) throw usageError(lang, 'error.badChoice', { option, value, choices: choices.join(', ') });
  return chosen;
}

/** zod issues as the core's domain errors, so their messages come from the one catalogue. */
export function issueErrors(issues: readonly Issue[], base: readonly PropertyKey[] = []): DomainError[] {
  const errors: DomainError[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const field = path.map(String).join('.') || undefined;
    switch (issue.code) {
      case 'invalid_type':
        errors.push(
          issue.input === undefined
            ? { code: 'VALIDATION.REQUIRED', field }
            : { code: 'VALIDATION.TYPE', field, params: { expected: issue.expected } },
        );
        break;
      case 'too_big':
        errors.push(
          issue.origin === 'string' || issue.origin === 'array'
            ? { code: 'VALIDATION.TOO_LONG', field, params: { max: issue.maximum } }
            : { code: 'VALIDATION.FORMAT', field, params: { reason: `<= ${issue.maximum}` } },
        );
        break;
      case 'too_small':
        errors.push(
          issue.origin === 'string' && Number(issue.minimum) === 1
            ? { code: 'VALIDATION.REQUIRED', field }
            : { code: 'VALIDATION.FORMAT', field, params: { reason: `>= ${issue.minimum}` } },
        );
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) errors.push({ code: 'VALIDATION.UNKNOWN_FIELD', field: [...path, key].join('.') });
        break;
      case 'invalid_value':
        errors.push({ code: 'VALIDATION.FORMAT', field, params: { reason: issue.values.map(String).join(' | ') } });
        break;
      case 'invalid_format':
        errors.push({ code: 'VALIDATION.FORMAT', field, params: { reason: issue.format } });
        break;
      case 'invalid_union': {
        // Report the alternative that came closest: the one with the fewest problems.
        const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
        if (closest && closest.length > 0) errors.push(...issueErrors(closest, path));
        else errors.push({ code: 'VALIDATION.FORMAT', field, params: { reason: issue.message } });
        break;
      }
      default:
        errors.push({ code: 'VALIDATION.FORMAT', field, params: { reason: issue.message } });
    }
  }
  return errors;
}

/** `--filter` JSON, checked against the core's filter schema before it goes to the server. */
export function parseFilterOption(text: string | undefined, lang: Lang, option = '--filter'): FilterNode | undefined {
  if (text === undefined) return undefined;
  return validate(FilterNode, parseJson(option, text, lang), lang, option);
}

/** `field:asc` / `field:desc` (a bare field sorts descending, as the API does). */
export function parseSortOption(text: string | undefined, lang: Lang, option = '--sort'): SortSpec | undefined {
  if (text === undefined) return undefined;
  const match = /^([^:\s]+)(?::(asc|desc))?$/i.exec(text.trim());
  if (!match) throw usageError(lang, 'error.badSort', { option, value: text });
  return validate(SortSpec, { field: match[1], direction: match[2]?.toLowerCase() ?? 'desc' }, lang, option);
}

export const formatSort = (sort: SortSpec): string => `${sort.field}:${sort.direction}`;

/** `--custom key=text` (a string) or `--custom key:=JSON` (a number, a list, null...). */
export function parseCustomOptions(entries: readonly string[] | undefined, lang: Lang): Record<string, CustomValue> | undefined {
  if (!entries || entries.length === 0) return undefined;
  const custom: Record<string, CustomValue> = {};
  for (const entry of entries) {
    const json = /^([^=:]+):=(.*)$/s.exec(entry);
    const text = /^([^=:]+)=(.*)$/s.exec(entry);
    if (json) custom[json[1]!.trim()] = parseJson(`--custom ${json[1]!.trim()}`, json[2]!, lang) as CustomValue;
    else if (text) custom[text[1]!.trim()] = text[2]!;
    else throw usageError(lang, 'error.badCustom', { value: entry });
  }
  return custom;
}
