import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomField } from '../fields/field.schema.js';
import { indexPicklists } from '../picklist/picklist.rules.js';
import { DEFAULT_PICKLISTS } from '../picklist/picklist.defaults.js';
import { PICKLIST_NAMES } from '../picklist/picklist.schema.js';
import type { DomainError } from '../shared/result.js';
import { checkCustomValue, prepareCustomerWrite, type CustomerChanges, type CustomerWriteContext } from './customer.rules.js';
import { CustomerCreate, CustomerUpdate, type CustomValue } from './customer.schema.js';

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

const FIELDS = {
  budget: field({ key: 'budget', type: 'number' }),
  signedOn: field({ key: 'signedOn', type: 'date' }),
  grade: field({ key: 'grade', type: 'select', options: ['A', 'B', 'C'] }),
  channels: field({ key: 'channels', type: 'multiSelect', options: ['微信', '电话', '邮件'] }),
  note: field({ key: 'note', type: 'text' }),
  altPhone: field({ key: 'altPhone', type: 'phone' }),
  secret: field({ key: 'secret', type: 'text', hidden: true }),
  contactOnly: field({ key: 'contactOnly', type: 'text', module: 'contact' }),
};

const picklists = indexPicklists([
  ...PICKLIST_NAMES.flatMap((list) => DEFAULT_PICKLISTS[list].map((value) => ({ list, value, active: true }))),
  { list: 'source', value: '旧渠道', active: false },
  { list: 'source', value: '网络推广（百度）', active: true },
]);

const ctx = (over: Partial<CustomerWriteContext> = {}): CustomerWriteContext => ({
  picklists,
  customFields: Object.values(FIELDS),
  phoneRegion: 'CN',
  ...over,
});

const required = (...keys: (keyof typeof FIELDS)[]) =>
  ctx({ customFields: Object.values(FIELDS).map((f) => (keys.includes(f.key as keyof typeof FIELDS) ? { ...f, required: true } : f)) });

const create = (input: Partial<CustomerCreate>, c = ctx()) => prepareCustomerWrite({ name: '张三', ...input }, 'create', c);
const update = (input: CustomerUpdate, c = ctx(), existing: Record<string, CustomValue> = {}) => prepareCustomerWrite(input, 'update', c, existing);

const changes = (r: ReturnType<typeof prepareCustomerWrite>): CustomerChanges => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
};
const failure = (r: ReturnType<typeof prepareCustomerWrite>): DomainError => {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
};

describe('prepareCustomerWrite: scalars', () => {
  it('cleans text: trims, folds full-width, collapses spaces, empty becomes null', () => {
    const c = changes(create({ name: '  张三\u3000 先生 ', company: 'ＡＢＣ  科技', wechat: '   ', remark: null }));
    expect(c.scalars).toEqual({ name: '张三 先生', company: 'ABC 科技', wechat: null, remark: null });
  });

  it('lowercases email and clears it with null', () => {
    expect(changes(create({ email: 'Zhang.San@Example.COM' })).scalars.email).toBe('zhang.san@example.com');
    expect(changes(update({ email: null })).scalars).toEqual({ email: null });
  });

  it('copies flags and stores the next follow-up as a UTC instant', () => {
    const c = changes(update({ hot: true, wrongNumber: false, doNotCall: true, nextFollowUpAt: '2026-11-23T09:30:00+08:00' }));
    expect(c.scalars).toEqual({ hot: true, wrongNumber: false, doNotCall: true, nextFollowUpAt: '2026-11-23T01:30:00.000Z' });
    expect(changes(update({ nextFollowUpAt: null })).scalars).toEqual({ nextFollowUpAt: null });
  });

  it('leaves out what an update does not mention', () => {
    expect(changes(update({}))).toEqual({ scalars: {} });
  });

  it('refuses a blank name on create and on update', () => {
    expect(failure(create({ name: '   ' }))).toEqual({ code: 'VALIDATION.REQUIRED', field: 'name' });
    expect(failure(update({ name: '\u3000' }))).toEqual({ code: 'VALIDATION.REQUIRED', field: 'name' });
  });
});

