import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CustomField } from '../fields/field.schema.js';
import { indexPicklists } from '../picklist/picklist.rules.js';
import { guessMapping } from './import.mapping.js';
import { neutraliseCell } from './export.cells.js';
import { cellText, normaliseImportRow, parseImportDate, type ImportCell, type ImportRowContext } from './import.rows.js';

const cf = (key: string, label: string, extra: Partial<CustomField> = {}): CustomField => ({
  id: key, module: 'customer', key, label, type: 'text', required: false, hidden: false, position: 0, options: [], indexed: false, ...extra,
});
const customFields = [
  cf('budget', '预算', { type: 'number' }),
  cf('signed', '签约日', { type: 'date' }),
  cf('size', '规模', { type: 'select', options: ['大', '中', '小'] }),
  cf('products', '产品', { type: 'multiSelect', options: ['A', 'B', 'C'] }),
  cf('backup', '备用号', { type: 'phone' }),
  cf('note2', '附言'),
];
const picklists = indexPicklists([
  ...['网络推广', '展会'].map((value) => ({ list: 'source' as const, value, active: true })),
  { list: 'source' as const, value: '停用渠道', active: false },
  ...['教育', '医疗'].map((value) => ({ list: 'industry' as const, value, active: true })),
  { list: 'region' as const, value: '北京', active: true },
  { list: 'status' as const, value: '有意向', active: true },
  { list: 'stage' as const, value: 'A', active: true },
  { list: 'level' as const, value: 'VIP', active: true },
  ...['老客户', '大客户', 'B2B'].map((value) => ({ list: 'tags' as const, value, active: true })),
]);
const ctx: ImportRowContext = {
  picklists,
  aliases: { source: { 百度: '网络推广', 坏别名: '不存在' }, tags: { 老: '老客户' } },
  customFields,
  phoneRegion: 'CN',
  timeZone: 'Asia/Shanghai',
};
const headers = ['姓名', '手机', '电话2', '公司', '来源', '行业', '地区', '状态', '阶段', '级别', '标签', '备注', '微信', '邮箱', '下次跟进时间', '预算', '签约日', '规模', '产品', '备用号', '附言', '爱好'];
const mapping = guessMapping(headers, customFields);
const row = (values: Record<string, ImportCell>): ImportCell[] => headers.map((h) => values[h] ?? null);
const run = (values: Record<string, ImportCell>) => normaliseImportRow(row(values), mapping, ctx);

describe('normaliseImportRow: accepted rows', () => {
  it.each<[string, Record<string, ImportCell>, object, string[]]>([
    ['trims and folds full-width', { 姓名: '  张三　', 手机: '１３８ ００１３ ８０００', 公司: 'ＡＢＣ 公司' }, { name: '张三', company: 'ABC 公司' }, ['+8613800138000']],
    ['a number cell phone', { 手机: 13800138000 }, {}, ['+8613800138000']],
    ['a landline number cell that lost its 0', { 手机: 1062345678 }, {}, ['+861062345678']],
    ['several numbers in one cell and across columns, deduplicated', { 手机: '13800138000；13900139000', 电话2: '+86 138-0013-8000' }, {}, ['+8613800138000', '+8613900139000']],
    ['numbers on several lines', { 电话2: '13800138000\n010-62345678' }, {}, ['+8613800138000', '+861062345678']],
    ['picklists exact, folded and by alias', { 手机: '13800138000', 来源: '百度', 行业: '教育', 地区: ' 北京 ', 状态: '有意向', 阶段: 'Ａ', 级别: 'VIP' },
      { source: '网络推广', industry: '教育', region: '北京', status: '有意向', stage: 'A', level: 'VIP' }, ['+8613800138000']],
    ['tags split on every separator, aliases resolved, duplicates dropped', { 手机: '13800138000', 标签: '老客户,大客户，B2B;老；大客户、老|' },
      { tags: ['老客户', '大客户', 'B2B'] }, ['+8613800138000']],
    ['email lower-cased, wechat and remark kept', { 手机: '13800138000', 邮箱: ' Zhang@Example.COM ', 微信: 'zs_01', 备注: '周末勿扰' },
      { email: 'zhang@example.com', wechat: 'zs_01', remark: '周末勿扰' }, ['+8613800138000']],
    ['next follow-up as text with time in the company zone', { 手机: '13800138000', 下次跟进时间: '2026/11/22 14:30' },
      { nextFollowUpAt: '2026-11-22T06:30:00.000Z' }, ['+8613800138000']],
    ['next follow-up as Excel serial', { 手机: '13800138000', 下次跟进时间: 46348.5 }, { nextFollowUpAt: '2026-11-22T04:00:00.000Z' }, ['+8613800138000']],
    ['custom values of every type', { 手机: '13800138000', 预算: '1,200.50', 签约日: '2026年11月22日', 规模: '中', 产品: 'A、C、A', 备用号: 13900139000, 附言: ' hi ' },
      { custom: { budget: 1200.5, signed: '2026-11-22', size: '中', products: ['A', 'C'], backup: '+8613900139000', note2: 'hi' } }, ['+8613800138000']],
    ['custom number cell', { 手机: '13800138000', 预算: 3000 }, { custom: { budget: 3000 } }, ['+8613800138000']],
    ['blank mapped cells set nothing; unmapped columns ignored', { 手机: '13800138000', 公司: '   ', 爱好: '钓鱼', 标签: ' , ' }, {}, ['+8613800138000']],
  ])('%s', (_name, values, fields, phones) => {
    const r = run(values);
    expect(r).toMatchObject({ ok: true });
    if (!('ok' in r) || !r.ok) return;
    expect(r.value.fields).toEqual(fields);
    expect(r.value.phones.map((p) => p.e164)).toEqual(phones);
  });

  it('keeps an extension', () => {
    const r = run({ 手机: '010-62345678 转 123' });
    expect('ok' in r && r.ok && r.value.phones[0]).toMatchObject({ e164: '+861062345678', extension: '123', kind: 'fixed' });
  });
});

