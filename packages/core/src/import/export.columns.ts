import type { CountryCode } from 'libphonenumber-js/max';
import { localTimeFormatter } from '../view/time.rules.js';
import type { Customer } from '../customer/customer.schema.js';
import type { CatalogueField } from '../fields/field.catalogue.js';
import type { Lang } from '../i18n/messages.js';
import { nationalPhone } from '../phone/phone.rules.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';
import { neutraliseCell } from './export.cells.js';

/** The columns of an export when neither the request nor its view names any. */
export const DEFAULT_EXPORT_FIELDS = [
  'name',
  'phones',
  'company',
  'wechat',
  'email',
  'source',
  'industry',
  'region',
  'status',
  'stage',
  'level',
  'tags',
  'remark',
  'pool',
  'ownerId',
  'dealStatus',
  'lastContactAt',
  'lastCallResult',
  'nextFollowUpAt',
  'createdAt',
] as const;

export interface ExportColumn {
  field: CatalogueField;
  header: string;
}

/**
 * The columns of an export, from the fields the caller may see (`catalogue` has the hidden ones
 * removed): the requested ones in their order, else the default ones followed by every custom field.
 * A requested field the caller cannot see is refused like an unknown one, so exports reveal nothing.
 */
export function exportColumns(
  catalogue: ReadonlyMap<string, CatalogueField>,
  requested: readonly string[] | undefined,
  lang: Lang,
): Result<ExportColumn[], DomainError> {
  let names: string[];
  if (requested && requested.length > 0) {
    const unknown = requested.find((name) => !catalogue.has(name));
    if (unknown !== undefined) return err({ code: 'FILTER.UNKNOWN_FIELD', field: 'fields', params: { value: unknown } });
    names = [...new Set(requested)];
  } else {
    const custom = [...catalogue.keys()].filter((name) => name.startsWith('custom.'));
    names = [...DEFAULT_EXPORT_FIELDS.filter((name) => catalogue.has(name)), ...custom];
  }
  return ok(names.map((name) => ({ field: catalogue.get(name)!, header: catalogue.get(name)!.label[lang] })));
}

export interface ExportCellContext {
  lang: Lang;
  timeZone: string;
  phoneRegion: CountryCode;
  /** Display names of users by id, for owner and creator columns. */
  userNames: ReadonlyMap<string, string>;
}

/** A cell of an export: text (guarded against formula injection), a number, or empty. */
export type ExportCell = string | number | null;

const YES_NO = { 'zh-CN': ['是', '否'], en: ['yes', 'no'] } as const;

/** One formatter a zone, kept across exports: each remembers the zone's offsets it looked up. */
const localTimeFormatters = new Map<string, ReturnType<typeof localTimeFormatter>>();
function localTimeIn(timeZone: string): ReturnType<typeof localTimeFormatter> {
  let format = localTimeFormatters.get(timeZone);
  if (!format) localTimeFormatters.set(timeZone, (format = localTimeFormatter(timeZone)));
  return format;
}

/**
 * One cell of an exported customer, written the way people read it: labels instead of codes, names
 * instead of user ids, times in the company's zone, numbers in their national form. Every text that a
 * spreadsheet would run as a formula is neutralised (see neutraliseCell).
 */
export function exportCell(customer: Customer, field: CatalogueField, ctx: ExportCellContext): ExportCell {
  const value = rawValue(customer, field);
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  return neutraliseCell(textOf(value, field, ctx));
}

function rawValue(customer: Customer, field: CatalogueField): unknown {
  if (field.custom) return customer.custom[field.custom.key];
  if (field.name === 'focused') return customer.focus?.colour ?? null;
  return (customer as unknown as Record<string, unknown>)[field.name];
}

function textOf(value: unknown, field: CatalogueField, ctx: ExportCellContext): string {
  switch (field.kind) {
    case 'phone':
      return (value as Customer['phones'])
        .map((p) => `${nationalPhone(p.number, ctx.phoneRegion)}${p.extension ? `-${p.extension}` : ''}`)
        .join(', ');
    case 'boolean':
      return YES_NO[ctx.lang][value ? 0 : 1];
    case 'enum':
      return field.optionLabels?.[String(value)]?.[ctx.lang] ?? String(value);
    case 'user':
      return ctx.userNames.get(String(value)) ?? String(value);
    case 'datetime':
      return localTimeIn(ctx.timeZone)(String(value)) ?? String(value);
    default:
      return Array.isArray(value) ? value.join(', ') : String(value);
  }
}
