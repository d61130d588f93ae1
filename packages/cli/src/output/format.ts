import {
  BUILT_IN_CUSTOMER_FIELDS,
  type ApiKey,
  type AuditEntry,
  type Customer,
  type DataScope,
  type Department,
  type Lang,
  type LoginEntry,
  type Role,
  type User,
  type View,
} from '@telecrm/core';
import type { UserDetail } from '../client/api-client.js';
import { msg } from '../i18n/cli.messages.js';
import type { Cell, CellColour, Column, Field, Row } from './view-model.js';

/** `2025-03-01T08:05:00Z` -> `2025-03-01 16:05` in the terminal's time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Any JSON value as one line of text for people. */
export function formatValue(value: unknown, lang: Lang): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return msg(lang, value ? 'value.yes' : 'value.no');
  if (Array.isArray(value)) return value.map((v) => formatValue(v, lang)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const FOCUS_COLOURS: Record<string, CellColour> = {
  red: 'red',
  orange: 'yellowBright',
  yellow: 'yellow',
  green: 'green',
  blue: 'blue',
  purple: 'magenta',
};

/** A customer field's name for people, from the core's field catalogue. */
export const fieldLabel = (name: string, lang: Lang): string =>
  BUILT_IN_CUSTOMER_FIELDS.find((f) => f.name === name)?.label[lang] ?? name;

/** The words people know for an enum value (公海, 跟进中 ...), else the value itself. */
export const optionLabel = (name: string, value: string, lang: Lang): string =>
  BUILT_IN_CUSTOMER_FIELDS.find((f) => f.name === name)?.optionLabels?.[value]?.[lang] ?? value;

/** How a phone reads for people: the number, then the extension and label when there are any. */
export function formatPhone(phone: Customer['phones'][number] | undefined): string {
  if (!phone) return '';
  let text = phone.number;
  if (phone.extension) text += ` ext. ${phone.extension}`;
  if (phone.label) text += ` (${phone.label})`;
  return text;
}

// ---- customers

/**
 * Table columns of a customer list. The id comes last, whole, because every other command takes it;
 * on a narrow terminal the name, company and owner give up room first.
 */
export function customerColumns(lang: Lang): Column[] {
  return [
    { key: 'name', header: fieldLabel('name', lang), maxWidth: 24, shrink: true },
    { key: 'company', header: fieldLabel('company', lang), maxWidth: 24, shrink: true },
    { key: 'phone', header: msg(lang, 'label.primaryPhone') },
    { key: 'status', header: fieldLabel('status', lang), maxWidth: 12 },
    { key: 'owner', header: fieldLabel('ownerId', lang), maxWidth: 16, shrink: true },
    { key: 'updated', header: fieldLabel('updatedAt', lang) },
    { key: 'id', header: msg(lang, 'label.id') },
  ];
}

/** One table row; `owners` names owner ids (unknown ids show as they are). */
export function customerRow(customer: Customer, owners: ReadonlyMap<string, string> = new Map()): Row {
  const focus = customer.focus ? FOCUS_COLOURS[customer.focus.colour] : undefined;
  return {
    id: { text: customer.id, dim: true },
    name: { text: customer.name, colour: focus, bold: customer.hot },
    company: { text: customer.company ?? '' },
    phone: { text: customer.phones[0]?.number ?? '', colour: customer.wrongNumber ? 'gray' : undefined },
    status: { text: customer.status ?? '' },
    owner: { text: customer.ownerId ? (owners.get(customer.ownerId) ?? customer.ownerId) : '' },
    updated: { text: formatTime(customer.updatedAt), dim: true },
  };
}

const TIME_FIELDS = new Set([
  'protectedUntil',
  'lastContactAt',
  'lastCallAt',
  'lastFollowUpAt',
  'nextFollowUpAt',
  'createdAt',
  'updatedAt',
  'deletedAt',
]);

/** A customer as a key/value list: the fields that have a value, in the order of the record. */
export function customerFields(customer: Customer, lang: Lang, owners: ReadonlyMap<string, string> = new Map()): Field[] {
  const fields: Field[] = [{ label: msg(lang, 'label.id'), value: { text: customer.id, dim: true } }];
  for (const [key, raw] of Object.entries(customer)) {
    if (key === 'id' || key === 'custom' || key === 'contacts') continue;
    if (raw === null || raw === false || (Array.isArray(raw) && raw.length === 0)) continue;
    const name = key === 'focus' ? 'focused' : key;
    let value: Cell;
    if (key === 'phones') value = { text: customer.phones.map(formatPhone).join(', ') };
    else if (key === 'focus') value = { text: customer.focus!.colour, colour: FOCUS_COLOURS[customer.focus!.colour] };
    else if (key === 'name') value = { text: customer.name, bold: true };
    else if (key === 'ownerId' || key === 'createdBy' || key === 'updatedBy') value = { text: owners.get(raw as string) ?? String(raw) };
    else if (TIME_FIELDS.has(key)) value = { text: formatTime(raw as string) };
    else if (key === 'pool' || key === 'dealStatus') value = { text: optionLabel(key, raw as string, lang) };
    else value = { text: formatValue(raw, lang) };
    fields.push({ label: fieldLabel(name, lang), value });
  }
  for (const [key, raw] of Object.entries(customer.custom)) {
    if (raw === null) continue;
    fields.push({ label: `${msg(lang, 'label.custom')} ${key}`, value: { text: formatValue(raw, lang) } });
  }
  for (const contact of customer.contacts) {
    const parts = [contact.title, contact.phone, contact.email, contact.wechat].filter(Boolean).join(', ');
    fields.push({ label: msg(lang, 'label.contacts'), value: { text: parts ? `${contact.name} (${parts})` : contact.name } });
  }
  return fields;
}

// ---- views

export function viewColumns(lang: Lang): Column[] {
  return [
    { key: 'name', header: msg(lang, 'label.viewName'), maxWidth: 24, shrink: true },
    { key: 'shared', header: msg(lang, 'label.shared') },
    { key: 'isDefault', header: msg(lang, 'label.isDefault') },
    { key: 'sort', header: msg(lang, 'label.sort') },
    { key: 'id', header: msg(lang, 'label.id') },
    { key: 'filter', header: msg(lang, 'label.filter'), maxWidth: 60, shrink: true },
  ];
}

export function viewRow(view: View, lang: Lang): Row {
  return {
    id: { text: view.id, dim: true },
    name: { text: view.name, bold: view.isDefault, colour: view.builtIn ? 'cyan' : undefined },
    shared: { text: formatValue(view.shared, lang) },
    isDefault: { text: view.isDefault ? msg(lang, 'value.yes') : '' },
    sort: { text: view.sort ? `${view.sort.field}:${view.sort.direction}` : '' },
    filter: { text: view.filter ? JSON.stringify(view.filter) : '', dim: true },
  };
}

export function viewFields(view: View, lang: Lang): Field[] {
  const row = viewRow(view, lang);
  return [
    ...viewColumns(lang).map((column) => ({ label: column.header, value: row[column.key]! })),
    { label: msg(lang, 'label.builtIn'), value: { text: formatValue(view.builtIn, lang) } },
    { label: msg(lang, 'label.columns'), value: { text: view.columns.join(', ') } },
  ];
}

// ---- users

export function userFields(user: User, lang: Lang): Field[] {
  return [
    { label: msg(lang, 'label.id'), value: { text: user.id, dim: true } },
    { label: msg(lang, 'label.username'), value: { text: user.username, bold: true } },
    { label: msg(lang, 'label.displayName'), value: { text: user.displayName } },
    { label: msg(lang, 'label.isAdmin'), value: { text: formatValue(user.isAdmin, lang) } },
    { label: msg(lang, 'label.departmentId'), value: { text: user.departmentId ?? '' } },
    { label: msg(lang, 'label.userStatus'), value: { text: user.status, colour: user.status === 'active' ? 'green' : 'red' } },
  ];
}

// ---- people and access

/** Names of ids for people's tables (unknown ids show as they are). */
export interface Names {
  users?: ReadonlyMap<string, string>;
  departments?: ReadonlyMap<string, string>;
  roles?: ReadonlyMap<string, string>;
  /** Public pools (公海池). */
  pools?: ReadonlyMap<string, string>;
}

export const named = (map: ReadonlyMap<string, string> | undefined, id: string | null | undefined): string =>
  id ? (map?.get(id) ?? id) : '';

/**
 * Items of a tree (a flat list with parent ids) in depth-first order with their depth; an item whose
 * parent is missing counts as a root, and a cycle cannot loop.
 */
export function treeOrder<T extends { id: string; parentId: string | null }>(items: readonly T[]): { item: T; depth: number }[] {
  const ids = new Set(items.map((i) => i.id));
  const children = new Map<string | null, T[]>();
  for (const item of items) {
    const parent = item.parentId !== null && ids.has(item.parentId) ? item.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), item]);
  }
  const ordered: { item: T; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const item of children.get(parent) ?? []) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      ordered.push({ item, depth });
      visit(item.id, depth + 1);
    }
  };
  visit(null, 0);
  // Items caught in a cycle have no root above them: list them at the end rather than drop them.
  for (const item of items) if (!seen.has(item.id)) ordered.push({ item, depth: 0 });
  return ordered;
}