describe('normaliseImportRow: rejected rows', () => {
  it.each<[string, Record<string, ImportCell>, string, string | null, string | null, string?]>([
    ['no phone', { 姓名: '张三' }, 'VALIDATION.REQUIRED', '手机', null],
    ['an invalid phone', { 手机: '12345' }, 'PHONE.INVALID', '手机', '12345'],
    ['one invalid number among valid ones', { 手机: '13800138000', 电话2: '13800138000, 1380013' }, 'PHONE.INVALID', '电话2', '1380013'],
    ['a decimal number cell phone', { 手机: 13800138000.5 }, 'PHONE.INVALID', '手机', '13800138000.5'],
    ['an unknown picklist value', { 手机: '13800138000', 来源: '网络' }, 'PICKLIST.VALUE_UNKNOWN', '来源', '网络', 'source'],
    ['an inactive picklist value', { 手机: '13800138000', 来源: '停用渠道' }, 'PICKLIST.VALUE_UNKNOWN', '来源', '停用渠道', 'source'],
    ['an alias to a value not configured', { 手机: '13800138000', 来源: '坏别名' }, 'PICKLIST.VALUE_UNKNOWN', '来源', '坏别名', 'source'],
    ['an unknown tag', { 手机: '13800138000', 标签: '老客户,新' }, 'PICKLIST.VALUE_UNKNOWN', '标签', '新', 'tags'],
    ['a bad email', { 手机: '13800138000', 邮箱: 'zhang@' }, 'VALIDATION.FORMAT', '邮箱', 'zhang@', 'email'],
    ['a bad date', { 手机: '13800138000', 下次跟进时间: '2026-02-30' }, 'VALIDATION.TYPE', '下次跟进时间', '2026-02-30', 'nextFollowUpAt'],
    ['a bad number', { 手机: '13800138000', 预算: '一千' }, 'VALIDATION.TYPE', '预算', '一千', 'custom.budget'],
    ['a bad custom date', { 手机: '13800138000', 签约日: 'soon' }, 'VALIDATION.TYPE', '签约日', 'soon', 'custom.signed'],
    ['an unknown option', { 手机: '13800138000', 规模: '巨大' }, 'FIELD.OPTION_UNKNOWN', '规模', '巨大', 'custom.size'],
    ['an unknown multi option', { 手机: '13800138000', 产品: 'A|Z' }, 'FIELD.OPTION_UNKNOWN', '产品', 'Z', 'custom.products'],
    ['a bad custom phone', { 手机: '13800138000', 备用号: 'abc' }, 'PHONE.INVALID', '备用号', 'abc', 'custom.backup'],
  ])('%s', (_name, values, code, column, value, field) => {
    const r = run(values);
    expect('ok' in r && !r.ok).toBe(true);
    if (!('ok' in r) || r.ok) return;
    expect(r.error).toMatchObject({ code, column, value, params: { column } });
    if (field) expect(r.error.field).toBe(field);
  });

  it('names no column when no column is mapped to phones', () => {
    const m = guessMapping(['姓名'], []);
    expect(normaliseImportRow(['张三'], m, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION.REQUIRED', column: null, params: { column: null } } });
  });

  it('fails a custom column whose field is gone', () => {
    const m = guessMapping(['手机', '预算'], customFields);
    expect(normaliseImportRow(['13800138000', '1'], m, { ...ctx, customFields: [] })).toMatchObject({ ok: false, error: { code: 'FIELD.UNKNOWN' } });
  });
});

describe('normaliseImportRow: blank rows', () => {
  it.each<[ImportCell[]]>([[[]], [[null, undefined, '', '  ', '\u3000']], [headers.map(() => null)]])('%j is skipped', (cells) => {
    expect(normaliseImportRow(cells, mapping, ctx)).toEqual({ skip: 'blank' });
  });

  it('skips only rows with no text at all', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom<ImportCell>(null, '', ' ', '\t', '\u3000'), { maxLength: 25 }), (cells) => {
      expect(normaliseImportRow(cells, mapping, ctx)).toEqual({ skip: 'blank' });
    }));
    expect(normaliseImportRow(row({ 爱好: 'x' }), mapping, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION.REQUIRED' } });
  });
});

