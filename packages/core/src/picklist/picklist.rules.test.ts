import { describe, expect, it } from 'vitest';
import { DEFAULT_PICKLISTS } from './picklist.defaults.js';
import { checkPicklistValue, indexPicklists } from './picklist.rules.js';
import { PICKLIST_NAMES, PicklistValueCreate, PicklistValueUpdate } from './picklist.schema.js';

const values = [
  { list: 'source' as const, value: '网络推广', active: true },
  { list: 'source' as const, value: '展会', active: true },
  { list: 'source' as const, value: '旧渠道', active: false },
  { list: 'source' as const, value: '网络推广（百度）', active: true },
  { list: 'tags' as const, value: '老客户', active: true },
  { list: 'tags' as const, value: 'B２B', active: true },
];

describe('indexPicklists', () => {
  it('keeps the active values of each list', () => {
    const index = indexPicklists(values);
    expect([...index.get('source')!]).toEqual(['网络推广', '展会', '网络推广（百度）']);
    expect([...index.get('tags')!]).toEqual(['老客户', 'B２B']);
    expect(index.has('industry')).toBe(false);
  });

  it('indexes nothing from nothing', () => {
    expect(indexPicklists([]).size).toBe(0);
  });

  it('has a default for every list, with no value twice', () => {
    for (const name of PICKLIST_NAMES) {
      const list = DEFAULT_PICKLISTS[name];
      expect(list.length).toBeGreaterThan(0);
      expect(new Set(list).size).toBe(list.length);
    }
  });
});

describe('checkPicklistValue', () => {
  const index = indexPicklists(values);

  it('accepts a configured, active value exactly', () => {
    expect(checkPicklistValue(index, 'source', '网络推广', 'source')).toEqual({ ok: true, value: '网络推广' });
  });

  it('accepts a configured value holding full-width characters, as configured', () => {
    expect(checkPicklistValue(index, 'source', '网络推广（百度）', 'source')).toEqual({ ok: true, value: '网络推广（百度）' });
    expect(checkPicklistValue(index, 'tags', 'B２B', 'tags.0')).toEqual({ ok: true, value: 'B２B' });
  });

  it('matches a value typed with half-width forms to the configured full-width one, and returns the configured one', () => {
    expect(checkPicklistValue(index, 'source', '网络推广(百度)', 'source')).toEqual({ ok: true, value: '网络推广（百度）' });
    expect(checkPicklistValue(index, 'tags', 'B2B', 'tags.0')).toEqual({ ok: true, value: 'B２B' });
  });

  it('refuses a near value: no silent prefix or substring match', () => {
    expect(checkPicklistValue(index, 'source', '网络', 'source')).toEqual({
      ok: false,
      error: { code: 'PICKLIST.VALUE_UNKNOWN', field: 'source', params: { list: 'source', value: '网络', allowed: ['网络推广', '展会', '网络推广（百度）'] } },
    });
  });

  it('refuses an inactive value', () => {
    const r = checkPicklistValue(index, 'source', '旧渠道', 'source');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('PICKLIST.VALUE_UNKNOWN');
  });

  it('refuses any value of a list with no values, naming the field path', () => {
    expect(checkPicklistValue(index, 'industry', '金融', 'contacts.0.industry')).toEqual({
      ok: false,
      error: { code: 'PICKLIST.VALUE_UNKNOWN', field: 'contacts.0.industry', params: { list: 'industry', value: '金融', allowed: [] } },
    });
  });

  it('is case sensitive', () => {
    const latin = indexPicklists([{ list: 'source', value: 'Web', active: true }]);
    expect(checkPicklistValue(latin, 'source', 'web', 'source').ok).toBe(false);
  });
});

describe('picklist schemas', () => {
  it('trims a new value and refuses an empty or overlong one', () => {
    expect(PicklistValueCreate.parse({ value: '  展会 ' })).toEqual({ value: '展会' });
    expect(PicklistValueCreate.safeParse({ value: '   ' }).success).toBe(false);
    expect(PicklistValueCreate.safeParse({ value: 'x'.repeat(61) }).success).toBe(false);
  });

  it('takes a colour as #rrggbb or null only', () => {
    expect(PicklistValueCreate.safeParse({ value: 'a', color: '#FF8800' }).success).toBe(true);
    expect(PicklistValueCreate.safeParse({ value: 'a', color: null }).success).toBe(true);
    expect(PicklistValueCreate.safeParse({ value: 'a', color: 'red' }).success).toBe(false);
  });

  it('refuses unknown keys', () => {
    expect(PicklistValueCreate.safeParse({ value: 'a', list: 'source' }).success).toBe(false);
    expect(PicklistValueUpdate.safeParse({ active: false, extra: 1 }).success).toBe(false);
    expect(PicklistValueUpdate.parse({ active: false })).toEqual({ active: false });
  });
});