describe('prepareCustomerWrite: picklists', () => {
  it('accepts configured values, folded and trimmed', () => {
    const c = changes(create({ source: ' 展会 ', industry: '金融', region: '北京', status: '有意向', stage: '需求确认', level: 'Ａ　重点客户' }));
    expect(c.scalars).toMatchObject({ source: '展会', industry: '金融', region: '北京', status: '有意向', stage: '需求确认', level: 'A 重点客户' });
  });

  it('accepts a configured value that holds full-width punctuation, typed exactly or half-width', () => {
    expect(changes(create({ source: '网络推广（百度）' })).scalars.source).toBe('网络推广（百度）');
    expect(changes(create({ source: '网络推广(百度)' })).scalars.source).toBe('网络推广（百度）');
  });

  it('clears a picklist field with null or blank', () => {
    expect(changes(update({ source: null, industry: '  ' })).scalars).toEqual({ source: null, industry: null });
  });

  it('refuses an unknown or inactive value, naming the field and the allowed values', () => {
    const error = failure(update({ source: '网络' }));
    expect(error).toMatchObject({ code: 'PICKLIST.VALUE_UNKNOWN', field: 'source', params: { list: 'source', value: '网络' } });
    expect((error.params!.allowed as string[])).toContain('网络推广');
    expect(failure(update({ source: '旧渠道' }))).toMatchObject({ code: 'PICKLIST.VALUE_UNKNOWN', field: 'source' });
  });

  it('does not take a value of another list', () => {
    expect(failure(update({ level: '金融' }))).toMatchObject({ code: 'PICKLIST.VALUE_UNKNOWN', field: 'level', params: { list: 'level' } });
  });
});

describe('prepareCustomerWrite: tags', () => {
  it('validates, cleans and de-duplicates in order', () => {
    expect(changes(update({ tags: ['老客户', ' 决策人 ', '老客户', '决策人', '高意向'] })).tags).toEqual(['老客户', '决策人', '高意向']);
  });

  it('takes an empty list to clear the tags', () => {
    expect(changes(update({ tags: [] })).tags).toEqual([]);
  });

  it('refuses unknown and blank tags, each at its index', () => {
    const error = failure(update({ tags: ['老客户', '不存在', '  '] }));
    expect(error).toEqual({
      code: 'VALIDATION.FAILED',
      details: [
        { code: 'PICKLIST.VALUE_UNKNOWN', field: 'tags.1', params: { list: 'tags', value: '不存在', allowed: [...DEFAULT_PICKLISTS.tags] } },
        { code: 'VALIDATION.REQUIRED', field: 'tags.2' },
      ],
    });
  });

  it('leaves tags out when not given', () => {
    expect(changes(update({ name: 'x' })).tags).toBeUndefined();
  });
});

describe('prepareCustomerWrite: phones', () => {
  it('normalises every number, keeps order (primary first), labels and extensions', () => {
    const c = changes(create({ phones: [{ number: '138 0013 8000', label: ' 手机 ' }, { number: '(010) 1234-5678 转 88' }, { number: '１３９００１３９０００', label: '　' }] }));
    expect(c.phones).toEqual([
      { e164: '+8613800138000', extension: null, label: '手机' },
      { e164: '+861012345678', extension: '88', label: null },
      { e164: '+8613900139000', extension: null, label: null },
    ]);
  });

  it('refuses a number given twice in any format, naming the second', () => {
    expect(failure(create({ phones: [{ number: '13800138000' }, { number: '+86 138-0013-8000' }] }))).toEqual({
      code: 'PHONE.DUPLICATE_IN_INPUT',
      field: 'phones.1.number',
      params: { value: '+86 138-0013-8000' },
    });
  });

  it('treats two extensions of one landline as the same number (the key has no extension)', () => {
    expect(failure(create({ phones: [{ number: '021-66666666 转 1' }, { number: '021-66666666 转 2' }] }))).toMatchObject({
      code: 'PHONE.DUPLICATE_IN_INPUT',
      field: 'phones.1.number',
    });
  });

  it('refuses invalid numbers at their index, with the value', () => {
    expect(failure(create({ phones: [{ number: '13800138000' }, { number: '1380013800' }] }))).toEqual({
      code: 'PHONE.INVALID',
      field: 'phones.1.number',
      params: { value: '1380013800' },
    });
  });

  it('reads numbers in the company region', () => {
    expect(changes(create({ phones: [{ number: '2123 4567' }] }, ctx({ phoneRegion: 'HK' }))).phones).toEqual([
      { e164: '+85221234567', extension: null, label: null },
    ]);
  });

  it('takes an empty list', () => {
    expect(changes(update({ phones: [] })).phones).toEqual([]);
  });
});

