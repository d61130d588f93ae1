import { describe, expect, it } from 'vitest';
import { customerColumns, customerFields, customerRow, formatPhone, formatTime, formatValue } from './format.js';
import { fitColumns, textWidth, truncate } from './text-width.js';
import { aCustomer } from '../test-support/fixtures.js';

describe('formatting for people', () => {
  it('names the table columns from the field catalogue, in both languages', () => {
    expect(customerColumns('en').map((c) => c.header)).toEqual(['Name', 'Company', 'Primary phone', 'Status', 'Owner', 'Updated at', 'ID']);
    expect(customerColumns('zh-CN').map((c) => c.header)).toEqual(['客户名称', '公司', '主号码', '客户状态', '负责人', '修改时间', 'ID']);
  });

  it('makes a row with the primary phone, the owner name and the focus colour', () => {
    const row = customerRow(aCustomer({ focus: { colour: 'purple' } }), new Map([['u-1', 'Li Si']]));
    expect(row.name).toEqual({ text: '张三', colour: 'magenta', bold: false });
    expect(row.phone!.text).toBe('+8613800138000');
    expect(row.owner!.text).toBe('Li Si');
    expect(row.updated!.text).toBe(formatTime('2025-03-01T08:05:00.000Z'));
    expect(customerRow(aCustomer({ ownerId: 'u-9', phones: [] })).owner!.text).toBe('u-9');
  });

  it('lists the fields that have a value', () => {
    const fields = customerFields(aCustomer({ custom: { budget: 5000, note: null }, focus: { colour: 'red' } }), 'en');
    const labels = fields.map((f) => f.label);
    expect(labels).toContain('Phones');
    expect(labels).toContain('Tags');
    expect(labels).toContain('Focus');
    expect(labels).toContain('Custom fields budget');
    expect(labels).not.toContain('WeChat');
    expect(fields.find((f) => f.label === 'Phones')!.value.text).toBe('+8613800138000, +861065529988 ext. 801 (office)');
    expect(fields.find((f) => f.label === 'Tags')!.value.text).toBe('VIP, 展会');
  });

  it('formats times in local time and values as text', () => {
    expect(formatTime(null)).toBe('');
    expect(formatTime('not a time')).toBe('not a time');
    expect(formatTime('2025-03-01T08:05:00.000Z')).toMatch(/^2025-03-0[12] \d\d:05$/);
    expect(formatValue(true, 'zh-CN')).toBe('是');
    expect(formatValue(['a', 'b'], 'en')).toBe('a, b');
    expect(formatValue(null, 'en')).toBe('');
    expect(formatPhone(undefined)).toBe('');
  });

  it('measures CJK text as two cells a character and truncates by cells', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('星辰科技')).toBe(8);
    expect(textWidth('Ｔｅｌ')).toBe(6);
    expect(truncate('星辰科技有限公司', 7)).toBe('星辰科…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('fits columns to the terminal, taking room from the widest shrinkable column first', () => {
    const columns = [{ shrink: true }, { shrink: true }, {}, { maxWidth: 4 }];
    const texts = [['a'.repeat(30)], ['星辰科技有限公司'], ['+8613800138000'], ['abcdefgh']];
    expect(fitColumns(columns, texts, 200, 2)).toEqual([30, 16, 14, 4]);
    // 30 + 16 + 14 + 4 + 3 gaps = 70; at 60 the first gives up 10 cells.
    expect(fitColumns(columns, texts, 60, 2)).toEqual([20, 16, 14, 4]);
    // At 40 both shrinkable columns give up room until they are level, then in turn.
    expect(fitColumns(columns, texts, 40, 2)).toEqual([8, 8, 14, 4]);
    // Never below five cells: past that the terminal wraps.
    expect(fitColumns(columns, texts, 10, 2)).toEqual([5, 5, 14, 4]);
  });
});
