import type { CountryCode } from 'libphonenumber-js/max';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { CustomField } from '../fields/field.schema.js';
import type { PicklistName } from '../picklist/picklist.schema.js';
import { checkPicklistValue, type PicklistIndex } from '../picklist/picklist.rules.js';
import { normalisePhone, type NormalisedPhone } from '../phone/phone.rules.js';
import { checkCustomValue } from '../customer/customer.rules.js';
import type { CustomValue } from '../customer/customer.schema.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';
import { cleanText, foldFullWidth } from '../shared/text.js';
import type { ImportMapping } from './import.mapping.js';

/** A cell as a spreadsheet reader hands it over. */
export type ImportCell = string | number | Date | null | undefined;

export interface ImportRowContext {
  picklists: PicklistIndex;
  /** Per list, alias -> configured value, e.g. `{ source: { 百度: '网络推广' } }`. */
  aliases?: Partial<Record<PicklistName, Readonly<Record<string, string>>>>;
  customFields: readonly CustomField[];
  phoneRegion: CountryCode;
  /** The company's zone: dates without an offset are wall-clock times there. */
  timeZone: string;
}

/** The customer fields a row sets: only the columns that hold a value (a blank cell sets nothing). */
export interface ImportedFields {
  name?: string;
  company?: string;
  wechat?: string;
  email?: string;
  source?: string;
  industry?: string;
  region?: string;
  status?: string;
  stage?: string;
  level?: string;
  tags?: string[];
  remark?: string;
  /** A stored instant (UTC ISO). */
  nextFollowUpAt?: string;
  custom?: Record<string, CustomValue>;
}

export interface ImportRow {
  fields: ImportedFields;
  /** Distinct numbers, in column order; at least one. */
  phones: NormalisedPhone[];
}

/** Why a row fails: a domain error plus the column header and the cell text it is about. */
export interface ImportRowError extends DomainError {
  column: string | null;
  value: string | null;
}

export type ImportRowOutcome = Result<ImportRow, ImportRowError> | { skip: 'blank' };

/** Separators of several values in one cell: tags, multi-select options, phone numbers. */
export const LIST_SEPARATORS = /[,，;；、|]/;
const PHONE_SEPARATORS = /[,，;；、|\r\n]/;

const PICKLIST_TARGETS = ['source', 'industry', 'region', 'status', 'stage', 'level'] as const;
const TEXT_TARGETS = ['name', 'company', 'wechat', 'remark'] as const;
const emailSchema = z.email();

/**
 * Turns one data row into customer fields and normalised phones. Cells are trimmed and full-width
 * folded; picklist values must match a configured value (or one of its aliases) exactly; the first
 * problem fails the row, naming the column and the cell. A row whose cells are all blank is skipped.
 *
 * @example normaliseImportRow(['张三', 13800138000], mapping, ctx)
 *   // ok: { fields: { name: '张三' }, phones: [{ e164: '+8613800138000', kind: 'mobile' }] }
 */