const indent = (depth: number): string => '  '.repeat(depth);

export function userColumns(lang: Lang): Column[] {
  return [
    { key: 'username', header: msg(lang, 'label.username'), maxWidth: 20, shrink: true },
    { key: 'displayName', header: msg(lang, 'label.displayName'), maxWidth: 20, shrink: true },
    { key: 'department', header: msg(lang, 'label.departmentId'), maxWidth: 20, shrink: true },
    { key: 'role', header: msg(lang, 'label.role'), maxWidth: 16, shrink: true },
    { key: 'isAdmin', header: msg(lang, 'label.isAdmin') },
    { key: 'status', header: msg(lang, 'label.userStatus') },
    { key: 'id', header: msg(lang, 'label.id') },
  ];
}

const statusCell = (user: User, lang: Lang): Cell => ({
  text: msg(lang, user.status === 'active' ? 'value.active' : 'value.disabled'),
  colour: user.status === 'active' ? 'green' : 'red',
});

export function userRow(user: User, lang: Lang, names: Names = {}): Row {
  return {
    id: { text: user.id, dim: true },
    username: { text: user.username, bold: true },
    displayName: { text: user.displayName },
    department: { text: named(names.departments, user.departmentId) },
    role: { text: named(names.roles, user.roleId) },
    isAdmin: { text: user.isAdmin ? msg(lang, 'value.yes') : '' },
    status: statusCell(user, lang),
  };
}

