import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fillOnlyEmpty, planImportBatch, type DuplicatePolicy, type ExistingPhone } from './import.dedup.js';

const A = '+8613800000001';
const B = '+8613800000002';
const C = '+8613800000003';
const D = '+8613800000004';
const stored = (customerId: string, extra: Partial<ExistingPhone> = {}): ExistingPhone => ({
  customerId, deleted: false, wrongNumber: false, doNotCall: false, ...extra,
});
const existing = new Map<string, ExistingPhone>([
  [A, stored('c1')],
  [B, stored('c2', { deleted: true })],
  [C, stored('c3', { wrongNumber: true })],
  [D, stored('c4', { doNotCall: true })],
]);

describe('planImportBatch: one row against the database', () => {
  it.each<[string[], DuplicatePolicy, object]>([
    [['+8613900000000'], 'skip', { action: 'create' }],
    [['+8613900000000'], 'update', { action: 'create' }],
    [[A], 'skip', { action: 'duplicate', customerId: 'c1', deleted: false, phone: A }],
    [[A], 'update', { action: 'update', customerId: 'c1', phone: A }],
    [[A], 'fill', { action: 'fill', customerId: 'c1', phone: A }],
    [['+8613900000000', A], 'update', { action: 'update', customerId: 'c1', phone: A }],
    [[B], 'skip', { action: 'duplicate', customerId: 'c2', deleted: true, phone: B }],
    [[B], 'update', { action: 'duplicate', customerId: 'c2', deleted: true, phone: B }],
    [[B], 'fill', { action: 'duplicate', customerId: 'c2', deleted: true, phone: B }],
    [[C], 'skip', { action: 'blocked', reason: 'wrongNumber', phone: C }],
    [[C], 'update', { action: 'blocked', reason: 'wrongNumber', phone: C }],
    [[D], 'fill', { action: 'blocked', reason: 'doNotCall', phone: D }],
    [['+8613900000000', D], 'skip', { action: 'blocked', reason: 'doNotCall', phone: D }],
    [[A, C], 'update', { action: 'blocked', reason: 'wrongNumber', phone: C }],
    [[A, B], 'update', { action: 'ambiguous', customerIds: ['c1', 'c2'], phones: [A, B] }],
  ])('%j with %s', (phones, policy, expected) => {
    expect(planImportBatch([{ rowNumber: 2, phones }], existing, new Map(), policy)).toEqual([{ rowNumber: 2, ...expected }]);
  });
});

describe('planImportBatch: within the file', () => {
  it('marks a later row with a seen number as a duplicate of the first row', () => {
    const seen = new Map<string, number>();
    const plan = planImportBatch(
      [
        { rowNumber: 2, phones: ['+8613900000001'] },
        { rowNumber: 3, phones: ['+8613900000002', '+8613900000001'] },
        { rowNumber: 4, phones: ['+8613900000002'] },
        { rowNumber: 5, phones: [A] },
        { rowNumber: 6, phones: [A] },
        { rowNumber: 7, phones: [C] },
        { rowNumber: 8, phones: [C] },
      ],
      existing,
      seen,
      'update',
    );
    expect(plan).toEqual([
      { rowNumber: 2, action: 'create' },
      { rowNumber: 3, action: 'duplicateInFile', firstRow: 2, phone: '+8613900000001' },
      { rowNumber: 4, action: 'duplicateInFile', firstRow: 3, phone: '+8613900000002' },
      { rowNumber: 5, action: 'update', customerId: 'c1', phone: A },
      { rowNumber: 6, action: 'duplicateInFile', firstRow: 5, phone: A },
      { rowNumber: 7, action: 'blocked', reason: 'wrongNumber', phone: C },
      { rowNumber: 8, action: 'blocked', reason: 'wrongNumber', phone: C },
    ]);
    expect(seen).toEqual(new Map([['+8613900000001', 2], ['+8613900000002', 3], [A, 5], [C, 7]]));
  });

  it('carries seen numbers across batches', () => {
    const seen = new Map<string, number>();
    planImportBatch([{ rowNumber: 2, phones: [A] }], new Map(), seen, 'skip');
    expect(planImportBatch([{ rowNumber: 900, phones: [B, A] }], new Map(), seen, 'skip')).toEqual([
      { rowNumber: 900, action: 'duplicateInFile', firstRow: 2, phone: A },
    ]);
  });

  it('names the earliest first row when numbers were seen in several', () => {
    const seen = new Map([[A, 7], [B, 3]]);
    expect(planImportBatch([{ rowNumber: 9, phones: [A, B] }], new Map(), seen, 'skip')[0]).toEqual({ rowNumber: 9, action: 'duplicateInFile', firstRow: 3, phone: B });
  });

  it('creates each number at most once and never a blocked one', () => {
    const phone = fc.constantFrom(A, B, C, D, '+8613900000001', '+8613900000002', '+8613900000003');
    fc.assert(fc.property(fc.array(fc.uniqueArray(phone, { minLength: 1, maxLength: 3 }), { maxLength: 30 }), fc.constantFrom<DuplicatePolicy>('skip', 'update', 'fill'), (rowsPhones, policy) => {
      const rows = rowsPhones.map((phones, i) => ({ rowNumber: i + 2, phones }));
      const plan = planImportBatch(rows, existing, new Map(), policy);
      const created = plan.flatMap((p, i) => (p.action === 'create' ? rows[i]!.phones : []));
      expect(new Set(created).size).toBe(created.length);
      expect(created.some((p) => existing.has(p))).toBe(false);
      for (const p of plan) if (p.action === 'duplicateInFile') expect(p.firstRow).toBeLessThan(p.rowNumber);
    }));
  });
});

describe('fillOnlyEmpty', () => {
  it.each<[Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    [{ company: 'A', remark: null }, { company: 'B', remark: 'x' }, { remark: 'x' }],
    [{}, { company: 'B' }, { company: 'B' }],
    [{ company: '  ' }, { company: 'B' }, { company: 'B' }],
    [{ company: 'A' }, { company: null, remark: '' }, {}],
    [{ tags: [] }, { tags: ['老客户'] }, { tags: ['老客户'] }],
    [{ tags: ['VIP'] }, { tags: ['老客户'] }, {}],
    [{ custom: { budget: 5, size: null } }, { custom: { budget: 9, size: '中', signed: '2026-11-22' } }, { custom: { size: '中', signed: '2026-11-22' } }],
    [{ custom: null }, { custom: { budget: 9 } }, { custom: { budget: 9 } }],
    [{ custom: { budget: 5 } }, { custom: { budget: 9 } }, {}],
    [{ custom: { budget: 0 } }, { custom: { budget: 9 } }, {}],
  ])('%j + %j', (current, incoming, expected) => {
    expect(fillOnlyEmpty(current, incoming)).toEqual(expected);
  });

  it('never overwrites a stored value', () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.option(fc.string())), fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.option(fc.string())), (current, incoming) => {
      const filled = fillOnlyEmpty(current, incoming);
      for (const [k, v] of Object.entries(filled)) {
        expect(current[k] == null || String(current[k]).trim() === '').toBe(true);
        expect(v).toBe(incoming[k]);
      }
    }));
  });
});
