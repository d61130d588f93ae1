import type { CountryCode } from 'libphonenumber-js/max';
import type { CatalogueField, FieldKind } from '../fields/field.catalogue.js';
import { normalisePhone, phoneQueryOf } from '../phone/phone.rules.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';
import { foldFullWidth } from '../shared/text.js';
import { RelativeDateRange, type FilterNode, type FilterOperator, type SortSpec } from './filter.schema.js';
import { isCalendarDay, localDaysOf, parseTimeBound, resolveRelativeRange } from './time.rules.js';

export type Scalar = string | number | boolean;

/** A condition checked, typed and with relative dates made absolute: ready to compile to SQL. */
export type ResolvedCondition =
  | { kind: 'compare'; field: CatalogueField; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; value: Scalar }
  | { kind: 'text'; field: CatalogueField; op: 'contains' | 'notContains' | 'startsWith'; value: string }
  | { kind: 'in'; field: CatalogueField; negate: boolean; values: Scalar[] }
  | { kind: 'set'; field: CatalogueField; op: 'hasAll' | 'hasAny' | 'hasNone'; values: string[] }
  | { kind: 'empty'; field: CatalogueField; negate: boolean }
  /** [from, to): upper bound exclusive. */
  | { kind: 'range'; field: CatalogueField; from: Scalar | null; to: Scalar | null; toInclusive: boolean }
  /** exact and prefix: on the E.164 key (`+86138...`); contains: a run of digits anywhere in it. */
  | { kind: 'phone'; match: 'exact' | 'prefix' | 'contains'; value: string }
  | { kind: 'focus'; focused: boolean }
  /** Customers the caller assists on (协助的). */
  | { kind: 'assisted'; assisted: boolean };

export type ResolvedFilter =
  | { kind: 'and'; nodes: ResolvedFilter[] }
  | { kind: 'or'; nodes: ResolvedFilter[] }
  | { kind: 'condition'; condition: ResolvedCondition };

export interface FilterContext {
  catalogue: ReadonlyMap<string, CatalogueField>;
  now: Date;
  timeZone: string;
  actorId: string;
  phoneRegion: CountryCode;
}

