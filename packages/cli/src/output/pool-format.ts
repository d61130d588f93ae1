// What people see of the pools: move reports, assignments, the journey, rules, holdings and returns.
import type { Lang, Pool, PoolEvent, PoolRules, PoolRulesOverride, PublicPool, ReturnRule } from '@telecrm/core';
import type { AssignReport, DueCustomer, Holding, MoveReport } from '../client/api-client.js';
import { msg } from '../i18n/cli.messages.js';
import { formatTime, formatValue, named, optionLabel, type Names } from './format.js';
import { formatCount } from './import-format.js';
import type { Cell, CellColour, Column, Field, Row } from './view-model.js';

/** The bulk moves that answer with a MoveReport. */
export type MoveKind = 'claim' | 'release' | 'validate' | 'transfer';

const NONE = '—';

/** Between the items of a one-line list of rules. */
const SEPARATOR: Record<Lang, string> = { 'zh-CN': '；', en: '; ' };

// ---- bulk moves

export function moveColumns(lang: Lang): Column[] {
  return [
    { key: 'name', header: msg(lang, 'label.customer'), maxWidth: 24, shrink: true },
    { key: 'customer', header: msg(lang, 'label.customerId') },
    { key: 'result', header: msg(lang, 'label.result'), maxWidth: 80, shrink: true },
  ];
}

/** One row per customer: its name when the caller may see it, what became of it, in words (the server's message when it failed). */
export function moveRows(report: MoveReport, kind: MoveKind, lang: Lang): Row[] {
  return report.results.map((r) => ({
    name: { text: r.name ?? '', dim: !r.ok },
    customer: { text: r.customerId, dim: !r.ok },
    result: r.ok ? { text: msg(lang, `value.moved.${kind}`), colour: 'green' } : { text: r.error?.message ?? r.error?.code ?? '', colour: 'red' },
  }));
}

/** `Claimed 7 of 10 customers.` */
export const moveSummary = (report: MoveReport, kind: MoveKind, lang: Lang): string =>
  msg(lang, `pool.${kind}Summary`, { moved: formatCount(report.moved, lang), total: formatCount(report.results.length, lang) });

// ---- assignment

/** How many customers each agent got, in the order they were given, with why an agent was skipped. */
export function assignTable(report: AssignReport, agentIds: readonly string[], lang: Lang, names: Names = {}): { columns: Column[]; rows: Row[] } {
  const counts = new Map<string, number>();
  for (const a of report.assigned) counts.set(a.agentId, (counts.get(a.agentId) ?? 0) + 1);
  const skipped = new Map(report.skippedAgents.map((s) => [s.agentId, s.reason]));
  return {
    columns: [
      { key: 'agent', header: msg(lang, 'label.salesAgent'), maxWidth: 24, shrink: true },
      { key: 'assigned', header: msg(lang, 'label.assignedCount') },
      { key: 'note', header: msg(lang, 'label.note') },
    ],
    rows: [...new Set(agentIds)].map((id) => {
      const count = counts.get(id) ?? 0;
      const reason = skipped.get(id);
      return {
        agent: { text: named(names.users, id), bold: count > 0 },
        assigned: { text: formatCount(count, lang), dim: count === 0 },
        note: reason ? { text: msg(lang, `value.skipped.${reason}`), colour: 'yellow' } : { text: '' },
      };
    }),
  };
}

/** The customers not assigned, each with the server's reason. */
export function unplacedTable(report: AssignReport, lang: Lang): { columns: Column[]; rows: Row[] } {
  return {
    columns: [
      { key: 'customer', header: msg(lang, 'label.customerId') },
      { key: 'reason', header: msg(lang, 'label.reason'), maxWidth: 80, shrink: true },
    ],
    rows: report.unplaced.map((u) => ({
      customer: { text: u.customerId, dim: true },
      reason: { text: u.error.message || u.error.code, colour: 'red' },
    })),
  };
}

/** `王五: at the holding limit`, one line per agent skipped. */
export const skippedLines = (report: AssignReport, lang: Lang, names: Names = {}): string[] =>
  report.skippedAgents.map((s) => msg(lang, 'pool.skippedAgent', { agent: named(names.users, s.agentId), reason: msg(lang, `value.skipped.${s.reason}`) }));

// ---- journey

export const poolActionLabel = (action: PoolEvent['action'], lang: Lang): string => msg(lang, `value.poolAction.${action}`);

export const returnRuleLabel = (rule: ReturnRule, lang: Lang): string => msg(lang, `value.returnRule.${rule}`);

/** A pool in words; the public pool with its name when it is known: `公海（华东公海）`. */
function poolText(pool: Pool | null, publicPoolId: string | null, lang: Lang, names: Names): string {
  if (pool === null) return NONE;
  const label = optionLabel('pool', pool, lang);
  const name = pool === 'public' && publicPoolId ? names.pools?.get(publicPoolId) : undefined;
  return name ? msg(lang, 'pool.namedPool', { pool: label, name }) : label;
}

