import { describe, expect, it } from 'vitest';
import { BUILT_IN_CUSTOMER_FIELDS, customerFieldCatalogue, type CatalogueField, type FieldKind } from '../fields/field.catalogue.js';
import type { CustomField } from '../fields/field.schema.js';
import type { DomainError } from '../shared/result.js';
import { BUILT_IN_VIEWS, builtInView } from './builtin-views.js';
import { operatorsFor, resolveFilter, resolveSort, type FilterContext, type ResolvedCondition, type ResolvedFilter } from './filter.rules.js';
import { FILTER_OPERATORS, FilterNode, type FilterOperator } from './filter.schema.js';

const field = (over: Partial<CustomField> & Pick<CustomField, 'key' | 'type'>): CustomField => ({
  id: `cf-${over.key}`,
  module: 'customer',
  label: over.key,
  required: false,
  hidden: false,
  position: 0,
  options: [],
  indexed: false,
  ...over,
});

const CUSTOM_FIELDS: CustomField[] = [
  field({ key: 'budget', type: 'number' }),
  field({ key: 'signedOn', type: 'date' }),
  field({ key: 'grade', type: 'select', options: ['A', 'B', 'C'] }),
  field({ key: 'channels', type: 'multiSelect', options: ['微信', '电话', '邮件'] }),
  field({ key: 'note', type: 'text' }),
  field({ key: 'altPhone', type: 'phone' }),
  field({ key: 'secret', type: 'number', hidden: true }),
  field({ key: 'contactOnly', type: 'text', module: 'contact' }),
];

const catalogue = customerFieldCatalogue(CUSTOM_FIELDS);
const f = (name: string): CatalogueField => catalogue.get(name)!;

// 2026-11-22 is a Sunday: 15:59:59Z is its last second in Shanghai, 16:00:00Z is Monday's first.
const SUNDAY_LAST_SECOND = new Date('2026-11-22T15:59:59Z');
const MONDAY_FIRST_SECOND = new Date('2026-11-22T16:00:00Z');

const ctx = (over: Partial<FilterContext> = {}): FilterContext => ({
  catalogue,
  now: SUNDAY_LAST_SECOND,
  timeZone: 'Asia/Shanghai',
  actorId: 'user-me',
  phoneRegion: 'CN',
  ...over,
});

/** Resolves one condition and returns it, failing the test on an error. */
const cond = (name: string, op: FilterOperator, value?: unknown, c: FilterContext = ctx()): ResolvedCondition => {
  const r = resolveFilter({ field: name, op, value }, c);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  if (r.value.kind !== 'condition') throw new Error('expected a condition');
  return r.value.condition;
};

/** Resolves a filter and returns its error, failing the test when it resolves. */
const refusal = (node: FilterNode, c: FilterContext = ctx()): DomainError => {
  const r = resolveFilter(node, c);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
};