const OPERATORS: Record<FieldKind, readonly FilterOperator[]> = {
  text: ['eq', 'ne', 'contains', 'notContains', 'startsWith', 'in', 'notIn', 'empty', 'notEmpty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'empty', 'notEmpty'],
  datetime: ['gt', 'gte', 'lt', 'lte', 'between', 'within', 'empty', 'notEmpty'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'within', 'empty', 'notEmpty'],
  picklist: ['eq', 'ne', 'in', 'notIn', 'empty', 'notEmpty'],
  select: ['eq', 'ne', 'in', 'notIn', 'empty', 'notEmpty'],
  enum: ['eq', 'ne', 'in', 'notIn'],
  user: ['eq', 'ne', 'in', 'notIn', 'empty', 'notEmpty'],
  multiPicklist: ['hasAll', 'hasAny', 'hasNone', 'empty', 'notEmpty'],
  multiSelect: ['hasAll', 'hasAny', 'hasNone', 'empty', 'notEmpty'],
  boolean: ['eq', 'ne'],
  phone: ['eq', 'startsWith', 'contains', 'empty', 'notEmpty'],
  focus: ['eq', 'ne'],
  assisted: ['eq', 'ne'],
};

export const operatorsFor = (kind: FieldKind): readonly FilterOperator[] => OPERATORS[kind];

const MAX_DEPTH = 6;
const MAX_CONDITIONS = 100;
const MAX_LIST = 1000;

/**
 * Checks a filter tree against the field catalogue and resolves it: unknown fields, operators a field
 * does not take and values of the wrong type are refused naming the path of the offending condition;
 * `me` stands for the caller, relative dates become instants in the company's zone.
 */
export function resolveFilter(node: FilterNode, ctx: FilterContext): Result<ResolvedFilter, DomainError> {
  let count = 0;
  const walk = (n: FilterNode, path: string, depth: number): Result<ResolvedFilter, DomainError> => {
    if (depth > MAX_DEPTH) return err({ code: 'FILTER.INVALID', field: path, params: { reason: `nested deeper than ${MAX_DEPTH}` } });
    if ('and' in n || 'or' in n) {
      const kind = 'and' in n ? 'and' : 'or';
      const children = 'and' in n ? n.and : n.or;
      const nodes: ResolvedFilter[] = [];
      for (const [i, child] of children.entries()) {
        const r = walk(child, `${path}.${kind}.${i}`, depth + 1);
        if (!r.ok) return r;
        nodes.push(r.value);
      }
      return ok({ kind, nodes });
    }
    if (++count > MAX_CONDITIONS) return err({ code: 'FILTER.INVALID', field: path, params: { reason: `more than ${MAX_CONDITIONS} conditions` } });
    const r = resolveCondition(n.field, n.op, n.value, ctx, path);
    return r.ok ? ok({ kind: 'condition', condition: r.value }) : r;
  };
  return walk(node, 'filter', 0);
}

function resolveCondition(
  name: string,
  op: FilterOperator,
  value: unknown,
  ctx: FilterContext,
  path: string,
): Result<ResolvedCondition, DomainError> {
  const field = ctx.catalogue.get(name);
  if (!field) return err({ code: 'FILTER.UNKNOWN_FIELD', field: `${path}.field`, params: { value: name } });
  if (!OPERATORS[field.kind].includes(op)) {
    return err({ code: 'FILTER.OPERATOR_NOT_ALLOWED', field: `${path}.op`, params: { field: name, op, allowed: OPERATORS[field.kind] } });
  }
  const bad = (expected: string) => err<DomainError>({ code: 'FILTER.BAD_VALUE', field: `${path}.value`, params: { field: name, op, expected } });

  if (op === 'empty' || op === 'notEmpty') return ok({ kind: 'empty', field, negate: op === 'notEmpty' });

  if (field.kind === 'focus') {
    if (typeof value !== 'boolean') return bad('true or false');
    return ok({ kind: 'focus', focused: op === 'eq' ? value : !value });
  }
  if (field.kind === 'assisted') {
    if (typeof value !== 'boolean') return bad('true or false');
    return ok({ kind: 'assisted', assisted: op === 'eq' ? value : !value });
  }

  if (field.kind === 'phone') {
    if (typeof value !== 'string') return bad('a phone number');
    if (op === 'eq') {
      const phone = normalisePhone(value, ctx.phoneRegion);
      return phone.ok ? ok({ kind: 'phone', match: 'exact', value: phone.value.e164 }) : bad('a valid phone number');
    }
    if (op === 'contains') {
      // The digits as typed (e.g. the last four): a prefix reading would turn "0013" into "+13".
      const digits = foldFullWidth(value).replace(/[\s\-().]/g, '');
      return /^\d{3,}$/.test(digits) ? ok({ kind: 'phone', match: 'contains', value: digits }) : bad('at least 3 digits');
    }
    const query = phoneQueryOf(value, ctx.phoneRegion);
    if (!query) return bad('at least 3 digits');
    return ok(query.kind === 'exact' ? { kind: 'phone', match: 'exact', value: query.e164 } : { kind: 'phone', match: 'prefix', value: query.e164Prefix });
  }

  if (op === 'within') {
    const range = RelativeDateRange.safeParse(value);
    if (!range.success) return bad('today, yesterday, tomorrow, thisWeek, lastWeek, thisMonth, lastMonth, { lastDays: N } or { nextDays: N }');
    const instants = resolveRelativeRange(range.data, ctx.now, ctx.timeZone);
    const bounds = field.kind === 'date' ? localDaysOf(instants, ctx.timeZone) : instants;
    return ok({ kind: 'range', field, from: bounds.from, to: bounds.to, toInclusive: false });
  }

  if (op === 'hasAll' || op === 'hasAny' || op === 'hasNone') {
    const values = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(values) || values.length === 0 || values.length > MAX_LIST || values.some((v) => typeof v !== 'string')) {
      return bad('a non-empty list of strings');
    }
    return ok({ kind: 'set', field, op, values: values as string[] });
  }

  if (op === 'contains' || op === 'notContains' || op === 'startsWith') {
    if (typeof value !== 'string' || value.trim() === '') return bad('a non-empty string');
    return ok({ kind: 'text', field, op, value: value.trim() });
  }

  if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST) return bad(`a list of 1 to ${MAX_LIST} values`);
    const values: Scalar[] = [];
    for (const v of value) {
      const scalar = scalarFor(field, v, ctx);
      if (scalar === undefined) return bad(`a list of ${expectedOf(field)}`);
      values.push(scalar);
    }
    return ok({ kind: 'in', field, negate: op === 'notIn', values });
  }

  if (op === 'between') {
    if (!Array.isArray(value) || value.length !== 2) return bad('[from, to]');
    const [lo, hi] = value;
    if (field.kind === 'datetime') {
      const from = lo == null ? null : parseTimeBound(lo, ctx.timeZone, 'lower');
      const to = hi == null ? null : parseTimeBound(hi, ctx.timeZone, 'upper');
      if (from === undefined || to === undefined || (from === null && to === null)) return bad('[from, to] as ISO instants or YYYY-MM-DD days');
      // A bare day as the upper bound already points past the day; an instant is inclusive.
      return ok({ kind: 'range', field, from, to, toInclusive: typeof hi === 'string' && hi.includes('T') });
    }
    const from = lo == null ? null : scalarFor(field, lo, ctx);
    const to = hi == null ? null : scalarFor(field, hi, ctx);
    if (from === undefined || to === undefined || (from === null && to === null)) return bad(`[from, to] as ${expectedOf(field)}`);
    return ok({ kind: 'range', field, from, to, toInclusive: true });
  }

  // eq ne gt gte lt lte
  if (field.kind === 'datetime') {
    const bound = parseTimeBound(value, ctx.timeZone, op === 'gt' || op === 'lte' ? 'upper' : 'lower');
    if (bound === undefined) return bad('an ISO instant or a YYYY-MM-DD day');
    // "after 2026-11-01" means from the next day on; "until 2026-11-01" includes that day.
    const dayBound = typeof value === 'string' && !value.includes('T');
    const mapped = dayBound && op === 'gt' ? 'gte' : dayBound && op === 'lte' ? 'lt' : op;
    return ok({ kind: 'compare', field, op: mapped as 'gt', value: bound });
  }
  const scalar = scalarFor(field, value, ctx);
  if (scalar === undefined) return bad(expectedOf(field));
  return ok({ kind: 'compare', field, op: op as 'eq', value: scalar });
}