/** `A → B`, or nothing when neither side has a value. */
function change<T extends string>(from: T | null, to: T | null, show: (value: T | null) => string): string {
  if (from === null && to === null) return '';
  return `${show(from)} → ${show(to)}`;
}

export function journeyColumns(lang: Lang): Column[] {
  return [
    { key: 'at', header: msg(lang, 'label.at') },
    { key: 'action', header: msg(lang, 'label.action') },
    { key: 'pool', header: msg(lang, 'label.poolMove'), maxWidth: 40, shrink: true },
    { key: 'owner', header: msg(lang, 'label.ownerMove'), maxWidth: 32, shrink: true },
    { key: 'detail', header: msg(lang, 'label.ruleOrReason'), maxWidth: 24, shrink: true },
    { key: 'actor', header: msg(lang, 'label.actor'), maxWidth: 16, shrink: true },
  ];
}

export function journeyRow(event: PoolEvent, lang: Lang, names: Names = {}): Row {
  const colour: CellColour | undefined = event.action === 'return' || event.action === 'release' ? 'yellow' : event.toPool === 'private' ? 'green' : undefined;
  return {
    at: { text: formatTime(event.at), dim: true },
    action: { text: poolActionLabel(event.action, lang), colour, bold: true },
    pool: { text: change(event.fromPool, event.toPool, (pool) => poolText(pool, event.publicPoolId, lang, names)) },
    owner: { text: change(event.fromOwnerId, event.toOwnerId, (id) => (id === null ? NONE : named(names.users, id))) },
    detail: { text: event.rule ? returnRuleLabel(event.rule, lang) : (event.reason ?? '') },
    actor: { text: event.actorId ? named(names.users, event.actorId) : msg(lang, 'value.system'), dim: event.actorId === null },
  };
}

// ---- rules

/** The rule fields in the order people read them. */
export const RULE_KEYS = [
  'holdingLimit',
  'dailyClaimLimit',
  'protectionDays',
  'returnNoFollowUpDays',
  'returnNoDealDays',
  'byLevel',
  'exemptWon',
  'exemptLocked',
  'reminderDays',
  'claimCooldownDays',
  'claimRoleIds',
] as const satisfies readonly (keyof PoolRules)[];

const days = (value: number | null | undefined, lang: Lang): string =>
  value === undefined ? msg(lang, 'value.asGeneral') : value === null ? msg(lang, 'value.noLimit') : String(value);

/** One rule's value in words: `不限` for null, levels as `A：未跟进 30，未成交 不限`, role names. */
export function ruleText<K extends keyof PoolRules>(key: K, value: PoolRules[K], lang: Lang, names: Names = {}): string {
  if (value === null) return msg(lang, key === 'claimRoleIds' ? 'value.anyClaimer' : 'value.noLimit');
  if (key === 'byLevel') {
    const levels = Object.entries(value as PoolRules['byLevel']);
    if (levels.length === 0) return msg(lang, 'value.noneSet');
    return levels
      .map(([level, rule]) => msg(lang, 'pool.levelRule', { level, noFollowUp: days(rule.returnNoFollowUpDays, lang), noDeal: days(rule.returnNoDealDays, lang) }))
      .join(SEPARATOR[lang]);
  }
  if (key === 'claimRoleIds') return (value as string[]).map((id) => named(names.roles, id)).join(', ') || msg(lang, 'value.noneSet');
  return formatValue(value, lang);
}

/** The rules a record shows: every field of the company's, only the ones a department overrides. */
export function poolRulesFields(rules: PoolRulesOverride, lang: Lang, names: Names = {}): Field[] {
  return RULE_KEYS.filter((key) => rules[key] !== undefined).map((key) => ({
    label: msg(lang, `label.rule.${key}`),
    value: { text: ruleText(key, rules[key]!, lang, names), dim: rules[key] === null },
  }));
}

/** `客户数上限 50; 保护期(天) 3`: an override on one line. */
export const overrideSummary = (rules: PoolRulesOverride, lang: Lang, names: Names = {}): string =>
  poolRulesFields(rules, lang, names)
    .map((f) => `${f.label} ${f.value.text}`)
    .join(SEPARATOR[lang]);

/** The departments' overrides as a table: the department, then what it changes. */
export function overridesTable(
  departments: readonly { departmentId: string; rules: PoolRulesOverride }[],
  lang: Lang,
  names: Names = {},
): { columns: Column[]; rows: Row[] } {
  return {
    columns: [
      { key: 'department', header: msg(lang, 'label.departmentName'), maxWidth: 24, shrink: true },
      { key: 'overrides', header: msg(lang, 'label.overrides'), maxWidth: 100, shrink: true },
    ],
    rows: departments.map((d) => ({
      department: { text: named(names.departments, d.departmentId), bold: true },
      overrides: { text: overrideSummary(d.rules, lang, names) },
    })),
  };
}

// ---- holdings and returns

const BAR_CELLS = 10;

