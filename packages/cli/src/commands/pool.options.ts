// From the options of `crm pool ...` to request bodies checked by the core's pool schemas: user names,
// lists, the rule options with `none`, `--level` and `--as-of`.
import { PoolRules, PoolRulesOverride, type Lang } from '@telecrm/core';
import type { ApiClient, PoolRulesSet } from '../client/api-client.js';
import { parseChoice, usageError, validate } from './options.js';
import { parseQuota } from './people.shared.js';

/** `--to a,b --to c` -> `['a', 'b', 'c']`: comma separated and repeatable; blanks dropped. */
export const splitList = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

/** A member list option: absent, `none` for an empty list, or names. */
export function memberList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const list = splitList(values);
  return list.length === 1 && list[0]!.toLowerCase() === 'none' ? [] : list;
}

export interface ResolvedUsers<K extends string> {
  /** The ids of each option's users, in the order given. */
  ids: Record<K, string[]>;
  /** Every user's name by id, for people's tables. */
  names: Map<string, string>;
}

/**
 * Users named on the command line by id or username, found with one list call; names no user has are
 * a usage error that says which, before anything is sent.
 */
export async function resolveUsers<K extends string>(
  client: ApiClient,
  lang: Lang,
  given: Readonly<Record<K, readonly string[]>>,
): Promise<ResolvedUsers<K>> {
  const { items } = await client.listUsers();
  const find = (token: string) =>
    items.find((u) => u.id === token) ??
    items.find((u) => u.username === token) ??
    items.find((u) => u.username.toLowerCase() === token.toLowerCase());
  const ids = {} as Record<K, string[]>;
  for (const option of Object.keys(given) as K[]) {
    const tokens = given[option];
    const unknown = tokens.filter((t) => find(t) === undefined);
    if (unknown.length > 0) throw usageError(lang, 'error.unknownUsers', { option, names: unknown.join(', ') });
    ids[option] = tokens.map((t) => find(t)!.id);
  }
  return { ids, names: new Map(items.map((u) => [u.id, u.displayName || u.username])) };
}

/** `--as-of`: an ISO 8601 time (local when it has no offset), or a date meaning its local midnight. */
export function parseAsOf(text: string | undefined, lang: Lang): string | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  let at: Date;
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    at = new Date(year, month - 1, day);
    // 2025-02-30 would roll over into March: not a date.
    if (at.getMonth() !== month - 1 || at.getDate() !== day) throw usageError(lang, 'error.badAsOf', { value: text });
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    at = new Date(value);
  } else {
    throw usageError(lang, 'error.badAsOf', { value: text });
  }
  if (Number.isNaN(at.getTime())) throw usageError(lang, 'error.badAsOf', { value: text });
  return at.toISOString();
}

// ---- pool rules

export interface RulesSetOptions {
  department?: string;
  holdingLimit?: string;
  dailyClaimLimit?: string;
  protectionDays?: string;
  // Commander reads the leading `no-` of --no-follow-up-days and --no-deal-days as a negation: their
  // values land under these names, which hold `true` when the option is absent.
  followUpDays?: string | boolean;
  dealDays?: string | boolean;
  reminderDays?: string;
  cooldownDays?: string;
  exemptWon?: string;
  exemptLocked?: string;
  level?: string[];
  claimRoles?: string;
}

/** The option each rule comes from, so that messages name what the user typed. */
export const RULE_OPTIONS: Readonly<Record<keyof PoolRules, string>> = {
  holdingLimit: '--holding-limit',
  dailyClaimLimit: '--daily-claim-limit',
  protectionDays: '--protection-days',
  returnNoFollowUpDays: '--no-follow-up-days',
  returnNoDealDays: '--no-deal-days',
  byLevel: '--level',
  exemptWon: '--exempt-won',
  exemptLocked: '--exempt-locked',
  reminderDays: '--reminder-days',
  claimCooldownDays: '--cooldown-days',
  claimRoleIds: '--claim-roles',
};

type LevelRule = PoolRules['byLevel'][string];
/** What `--level` does to one level: sets some of its days, or (`default`) drops it. */
export type LevelChange = LevelRule | 'default';

/** What `crm pool rules set` changes: rules with a plain value, and levels. */
export interface RulesChange {
  fields: Partial<Omit<PoolRules, 'byLevel'>>;
  levels: Map<string, LevelChange>;
}

const LEVEL_KEYS: Record<string, keyof LevelRule> = { nofollowup: 'returnNoFollowUpDays', nodeal: 'returnNoDealDays' };

