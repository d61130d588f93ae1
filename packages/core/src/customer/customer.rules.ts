import type { CountryCode } from 'libphonenumber-js/max';
import type { CustomField } from '../fields/field.schema.js';
import type { PicklistName } from '../picklist/picklist.schema.js';
import { checkPicklistValue, type PicklistIndex } from '../picklist/picklist.rules.js';
import { DEFAULT_PHONE_REGION, normalisePhone } from '../phone/phone.rules.js';
import { cleanText } from '../shared/text.js';
import { isCalendarDay } from '../view/time.rules.js';
import { err, ok, combineErrors, type DomainError, type Result } from '../shared/result.js';
import type { ContactInput, CustomerCreate, CustomerUpdate, CustomValue } from './customer.schema.js';

export type { CustomValue };


export interface PhoneToStore {
  e164: string;
  extension: string | null;
  label: string | null;
}

export interface ContactToStore {
  name: string;
  title: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  remark: string | null;
}

/** Columns a create or an update sets directly on the customer row. */
export interface CustomerScalarChanges {
  name?: string;
  company?: string | null;
  wechat?: string | null;
  email?: string | null;
  source?: string | null;
  industry?: string | null;
  region?: string | null;
  status?: string | null;
  stage?: string | null;
  level?: string | null;
  remark?: string | null;
  hot?: boolean;
  wrongNumber?: boolean;
  doNotCall?: boolean;
  nextFollowUpAt?: string | null;
}

/** A validated, normalised write: what the store applies in one transaction. */
export interface CustomerChanges {
  scalars: CustomerScalarChanges;
  /** The whole new phone list, primary first; absent when phones are not changed. */
  phones?: PhoneToStore[];
  tags?: string[];
  /** The whole new custom object; absent when no custom value changes. */
  custom?: Record<string, CustomValue>;
  contacts?: ContactToStore[];
}

export interface CustomerWriteContext {
  picklists: PicklistIndex;
  customFields: readonly CustomField[];
  phoneRegion: CountryCode;
}

const PICKLIST_FIELDS: readonly (keyof CustomerScalarChanges & PicklistName)[] = [
  'source',
  'industry',
  'region',
  'status',
  'stage',
  'level',
];

/**
 * Validates and normalises a create or an update against the company's picklists and custom fields.
 * Every problem is reported at once, each naming its field, so a script can fix its input in one go.
 *
 * @param existingCustom the stored custom values (for an update), which the given values are merged into
 */
export function prepareCustomerWrite(
  input: CustomerCreate | CustomerUpdate,
  mode: 'create' | 'update',
  ctx: CustomerWriteContext,
  existingCustom: Readonly<Record<string, CustomValue>> = {},
): Result<CustomerChanges, DomainError> {
  const problems: DomainError[] = [];
  const scalars: CustomerScalarChanges = {};

  if (input.name !== undefined) {
    const name = cleanText(input.name);
    if (!name) problems.push({ code: 'VALIDATION.REQUIRED', field: 'name' });
    else scalars.name = name;
  }
  for (const key of ['company', 'wechat', 'remark'] as const) {
    if (input[key] !== undefined) scalars[key] = cleanText(input[key]) ?? null;
  }
  if (input.email !== undefined) scalars.email = input.email?.trim().toLowerCase() ?? null;
  for (const key of ['hot', 'wrongNumber', 'doNotCall'] as const) {
    if (input[key] !== undefined) scalars[key] = input[key];
  }
  if (input.nextFollowUpAt !== undefined) {
    scalars.nextFollowUpAt = input.nextFollowUpAt === null ? null : new Date(input.nextFollowUpAt).toISOString();
  }
  for (const key of PICKLIST_FIELDS) {
    const value = input[key];
    if (value === undefined) continue;
    const cleaned = cleanText(value);
    if (!cleaned) {
      scalars[key] = null;
      continue;
    }
    const checked = checkPicklistValue(ctx.picklists, key, cleaned, key);
    if (checked.ok) scalars[key] = checked.value;
    else problems.push(checked.error);
  }

  const changes: CustomerChanges = { scalars };

  if (input.tags !== undefined) {
    const tags: string[] = [];
    for (const [i, raw] of input.tags.entries()) {
      const tag = cleanText(raw);
      if (!tag) { problems.push({ code: 'VALIDATION.REQUIRED', field: `tags.${i}` }); continue; }
      const checked = checkPicklistValue(ctx.picklists, 'tags', tag, `tags.${i}`);
      if (!checked.ok) { problems.push(checked.error); continue; }
      if (!tags.includes(checked.value)) tags.push(checked.value);
    }
    changes.tags = tags;
  }

  if (input.phones !== undefined) {
    const phones: PhoneToStore[] = [];
    for (const [i, p] of input.phones.entries()) {
      const normalised = normalisePhone(p.number, ctx.phoneRegion);
      if (!normalised.ok) { problems.push({ ...normalised.error, field: `phones.${i}.number` }); continue; }
      if (phones.some((q) => q.e164 === normalised.value.e164)) {
        { problems.push({ code: 'PHONE.DUPLICATE_IN_INPUT', field: `phones.${i}.number`, params: { value: p.number } }); continue; }
      }
      phones.push({ e164: normalised.value.e164, extension: normalised.value.extension ?? null, label: cleanText(p.label) ?? null });
    }
    changes.phones = phones;
  }

  if (input.contacts !== undefined) {
    const contacts: ContactToStore[] = [];
    for (const [i, c] of input.contacts.entries()) {
      const contact = prepareContact(c, `contacts.${i}`, ctx);
      if (contact.ok) contacts.push(contact.value);
      else problems.push(contact.error);
    }
    changes.contacts = contacts;
  }

  const custom = mergeCustomValues(input.custom, mode, ctx, existingCustom);
  if (!custom.ok) problems.push(custom.error);
  else if (custom.value) changes.custom = custom.value;

  if (problems.length) return err(combineErrors(problems.flatMap((p) => p.details ?? [p])));
  return ok(changes);
}