describe('customerFieldCatalogue', () => {
  it('holds every built-in field', () => {
    for (const b of BUILT_IN_CUSTOMER_FIELDS) expect(catalogue.get(b.name)).toBe(b);
  });

  it('adds visible customer custom fields under custom.<key> with their kind and sortability', () => {
    expect(f('custom.budget')).toMatchObject({ kind: 'number', sortable: true, custom: CUSTOM_FIELDS[0] });
    expect(f('custom.signedOn')).toMatchObject({ kind: 'date', sortable: true });
    expect(f('custom.grade')).toMatchObject({ kind: 'select', sortable: true, options: ['A', 'B', 'C'] });
    expect(f('custom.channels')).toMatchObject({ kind: 'multiSelect', sortable: false });
    expect(f('custom.note')).toMatchObject({ kind: 'text', sortable: true });
    expect(f('custom.altPhone')).toMatchObject({ kind: 'text', sortable: false });
    expect(f('custom.budget').label).toEqual({ 'zh-CN': 'budget', en: 'budget' });
  });

  it('leaves out hidden fields and fields of other modules', () => {
    expect(catalogue.has('custom.secret')).toBe(false);
    expect(catalogue.has('custom.contactOnly')).toBe(false);
    expect(catalogue.size).toBe(BUILT_IN_CUSTOMER_FIELDS.length + 6);
  });

  it('cannot shadow a built-in field', () => {
    const c = customerFieldCatalogue([field({ key: 'name', type: 'number' })]);
    expect(c.get('name')!.kind).toBe('text');
    expect(c.get('custom.name')!.kind).toBe('number');
  });

  it('has no field twice', () => {
    const names = BUILT_IN_CUSTOMER_FIELDS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('resolveFilter: operators per field kind', () => {
  // One representative field per kind.
  const REPRESENTATIVE: Record<FieldKind, string> = {
    text: 'company',
    number: 'custom.budget',
    boolean: 'hot',
    datetime: 'createdAt',
    date: 'custom.signedOn',
    picklist: 'source',
    multiPicklist: 'tags',
    enum: 'pool',
    user: 'ownerId',
    phone: 'phones',
    select: 'custom.grade',
    multiSelect: 'custom.channels',
    focus: 'focused',
  };

  // A value each (kind, operator) pair accepts.
  const sample = (kind: FieldKind, op: FilterOperator): unknown => {
    if (op === 'empty' || op === 'notEmpty') return undefined;
    if (op === 'within') return 'today';
    if (op === 'hasAll' || op === 'hasAny' || op === 'hasNone') return kind === 'multiSelect' ? ['微信'] : ['老客户'];
    const one: Record<FieldKind, unknown> = {
      text: 'acme',
      number: 10,
      boolean: true,
      datetime: '2026-11-01',
      date: '2026-11-01',
      picklist: '展会',
      multiPicklist: '老客户',
      enum: 'public',
      user: 'me',
      phone: '138',
      select: 'A',
      multiSelect: '微信',
      focus: true,
    };
    if (op === 'in' || op === 'notIn') return [one[kind]];
    if (op === 'between') return [one[kind], kind === 'number' ? 20 : '2026-11-30'];
    if (kind === 'phone' && op === 'eq') return '13800138000';
    return one[kind];
  };

  const pairs = (Object.entries(REPRESENTATIVE) as [FieldKind, string][]).flatMap(([kind, name]) =>
    FILTER_OPERATORS.map((op) => [kind, name, op, operatorsFor(kind).includes(op)] as const),
  );

  it.each(pairs.filter(([, , , allowed]) => allowed))('%s field %s accepts %s', (kind, name, op) => {
    expect(resolveFilter({ field: name, op, value: sample(kind, op) }, ctx()).ok).toBe(true);
  });

  it.each(pairs.filter(([, , , allowed]) => !allowed))('%s field %s refuses %s', (kind, name, op) => {
    expect(refusal({ field: name, op, value: sample(kind, op) })).toEqual({
      code: 'FILTER.OPERATOR_NOT_ALLOWED',
      field: 'filter.op',
      params: { field: name, op, allowed: operatorsFor(kind) },
    });
  });

  it('gives every built-in field a kind with operators', () => {
    for (const b of BUILT_IN_CUSTOMER_FIELDS) expect(operatorsFor(b.kind).length).toBeGreaterThan(0);
  });

  it('names the path of the refused operator inside groups', () => {
    const error = refusal({ and: [{ field: 'hot', op: 'eq', value: true }, { field: 'hot', op: 'gt', value: true }] });
    expect(error).toMatchObject({ code: 'FILTER.OPERATOR_NOT_ALLOWED', field: 'filter.and.1.op' });
    const nested = refusal({ or: [{ field: 'hot', op: 'eq', value: true }, { and: [{ field: 'tags', op: 'eq', value: 'x' }] }] });
    expect(nested).toMatchObject({ code: 'FILTER.OPERATOR_NOT_ALLOWED', field: 'filter.or.1.and.0.op' });
  });
});

describe('resolveFilter: values', () => {
  it('refuses an unknown field, naming the field path', () => {
    expect(refusal({ and: [{ field: 'name', op: 'eq', value: 'x' }, { field: 'nope', op: 'eq', value: 'x' }] })).toEqual({
      code: 'FILTER.UNKNOWN_FIELD',
      field: 'filter.and.1.field',
      params: { value: 'nope' },
    });
  });

  it('refuses a hidden custom field and a field of another module as unknown', () => {
    expect(refusal({ field: 'custom.secret', op: 'eq', value: 1 })).toMatchObject({ code: 'FILTER.UNKNOWN_FIELD', field: 'filter.field' });
    expect(refusal({ field: 'custom.contactOnly', op: 'eq', value: 'x' })).toMatchObject({ code: 'FILTER.UNKNOWN_FIELD' });
    expect(refusal({ field: 'secret', op: 'eq', value: 1 })).toMatchObject({ code: 'FILTER.UNKNOWN_FIELD' });
  });

  describe('text', () => {
    it('compares and matches', () => {
      expect(cond('name', 'eq', '张三')).toEqual({ kind: 'compare', field: f('name'), op: 'eq', value: '张三' });
      expect(cond('name', 'ne', '张三')).toMatchObject({ kind: 'compare', op: 'ne' });
      expect(cond('company', 'contains', '  科技 ')).toEqual({ kind: 'text', field: f('company'), op: 'contains', value: '科技' });
      expect(cond('company', 'notContains', '科技')).toMatchObject({ kind: 'text', op: 'notContains' });
      expect(cond('wechat', 'startsWith', 'wx')).toMatchObject({ kind: 'text', op: 'startsWith', value: 'wx' });
      expect(cond('name', 'in', ['a', 'b'])).toEqual({ kind: 'in', field: f('name'), negate: false, values: ['a', 'b'] });
      expect(cond('name', 'notIn', ['a'])).toMatchObject({ kind: 'in', negate: true });
      expect(cond('remark', 'empty')).toEqual({ kind: 'empty', field: f('remark'), negate: false });
      expect(cond('remark', 'notEmpty')).toEqual({ kind: 'empty', field: f('remark'), negate: true });
      expect(cond('custom.note', 'contains', 'vip')).toMatchObject({ kind: 'text', field: f('custom.note') });
    });

    it.each([
      ['contains', ''],
      ['contains', '   '],
      ['contains', 3],
      ['startsWith', null],
      ['eq', 3],
      ['eq', undefined],
      ['in', []],
      ['in', 'a'],
      ['in', ['a', 1]],
      ['in', Array.from({ length: 1001 }, (_, i) => `v${i}`)],
    ])('refuses %s %j', (op, value) => {
      expect(refusal({ field: 'name', op: op as FilterOperator, value })).toMatchObject({
        code: 'FILTER.BAD_VALUE',
        field: 'filter.value',
        params: { field: 'name', op },
      });
    });

    it('takes a list of up to 1000 values', () => {
      const values = Array.from({ length: 1000 }, (_, i) => `v${i}`);
      expect(cond('name', 'in', values)).toMatchObject({ kind: 'in', values });
    });
  });

  describe('number (custom)', () => {
    it('compares, ranges and lists', () => {
      for (const op of ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const) {
        expect(cond('custom.budget', op, 5)).toEqual({ kind: 'compare', field: f('custom.budget'), op, value: 5 });
      }
      expect(cond('custom.budget', 'between', [1, 10])).toEqual({ kind: 'range', field: f('custom.budget'), from: 1, to: 10, toInclusive: true });
      expect(cond('custom.budget', 'between', [null, 10])).toMatchObject({ from: null, to: 10 });
      expect(cond('custom.budget', 'between', [1, null])).toMatchObject({ from: 1, to: null });
      expect(cond('custom.budget', 'in', [1, 2.5, -3])).toMatchObject({ kind: 'in', values: [1, 2.5, -3] });
      expect(cond('custom.budget', 'empty')).toMatchObject({ kind: 'empty' });
    });

    it.each([
      ['eq', '5'],
      ['gt', Number.NaN],
      ['gt', Number.POSITIVE_INFINITY],
      ['between', [1]],
      ['between', [1, 2, 3]],
      ['between', [null, null]],
      ['between', ['1', 2]],
      ['between', '1..2'],
      ['in', [1, '2']],
    ])('refuses %s %j', (op, value) => {
      expect(refusal({ field: 'custom.budget', op: op as FilterOperator, value })).toMatchObject({ code: 'FILTER.BAD_VALUE', field: 'filter.value' });
    });
  });

  describe('boolean', () => {
    it('compares with true or false', () => {
      expect(cond('hot', 'eq', true)).toEqual({ kind: 'compare', field: f('hot'), op: 'eq', value: true });
      expect(cond('doNotCall', 'ne', false)).toMatchObject({ op: 'ne', value: false });
      expect(cond('wrongNumber', 'eq', false)).toMatchObject({ value: false });
    });

    it.each([['true'], [1], [null], [undefined]])('refuses %j', (value) => {
      expect(refusal({ field: 'hot', op: 'eq', value })).toMatchObject({ code: 'FILTER.BAD_VALUE', params: { expected: 'true or false' } });
    });
  });

  describe('focus', () => {
    it('turns eq/ne into the focused flag', () => {
      expect(cond('focused', 'eq', true)).toEqual({ kind: 'focus', focused: true });
      expect(cond('focused', 'eq', false)).toEqual({ kind: 'focus', focused: false });
      expect(cond('focused', 'ne', true)).toEqual({ kind: 'focus', focused: false });
      expect(cond('focused', 'ne', false)).toEqual({ kind: 'focus', focused: true });
    });

    it('refuses a non-boolean', () => {
      expect(refusal({ field: 'focused', op: 'eq', value: 'red' })).toMatchObject({ code: 'FILTER.BAD_VALUE' });
    });
  });

  describe('picklists and selects', () => {
    it('compares and lists', () => {
      expect(cond('source', 'eq', '展会')).toEqual({ kind: 'compare', field: f('source'), op: 'eq', value: '展会' });
      expect(cond('level', 'in', ['A 重点客户', 'B 普通客户'])).toMatchObject({ kind: 'in', negate: false });
      expect(cond('status', 'notIn', ['无意向'])).toMatchObject({ kind: 'in', negate: true });
      expect(cond('industry', 'empty')).toMatchObject({ kind: 'empty', negate: false });
      expect(cond('custom.grade', 'eq', 'A')).toEqual({ kind: 'compare', field: f('custom.grade'), op: 'eq', value: 'A' });
      expect(cond('custom.grade', 'in', ['A', 'B'])).toMatchObject({ kind: 'in', values: ['A', 'B'] });
    });

    it('refuses non-strings', () => {
      expect(refusal({ field: 'source', op: 'eq', value: 1 })).toMatchObject({ code: 'FILTER.BAD_VALUE' });
      expect(refusal({ field: 'custom.grade', op: 'in', value: [true] })).toMatchObject({ code: 'FILTER.BAD_VALUE' });
    });
  });

  describe('tags and multi-selects', () => {
    it('matches sets', () => {
      expect(cond('tags', 'hasAll', ['老客户', '决策人'])).toEqual({ kind: 'set', field: f('tags'), op: 'hasAll', values: ['老客户', '决策人'] });
      expect(cond('tags', 'hasAny', ['老客户'])).toMatchObject({ op: 'hasAny' });
      expect(cond('tags', 'hasNone', ['老客户'])).toMatchObject({ op: 'hasNone' });
      expect(cond('tags', 'hasAny', '老客户')).toMatchObject({ values: ['老客户'] });
      expect(cond('tags', 'empty')).toMatchObject({ kind: 'empty' });
      expect(cond('custom.channels', 'hasAll', ['微信', '电话'])).toMatchObject({ kind: 'set', field: f('custom.channels') });
      expect(cond('custom.channels', 'notEmpty')).toMatchObject({ kind: 'empty', negate: true });
    });

    it.each([[[]], [[1]], [null], [3], [{}]])('refuses %j', (value) => {
      expect(refusal({ field: 'tags', op: 'hasAny', value })).toMatchObject({ code: 'FILTER.BAD_VALUE', params: { expected: 'a non-empty list of strings' } });
    });
  });

  describe('enum', () => {
    it('takes only its options', () => {
      expect(cond('pool', 'eq', 'public')).toMatchObject({ kind: 'compare', value: 'public' });
      expect(cond('dealStatus', 'in', ['won', 'lost'])).toMatchObject({ kind: 'in', values: ['won', 'lost'] });
      expect(refusal({ field: 'pool', op: 'eq', value: 'mine' })).toMatchObject({
        code: 'FILTER.BAD_VALUE',
        params: { expected: 'one of lead, pending, private, public' },
      });
      expect(refusal({ field: 'dealStatus', op: 'notIn', value: ['won', 'maybe'] })).toMatchObject({ code: 'FILTER.BAD_VALUE' });
    });
  });

  describe('user and "me"', () => {
    it('stands "me" for the caller', () => {
      expect(cond('ownerId', 'eq', 'me')).toEqual({ kind: 'compare', field: f('ownerId'), op: 'eq', value: 'user-me' });
      expect(cond('ownerId', 'ne', 'me')).toMatchObject({ op: 'ne', value: 'user-me' });
      expect(cond('createdBy', 'in', ['me', 'user-2'])).toMatchObject({ kind: 'in', values: ['user-me', 'user-2'] });
      expect(cond('updatedBy', 'notIn', ['me'])).toMatchObject({ kind: 'in', negate: true, values: ['user-me'] });
      expect(cond('ownerId', 'eq', 'me', ctx({ actorId: 'someone-else' }))).toMatchObject({ value: 'someone-else' });
    });

    it('passes other ids through and takes empty for "no owner"', () => {
      expect(cond('ownerId', 'eq', 'user-2')).toMatchObject({ value: 'user-2' });
      expect(cond('ownerId', 'empty')).toEqual({ kind: 'empty', field: f('ownerId'), negate: false });
    });

    it.each([[''], [1], [null], [['']]])('refuses %j', (value) => {
      expect(refusal({ field: 'ownerId', op: Array.isArray(value) ? 'in' : 'eq', value })).toMatchObject({ code: 'FILTER.BAD_VALUE' });
    });
  });

  describe('phones', () => {
    it('matches a whole number exactly, in any format', () => {
      expect(cond('phones', 'eq', '138 0013 8000')).toEqual({ kind: 'phone', match: 'exact', value: '+8613800138000' });
      expect(cond('phones', 'eq', '+86-138-0013-8000')).toEqual({ kind: 'phone', match: 'exact', value: '+8613800138000' });
      expect(cond('phones', 'startsWith', '１３８００１３８０００')).toEqual({ kind: 'phone', match: 'exact', value: '+8613800138000' });
    });

    it('matches a start of a number as a prefix of the stored key', () => {
      expect(cond('phones', 'startsWith', '138 0013')).toEqual({ kind: 'phone', match: 'prefix', value: '+861380013' });
      expect(cond('phones', 'startsWith', '0755')).toEqual({ kind: 'phone', match: 'prefix', value: '+86755' });
    });

    it('matches a run of digits anywhere in the number for contains (e.g. the last four)', () => {
      expect(cond('phones', 'contains', '8000')).toEqual({ kind: 'phone', match: 'contains', value: '8000' });
      expect(cond('phones', 'contains', '0013')).toEqual({ kind: 'phone', match: 'contains', value: '0013' });
      expect(cond('phones', 'contains', '００１３ ８０')).toEqual({ kind: 'phone', match: 'contains', value: '001380' });
    });

    it('takes empty and notEmpty', () => {
      expect(cond('phones', 'empty')).toMatchObject({ kind: 'empty', negate: false });
    });

    it.each([
      ['eq', '1380013800'],
      ['eq', 13800138000],
      ['startsWith', '12'],
      ['startsWith', 'abc'],
      ['contains', '12'],
      ['contains', 'abc'],
      ['contains', 8000],
    ])('refuses %s %j', (op, value) => {
      expect(refusal({ field: 'phones', op: op as FilterOperator, value })).toMatchObject({ code: 'FILTER.BAD_VALUE', field: 'filter.value' });
    });
  });
});

describe('resolveFilter: dates and times', () => {
  describe('within, in Asia/Shanghai, across the day boundary', () => {
    const table: [string, unknown, Date, string, string][] = [
      ['today, Sunday 23:59:59', 'today', SUNDAY_LAST_SECOND, '2026-11-21T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
      ['today, Monday 00:00:00', 'today', MONDAY_FIRST_SECOND, '2026-11-22T16:00:00.000Z', '2026-11-23T16:00:00.000Z'],
      ['yesterday, Sunday', 'yesterday', SUNDAY_LAST_SECOND, '2026-11-20T16:00:00.000Z', '2026-11-21T16:00:00.000Z'],
      ['yesterday, Monday', 'yesterday', MONDAY_FIRST_SECOND, '2026-11-21T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
      ['thisWeek, Sunday', 'thisWeek', SUNDAY_LAST_SECOND, '2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
      ['thisWeek, Monday', 'thisWeek', MONDAY_FIRST_SECOND, '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z'],
      ['last 7 days, Sunday', { lastDays: 7 }, SUNDAY_LAST_SECOND, '2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
      ['last 7 days, Monday', { lastDays: 7 }, MONDAY_FIRST_SECOND, '2026-11-16T16:00:00.000Z', '2026-11-23T16:00:00.000Z'],
      ['next 2 days, Monday', { nextDays: 2 }, MONDAY_FIRST_SECOND, '2026-11-22T16:00:00.000Z', '2026-11-24T16:00:00.000Z'],
    ];

    it.each(table)('datetime field: %s', (_name, value, now, from, to) => {
      expect(cond('createdAt', 'within', value, ctx({ now }))).toEqual({ kind: 'range', field: f('createdAt'), from, to, toInclusive: false });
    });

    it('date field: local calendar days, half open', () => {
      expect(cond('custom.signedOn', 'within', 'today', ctx({ now: SUNDAY_LAST_SECOND }))).toEqual({
        kind: 'range',
        field: f('custom.signedOn'),
        from: '2026-11-22',
        to: '2026-11-23',
        toInclusive: false,
      });
      expect(cond('custom.signedOn', 'within', 'today', ctx({ now: MONDAY_FIRST_SECOND }))).toMatchObject({ from: '2026-11-23', to: '2026-11-24' });
      expect(cond('custom.signedOn', 'within', 'thisWeek', ctx({ now: SUNDAY_LAST_SECOND }))).toMatchObject({ from: '2026-11-16', to: '2026-11-23' });
      expect(cond('custom.signedOn', 'within', { lastDays: 30 }, ctx({ now: MONDAY_FIRST_SECOND }))).toMatchObject({ from: '2026-10-25', to: '2026-11-24' });
    });

    it('the built-in "today\'s new" view moves with the clock', () => {
      const view = builtInView('builtin-today-new')!;
      const before = resolveFilter(view.filter, ctx({ now: SUNDAY_LAST_SECOND }));
      const after = resolveFilter(view.filter, ctx({ now: MONDAY_FIRST_SECOND }));
      expect(before.ok && before.value.kind === 'condition' && before.value.condition).toMatchObject({ from: '2026-11-21T16:00:00.000Z' });
      expect(after.ok && after.value.kind === 'condition' && after.value.condition).toMatchObject({ from: '2026-11-22T16:00:00.000Z' });
    });

    it.each([['someday'], [{ lastDays: 0 }], [{ lastDays: 1.5 }], [{ lastDays: 3661 }], [{ lastDays: 2, nextDays: 2 }], [{ nextDays: -1 }], [null], [7]])(
      'refuses %j',
      (value) => {
        expect(refusal({ field: 'lastCallAt', op: 'within', value })).toMatchObject({ code: 'FILTER.BAD_VALUE', field: 'filter.value' });
      },
    );
  });

  describe('datetime comparisons with days and instants', () => {
    it('reads a day in the company zone, and keeps the whole day on the inclusive side', () => {
      // after the 1st: from the 2nd on
      expect(cond('createdAt', 'gt', '2026-11-01')).toMatchObject({ kind: 'compare', op: 'gte', value: '2026-11-01T16:00:00.000Z' });
      // from the 1st on
      expect(cond('createdAt', 'gte', '2026-11-01')).toMatchObject({ op: 'gte', value: '2026-10-31T16:00:00.000Z' });
      // before the 1st
      expect(cond('createdAt', 'lt', '2026-11-01')).toMatchObject({ op: 'lt', value: '2026-10-31T16:00:00.000Z' });
      // until the 1st, included
      expect(cond('createdAt', 'lte', '2026-11-01')).toMatchObject({ op: 'lt', value: '2026-11-01T16:00:00.000Z' });
    });

    it('keeps operators on instants as given', () => {
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
        expect(cond('nextFollowUpAt', op, '2026-11-22T10:00:00+08:00')).toEqual({ kind: 'compare', field: f('nextFollowUpAt'), op, value: '2026-11-22T02:00:00.000Z' });
      }
    });

    it('reads an instant without an offset in the company zone', () => {
      expect(cond('nextFollowUpAt', 'gte', '2026-11-22T10:00:00')).toMatchObject({ value: '2026-11-22T02:00:00.000Z' });
    });

    it('between days covers both days whole', () => {
      expect(cond('createdAt', 'between', ['2026-11-01', '2026-11-30'])).toEqual({
        kind: 'range',
        field: f('createdAt'),
        from: '2026-10-31T16:00:00.000Z',
        to: '2026-11-30T16:00:00.000Z',
        toInclusive: false,
      });
    });

    it('between instants includes the upper instant', () => {
      expect(cond('createdAt', 'between', ['2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'])).toMatchObject({
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-02T00:00:00.000Z',
        toInclusive: true,
      });
      expect(cond('createdAt', 'between', ['2026-11-01', '2026-11-02T12:00:00+08:00'])).toMatchObject({
        from: '2026-10-31T16:00:00.000Z',
        to: '2026-11-02T04:00:00.000Z',
        toInclusive: true,
      });
    });

    it('between takes an open end', () => {
      expect(cond('createdAt', 'between', [null, '2026-11-01'])).toMatchObject({ from: null, to: '2026-11-01T16:00:00.000Z', toInclusive: false });
      expect(cond('createdAt', 'between', ['2026-11-01', null])).toMatchObject({ from: '2026-10-31T16:00:00.000Z', to: null });
    });

    it.each([
      ['gt', 'yesterday'],
      ['gt', '2026-02-30'],
      ['gt', 1764000000000],
      ['lt', '2026/11/01'],
      ['between', [null, null]],
      ['between', ['2026-11-01']],
      ['between', ['2026-11-01', 'soon']],
      ['between', '2026-11-01'],
    ])('refuses %s %j', (op, value) => {
      expect(refusal({ field: 'createdAt', op: op as FilterOperator, value })).toMatchObject({ code: 'FILTER.BAD_VALUE', field: 'filter.value' });
    });

    it('does not take eq on an instant field (use a day range)', () => {
      expect(refusal({ field: 'createdAt', op: 'eq', value: '2026-11-01' })).toMatchObject({ code: 'FILTER.OPERATOR_NOT_ALLOWED' });
    });
  });

  describe('date custom field', () => {
    it('compares calendar days as they are', () => {
      for (const op of ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const) {
        expect(cond('custom.signedOn', op, '2026-11-01')).toEqual({ kind: 'compare', field: f('custom.signedOn'), op, value: '2026-11-01' });
      }
      expect(cond('custom.signedOn', 'between', ['2026-11-01', '2026-11-30'])).toEqual({
        kind: 'range',
        field: f('custom.signedOn'),
        from: '2026-11-01',
        to: '2026-11-30',
        toInclusive: true,
      });
    });

    it.each([['2026-11-01T00:00:00Z'], ['2026-13-01'], ['2026-02-30'], ['01/11/2026'], [20261101]])('refuses %j', (value) => {
      expect(refusal({ field: 'custom.signedOn', op: 'eq', value })).toMatchObject({ code: 'FILTER.BAD_VALUE', params: { expected: 'YYYY-MM-DD dates' } });
    });
  });
});

describe('resolveFilter: trees and limits', () => {
  it('resolves and/or groups in order', () => {
    const r = resolveFilter(
      {
        and: [
          { field: 'ownerId', op: 'eq', value: 'me' },
          { or: [{ field: 'hot', op: 'eq', value: true }, { field: 'tags', op: 'hasAny', value: ['老客户'] }] },
        ],
      },
      ctx(),
    );
    const expected: ResolvedFilter = {
      kind: 'and',
      nodes: [
        { kind: 'condition', condition: { kind: 'compare', field: f('ownerId'), op: 'eq', value: 'user-me' } },
        {
          kind: 'or',
          nodes: [
            { kind: 'condition', condition: { kind: 'compare', field: f('hot'), op: 'eq', value: true } },
            { kind: 'condition', condition: { kind: 'set', field: f('tags'), op: 'hasAny', values: ['老客户'] } },
          ],
        },
      ],
    };
    expect(r).toEqual({ ok: true, value: expected });
  });

  it('reports the first problem in document order', () => {
    const error = refusal({
      or: [
        { field: 'hot', op: 'eq', value: true },
        { and: [{ field: 'name', op: 'eq', value: 'x' }, { field: 'pool', op: 'eq', value: 'nope' }] },
        { field: 'unknown', op: 'eq', value: 1 },
      ],
    });
    expect(error).toMatchObject({ code: 'FILTER.BAD_VALUE', field: 'filter.or.1.and.1.value' });
  });

  const nest = (levels: number): FilterNode => {
    let node: FilterNode = { field: 'hot', op: 'eq', value: true };
    for (let i = 0; i < levels; i++) node = { and: [node] };
    return node;
  };

  it('takes groups nested six deep and refuses seven', () => {
    expect(resolveFilter(nest(6), ctx()).ok).toBe(true);
    expect(refusal(nest(7))).toEqual({
      code: 'FILTER.INVALID',
      field: `filter${'.and.0'.repeat(7)}`,
      params: { reason: 'nested deeper than 6' },
    });
  });

  const conditions = (n: number): FilterNode[] => Array.from({ length: n }, () => ({ field: 'hot', op: 'eq' as const, value: true }));

  it('takes 100 conditions and refuses the 101st, across groups', () => {
    expect(resolveFilter({ and: [{ or: conditions(50) }, { or: conditions(50) }] }, ctx()).ok).toBe(true);
    expect(refusal({ and: [{ or: conditions(50) }, { or: conditions(50) }, { field: 'hot', op: 'eq', value: true }] })).toEqual({
      code: 'FILTER.INVALID',
      field: 'filter.and.2',
      params: { reason: 'more than 100 conditions' },
    });
  });

  it('resolves empty groups to empty groups (the compiler decides what they mean)', () => {
    expect(resolveFilter({ and: [] }, ctx())).toEqual({ ok: true, value: { kind: 'and', nodes: [] } });
    expect(resolveFilter({ or: [] }, ctx())).toEqual({ ok: true, value: { kind: 'or', nodes: [] } });
  });

  it('is the same for the same input (no hidden clock)', () => {
    const node: FilterNode = { field: 'createdAt', op: 'within', value: 'today' };
    expect(resolveFilter(node, ctx())).toEqual(resolveFilter(node, ctx()));
  });
});

describe('FilterNode schema', () => {
  it('parses conditions and groups and refuses stray keys', () => {
    expect(FilterNode.safeParse({ and: [{ field: 'hot', op: 'eq', value: true }, { or: [] }] }).success).toBe(true);
    expect(FilterNode.safeParse({ field: 'hot', op: 'like', value: true }).success).toBe(false);
    expect(FilterNode.safeParse({ field: 'hot', op: 'eq', value: true, extra: 1 }).success).toBe(false);
    expect(FilterNode.safeParse({ and: [], or: [] }).success).toBe(false);
    expect(FilterNode.safeParse({ and: conditionsOf(51) }).success).toBe(false);
  });

  it('every built-in view parses and resolves', () => {
    for (const view of BUILT_IN_VIEWS) {
      expect(FilterNode.safeParse(view.filter).success).toBe(true);
      expect(resolveFilter(view.filter, ctx()).ok).toBe(true);
      expect(resolveSort(view.sort, catalogue).ok).toBe(true);
      for (const column of view.columns) expect(catalogue.has(column)).toBe(true);
    }
    expect(builtInView('nope')).toBeUndefined();
  });
});

function conditionsOf(n: number): FilterNode[] {
  return Array.from({ length: n }, () => ({ field: 'hot', op: 'eq' as const, value: true }));
}

describe('resolveSort', () => {
  it('defaults to newest first', () => {
    expect(resolveSort(undefined, catalogue)).toEqual({ ok: true, value: { field: f('createdAt'), direction: 'desc' } });
  });

  it('takes a sortable built-in or custom field', () => {
    expect(resolveSort({ field: 'name', direction: 'asc' }, catalogue)).toEqual({ ok: true, value: { field: f('name'), direction: 'asc' } });
    expect(resolveSort({ field: 'custom.budget', direction: 'desc' }, catalogue)).toMatchObject({ ok: true, value: { direction: 'desc' } });
    expect(resolveSort({ field: 'custom.signedOn', direction: 'asc' }, catalogue).ok).toBe(true);
    expect(resolveSort({ field: 'custom.grade', direction: 'asc' }, catalogue).ok).toBe(true);
  });

  it.each([['phones'], ['tags'], ['focused'], ['hot'], ['ownerId'], ['custom.channels'], ['custom.altPhone']])('refuses unsortable %s', (name) => {
    expect(resolveSort({ field: name, direction: 'asc' }, catalogue)).toEqual({
      ok: false,
      error: { code: 'FILTER.INVALID', field: 'sort.field', params: { value: name, reason: 'not sortable' } },
    });
  });

  it.each([['nope'], ['custom.secret'], ['custom.contactOnly']])('refuses unknown %s', (name) => {
    expect(resolveSort({ field: name, direction: 'asc' }, catalogue)).toEqual({
      ok: false,
      error: { code: 'FILTER.UNKNOWN_FIELD', field: 'sort.field', params: { value: name } },
    });
  });
});
