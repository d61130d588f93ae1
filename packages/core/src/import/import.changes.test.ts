import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CustomField } from '../fields/field.schema.js';
import type { NormalisedPhone } from '../phone/phone.rules.js';
import { guessMapping } from './import.mapping.js';
import type { ImportRow } from './import.rows.js';
import {
  MAX_PHONES_PER_CUSTOMER,
  customerFromImportRow,
  importActionFailure,
  outcomeOfAction,
  planImportUpdate,
  type ImportComparable,
} from './import.changes.js';
import type { ImportAction } from './import.dedup.js';

const mobile = (e164: string): NormalisedPhone => ({ e164, kind: 'mobile' });
const A = '+8613800000001';
const B = '+8613800000002';
const row = (fields: ImportRow['fields'], phones = [A]): ImportRow => ({ fields, phones: phones.map(mobile) });
const field = (key: string, extra: Partial<CustomField> = {}): CustomField => ({
  id: key, module: 'customer', key, label: key, type: 'text', required: false, hidden: false, position: 0, options: [], indexed: false, ...extra,
});

describe('customerFromImportRow', () => {
  const mapping = guessMapping(['姓名', '手机', '合同号'], [field('contract', { label: '合同号', required: true })]);

  it('keeps the name and fields of the row', () => {
    expect(customerFromImportRow(row({ name: '张三', company: 'A', custom: { contract: 'H1' } }), mapping, [], 'CN')).toEqual({
      ok: true,
      value: { name: '张三', fields: { company: 'A', custom: { contract: 'H1' } }, phones: [mobile(A)] },
    });
  });

  it.each([
    ['+8613800138000', '13800138000'],
    ['+861062345678', '01062345678'],
    ['+85221234567', '+85221234567'],
  ])('names a row without a name after its first number: %s -> %s', (e164, name) => {
    const created = customerFromImportRow(row({}, [e164, B]), mapping, [], 'CN');
    expect(created.ok && created.value.name).toBe(name);
  });

  it('refuses a row without a required custom value, naming the column', () => {
    const fields = [field('contract', { label: '合同号', required: true })];
    expect(customerFromImportRow(row({ name: '张三' }), mapping, fields, 'CN')).toEqual({
      ok: false,
      error: { code: 'VALIDATION.REQUIRED', field: 'custom.contract', params: { column: '合同号', label: '合同号' }, column: '合同号', value: null },
    });
    expect(customerFromImportRow(row({ custom: { contract: [] } }), mapping, fields, 'CN').ok).toBe(false);
  });

  it('ignores required fields that are hidden or of another module', () => {
    const fields = [field('a', { required: true, hidden: true }), field('b', { required: true, module: 'contact' as CustomField['module'] })];
    expect(customerFromImportRow(row({ name: 'x' }), mapping, fields, 'CN').ok).toBe(true);
  });
});

describe('planImportUpdate', () => {
  const stored: ImportComparable = {
    fields: { name: '张三', company: 'A公司', source: '展会', tags: ['老客户'], custom: { budget: 5, size: '中' } },
    phones: [A],
  };

  it.each<[string, 'update' | 'fill', ImportRow, object | null]>([
    ['update overwrites what differs and records what was there', 'update',
      row({ name: '张三', company: 'B公司', remark: '新备注' }),
      { set: { company: 'B公司', remark: '新备注' }, addPhones: [], before: { company: 'A公司', remark: null } }],
    ['update replaces the tag list', 'update', row({ tags: ['大客户'] }),
      { set: { tags: ['大客户'] }, addPhones: [], before: { tags: ['老客户'] } }],
    ['the same tags in another order change nothing', 'update', row({ tags: ['老客户'] }), null],
    ['update sets custom values key by key', 'update', row({ custom: { budget: 9, size: '中', signed: '2026-11-22' } }),
      { set: { custom: { budget: 9, signed: '2026-11-22' } }, addPhones: [], before: { custom: { budget: 5, signed: null } } }],
    ['fill leaves stored values alone', 'fill', row({ company: 'B公司', remark: '新备注', custom: { budget: 9, signed: '2026-11-22' } }),
      { set: { remark: '新备注', custom: { signed: '2026-11-22' } }, addPhones: [], before: { remark: null, custom: { signed: null } } }],
    ['fill does not touch tags the customer has', 'fill', row({ tags: ['大客户'] }), null],
    ['both add numbers the customer lacks', 'fill', row({}, [A, B]), { set: {}, addPhones: [mobile(B)], before: {} }],
    ['a row equal to the customer changes nothing', 'update', row({ name: '张三', company: 'A公司' }), null],
  ])('%s', (_title, policy, incoming, expected) => {
    expect(planImportUpdate(stored, incoming, policy)).toEqual(expected);
  });

  it('adds numbers only up to the limit per customer', () => {
    const full = { fields: {}, phones: Array.from({ length: MAX_PHONES_PER_CUSTOMER - 1 }, (_, i) => `+86139000000${String(i).padStart(2, '0')}`) };
    const update = planImportUpdate(full, row({}, [A, B]), 'update');
    expect(update?.addPhones).toEqual([mobile(A)]);
  });

  it('restoring `before` over the result gives the stored fields back (property)', () => {
    const value = fc.option(fc.constantFrom('x', 'y', 'z'), { nil: undefined });
    const fields = fc.record({ company: value, remark: value, source: value }, { requiredKeys: [] });
    fc.assert(fc.property(fields, fields, fc.constantFrom<'update' | 'fill'>('update', 'fill'), (current, incoming) => {
      const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
      const storedFields = clean(current);
      const plan = planImportUpdate({ fields: storedFields, phones: [A] }, row(clean(incoming)), 'update');
      if (!plan) return;
      const after = { ...storedFields, ...plan.set };
      const restored = clean({ ...after, ...plan.before });
      expect(Object.fromEntries(Object.entries(restored).filter(([, v]) => v !== null))).toEqual(storedFields);
    }));
  });
});

describe('importActionFailure and outcomeOfAction', () => {
  it.each<[ImportAction, string | null, string]>([
    [{ action: 'create' }, null, 'created'],
    [{ action: 'update', customerId: 'c', phone: A }, null, 'updated'],
    [{ action: 'fill', customerId: 'c', phone: A }, null, 'updated'],
    [{ action: 'duplicateInFile', firstRow: 2, phone: A }, 'IMPORT.DUPLICATE_IN_FILE', 'duplicateInFile'],
    [{ action: 'duplicate', customerId: 'c', deleted: false, phone: A }, 'IMPORT.DUPLICATE', 'skipped'],
    [{ action: 'duplicate', customerId: 'c', deleted: true, phone: A }, 'IMPORT.DUPLICATE_DELETED', 'skipped'],
    [{ action: 'blocked', reason: 'wrongNumber', phone: A }, 'IMPORT.WRONG_NUMBER', 'blocked'],
    [{ action: 'blocked', reason: 'doNotCall', phone: A }, 'IMPORT.DO_NOT_CALL', 'blocked'],
    [{ action: 'ambiguous', customerIds: ['c', 'd'], phones: [A, B] }, 'IMPORT.AMBIGUOUS', 'rejected'],
  ])('%j', (action, code, outcome) => {
    expect(importActionFailure(action)?.code ?? null).toBe(code);
    expect(outcomeOfAction(action)).toBe(outcome);
  });

  it('names the number of a duplicate and the first row of a repeat', () => {
    expect(importActionFailure({ action: 'duplicateInFile', firstRow: 7, phone: A })).toEqual({
      code: 'IMPORT.DUPLICATE_IN_FILE', field: 'phones', params: { phone: A, firstRow: 7 },
    });
  });
});