describe('prepareCustomerWrite: contacts', () => {
  it('cleans contacts and normalises their phones', () => {
    const c = changes(update({ contacts: [{ name: ' 李四 ', title: '经理', phone: '139-0013-9000', email: 'Li@X.cn', wechat: 'li4', remark: '  ' }, { name: '王五' }] }));
    expect(c.contacts).toEqual([
      { name: '李四', title: '经理', phone: '+8613900139000', email: 'li@x.cn', wechat: 'li4', remark: null },
      { name: '王五', title: null, phone: null, email: null, wechat: null, remark: null },
    ]);
  });

  it('refuses a blank contact name or an invalid contact phone, naming the contact', () => {
    expect(failure(update({ contacts: [{ name: '李四' }, { name: '  ' }] }))).toEqual({ code: 'VALIDATION.REQUIRED', field: 'contacts.1.name' });
    expect(failure(update({ contacts: [{ name: '李四', phone: '123' }] }))).toEqual({
      code: 'PHONE.INVALID',
      field: 'contacts.0.phone',
      params: { value: '123' },
    });
  });
});

describe('prepareCustomerWrite: custom fields', () => {
  it('checks and stores values of every type', () => {
    const c = changes(
      create({
        custom: { budget: '1200.5', signedOn: '2026-11-22', grade: 'B', channels: ['微信', '电话', '微信'], note: '  要发票 ', altPhone: '138 0013 8000' },
      }),
    );
    expect(c.custom).toEqual({ budget: 1200.5, signedOn: '2026-11-22', grade: 'B', channels: ['微信', '电话'], note: '要发票', altPhone: '+8613800138000' });
  });

  it('merges into the stored values on update and clears with null or empty', () => {
    const c = changes(update({ custom: { budget: 10, note: null, grade: '' } }, ctx(), { note: 'old', grade: 'A', signedOn: '2026-01-01' }));
    expect(c.custom).toEqual({ budget: 10, signedOn: '2026-01-01' });
  });

  it('leaves custom out when not given', () => {
    expect(changes(update({ name: 'x' }, ctx(), { note: 'old' })).custom).toBeUndefined();
  });

  it.each([
    ['budget', 'abc', { code: 'VALIDATION.TYPE', params: { expected: 'number' } }],
    ['budget', '   ', { code: 'VALIDATION.TYPE', params: { expected: 'number' } }],
    ['budget', ['1'], { code: 'VALIDATION.TYPE' }],
    ['signedOn', '2026-02-30', { code: 'VALIDATION.TYPE', params: { expected: 'date (YYYY-MM-DD)' } }],
    ['signedOn', '2026-13-01', { code: 'VALIDATION.TYPE' }],
    ['signedOn', '2026-11-22T00:00:00Z', { code: 'VALIDATION.TYPE' }],
    ['signedOn', 20261122, { code: 'VALIDATION.TYPE' }],
    ['grade', 'D', { code: 'FIELD.OPTION_UNKNOWN', params: { value: 'D', allowed: ['A', 'B', 'C'] } }],
    ['grade', 1, { code: 'VALIDATION.TYPE', params: { expected: 'string' } }],
    ['channels', ['微信', 'QQ'], { code: 'FIELD.OPTION_UNKNOWN', params: { value: 'QQ' } }],
    ['channels', '微信', { code: 'VALIDATION.TYPE', params: { expected: 'array of strings' } }],
    ['note', 5, { code: 'VALIDATION.TYPE', params: { expected: 'string' } }],
    ['note', 'x'.repeat(2001), { code: 'VALIDATION.TOO_LONG', params: { max: 2000 } }],
    ['altPhone', '12345', { code: 'PHONE.INVALID' }],
    ['altPhone', 13800138000, { code: 'VALIDATION.TYPE', params: { expected: 'phone number' } }],
  ])('refuses custom.%s = %j', (key, value, expected) => {
    expect(failure(update({ custom: { [key]: value as CustomValue } }))).toMatchObject({ ...expected, field: `custom.${key}` });
  });

  it('refuses unknown keys and keys of other modules as FIELD.UNKNOWN', () => {
    expect(failure(update({ custom: { nope: 1 } }))).toEqual({ code: 'FIELD.UNKNOWN', field: 'custom.nope' });
    expect(failure(update({ custom: { contactOnly: 'x' } }))).toEqual({ code: 'FIELD.UNKNOWN', field: 'custom.contactOnly' });
  });

  it('refuses writing a hidden field, even to clear it', () => {
    expect(failure(update({ custom: { secret: 'x' } }))).toEqual({ code: 'FIELD.HIDDEN', field: 'custom.secret' });
    expect(failure(update({ custom: { secret: null } }))).toEqual({ code: 'FIELD.HIDDEN', field: 'custom.secret' });
  });

  it('keeps a hidden field stored value untouched on update', () => {
    expect(changes(update({ custom: { note: 'n' } }, ctx(), { secret: 's' })).custom).toEqual({ secret: 's', note: 'n' });
  });

  describe('required', () => {
    it('requires a value on create', () => {
      expect(failure(create({}, required('budget')))).toEqual({ code: 'VALIDATION.REQUIRED', field: 'custom.budget' });
      expect(failure(create({ custom: { budget: null } }, required('budget')))).toEqual({ code: 'VALIDATION.REQUIRED', field: 'custom.budget' });
      expect(failure(create({ custom: { channels: [] } }, required('channels')))).toEqual({ code: 'VALIDATION.REQUIRED', field: 'custom.channels' });
      expect(failure(create({ custom: { note: '   ' } }, required('note')))).toEqual({ code: 'VALIDATION.REQUIRED', field: 'custom.note' });
      expect(changes(create({ custom: { budget: 0 } }, required('budget'))).custom).toEqual({ budget: 0 });
    });

    it('on update, refuses clearing a required field but does not require untouched ones', () => {
      expect(failure(update({ custom: { budget: null } }, required('budget'), { budget: 3 }))).toEqual({ code: 'VALIDATION.REQUIRED', field: 'custom.budget' });
      expect(changes(update({ custom: { note: 'x' } }, required('budget'))).custom).toEqual({ note: 'x' });
      expect(changes(update({ name: 'x' }, required('budget'))).custom).toBeUndefined();
    });

    it('does not require hidden fields (nobody can fill them)', () => {
      const c = ctx({ customFields: [{ ...FIELDS.secret, required: true }] });
      expect(changes(create({}, c)).custom).toBeUndefined();
    });

    it('does not require fields of other modules', () => {
      const c = ctx({ customFields: [{ ...FIELDS.contactOnly, required: true }] });
      expect(changes(create({}, c)).custom).toBeUndefined();
    });
  });
});

