import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CustomField } from '../fields/field.schema.js';
import { applyMappingOverrides, findHeaderRow, guessMapping, HEADER_SEARCH_ROWS, importHeaders, IMPORT_TARGETS, normaliseHeader, targetForHeader } from './import.mapping.js';

const cf = (key: string, label: string, extra: Partial<CustomField> = {}): CustomField => ({
  id: key, module: 'customer', key, label, type: 'text', required: false, hidden: false, position: 0, options: [], indexed: false, ...extra,
});
const customFields = [cf('budget', '预算', { type: 'number' }), cf('secret', '秘密', { hidden: true }), cf('spouse', '配偶', { module: 'contact' })];

describe('targetForHeader', () => {
  it.each([
    ['客户名称', 'name'], ['客户姓名', 'name'], ['姓名', 'name'], ['名称', 'name'], ['联系人', 'name'], ['Name', 'name'], [' NAME ', 'name'],
    ['手机', 'phones'], ['手机号', 'phones'], ['手机号码', 'phones'], ['电话', 'phones'], ['联系电话', 'phones'], ['座机', 'phones'],
    ['固话', 'phones'], ['Mobile', 'phones'], ['phone', 'phones'], ['Tel', 'phones'], ['电话2', 'phones'], ['手机 1', 'phones'], ['Phone 3', 'phones'],
    ['公司', 'company'], ['公司名称', 'company'], ['单位', 'company'], ['企业', 'company'], ['Company', 'company'],
    ['来源', 'source'], ['客户来源', 'source'], ['Source', 'source'], ['行业', 'industry'], ['industry', 'industry'],
    ['标签', 'tags'], ['Tags', 'tags'], ['微信', 'wechat'], ['微信号', 'wechat'], ['WeChat', 'wechat'], ['邮箱', 'email'], ['E-mail', 'email'],
    ['备注', 'remark'], ['说明', 'remark'], ['Remark', 'remark'], ['地区', 'region'], ['区域', 'region'], ['省份', 'region'], ['Region', 'region'],
    ['状态', 'status'], ['客户状态', 'status'], ['阶段', 'stage'], ['成熟度', 'stage'], ['级别', 'level'], ['客户级别', 'level'],
    ['下次跟进', 'nextFollowUpAt'], ['下次跟进时间', 'nextFollowUpAt'], ['nextFollowUpAt', 'nextFollowUpAt'],
    ['ｍｏｂｉｌｅ', 'phones'], ['手机号 *', 'phones'], ['客户　名称', 'name'], ['Mobile_Phone', 'phones'],
    ['预算', 'custom.budget'], ['budget', 'custom.budget'], ['custom.budget', 'custom.budget'],
    ['备用电话', 'phones'], ['备用手机', 'phones'], ['备用电话2', 'phones'], ['办公电话', 'phones'], ['办公室电话', 'phones'], ['家庭电话', 'phones'],
    ['客户手机号', 'phones'], ['联系人电话', 'phones'], ['电话（备用）', 'phones'], ['Alt Phone', 'phones'], ['Alternate Phone', 'phones'],
    ['Work Phone', 'phones'], ['home_phone', 'phones'], ['Phone (work)', 'phones'], ['Secondary Mobile', 'phones'],
    ['备用邮箱', null], ['备用', null], ['电话备用', null], ['客户名称2', null], ['紧急联系人电话', null],
    ['秘密', null], ['配偶', null], ['爱好', null], ['', null], ['名称2', null],
  ])('%s -> %s', (header, target) => {
    expect(targetForHeader(header, customFields)).toBe(target);
  });

  it('prefers built-in synonyms over a custom field with the same label', () => {
    expect(targetForHeader('来源', [cf('src', '来源')])).toBe('source');
  });

  it('maps every target name to itself', () => {
    for (const t of IMPORT_TARGETS) expect(targetForHeader(t, [])).toBe(t);
  });
});

describe('normaliseHeader', () => {
  it('is insensitive to case, full-width forms and spacing', () => {
    fc.assert(fc.property(fc.constantFrom('Phone', 'Company Name', 'WeChat'), (h) => {
      const variant = [...h.toUpperCase()].map((c) => (c === ' ' ? '\u3000' : String.fromCodePoint(c.codePointAt(0)! + 0xfee0))).join('');
      expect(normaliseHeader(variant)).toBe(normaliseHeader(h));
    }));
  });
});

