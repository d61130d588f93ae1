import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Customer } from '../customer/customer.schema.js';
import { customerFieldCatalogue } from '../fields/field.catalogue.js';
import type { CustomField } from '../fields/field.schema.js';
import { DANGEROUS_CELL_START } from './export.cells.js';
import { DEFAULT_EXPORT_FIELDS, exportCell, exportColumns, type ExportCellContext } from './export.columns.js';

const budget: CustomField = {
  id: 'f1', module: 'customer', key: 'budget', label: '预算', type: 'number', required: false, hidden: false, position: 0, options: [], indexed: false,
};
const products: CustomField = { ...budget, id: 'f2', key: 'products', label: '产品', type: 'multiSelect', options: ['A', 'B'] };
const catalogue = customerFieldCatalogue([budget, products]);
const withoutHidden = (hidden: string[]) => new Map([...catalogue].filter(([name]) => !hidden.includes(name)));

const customer: Customer = {
  id: 'c1', name: '张三', company: '=HYPERLINK("http://x")', phones: [{ number: '+8613800138000', extension: null, label: null }, { number: '+861062345678', extension: '123', label: null }],
  wechat: null, email: null, source: '展会', industry: null, region: null, status: null, stage: null, level: null,
  tags: ['老客户', 'VIP'], remark: '-5 折', hot: true, focus: { colour: 'red' }, wrongNumber: false, doNotCall: false,
  dealStatus: 'won', pool: 'private', ownerId: 'u1', protectedUntil: null, lastContactAt: null, lastCallAt: null, lastFollowUpAt: null,
  lastCallResult: null, nextFollowUpAt: '2026-11-22T06:30:00.000Z', custom: { budget: 1200.5, products: ['A', 'B'] }, contacts: [],
  createdBy: 'u2', createdAt: '2026-11-21T16:00:00.000Z', updatedBy: null, updatedAt: '2026-11-21T16:00:00.000Z', deletedAt: null,
};
const ctx: ExportCellContext = { lang: 'zh-CN', timeZone: 'Asia/Shanghai', phoneRegion: 'CN', userNames: new Map([['u1', '李四']]) };
const cell = (name: string, c: Partial<ExportCellContext> = {}) => exportCell(customer, catalogue.get(name)!, { ...ctx, ...c });

describe('exportColumns', () => {
  it('defaults to the usual fields then every custom field, headed in the caller language', () => {
    const columns = exportColumns(catalogue, undefined, 'zh-CN');
    expect(columns.ok && columns.value.map((c) => c.field.name)).toEqual([...DEFAULT_EXPORT_FIELDS, 'custom.budget', 'custom.products']);
    expect(columns.ok && columns.value.slice(0, 2).map((c) => c.header)).toEqual(['客户名称', '电话']);
    const en = exportColumns(catalogue, ['name', 'custom.budget'], 'en');
    expect(en.ok && en.value.map((c) => c.header)).toEqual(['Name', '预算']);
  });

  it('keeps the requested order once each', () => {
    const columns = exportColumns(catalogue, ['phones', 'name', 'phones'], 'en');
    expect(columns.ok && columns.value.map((c) => c.field.name)).toEqual(['phones', 'name']);
  });

  it('leaves hidden fields out of the default and refuses them when asked for', () => {
    const visible = withoutHidden(['company', 'custom.budget']);
    const columns = exportColumns(visible, undefined, 'en');
    expect(columns.ok && columns.value.map((c) => c.field.name)).not.toContain('company');
    expect(columns.ok && columns.value.map((c) => c.field.name)).not.toContain('custom.budget');
    expect(exportColumns(visible, ['name', 'company'], 'en')).toEqual({
      ok: false, error: { code: 'FILTER.UNKNOWN_FIELD', field: 'fields', params: { value: 'company' } },
    });
  });
});

describe('exportCell', () => {
  it.each<[string, Partial<ExportCellContext>, string | number | null]>([
    ['name', {}, '张三'],
    ['company', {}, `'=HYPERLINK("http://x")`],
    ['remark', {}, "'-5 折"],
    ['phones', {}, '13800138000, 01062345678-123'],
    ['tags', {}, '老客户, VIP'],
    ['hot', {}, '是'],
    ['hot', { lang: 'en' }, 'yes'],
    ['wrongNumber', {}, '否'],
    ['pool', {}, '跟进中'],
    ['dealStatus', { lang: 'en' }, 'Won'],
    ['ownerId', {}, '李四'],
    ['createdBy', {}, 'u2'],
    ['createdAt', {}, '2026-11-22 00:00:00'],
    ['nextFollowUpAt', { timeZone: 'UTC' }, '2026-11-22 06:30:00'],
    ['lastCallAt', {}, null],
    ['focused', {}, 'red'],
    ['custom.budget', {}, 1200.5],
    ['custom.products', {}, 'A, B'],
    ['wechat', {}, null],
  ])('%s %j -> %j', (name, c, expected) => {
    expect(cell(name, c)).toEqual(expected);
  });

  it('never writes text a spreadsheet would run as a formula (property)', () => {
    const text = fc.oneof(fc.string(), fc.tuple(fc.constantFrom(...DANGEROUS_CELL_START), fc.string()).map(([c, s]) => c + s));
    fc.assert(fc.property(text, text, text, (name, company, tag) => {
      const c = { ...customer, name, company, tags: [tag], custom: { products: [tag] } };
      for (const field of catalogue.values()) {
        const out = exportCell(c, field, ctx);
        if (typeof out === 'string') expect((DANGEROUS_CELL_START as readonly string[]).includes(out[0] ?? '')).toBe(false);
      }
    }));
  });
});
