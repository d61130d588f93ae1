import { BUILT_IN_CUSTOMER_FIELDS, type Customer, type Lang, type User, type View } from '@telecrm/core';
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
const fieldLabel = (name: string, lang: Lang): string =>
  BUILT_IN_CUSTOMER_FIELDS.find((f) => f.name === name)?.label[lang] ?? name;

/** The words people know for an enum value (公海, 跟进中 ...), else the value itself. */
const optionLabel = (name: string, value: string, lang: Lang): string =>
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
