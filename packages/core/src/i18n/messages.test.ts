import { describe, expect, it } from 'vitest';
import { customerFieldCatalogue } from '../fields/field.catalogue.js';
import { normalisePhone } from '../phone/phone.rules.js';
import { checkPicklistValue, indexPicklists } from '../picklist/picklist.rules.js';
import { ERROR_CODES, combineErrors, domainError, type DomainError } from '../shared/result.js';
import { resolveFilter, resolveSort } from '../view/filter.rules.js';
import { ERROR_MESSAGES, LANGS, describeError, fillTemplate, pickLang } from './messages.js';

const placeholders = (template: string) => new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

describe('ERROR_MESSAGES', () => {
  it.each(ERROR_CODES.map((c) => [c]))('%s has a message in both languages', (code) => {
    for (const lang of LANGS) {
      expect(typeof ERROR_MESSAGES[code][lang]).toBe('string');
      expect(ERROR_MESSAGES[code][lang].trim()).not.toBe('');
    }
  });

  it.each(ERROR_CODES.map((c) => [c]))('%s uses the same placeholders in both languages', (code) => {
    expect(placeholders(ERROR_MESSAGES[code]['zh-CN'])).toEqual(placeholders(ERROR_MESSAGES[code].en));
  });

  it('has no message for a code that does not exist', () => {
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('has no code twice', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('writes the Chinese messages in Chinese', () => {
    for (const code of ERROR_CODES) expect(ERROR_MESSAGES[code]['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('fillTemplate', () => {
  it('fills placeholders, joins lists and leaves unknown ones visible', () => {
    expect(fillTemplate('{a} and {b} of {list}', { a: 1, b: true, list: ['x', 'y'] })).toBe('1 and true of x, y');
    expect(fillTemplate('{missing} here', {})).toBe('{missing} here');
    expect(fillTemplate('{field} is required', {})).toBe(' is required');
    expect(fillTemplate('{value}', { value: null })).toBe('{value}');
    expect(fillTemplate('{value}', { value: 0 })).toBe('0');
    expect(fillTemplate('{value}', { value: '' })).toBe('');
  });
});

describe('describeError', () => {
  it('fills the field and the facts', () => {
    expect(describeError({ code: 'VALIDATION.REQUIRED', field: 'name' }, 'en')).toBe('name is required');
    expect(describeError({ code: 'VALIDATION.REQUIRED', field: 'name' }, 'zh-CN')).toBe('name 必填');
    expect(describeError({ code: 'VALIDATION.TOO_LONG', field: 'custom.note', params: { max: 2000 } }, 'en')).toBe('custom.note is too long (at most 2000)');
    expect(
      describeError({ code: 'CUSTOMER.PHONE_TAKEN', params: { phone: '+8613800138000', holderName: '张三', holderId: 'c1' } }, 'zh-CN'),
    ).toBe('号码 +8613800138000 已属于客户「张三」(c1)');
    expect(describeError({ code: 'REQUEST.ROUTE_NOT_FOUND', params: { method: 'GET', path: '/x' } }, 'en')).toBe('No such route: GET /x');
  });

  it('drops a missing field without leaving a dangling separator', () => {
    expect(describeError({ code: 'VALIDATION.REQUIRED' }, 'en')).toBe('is required');
    expect(describeError({ code: 'FILTER.UNKNOWN_FIELD', params: { value: 'x' } }, 'zh-CN')).toBe('未知字段「x」');
    expect(describeError({ code: 'FILTER.UNKNOWN_FIELD', params: { value: 'x' } }, 'en')).toBe('unknown field "x"');
  });

  it('describes a code with no placeholders as is', () => {
    expect(describeError(domainError('AUTH.FORBIDDEN'), 'en')).toBe('You may not do this');
    expect(describeError(domainError('AUTH.FORBIDDEN'), 'zh-CN')).toBe('没有权限执行此操作');
  });

  // The errors core itself produces must read well in both languages: no placeholder left unfilled.
  const catalogue = customerFieldCatalogue([]);
  const fctx = { catalogue, now: new Date('2026-11-22T16:00:00Z'), timeZone: 'Asia/Shanghai', actorId: 'u', phoneRegion: 'CN' as const };
  const produced: [string, DomainError][] = [];
  const collect = (name: string, r: { ok: boolean; error?: DomainError }) => {
    if (r.ok || !r.error) throw new Error(`${name} did not fail`);
    produced.push([name, r.error]);
  };
  collect('phone', normalisePhone('abc'));
  collect('phone with field', { ok: false, error: { ...(normalisePhone('abc') as { error: DomainError }).error, field: 'phones.0.number' } });
  collect('picklist', checkPicklistValue(indexPicklists([{ list: 'source', value: '展会', active: true }]), 'source', '网络', 'source'));
  collect('unknown filter field', resolveFilter({ field: 'nope', op: 'eq', value: 1 }, fctx));
  collect('operator', resolveFilter({ and: [{ field: 'hot', op: 'gt', value: 1 }] }, fctx));
  collect('bad value', resolveFilter({ field: 'hot', op: 'eq', value: 'yes' }, fctx));
  collect('filter invalid', resolveFilter({ and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ field: 'hot', op: 'eq', value: true }] }] }] }] }] }] }] }, fctx));
  collect('sort', resolveSort({ field: 'tags', direction: 'asc' }, catalogue));

  it.each(produced)('%s reads without unfilled placeholders', (_name, error) => {
    for (const lang of LANGS) {
      const text = describeError(error, lang);
      expect(text).not.toMatch(/\{\w+\}/);
      expect(text.trim()).not.toBe('');
    }
  });

  it('names the offending field and operator once, in both languages', () => {
    const error = (resolveFilter({ and: [{ field: 'hot', op: 'gt', value: 1 }] }, fctx) as { error: DomainError }).error;
    expect(describeError(error, 'en')).toBe('hot: the operator gt does not apply to this field');
    expect(describeError(error, 'zh-CN')).toBe('hot：该字段不支持运算符 gt');
  });

  it('describes a combined error by its own message', () => {
    const error = combineErrors([domainError('VALIDATION.REQUIRED', { field: 'a' }), domainError('VALIDATION.REQUIRED', { field: 'b' })]);
    expect(error.code).toBe('VALIDATION.FAILED');
    expect(describeError(error, 'en')).toBe('The input is not valid');
    expect(describeError(error, 'zh-CN')).toBe('输入有误');
  });
});

describe('combineErrors and domainError', () => {
  it('passes one error through and wraps several', () => {
    const one = domainError('PHONE.INVALID', { field: 'phones.0.number', params: { value: 'x' } });
    expect(one).toEqual({ code: 'PHONE.INVALID', field: 'phones.0.number', params: { value: 'x' } });
    expect(combineErrors([one])).toBe(one);
    expect(combineErrors([one, one])).toEqual({ code: 'VALIDATION.FAILED', details: [one, one] });
  });
});

describe('pickLang', () => {
  it.each([
    ['zh_CN.UTF-8', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    [' zh-TW , en', 'zh-CN'],
    ['en_US.UTF-8', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['en-US,zh-CN;q=0.9', 'en'],
    ['C', 'en'],
    ['C.UTF-8', 'en'],
    ['POSIX', 'en'],
    ['fr_FR.UTF-8', 'en'],
    ['*', 'en'],
    ['', 'en'],
    [null, 'en'],
    [undefined, 'en'],
  ])('%j -> %s', (hint, lang) => {
    expect(pickLang(hint)).toBe(lang);
  });
});
