// From the options of `crm customers add|edit` to a request body checked by the core's schemas.
import { CustomerCreate, CustomerUpdate, type Lang } from '@telecrm/core';
import { parseCustomOptions, parseJson, usageError, validate } from './options.js';

/** Customer fields that take one text value, each a `--<field> <value>` option. */
export const TEXT_FIELDS = [
  'name',
  'company',
  'source',
  'industry',
  'region',
  'status',
  'stage',
  'level',
  'wechat',
  'email',
  'remark',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** What `--clear` sets each field to. */
const CLEARED: Record<string, null | []> = {
  company: null,
  wechat: null,
  email: null,
  source: null,
  industry: null,
  region: null,
  status: null,
  stage: null,
  level: null,
  remark: null,
  nextFollowUpAt: null,
  phones: [],
  tags: [],
  contacts: [],
};

export type CustomerOptions = Partial<Record<TextField, string>> & {
  phone?: string[];
  tag?: string[];
  custom?: string[];
  jsonBody?: string;
  clear?: string[];
};

function baseBody(options: CustomerOptions, lang: Lang): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.jsonBody !== undefined) {
    const base = parseJson('--json-body', options.jsonBody, lang);
    if (!base || typeof base !== 'object' || Array.isArray(base)) {
      throw usageError(lang, 'error.badJson', { option: '--json-body', reason: '{ ... }' });
    }
    Object.assign(body, base);
  }
  for (const field of TEXT_FIELDS) if (options[field] !== undefined) body[field] = options[field];
  if (options.phone) body.phones = options.phone.map((number) => ({ number }));
  if (options.tag) body.tags = options.tag;
  const custom = parseCustomOptions(options.custom, lang);
  if (custom) body.custom = { ...(body.custom as object | undefined), ...custom };
  return body;
}

export function buildCustomerCreate(options: CustomerOptions, lang: Lang): CustomerCreate {
  return validate(CustomerCreate, baseBody(options, lang), lang);
}

export function buildCustomerUpdate(options: CustomerOptions, lang: Lang): CustomerUpdate {
  const body = baseBody(options, lang);
  for (const field of options.clear ?? []) {
    if (field.startsWith('custom.') && field.length > 'custom.'.length) {
      body.custom = { ...(body.custom as object | undefined), [field.slice('custom.'.length)]: null };
    } else if (Object.hasOwn(CLEARED, field)) {
      body[field] = CLEARED[field];
    } else {
      throw usageError(lang, 'error.badClear', { value: field, fields: Object.keys(CLEARED).join(', ') });
    }
  }
  if (Object.keys(body).length === 0) throw usageError(lang, 'error.nothingToChange');
  return validate(CustomerUpdate, body, lang);
}