export function normaliseImportRow(
  cells: readonly ImportCell[],
  mapping: ImportMapping,
  ctx: ImportRowContext,
): ImportRowOutcome {
  if (cells.every((c) => cellText(c) === undefined)) return { skip: 'blank' };
  const fields: ImportedFields = {};
  const phones: NormalisedPhone[] = [];
  const customByKey = new Map(ctx.customFields.filter((f) => f.module === 'customer' && !f.hidden).map((f) => [f.key, f]));

  for (const column of mapping.columns) {
    const target = column.target;
    if (target === null) continue;
    const cell = cells[column.index];
    const text = cellText(cell);
    if (text === undefined) continue;
    const fail = (error: DomainError) => err<ImportRowError>(rowError(error, column.header, text));

    if (target === 'phones') {
      for (const part of phoneParts(cell)) {
        const normalised = normalisePhone(part, ctx.phoneRegion);
        if (!normalised.ok) return fail({ ...normalised.error, field: 'phones', params: { value: part } });
        if (!phones.some((p) => p.e164 === normalised.value.e164)) phones.push(normalised.value);
      }
    } else if ((TEXT_TARGETS as readonly string[]).includes(target)) {
      fields[target as (typeof TEXT_TARGETS)[number]] = text;
    } else if (target === 'email') {
      const email = text.toLowerCase();
      if (!emailSchema.safeParse(email).success) return fail({ code: 'VALIDATION.FORMAT', field: 'email', params: { expected: 'email' } });
      fields.email = email;
    } else if ((PICKLIST_TARGETS as readonly string[]).includes(target)) {
      const list = target as (typeof PICKLIST_TARGETS)[number];
      const checked = checkWithAlias(ctx, list, text);
      if (!checked.ok) return fail(checked.error);
      fields[list] = checked.value;
    } else if (target === 'tags') {
      const tags: string[] = [];
      for (const raw of text.split(LIST_SEPARATORS)) {
        const tag = cleanText(raw);
        if (!tag) continue;
        const checked = checkWithAlias(ctx, 'tags', tag);
        if (!checked.ok) return fail({ ...checked.error, params: { ...checked.error.params, value: tag } });
        if (!tags.includes(checked.value)) tags.push(checked.value);
      }
      if (tags.length) fields.tags = tags;
    } else if (target === 'nextFollowUpAt') {
      const when = parseImportDate(cell, ctx.timeZone);
      if (!when) return fail({ code: 'VALIDATION.TYPE', field: 'nextFollowUpAt', params: { expected: 'date' } });
      fields.nextFollowUpAt = when.instant;
    } else if (target.startsWith('custom.')) {
      const key = target.slice('custom.'.length);
      const field = customByKey.get(key);
      if (!field) return fail({ code: 'FIELD.UNKNOWN', field: target });
      const value = customCellValue(field, cell, text, ctx);
      if (!value.ok) return fail(value.error);
      if (value.value !== null) (fields.custom ??= {})[key] = value.value;
    }
  }

  if (phones.length === 0) {
    const phoneColumn = mapping.columns.find((c) => c.target === 'phones');
    const column = phoneColumn?.header ?? null;
    return err({ code: 'VALIDATION.REQUIRED', field: 'phones', params: { column }, column, value: null });
  }
  return ok({ fields, phones });
}

// The value named is the offending part when the rule said which (one tag, one number), else the cell.
function rowError(error: DomainError, column: string, cell: string): ImportRowError {
  const part = error.params?.value;
  const value = typeof part === 'string' ? part : cell;
  return { ...error, params: { ...error.params, value, column }, column, value };
}

/** A cell as trimmed, folded text; undefined when blank. Numbers print without exponent. */
export function cellText(cell: ImportCell): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number') return Number.isFinite(cell) ? numberText(cell) : undefined;
  if (cell instanceof Date) {
    const d = DateTime.fromJSDate(cell, { zone: 'UTC' });
    return d.isValid ? d.toISO()! : undefined;
  }
  return cleanText(withoutFormulaGuard(cell));
}

// Our exports (and careful users) put a quote before text a spreadsheet would read as a formula:
// reading the file back must give the value, not the guard. A quote before anything else is data.
const GUARDED = /^'[=+\-@\t\r\n]/;
const withoutFormulaGuard = (text: string): string => (GUARDED.test(text) ? text.slice(1) : text);

// 13800138000 must not become 1.3800138e10; integers up to 1e21 print every digit with toFixed(0).
const numberText = (n: number): string =>
  Number.isInteger(n) && Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);

function phoneParts(cell: ImportCell): string[] {
  if (typeof cell === 'number') {
    // A phone typed into a number cell: only a whole number can be one.
    return [Number.isInteger(cell) ? numberText(cell) : String(cell)];
  }
  if (typeof cell !== 'string') return [cellText(cell) ?? ''].filter((p) => p !== '');
  // Split before cleaning: cleanText turns the line breaks between numbers into spaces.
  return foldFullWidth(withoutFormulaGuard(cell)).split(PHONE_SEPARATORS).map((p) => p.trim()).filter((p) => p !== '');
}