describe('prepareCustomerWrite: several problems at once', () => {
  it('reports every problem in one VALIDATION.FAILED, each with its field, in input order', () => {
    const error = failure(
      create(
        {
          name: '  ',
          source: '网络',
          tags: ['老客户', '不存在'],
          phones: [{ number: '13800138000' }, { number: '138-0013-8000' }, { number: 'abc' }],
          contacts: [{ name: '' }],
          custom: { nope: 1, grade: 'Z', secret: 'x' },
        },
        required('budget'),
      ),
    );
    expect(error.code).toBe('VALIDATION.FAILED');
    expect(error.details!.map((d) => [d.code, d.field])).toEqual([
      ['VALIDATION.REQUIRED', 'name'],
      ['PICKLIST.VALUE_UNKNOWN', 'source'],
      ['PICKLIST.VALUE_UNKNOWN', 'tags.1'],
      ['PHONE.DUPLICATE_IN_INPUT', 'phones.1.number'],
      ['PHONE.INVALID', 'phones.2.number'],
      ['VALIDATION.REQUIRED', 'contacts.0.name'],
      ['FIELD.UNKNOWN', 'custom.nope'],
      ['FIELD.OPTION_UNKNOWN', 'custom.grade'],
      ['FIELD.HIDDEN', 'custom.secret'],
      ['VALIDATION.REQUIRED', 'custom.budget'],
    ]);
    // Flat: no nested VALIDATION.FAILED inside the details.
    expect(error.details!.every((d) => d.details === undefined)).toBe(true);
  });

  it('passes a single problem through as itself', () => {
    expect(failure(create({ custom: { grade: 'Z' } })).code).toBe('FIELD.OPTION_UNKNOWN');
  });

  it('accepts what the CustomerCreate schema parses from a realistic import row', () => {
    const input = CustomerCreate.parse({
      name: '深圳某某科技有限公司',
      company: '某某科技',
      phones: [{ number: '0755-8888 8888 转 123' }, { number: '+86 139 0013 9000' }],
      source: '购买名单',
      tags: ['高意向'],
      custom: { budget: 50000, grade: 'A' },
    });
    expect(changes(prepareCustomerWrite(input, 'create', ctx()))).toEqual({
      scalars: { name: '深圳某某科技有限公司', company: '某某科技', source: '购买名单' },
      phones: [
        { e164: '+8675588888888', extension: '123', label: null },
        { e164: '+8613900139000', extension: null, label: null },
      ],
      tags: ['高意向'],
      custom: { budget: 50000, grade: 'A' },
    });
  });

  it('never throws and always names a field on failure, for any custom values (property)', () => {
    const anyValue = fc.oneof(fc.string(), fc.double(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }));
    const key = fc.constantFrom(...Object.keys(FIELDS), 'unknownKey');
    fc.assert(
      fc.property(fc.dictionary(key, anyValue), (custom) => {
        const r = update({ custom: custom as Record<string, CustomValue> });
        if (!r.ok) {
          const problems = r.error.details ?? [r.error];
          for (const p of problems) expect(p.field).toMatch(/^custom\./);
        }
      }),
    );
  });
});