/** `██████░░░░ 60%`, yellow from 80%, red at the limit; nothing without a limit. */
export function usageCell(holding: number, limit: number | null): Cell {
  if (limit === null) return { text: '' };
  const percent = limit === 0 ? 100 : Math.round((holding / limit) * 100);
  const filled = Math.min(BAR_CELLS, Math.round((Math.min(percent, 100) / 100) * BAR_CELLS));
  const colour: CellColour = percent >= 100 ? 'red' : percent >= 80 ? 'yellow' : 'green';
  return { text: `${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)} ${percent}%`, colour };
}

export function holdingColumns(lang: Lang): Column[] {
  return [
    { key: 'agent', header: msg(lang, 'label.salesAgent'), maxWidth: 24, shrink: true },
    { key: 'holding', header: msg(lang, 'label.holding') },
    { key: 'limit', header: msg(lang, 'label.limit') },
    { key: 'usage', header: msg(lang, 'label.usage') },
  ];
}

export function holdingRow(item: Holding, lang: Lang): Row {
  return {
    agent: { text: item.name, bold: true },
    holding: { text: formatCount(item.holding, lang) },
    limit: item.limit === null ? { text: msg(lang, 'value.noLimit'), dim: true } : { text: formatCount(item.limit, lang) },
    usage: usageCell(item.holding, item.limit),
  };
}

export function dueColumns(lang: Lang): Column[] {
  return [
    { key: 'customer', header: msg(lang, 'label.customer'), maxWidth: 24, shrink: true },
    { key: 'owner', header: msg(lang, 'label.ownerMove'), maxWidth: 16, shrink: true },
    { key: 'rule', header: msg(lang, 'label.rule') },
    { key: 'due', header: msg(lang, 'label.dueAt') },
    { key: 'pool', header: msg(lang, 'label.publicPool'), maxWidth: 16, shrink: true },
    { key: 'id', header: msg(lang, 'label.id') },
  ];
}

export function dueRow(item: DueCustomer, lang: Lang, names: Names = {}, now = new Date()): Row {
  const overdue = new Date(item.dueAt).getTime() <= now.getTime();
  return {
    customer: { text: item.name, bold: true },
    owner: { text: named(names.users, item.ownerId) },
    rule: { text: returnRuleLabel(item.rule, lang) },
    due: { text: formatTime(item.dueAt), colour: overdue ? 'red' : 'yellow' },
    pool: { text: named(names.pools, item.publicPoolId) },
    id: { text: item.customerId, dim: true },
  };
}

// ---- public pools

/** Who may claim from a pool: its departments and users, or everyone when it names none. */
function members(pool: PublicPool, lang: Lang, names: Names): string {
  const all = [...pool.departmentIds.map((id) => named(names.departments, id)), ...pool.userIds.map((id) => named(names.users, id))];
  return all.length ? all.join(', ') : msg(lang, 'value.everyone');
}

export function publicPoolColumns(lang: Lang): Column[] {
  return [
    { key: 'name', header: msg(lang, 'label.poolName'), maxWidth: 24, shrink: true },
    { key: 'isDefault', header: msg(lang, 'label.isDefault') },
    { key: 'members', header: msg(lang, 'label.members'), maxWidth: 40, shrink: true },
    { key: 'rules', header: msg(lang, 'label.claimRules'), maxWidth: 40, shrink: true },
    { key: 'id', header: msg(lang, 'label.id') },
  ];
}

export function publicPoolRow(pool: PublicPool, lang: Lang, names: Names = {}): Row {
  return {
    id: { text: pool.id, dim: true },
    name: { text: pool.name, bold: pool.isDefault },
    isDefault: { text: pool.isDefault ? msg(lang, 'value.yes') : '' },
    members: { text: members(pool, lang, names) },
    rules: { text: overrideSummary(pool.rules, lang, names), dim: true },
  };
}

export function publicPoolFields(pool: PublicPool, lang: Lang, names: Names = {}): Field[] {
  const list = (ids: readonly string[], map: ReadonlyMap<string, string> | undefined) =>
    ids.length ? ids.map((id) => named(map, id)).join(', ') : msg(lang, 'value.noneSet');
  return [
    { label: msg(lang, 'label.id'), value: { text: pool.id, dim: true } },
    { label: msg(lang, 'label.poolName'), value: { text: pool.name, bold: true } },
    { label: msg(lang, 'label.isDefault'), value: { text: formatValue(pool.isDefault, lang) } },
    { label: msg(lang, 'label.members'), value: { text: members(pool, lang, names) } },
    { label: msg(lang, 'label.memberDepartments'), value: { text: list(pool.departmentIds, names.departments) } },
    { label: msg(lang, 'label.memberUsers'), value: { text: list(pool.userIds, names.users) } },
    { label: msg(lang, 'label.claimRules'), value: { text: overrideSummary(pool.rules, lang, names) || msg(lang, 'value.noneSet') } },
    { label: msg(lang, 'label.createdAt'), value: { text: formatTime(pool.createdAt), dim: true } },
    { label: msg(lang, 'label.updatedAt'), value: { text: formatTime(pool.updatedAt), dim: true } },
  ];
}