function prepareContact(c: ContactInput, path: string, ctx: CustomerWriteContext): Result<ContactToStore, DomainError> {
  const name = cleanText(c.name);
  if (!name) return err({ code: 'VALIDATION.REQUIRED', field: `${path}.name` });
  let phone: string | null = null;
  if (c.phone) {
    const normalised = normalisePhone(c.phone, ctx.phoneRegion);
    if (!normalised.ok) return err({ ...normalised.error, field: `${path}.phone` });
    phone = normalised.value.e164;
  }
  return ok({
    name,
    title: cleanText(c.title) ?? null,
    phone,
    email: c.email?.trim().toLowerCase() ?? null,
    wechat: cleanText(c.wechat) ?? null,
    remark: cleanText(c.remark) ?? null,
  });
}

/** Checks one custom value against its field definition and returns it in stored form. */
export function checkCustomValue(
  field: CustomField,
  raw: unknown,
  path: string,
  phoneRegion: CountryCode = DEFAULT_PHONE_REGION,
): Result<CustomValue, DomainError> {
  if (raw === null || raw === undefined || raw === '') return ok(null);
  const typeError = (expected: string) => err<DomainError>({ code: 'VALIDATION.TYPE', field: path, params: { expected } });
  switch (field.type) {
    case 'text': {
      if (typeof raw !== 'string') return typeError('string');
      const value = cleanText(raw);
      if (value && value.length > 2000) return err({ code: 'VALIDATION.TOO_LONG', field: path, params: { max: 2000 } });
      return ok(value ?? null);
    }
    case 'number': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) return typeError('number');
      return ok(value);
    }
    case 'date': {
      if (!isCalendarDay(raw)) {
        return typeError('date (YYYY-MM-DD)');
      }
      return ok(raw);
    }
    case 'select': {
      if (typeof raw !== 'string') return typeError('string');
      if (!field.options.includes(raw)) {
        return err({ code: 'FIELD.OPTION_UNKNOWN', field: path, params: { value: raw, allowed: field.options } });
      }
      return ok(raw);
    }
    case 'multiSelect': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) return typeError('array of strings');
      const unknown = raw.find((v) => !field.options.includes(v));
      if (unknown !== undefined) {
        return err({ code: 'FIELD.OPTION_UNKNOWN', field: path, params: { value: unknown, allowed: field.options } });
      }
      return ok([...new Set(raw as string[])]);
    }
    case 'phone': {
      if (typeof raw !== 'string') return typeError('phone number');
      const normalised = normalisePhone(raw, phoneRegion);
      return normalised.ok ? ok(normalised.value.e164) : err({ ...normalised.error, field: path });
    }
  }
}

function mergeCustomValues(
  given: Record<string, unknown> | undefined,
  mode: 'create' | 'update',
  ctx: CustomerWriteContext,
  existing: Readonly<Record<string, CustomValue>>,
): Result<Record<string, CustomValue> | undefined, DomainError> {
  const fields = new Map(ctx.customFields.filter((f) => f.module === 'customer').map((f) => [f.key, f]));
  const problems: DomainError[] = [];
  const merged: Record<string, CustomValue> = { ...existing };
  for (const [key, raw] of Object.entries(given ?? {})) {
    const field = fields.get(key);
    const path = `custom.${key}`;
    if (!field) {
      problems.push({ code: 'FIELD.UNKNOWN', field: path });
      continue;
    }
    if (field.hidden) {
      problems.push({ code: 'FIELD.HIDDEN', field: path });
      continue;
    }
    const checked = checkCustomValue(field, raw, path, ctx.phoneRegion);
    if (!checked.ok) problems.push(checked.error);
    else if (checked.value === null) delete merged[key];
    else merged[key] = checked.value;
  }
  // Required fields must hold a value after the write; on update only the ones the caller touched or
  // that were already missing when created stay the caller's concern.
  for (const field of fields.values()) {
    if (!field.required || field.hidden) continue;
    const touched = given !== undefined && key(given, field.key);
    if ((mode === 'create' || touched) && (merged[field.key] === undefined || isEmpty(merged[field.key]!))) {
      problems.push({ code: 'VALIDATION.REQUIRED', field: `custom.${field.key}` });
    }
  }
  if (problems.length) return err(combineErrors(problems));
  return ok(given === undefined ? undefined : merged);
}

const key = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isEmpty = (v: CustomValue) => v === null || (Array.isArray(v) && v.length === 0);