function scalarFor(field: CatalogueField, value: unknown, ctx: FilterContext): Scalar | undefined {
  switch (field.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'date':
      return isCalendarDay(value) ? value : undefined;
    case 'enum':
      return typeof value === 'string' && field.options?.includes(value) ? value : undefined;
    case 'user':
      return typeof value === 'string' && value !== '' ? (value === 'me' ? ctx.actorId : value) : undefined;
    default:
      return typeof value === 'string' ? value : undefined;
  }
}

function expectedOf(field: CatalogueField): string {
  switch (field.kind) {
    case 'number':
      return 'numbers';
    case 'boolean':
      return 'true or false';
    case 'date':
      return 'YYYY-MM-DD dates';
    case 'enum':
      return `one of ${field.options?.join(', ')}`;
    case 'user':
      return 'user ids or "me"';
    default:
      return 'strings';
  }
}

/** Checks a sort against the catalogue; the default is newest first. */
export function resolveSort(
  sort: SortSpec | undefined,
  catalogue: ReadonlyMap<string, CatalogueField>,
): Result<{ field: CatalogueField; direction: 'asc' | 'desc' }, DomainError> {
  const spec = sort ?? { field: 'createdAt', direction: 'desc' as const };
  const field = catalogue.get(spec.field);
  if (!field) return err({ code: 'FILTER.UNKNOWN_FIELD', field: 'sort.field', params: { value: spec.field } });
  if (!field.sortable) return err({ code: 'FILTER.INVALID', field: 'sort.field', params: { value: spec.field, reason: 'not sortable' } });
  return ok({ field, direction: spec.direction });
}