describe('cellText', () => {
  it.each<[ImportCell, string | undefined]>([
    [null, undefined], [undefined, undefined], ['  ', undefined], [' Ａ　b ', 'A b'], [13800138000, '13800138000'],
    [8.6138001e12, '8613800100000'], [1.5, '1.5'], [Number.NaN, undefined], [new Date(Date.UTC(2026, 10, 22)), '2026-11-22T00:00:00.000Z'],
  ])('%j -> %j', (cell, text) => {
    expect(cellText(cell)).toBe(text);
  });

  it.each<[string, string]>([
    ["'=1+1", '=1+1'], ["'+8613800138000", '+8613800138000'], ["'-5", '-5'], ["'@x", '@x'], ["'abc", "'abc"], ["''=1", "''=1"],
  ])('reads the formula guard of an export away: %j -> %j', (cell, text) => {
    expect(cellText(cell)).toBe(text);
  });

  it('reads back what an export neutralised (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      expect(cellText(neutraliseCell(s))).toBe(cellText(s));
    }));
  });

  it('prints every whole number without exponent', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
      expect(cellText(n)).toBe(BigInt(n).toString());
    }));
  });
});

describe('parseImportDate', () => {
  it.each<[ImportCell, string | undefined, string | undefined]>([
    ['2026-11-22', '2026-11-22', '2026-11-21T16:00:00.000Z'],
    ['2026/11/22', '2026-11-22', '2026-11-21T16:00:00.000Z'],
    ['2026/1/5', '2026-01-05', '2026-01-04T16:00:00.000Z'],
    ['2026.11.22', '2026-11-22', '2026-11-21T16:00:00.000Z'],
    ['2026年11月22日', '2026-11-22', '2026-11-21T16:00:00.000Z'],
    ['２０２６年１１月２２日 ０９：１５', '2026-11-22', '2026-11-22T01:15:00.000Z'],
    ['2026-11-22T09:15:30', '2026-11-22', '2026-11-22T01:15:30.000Z'],
    [46348, '2026-11-22', '2026-11-21T16:00:00.000Z'],
    [46348.75, '2026-11-22', '2026-11-22T10:00:00.000Z'],
    [61, '1900-03-01', '1900-02-28T15:54:17.000Z'],
    [new Date(Date.UTC(2026, 10, 22, 9, 0)), '2026-11-22', '2026-11-22T01:00:00.000Z'],
    ['2026-02-30', undefined, undefined],
    ['2026-13-01', undefined, undefined],
    ['22/11/2026', undefined, undefined],
    ['2026-11-22 25:00', undefined, undefined],
    ['tomorrow', undefined, undefined],
    [0, undefined, undefined],
    [-5, undefined, undefined],
    [3e6, undefined, undefined],
    [null, undefined, undefined],
    [new Date(Number.NaN), undefined, undefined],
  ])('%j', (cell, day, instant) => {
    const r = parseImportDate(cell, 'Asia/Shanghai');
    expect(r?.day).toBe(day);
    expect(r?.instant).toBe(instant);
  });

  it('reads an Excel serial the same as the day it names', () => {
    fc.assert(fc.property(fc.integer({ min: 61, max: 2958465 }), (serial) => {
      const r = parseImportDate(serial, 'UTC')!;
      expect(parseImportDate(r.day, 'UTC')).toEqual(r);
    }));
  });
});