function checkWithAlias(ctx: ImportRowContext, list: PicklistName, value: string): Result<string, DomainError> {
  const direct = checkPicklistValue(ctx.picklists, list, value, list);
  if (direct.ok) return direct;
  const aliases = ctx.aliases?.[list];
  if (aliases) {
    const folded = cleanText(value);
    for (const [alias, configured] of Object.entries(aliases)) {
      if (alias === value || cleanText(alias) === folded) {
        const viaAlias = checkPicklistValue(ctx.picklists, list, configured, list);
        if (viaAlias.ok) return viaAlias;
      }
    }
  }
  return direct;
}

function customCellValue(field: CustomField, cell: ImportCell, text: string, ctx: ImportRowContext): Result<CustomValue, DomainError> {
  const path = `custom.${field.key}`;
  switch (field.type) {
    case 'number': {
      if (typeof cell === 'number') return checkCustomValue(field, cell, path, ctx.phoneRegion);
      // Spreadsheets show thousands separators: 1,200.50.
      const plain = text.replace(/[,，\s]/g, '');
      const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(plain) ? Number(plain) : Number.NaN;
      return Number.isFinite(n) ? ok(n) : err({ code: 'VALIDATION.TYPE', field: path, params: { expected: 'number' } });
    }
    case 'date': {
      const when = parseImportDate(cell, ctx.timeZone);
      return when ? ok(when.day) : err({ code: 'VALIDATION.TYPE', field: path, params: { expected: 'date' } });
    }
    case 'select':
      return checkCustomValue(field, matchOption(field, text), path, ctx.phoneRegion);
    case 'multiSelect': {
      const values = text.split(LIST_SEPARATORS).map((v) => cleanText(v)).filter((v): v is string => v !== undefined);
      return checkCustomValue(field, values.map((v) => matchOption(field, v)), path, ctx.phoneRegion);
    }
    case 'phone':
      return checkCustomValue(field, phoneParts(cell)[0] ?? text, path, ctx.phoneRegion);
    case 'text':
      return checkCustomValue(field, text, path, ctx.phoneRegion);
  }
}

// An option spelled with full-width forms or extra spaces is the same option (as for picklists).
const matchOption = (field: CustomField, value: string): string =>
  field.options.find((o) => o === value) ?? field.options.find((o) => cleanText(o) === value) ?? value;

export interface ImportDate {
  /** The calendar day, YYYY-MM-DD. */
  day: string;
  /** That moment in the company's zone as a stored instant (UTC ISO); midnight for a bare day. */
  instant: string;
}

// Excel counts days from 1899-12-30 (the 1900 leap-year bug makes that the right epoch after Feb 1900).
const EXCEL_EPOCH = DateTime.fromObject({ year: 1899, month: 12, day: 30 }, { zone: 'UTC' });
const DATE_TEXT =
  /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:(?:\s+|T)(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/;

/**
 * Reads a date cell: an Excel serial number (fraction = time of day), a Date from the reader (its UTC
 * fields read as the wall clock, which is how xlsx readers hand cells over), or text such as
 * `2026-11-22`, `2026/11/22`, `2026年11月22日`, optionally followed by `14:30` or `14:30:00`.
 */
export function parseImportDate(cell: ImportCell, timeZone: string): ImportDate | undefined {
  let wall: DateTime | undefined;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 1 || cell >= 2958466) return undefined;
    const seconds = Math.round(cell * 86400);
    wall = EXCEL_EPOCH.plus({ seconds });
  } else if (cell instanceof Date) {
    const d = DateTime.fromJSDate(cell, { zone: 'UTC' });
    if (!d.isValid) return undefined;
    wall = d;
  } else if (typeof cell === 'string') {
    const text = foldFullWidth(cell).trim();
    const m = DATE_TEXT.exec(text);
    if (!m) return undefined;
    const [, y, mo, d, h, mi, s] = m;
    wall = DateTime.fromObject(
      { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0) },
      { zone: 'UTC' },
    );
    if (!wall.isValid) return undefined;
  }
  if (!wall) return undefined;
  const local = DateTime.fromObject(
    { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute, second: wall.second },
    { zone: timeZone },
  );
  if (!local.isValid) return undefined;
  return { day: wall.toISODate()!, instant: local.toUTC().toISO()! };
}