/** One user with role, quotas and creation time, as `crm users show` prints it. */
export function userDetailFields(user: User | UserDetail, lang: Lang, names: Names = {}): Field[] {
  const fields: Field[] = [
    { label: msg(lang, 'label.id'), value: { text: user.id, dim: true } },
    { label: msg(lang, 'label.username'), value: { text: user.username, bold: true } },
    { label: msg(lang, 'label.displayName'), value: { text: user.displayName } },
    { label: msg(lang, 'label.isAdmin'), value: { text: formatValue(user.isAdmin, lang) } },
    { label: msg(lang, 'label.departmentId'), value: { text: named(names.departments, user.departmentId) } },
    { label: msg(lang, 'label.role'), value: { text: named(names.roles, user.roleId) } },
    { label: msg(lang, 'label.userStatus'), value: statusCell(user, lang) },
  ];
  if ('quotaCalls' in user) {
    const quota = (value: number | null) => ({ text: value === null ? msg(lang, 'value.noQuota') : String(value) });
    fields.push({ label: msg(lang, 'label.quotaCalls'), value: quota(user.quotaCalls) });
    fields.push({ label: msg(lang, 'label.quotaMinutes'), value: quota(user.quotaMinutes) });
  }
  fields.push({ label: msg(lang, 'label.createdAt'), value: { text: formatTime(user.createdAt), dim: true } });
  return fields;
}

