// What the people, access and log commands share: lists of one page, names of ids for tables,
// permission and password options.
import { ALL_PERMISSIONS, FIELD_ACCESS, type FieldPermissions, type Lang, type Permission } from '@telecrm/core';
import type { ApiClient, Page } from '../client/api-client.js';
import type { CommandContext } from '../context.js';
import { msg } from '../i18n/cli.messages.js';
import { CliError } from '../output/errors.js';
import type { Names } from '../output/format.js';
import { askHidden, PromptCancelled, readLines } from '../ui/prompt.js';
import { parseInteger, usageError } from './options.js';

/** A list the API sends whole, as the one page the printer expects. */
export async function* onePage<T>(items: T[]): AsyncGenerator<Page<T>> {
  yield { items, nextCursor: null };
}

/** The pages of a cursor-paged list: the first only, or with `all` every page until `nextCursor` is null. */
export async function* cursorPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  first: string | undefined,
  all: boolean,
): AsyncGenerator<Page<T>> {
  let cursor = first;
  while (true) {
    const page = await fetchPage(cursor);
    yield page;
    // A cursor that does not move would loop for ever: stop rather than trust it.
    if (!all || !page.nextCursor || page.nextCursor === cursor) return;
    cursor = page.nextCursor;
  }
}

/**
 * Names for the ids in people's tables. Machines get ids only, so nothing is fetched for them; a list
 * the caller may not read (or a server without it) leaves its ids as they are.
 */
export async function loadNames(ctx: CommandContext, client: ApiClient, which: readonly (keyof Names)[]): Promise<Names> {
  if (ctx.printer.machine) return {};
  const names: { -readonly [K in keyof Names]: Names[K] } = {};
  const quietly = async <T>(load: () => Promise<{ items: T[] }>): Promise<T[]> => {
    try {
      return (await load()).items;
    } catch {
      return [];
    }
  };
  await Promise.all(
    which.map(async (kind) => {
      if (kind === 'users') {
        const users = await quietly(() => client.listUsers());
        names.users = new Map(users.map((u) => [u.id, u.displayName || u.username]));
      } else if (kind === 'departments') {
        names.departments = new Map((await quietly(() => client.listDepartments())).map((d) => [d.id, d.name]));
      } else if (kind === 'pools') {
        names.pools = new Map((await quietly(() => client.listPublicPools())).map((p) => [p.id, p.name]));
      } else {
        names.roles = new Map((await quietly(() => client.listRoles())).map((r) => [r.id, r.name]));
      }
    }),
  );
  return names;
}

/** `--grant a,b --grant c` -> checked permissions, each once, in the canonical order. */
export function parsePermissions(option: string, values: readonly string[] | undefined, lang: Lang): Permission[] | undefined {
  if (values === undefined) return undefined;
  const wanted = new Set<string>();
  for (const value of values.flatMap((v) => v.split(','))) {
    const permission = value.trim();
    if (permission === '') continue;
    if (!(ALL_PERMISSIONS as readonly string[]).includes(permission)) throw usageError(lang, 'error.badPermission', { option, value: permission });
    wanted.add(permission);
  }
  return ALL_PERMISSIONS.filter((p) => wanted.has(p));
}

/** `--field customer.phones=read` (repeatable) -> `{ customer: { phones: 'read' } }`, onto `base`. */
export function parseFieldAccess(values: readonly string[] | undefined, lang: Lang, base: FieldPermissions = {}): FieldPermissions | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const result: Record<string, Record<string, string>> = {};
  for (const [module, fields] of Object.entries(base)) result[module] = { ...fields };
  for (const value of values) {
    const match = /^([^.=\s]+)\.([^=\s]+)=(\w+)$/.exec(value.trim());
    if (!match || !(FIELD_ACCESS as readonly string[]).includes(match[3]!)) throw usageError(lang, 'error.badFieldAccess', { value });
    const [, module, field, access] = match;
    result[module!] = { ...result[module!], [field!]: access! };
  }
  // The schema checks the module and field names.
  return result as FieldPermissions;
}

/** `--quota-calls 50`, or `none` for no quota. */
export function parseQuota(option: string, value: string | undefined, lang: Lang): number | null | undefined {
  if (value === undefined) return undefined;
  if (value.trim().toLowerCase() === 'none') return null;
  return parseInteger(option, value, lang, 0);
}

/** Runs prompts; Ctrl-C at one is a cancellation, not a failure. */
async function prompting<T>(lang: Lang, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PromptCancelled) throw new CliError('CLI.CANCELLED', msg(lang, 'error.cancelled'));
    throw error;
  }
}

export interface Passwords {
  current?: string | undefined;
  next: string;
}

/**
 * The passwords a command needs that its options do not give: asked for on a terminal (the new one
 * twice), else read from stdin one a line, the current one first.
 */
export async function readPasswords(
  ctx: CommandContext,
  given: { current?: string | undefined; next?: string | undefined },
  needsCurrent: boolean,
): Promise<Passwords> {
  const { lang } = ctx;
  const { stdin, stderr } = ctx.deps;
  let current = needsCurrent ? given.current : undefined;
  let next = given.next;
  await prompting(lang, async () => {
    if (stdin.isTTY) {
      if (needsCurrent && current === undefined) current = await askHidden(msg(lang, 'users.askCurrent'), stdin, stderr);
      if (next === undefined) {
        next = await askHidden(msg(lang, 'users.askPassword'), stdin, stderr);
        const again = await askHidden(msg(lang, 'users.askPasswordAgain'), stdin, stderr);
        if (again !== next) throw usageError(lang, 'error.passwordMismatch');
      }
      return;
    }
    const missing = (needsCurrent && current === undefined ? 1 : 0) + (next === undefined ? 1 : 0);
    if (missing === 0) return;
    const lines = await readLines(stdin, missing);
    if (needsCurrent && current === undefined) current = lines.shift();
    if (next === undefined) next = lines.shift();
  });
  if (needsCurrent && !current) throw usageError(lang, 'error.currentPasswordRequired');
  if (!next) throw usageError(lang, 'error.newPasswordRequired');
  return { current, next };
}