describe('checkCustomValue', () => {
  it('treats null, undefined and empty string as no value for every type', () => {
    for (const f of Object.values(FIELDS)) {
      for (const empty of [null, undefined, '']) expect(checkCustomValue(f, empty, 'x')).toEqual({ ok: true, value: null });
    }
  });

  it('reads numbers from numeric strings and keeps numbers', () => {
    expect(checkCustomValue(FIELDS.budget, ' 42 ', 'custom.budget')).toEqual({ ok: true, value: 42 });
    expect(checkCustomValue(FIELDS.budget, -0.5, 'custom.budget')).toEqual({ ok: true, value: -0.5 });
    expect(checkCustomValue(FIELDS.budget, Number.NaN, 'custom.budget').ok).toBe(false);
  });

  it('accepts real calendar days, including 29 February of a leap year', () => {
    expect(checkCustomValue(FIELDS.signedOn, '2028-02-29', 'd')).toEqual({ ok: true, value: '2028-02-29' });
    expect(checkCustomValue(FIELDS.signedOn, '2026-02-29', 'd').ok).toBe(false);
    expect(checkCustomValue(FIELDS.signedOn, '2026-04-31', 'd').ok).toBe(false);
  });

  it('reads a phone field in the given region', () => {
    expect(checkCustomValue(FIELDS.altPhone, '2123 4567', 'custom.altPhone', 'HK')).toEqual({ ok: true, value: '+85221234567' });
    expect(checkCustomValue(FIELDS.altPhone, '138 0013 8000', 'custom.altPhone')).toEqual({ ok: true, value: '+8613800138000' });
  });

  it('uses the company region for phone custom fields in a customer write', () => {
    expect(changes(update({ custom: { altPhone: '2123 4567' } }, ctx({ phoneRegion: 'HK' }))).custom).toEqual({ altPhone: '+85221234567' });
  });
});