export function departmentColumns(lang: Lang): Column[] {
  return [
    { key: 'name', header: msg(lang, 'label.departmentName'), maxWidth: 40, shrink: true },
    { key: 'created', header: msg(lang, 'label.createdAt') },
    { key: 'id', header: msg(lang, 'label.id') },
  ];
}

export function departmentRow(department: Department, depth = 0): Row {
  return {
    id: { text: department.id, dim: true },
    name: { text: `${indent(depth)}${department.name}`, bold: depth === 0 },
    created: { text: formatTime(department.createdAt), dim: true },
  };
}

export function departmentFields(department: Department, lang: Lang, names: Names = {}): Field[] {
  return [
    { label: msg(lang, 'label.id'), value: { text: department.id, dim: true } },
    { label: msg(lang, 'label.departmentName'), value: { text: department.name, bold: true } },
    { label: msg(lang, 'label.parent'), value: { text: named(names.departments, department.parentId) } },
    { label: msg(lang, 'label.createdAt'), value: { text: formatTime(department.createdAt), dim: true } },
  ];
}

const scopeLabel = (scope: DataScope, lang: Lang): string => msg(lang, `scope.${scope}`);

export function roleColumns(lang: Lang): Column[] {
  return [
    { key: 'name', header: msg(lang, 'label.roleName'), maxWidth: 32, shrink: true },
    { key: 'scope', header: msg(lang, 'label.dataScope') },
    { key: 'permissions', header: msg(lang, 'label.permissions') },
    { key: 'system', header: msg(lang, 'label.system') },
    { key: 'id', header: msg(lang, 'label.id') },
  ];
}

export function roleRow(role: Role, lang: Lang, depth = 0): Row {
  return {
    id: { text: role.id, dim: true },
    name: { text: `${indent(depth)}${role.name}`, bold: depth === 0, colour: role.system ? 'cyan' : undefined },
    scope: { text: scopeLabel(role.dataScope, lang) },
    permissions: { text: String(role.permissions.length) },
    system: { text: role.system ? msg(lang, 'value.yes') : '' },
  };
}

/** `{ customer: { phones: 'read' } }` -> `customer.phones=read`, one entry a line. */
export const formatFieldPermissions = (role: Pick<Role, 'fieldPermissions'>): string[] =>
  Object.entries(role.fieldPermissions).flatMap(([module, fields]) =>
    Object.entries(fields ?? {}).map(([field, access]) => `${module}.${field}=${access}`),
  );

export function roleFields(role: Role, lang: Lang, names: Names = {}): Field[] {
  return [
    { label: msg(lang, 'label.id'), value: { text: role.id, dim: true } },
    { label: msg(lang, 'label.roleName'), value: { text: role.name, bold: true } },
    { label: msg(lang, 'label.roleKey'), value: { text: role.key ?? '' } },
    { label: msg(lang, 'label.parent'), value: { text: named(names.roles, role.parentId) } },
    { label: msg(lang, 'label.dataScope'), value: { text: `${scopeLabel(role.dataScope, lang)} (${role.dataScope})` } },
    { label: msg(lang, 'label.permissions'), value: { text: role.permissions.join(', ') } },
    { label: msg(lang, 'label.fieldPermissions'), value: { text: formatFieldPermissions(role).join(', ') } },
    { label: msg(lang, 'label.system'), value: { text: formatValue(role.system, lang) } },
    { label: msg(lang, 'label.createdAt'), value: { text: formatTime(role.createdAt), dim: true } },
  ];
}