/** `A=noFollowUp:30,noDeal:none` -> `['A', { returnNoFollowUpDays: 30, returnNoDealDays: null }]`; `A=default`. */
export function parseLevel(text: string, lang: Lang): [string, LevelChange] {
  const bad = () => usageError(lang, 'error.badLevel', { value: text });
  const match = /^([^=]+)=(.+)$/.exec(text);
  const level = match?.[1]!.trim();
  const rest = match?.[2]!.trim();
  if (!level || !rest) throw bad();
  if (rest.toLowerCase() === 'default') return [level, 'default'];
  const rule: LevelRule = {};
  for (const part of rest.split(',')) {
    const pair = /^\s*(\w+)\s*:\s*(\S+)\s*$/.exec(part);
    const key = pair ? LEVEL_KEYS[pair[1]!.toLowerCase()] : undefined;
    if (!pair || !key) throw bad();
    const value = pair[2]!.toLowerCase();
    if (value === 'none') rule[key] = null;
    else if (/^\d+$/.test(value)) rule[key] = Number(value);
    else throw bad();
  }
  return [level, rule];
}

const yesNo = (option: string, value: string | undefined, lang: Lang): boolean | undefined => {
  const choice = parseChoice(option, value, ['yes', 'no'] as const, lang);
  return choice === undefined ? undefined : choice === 'yes';
};

/** The value of a `--no-…-days` option (see RulesSetOptions). */
const negated = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** The rules the options change, each value checked for its shape; no option at all is a usage error. */
export function parseRulesChange(options: RulesSetOptions, lang: Lang): RulesChange {
  const numbers: [keyof RulesChange['fields'], string | undefined][] = [
    ['holdingLimit', options.holdingLimit],
    ['dailyClaimLimit', options.dailyClaimLimit],
    ['protectionDays', options.protectionDays],
    ['returnNoFollowUpDays', negated(options.followUpDays)],
    ['returnNoDealDays', negated(options.dealDays)],
    ['reminderDays', options.reminderDays],
    ['claimCooldownDays', options.cooldownDays],
  ];
  const fields: Record<string, unknown> = {};
  for (const [key, value] of numbers) {
    const parsed = parseQuota(RULE_OPTIONS[key], value, lang);
    if (parsed !== undefined) fields[key] = parsed;
  }
  const exemptWon = yesNo('--exempt-won', options.exemptWon, lang);
  const exemptLocked = yesNo('--exempt-locked', options.exemptLocked, lang);
  if (exemptWon !== undefined) fields.exemptWon = exemptWon;
  if (exemptLocked !== undefined) fields.exemptLocked = exemptLocked;
  if (options.claimRoles !== undefined) {
    // `all`: no role list, everyone holding the claim permission may claim.
    fields.claimRoleIds = options.claimRoles.trim().toLowerCase() === 'all' ? null : splitList([options.claimRoles]);
  }
  const levels = new Map((options.level ?? []).map((text) => parseLevel(text, lang)));
  if (Object.keys(fields).length === 0 && levels.size === 0) throw usageError(lang, 'error.nothingToEdit');
  // Check the values before anything is read from the server; the whole rules are checked again after the merge.
  const byLevel = Object.fromEntries([...levels].filter(([, c]) => c !== 'default'));
  validate(PoolRulesOverride, { ...fields, ...(Object.keys(byLevel).length > 0 ? { byLevel } : {}) }, lang, RULE_OPTIONS);
  return { fields: fields as RulesChange['fields'], levels };
}

/** Levels after the changes: each one's days merged over what it had; `default` drops the level. */
export function mergeLevels(base: PoolRules['byLevel'], levels: ReadonlyMap<string, LevelChange>): PoolRules['byLevel'] {
  const merged: PoolRules['byLevel'] = { ...base };
  for (const [level, change] of levels) {
    if (change === 'default') delete merged[level];
    else merged[level] = { ...merged[level], ...change };
  }
  return merged;
}

/** The company's whole rules after the change (PUT replaces them all), checked by the core schema. */
export function companyRules(current: PoolRules, change: RulesChange, lang: Lang): PoolRules {
  const next = { ...current, ...change.fields, byLevel: mergeLevels(current.byLevel, change.levels) };
  return validate(PoolRules, next, lang, RULE_OPTIONS);
}

/**
 * A department's override after the change: the given rules merged over its current override, its
 * own levels too. Levels it does not name come from above it, day by day (effectivePoolRules).
 */
export function departmentRules(set: PoolRulesSet, departmentId: string, change: RulesChange, lang: Lang): PoolRulesOverride {
  const current = set.departments.find((d) => d.departmentId === departmentId)?.rules ?? {};
  const next: PoolRulesOverride = { ...current, ...change.fields };
  if (change.levels.size > 0) next.byLevel = mergeLevels(current.byLevel ?? {}, change.levels);
  return validate(PoolRulesOverride, next, lang, RULE_OPTIONS);
}

/** The levels a change sets (not the ones it drops): these must be values of the level picklist. */
export const levelsSet = (change: RulesChange): string[] => [...change.levels].filter(([, c]) => c !== 'default').map(([level]) => level);