describe('guessMapping', () => {
  it('maps columns, allows several phone columns and reports the unmapped', () => {
    const m = guessMapping(['客户名称', '手机', '电话2', '公司', '爱好', '标签', '预算'], customFields);
    expect(m.columns.map((c) => c.target)).toEqual(['name', 'phones', 'phones', 'company', null, 'tags', 'custom.budget']);
    expect(m.columns.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(m.unmapped).toEqual(['爱好']);
  });

  it('leaves a second column for a single-valued field unmapped', () => {
    const m = guessMapping(['姓名', '联系人', '备注', '说明'], []);
    expect(m.columns.map((c) => c.target)).toEqual(['name', null, 'remark', null]);
    expect(m.unmapped).toEqual(['联系人', '说明']);
  });

  it('maps nothing for headerless files', () => {
    const m = guessMapping(importHeaders(null, 3), []);
    expect(m.columns.map((c) => c.header)).toEqual(['列1', '列2', '列3']);
    expect(m.unmapped).toEqual(['列1', '列2', '列3']);
  });
});

describe('importHeaders', () => {
  it.each([
    [null, 2, ['列1', '列2']],
    [['姓名', ' 手机 ', null, ''], 4, ['姓名', '手机', '列3', '列4']],
    [['姓名'], 3, ['姓名', '列2', '列3']],
    [['ＡＢ', 12], 2, ['AB', '12']],
  ] as const)('%j', (row, width, expected) => {
    expect(importHeaders(row as unknown[] | null, width)).toEqual(expected);
  });
});

describe('applyMappingOverrides', () => {
  const base = guessMapping(['姓名', '手机', '电话2', '爱好', '联系人'], customFields);

  it.each([
    [['爱好=phones'], ['name', 'phones', 'phones', 'phones', null]],
    [['4=remark'], ['name', 'phones', 'phones', 'remark', null]],
    [['电话2=-'], ['name', 'phones', null, null, null]],
    [['联系人=name'], [null, 'phones', 'phones', null, 'name']],
    [['爱好=custom.budget'], ['name', 'phones', 'phones', 'custom.budget', null]],
    [['爱好=备注'], ['name', 'phones', 'phones', 'remark', null]],
    [['爱好 = 手机'], ['name', 'phones', 'phones', 'phones', null]],
    [['１=-', '5=name'], [null, 'phones', 'phones', null, 'name']],
    [[], ['name', 'phones', 'phones', null, null]],
  ])('%j', (overrides, targets) => {
    const r = applyMappingOverrides(base, overrides, customFields);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.columns.map((c) => c.target)).toEqual(targets);
    expect(r.value.unmapped).toEqual(r.value.columns.filter((c) => c.target === null).map((c) => c.header));
  });

  it.each([
    ['爱好', 'VALIDATION.FORMAT', 'syntax'],
    ['=name', 'VALIDATION.FORMAT', 'syntax'],
    ['爱好=', 'VALIDATION.FORMAT', 'syntax'],
    ['年龄=name', 'VALIDATION.FORMAT', 'columnUnknown'],
    ['9=name', 'VALIDATION.FORMAT', 'columnUnknown'],
    ['0=name', 'VALIDATION.FORMAT', 'columnUnknown'],
    ['爱好=hobby', 'FIELD.UNKNOWN', undefined],
    ['爱好=custom.secret', 'FIELD.UNKNOWN', undefined],
    ['爱好=custom.nope', 'FIELD.UNKNOWN', undefined],
  ])('refuses %s', (override, code, reason) => {
    const r = applyMappingOverrides(base, ['电话2=phones', override], customFields);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.params?.override).toBe(override);
    expect(r.error.params?.reason).toBe(reason);
  });

  it('refuses two overrides to the same single-valued field', () => {
    const r = applyMappingOverrides(base, ['爱好=name', '联系人=name'], customFields);
    expect(r.ok ? undefined : r.error.params).toMatchObject({ override: '联系人=name', reason: 'targetTaken', column: '爱好' });
  });

  it('refuses an ambiguous header', () => {
    const m = guessMapping(['电话', '电话'], []);
    const r = applyMappingOverrides(m, ['电话=-'], []);
    expect(r.ok ? undefined : r.error.params?.reason).toBe('columnAmbiguous');
    expect(applyMappingOverrides(m, ['2=-'], []).ok).toBe(true);
  });

  it('does not change the given mapping', () => {
    const before = JSON.stringify(base);
    applyMappingOverrides(base, ['姓名=-'], customFields);
    expect(JSON.stringify(base)).toBe(before);
  });
});

describe('findHeaderRow', () => {
  it.each<[string, unknown[][], number]>([
    ['the first row', [['姓名', '手机'], ['张三', '13800138000']], 0],
    ['below a merged title and a blank row', [['2026 年客户名单', null, null], [], ['客户名称', '联系电话', '公司'], ['张三', '13800138000', 'A']], 2],
    ['the first row naming a phone column', [['序号', '备注'], ['姓名', '公司'], ['姓名', '手机']], 2],
    ['else the first naming two known fields', [['说明'], ['姓名', '公司', '爱好']], 1],
    ['else the first row', [['a', 'b'], ['13800138000', 'c']], 0],
    ['an empty file', [], 0],
  ])('%s', (_title, rows, expected) => {
    expect(findHeaderRow(rows, [])).toBe(expected);
  });

  it('looks no further than the first rows', () => {
    const rows = [...Array.from({ length: HEADER_SEARCH_ROWS }, () => ['x']), ['姓名', '手机']];
    expect(findHeaderRow(rows, [])).toBe(0);
  });
});