/** Whether a key still works at `now`: revoked and expired keys do not. */
function keyState(key: ApiKey, now: Date): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export function keyColumns(lang: Lang): Column[] {
  return [
    { key: 'name', header: msg(lang, 'label.keyName'), maxWidth: 24, shrink: true },
    { key: 'prefix', header: msg(lang, 'label.prefix') },
    { key: 'state', header: msg(lang, 'label.userStatus') },
    { key: 'expires', header: msg(lang, 'label.expiresAt') },
    { key: 'lastUsed', header: msg(lang, 'label.lastUsedAt') },
    { key: 'permissions', header: msg(lang, 'label.permissions'), maxWidth: 40, shrink: true },
    { key: 'id', header: msg(lang, 'label.id') },
  ];
}

export function keyRow(key: ApiKey, lang: Lang, now = new Date()): Row {
  const state = keyState(key, now);
  return {
    id: { text: key.id, dim: true },
    name: { text: key.name, bold: state === 'active' },
    prefix: { text: `${key.prefix}…` },
    state: { text: msg(lang, `value.key.${state}`), colour: state === 'active' ? 'green' : 'gray' },
    expires: { text: key.expiresAt ? formatTime(key.expiresAt) : msg(lang, 'value.never') },
    lastUsed: { text: formatTime(key.lastUsedAt), dim: true },
    permissions: { text: key.permissions.join(', '), dim: true },
  };
}

export function keyFields(key: ApiKey, lang: Lang, now = new Date()): Field[] {
  const row = keyRow(key, lang, now);
  return keyColumns(lang).map((column) => ({ label: column.header, value: row[column.key]! }));
}

export function auditColumns(lang: Lang): Column[] {
  return [
    { key: 'at', header: msg(lang, 'label.at') },
    { key: 'actor', header: msg(lang, 'label.actor'), maxWidth: 16, shrink: true },
    { key: 'action', header: msg(lang, 'label.action') },
    { key: 'entityId', header: msg(lang, 'label.entityId') },
    { key: 'changes', header: msg(lang, 'label.changes'), maxWidth: 40, shrink: true },
  ];
}

export function auditRow(entry: AuditEntry, lang: Lang, names: Names = {}): Row {
  const actor = entry.actorId ? named(names.users, entry.actorId) : msg(lang, 'value.system');
  return {
    at: { text: formatTime(entry.at), dim: true },
    actor: { text: entry.via === 'key' ? `${actor} (${msg(lang, 'value.viaKey')})` : actor },
    action: { text: entry.action, bold: true },
    entityId: { text: entry.entityId ?? '', dim: true },
    changes: { text: Object.keys(entry.changes).join(', ') },
  };
}

export function loginColumns(lang: Lang): Column[] {
  return [
    { key: 'at', header: msg(lang, 'label.at') },
    { key: 'username', header: msg(lang, 'label.username'), maxWidth: 20, shrink: true },
    { key: 'result', header: msg(lang, 'label.result') },
    { key: 'address', header: msg(lang, 'label.address') },
    { key: 'reason', header: msg(lang, 'label.reason') },
    { key: 'agent', header: msg(lang, 'label.agent'), maxWidth: 40, shrink: true },
  ];
}

export function loginRow(entry: LoginEntry, lang: Lang): Row {
  return {
    at: { text: formatTime(entry.at), dim: true },
    username: { text: entry.username, bold: true },
    result: entry.success
      ? { text: msg(lang, 'value.loginOk'), colour: 'green' }
      : { text: msg(lang, 'value.loginFailed'), colour: 'red' },
    address: { text: entry.address ?? '' },
    reason: { text: entry.reason ?? '' },
    agent: { text: entry.agent ?? '', dim: true },
  };
}
