import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PHONE_REGION, nationalPhone, normalisePhone, phoneQueryOf, type NormalisedPhone } from './phone.rules.js';

const MOBILE = '+8613800138000';

describe('normalisePhone', () => {
  const accepted: [string, NormalisedPhone][] = [
    // Mobiles, in the formats people type and spreadsheets hold.
    ['13800138000', { e164: MOBILE, kind: 'mobile' }],
    ['138 0013 8000', { e164: MOBILE, kind: 'mobile' }],
    ['138-0013-8000', { e164: MOBILE, kind: 'mobile' }],
    ['138.0013.8000', { e164: MOBILE, kind: 'mobile' }],
    ['138/0013/8000', { e164: MOBILE, kind: 'mobile' }],
    ['(138) 0013 8000', { e164: MOBILE, kind: 'mobile' }],
    ['  13800138000  ', { e164: MOBILE, kind: 'mobile' }],
    ['+86 138 0013 8000', { e164: MOBILE, kind: 'mobile' }],
    ['+86-138-0013-8000', { e164: MOBILE, kind: 'mobile' }],
    ['+8613800138000', { e164: MOBILE, kind: 'mobile' }],
    ['+86(0)13800138000', { e164: MOBILE, kind: 'mobile' }],
    ['0086 13800138000', { e164: MOBILE, kind: 'mobile' }],
    ['0086-138-0013-8000', { e164: MOBILE, kind: 'mobile' }],
    ['8613800138000', { e164: MOBILE, kind: 'mobile' }],
    ['86 13800138000', { e164: MOBILE, kind: 'mobile' }],
    ['013800138000', { e164: MOBILE, kind: 'mobile' }],
    // Full-width digits and the ideographic space, as Chinese input methods type them.
    ['１３８００１３８０００', { e164: MOBILE, kind: 'mobile' }],
    ['１３８\u3000００１３\u3000８０００', { e164: MOBILE, kind: 'mobile' }],
    ['＋８６\u3000１３８－００１３－８０００', { e164: MOBILE, kind: 'mobile' }],
    ['1３8-0013-8000', { e164: MOBILE, kind: 'mobile' }],
    // Newer mobile ranges.
    ['14712345678', { e164: '+8614712345678', kind: 'mobile' }],
    ['16612345678', { e164: '+8616612345678', kind: 'mobile' }],
    ['17012345678', { e164: '+8617012345678', kind: 'mobile' }],
    ['19912345678', { e164: '+8619912345678', kind: 'mobile' }],
    // Landlines: area code with its trunk zero, in brackets, with the country code.
    ['010-12345678', { e164: '+861012345678', kind: 'fixed' }],
    ['(010)12345678', { e164: '+861012345678', kind: 'fixed' }],
    ['010.1234.5678', { e164: '+861012345678', kind: 'fixed' }],
    ['+86 10 12345678', { e164: '+861012345678', kind: 'fixed' }],
    ['+86 (0)10 12345678', { e164: '+861012345678', kind: 'fixed' }],
    ['0086-10-12345678', { e164: '+861012345678', kind: 'fixed' }],
    ['861012345678', { e164: '+861012345678', kind: 'fixed' }],
    ['(0755) 8888 8888', { e164: '+8675588888888', kind: 'fixed' }],
    ['0755-88888888', { e164: '+8675588888888', kind: 'fixed' }],
    ['021 6666 6666', { e164: '+862166666666', kind: 'fixed' }],
    ['0898-12345678', { e164: '+8689812345678', kind: 'fixed' }],
    // A landline stored in a number cell loses its trunk zero; libphonenumber reads the national
    // significant number, which is exactly the number without the zero (Beijing 10, Shanghai 21).
    ['1012345678', { e164: '+861012345678', kind: 'fixed' }],
    ['2166666666', { e164: '+862166666666', kind: 'fixed' }],
    ['75588888888', { e164: '+8675588888888', kind: 'fixed' }],
    // Extensions: 转, ext, x, #, 分机, and a trailing -NNN after a complete landline.
    ['021 6666 6666 转 123', { e164: '+862166666666', extension: '123', kind: 'fixed' }],
    ['021-66666666转123', { e164: '+862166666666', extension: '123', kind: 'fixed' }],
    ['021-66666666 ext 12', { e164: '+862166666666', extension: '12', kind: 'fixed' }],
    ['021-66666666 ext. 12', { e164: '+862166666666', extension: '12', kind: 'fixed' }],
    ['021-66666666 EXT12', { e164: '+862166666666', extension: '12', kind: 'fixed' }],
    ['021-66666666 x12', { e164: '+862166666666', extension: '12', kind: 'fixed' }],
    ['021-66666666#12', { e164: '+862166666666', extension: '12', kind: 'fixed' }],
    ['021-66666666 分机 12', { e164: '+862166666666', extension: '12', kind: 'fixed' }],
    ['０２１－６６６６６６６６＃１２', { e164: '+862166666666', extension: '12', kind: 'fixed' }],
    ['010-12345678-123', { e164: '+861012345678', extension: '123', kind: 'fixed' }],
    ['0755-8888-8888-6', { e164: '+8675588888888', extension: '6', kind: 'fixed' }],
    ['13800138000 转 8', { e164: MOBILE, extension: '8', kind: 'mobile' }],
    // Service numbers are valid but neither mobile nor fixed.
    ['400 800 8888', { e164: '+864008008888', kind: 'other' }],
    // Other countries, written with + or 00.
    ['+852 2123 4567', { e164: '+85221234567', kind: 'fixed' }],
    ['+852 9123 4567', { e164: '+85291234567', kind: 'mobile' }],
    ['+1 650 253 0000', { e164: '+16502530000', kind: 'fixed' }],
    ['+1 (650) 253-0000', { e164: '+16502530000', kind: 'fixed' }],
    ['001 650 253 0000', { e164: '+16502530000', kind: 'fixed' }],
    ['+44 20 7946 0958', { e164: '+442079460958', kind: 'fixed' }],
  ];

  it.each(accepted)('normalises %j', (raw, expected) => {
    expect(normalisePhone(raw)).toEqual({ ok: true, value: expected });
  });

  const refused: [string, string][] = [
    ['1380013800', 'a 10-digit fake mobile'],
    ['+86 1380013800', 'a 10-digit fake mobile with the country code'],
    ['138001380000', 'a 12-digit mobile'],
    ['10000000000', 'an 11-digit number in no mobile range'],
    ['12345678901', 'an 11-digit number in no mobile range'],
    ['abc', 'letters'],
    ['138OO138OOO', 'letter O for zero'],
    ['tel:13800138000', 'a URI scheme'],
    ['13800138000x', 'an extension marker without digits'],
    ['+8613800138000;ext=12', 'an RFC 3966 extension'],
    ['', 'empty'],
    ['   ', 'blank'],
    ['\u3000', 'an ideographic space'],
    ['1234', 'too short'],
    ['12345', 'five digits'],
    ['95588', 'a short service number'],
    ['138001380001234567', 'too long'],
    ['+', 'a lone plus'],
    ['0755-8888888', 'a Shenzhen number one digit short'],
    ['010-1234567-1234567', 'an extension too long to be one'],
  ];

  it.each(refused)('refuses %j (%s) with PHONE.INVALID and the raw value', (raw) => {
    expect(normalisePhone(raw)).toEqual({ ok: false, error: { code: 'PHONE.INVALID', params: { value: raw } } });
  });

  it('reads numbers of another default region', () => {
    expect(normalisePhone('2123 4567', 'HK')).toEqual({ ok: true, value: { e164: '+85221234567', kind: 'fixed' } });
    expect(normalisePhone('(650) 253-0000', 'US')).toEqual({ ok: true, value: { e164: '+16502530000', kind: 'fixed' } });
    // A CN mobile written nationally means nothing in the US.
    expect(normalisePhone('13800138000', 'US').ok).toBe(false);
    expect(normalisePhone('+86 138 0013 8000', 'US')).toEqual({ ok: true, value: { e164: MOBILE, kind: 'mobile' } });
  });

  it('defaults to CN', () => {
    expect(DEFAULT_PHONE_REGION).toBe('CN');
  });

  it('tolerates a number given where a string is expected (a numeric spreadsheet cell)', () => {
    expect(normalisePhone(13800138000 as unknown as string)).toEqual({ ok: true, value: { e164: MOBILE, kind: 'mobile' } });
  });

  // Prefixes whose whole 8-digit range is valid in libphonenumber's full metadata.
  const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '170', '171', '176', '177', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189', '191', '198', '199'];
  const toFullWidth = (s: string) => s.replace(/[0-9+\-]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));
  const validMobile = fc
    .tuple(fc.constantFrom(...MOBILE_PREFIXES), fc.stringMatching(/^\d{8}$/))
    .map(([prefix, rest]) => `${prefix}${rest}`);

  it('normalises any valid CN mobile, however it is written, to the same E.164 (property)', () => {
    const separator = fc.constantFrom('', ' ', '-', '.', '\u3000', ' - ', '  ');
    const countryPrefix = fc.constantFrom('', '+86', '+86 ', '+86-', '0086', '0086 ', '86', '86 ', '+86 (0)');
    fc.assert(
      fc.property(validMobile, countryPrefix, separator, separator, fc.boolean(), (mobile, cc, s1, s2, fullWidth) => {
        let written = `${cc}${mobile.slice(0, 3)}${s1}${mobile.slice(3, 7)}${s2}${mobile.slice(7)}`;
        if (fullWidth) written = toFullWidth(written);
        const result = normalisePhone(written);
        expect(result).toEqual({ ok: true, value: { e164: `+86${mobile}`, kind: 'mobile' } });
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts a CN mobile with a digit dropped (property)', () => {
    fc.assert(
      fc.property(validMobile, fc.integer({ min: 0, max: 10 }), (mobile, drop) => {
        const short = mobile.slice(0, drop) + mobile.slice(drop + 1);
        const result = normalisePhone(short);
        // Dropping a digit may leave a valid landline (e.g. 10 digits read as Beijing), never a mobile.
        if (result.ok) expect(result.value.kind).not.toBe('mobile');
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: a normalised number normalises to itself (property)', () => {
    fc.assert(
      fc.property(validMobile, (mobile) => {
        const once = normalisePhone(mobile);
        expect(once.ok).toBe(true);
        if (once.ok) expect(normalisePhone(once.value.e164)).toEqual(once);
      }),
    );
  });

  it('never throws, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (raw) => {
        const result = normalisePhone(raw);
        if (result.ok) expect(result.value.e164).toMatch(/^\+[1-9]\d{4,16}$/);
        else expect(result.error.code).toBe('PHONE.INVALID');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('phoneQueryOf', () => {
  const cases: [string, ReturnType<typeof phoneQueryOf>][] = [
    // A whole number is an exact match on the dedup key, whatever its format.
    ['13800138000', { kind: 'exact', e164: MOBILE }],
    ['138 0013 8000', { kind: 'exact', e164: MOBILE }],
    ['+86-138-0013-8000', { kind: 'exact', e164: MOBILE }],
    ['１３８００１３８０００', { kind: 'exact', e164: MOBILE }],
    ['010-12345678', { kind: 'exact', e164: '+861012345678' }],
    ['(0755) 8888 8888', { kind: 'exact', e164: '+8675588888888' }],
    // A partial number is a prefix of the national number under +86.
    ['138', { kind: 'prefix', e164Prefix: '+86138' }],
    ['138 0013', { kind: 'prefix', e164Prefix: '+861380013' }],
    ['１３８', { kind: 'prefix', e164Prefix: '+86138' }],
    ['1380013800', { kind: 'prefix', e164Prefix: '+861380013800' }],
    // A landline's trunk zero is not part of the stored number.
    ['010', { kind: 'prefix', e164Prefix: '+8610' }],
    ['0755', { kind: 'prefix', e164Prefix: '+86755' }],
    ['(0755) 88', { kind: 'prefix', e164Prefix: '+8675588' }],
    // International prefixes.
    ['+852', { kind: 'prefix', e164Prefix: '+852' }],
    ['+1 650', { kind: 'prefix', e164Prefix: '+1650' }],
    ['+86 10', { kind: 'prefix', e164Prefix: '+8610' }],
    ['0086138', { kind: 'prefix', e164Prefix: '+86138' }],
    ['86138', { kind: 'prefix', e164Prefix: '+86138' }],
    // Too short or not phone-like: not a phone query at all.
    ['12', undefined],
    ['1-2', undefined],
    ['', undefined],
    ['   ', undefined],
    ['abc', undefined],
    ['张三', undefined],
    ['138abc', undefined],
    ['wx_13800138000', undefined],
    ['-138', undefined],
    ['+ 86 138', { kind: 'prefix', e164Prefix: '+86138' }],
    ['(', undefined],
  ];

  it.each(cases)('reads %j', (text, expected) => {
    expect(phoneQueryOf(text)).toEqual(expected);
  });

  it('reads other regions', () => {
    expect(phoneQueryOf('2123 4567', 'HK')).toEqual({ kind: 'exact', e164: '+85221234567' });
    // A partial national number takes the region's own country code, not +86.
    expect(phoneQueryOf('2123', 'HK')).toEqual({ kind: 'prefix', e164Prefix: '+8522123' });
    expect(phoneQueryOf('650 253', 'US')).toEqual({ kind: 'prefix', e164Prefix: '+1650253' });
  });

  it('an exact query of any format of a number finds the same key (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('138', '139', '186', '199'), fc.stringMatching(/^\d{8}$/), (prefix, rest) => {
        const spaced = `${prefix} ${rest.slice(0, 4)} ${rest.slice(4)}`;
        expect(phoneQueryOf(spaced)).toEqual({ kind: 'exact', e164: `+86${prefix}${rest}` });
      }),
    );
  });
});

describe('normalisePhone: the remembered verdicts for bare Chinese mobiles', () => {
  // The fast path answers bare 11-digit numbers from a verdict remembered per 6-digit prefix; the
  // same number written with +86 always goes through the metadata parser, so the two must agree.
  const bare = fc.tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/)).map(([second, rest]) => `1${second}${rest}`);
  const verdict = (r: ReturnType<typeof normalisePhone>) => (r.ok ? r.value : 'invalid');

  it('agrees with the metadata parser on every number (property)', () => {
    fc.assert(
      fc.property(bare, (digits) => {
        expect(verdict(normalisePhone(digits))).toEqual(verdict(normalisePhone(`+86 ${digits}`)));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on two numbers of every prefix: the verdict never depends on the digits after it', () => {
    const random = fc.sample(fc.stringMatching(/^\d{5}$/), { numRuns: 140_000, seed: 7 });
    for (let prefix = 130_000, i = 0; prefix < 200_000; prefix++) {
      for (const tail of [random[i++]!, random[i++]!]) {
        const digits = `${prefix}${tail}`;
        const fast = verdict(normalisePhone(digits));
        const slow = verdict(normalisePhone(`+86 ${digits}`));
        if (JSON.stringify(fast) !== JSON.stringify(slow)) expect(fast, digits).toEqual(slow);
      }
    }
  });

  it('agrees for numbers sharing a prefix whose verdict is already remembered', () => {
    for (const prefix of ['1380013', '1740012', '1740099', '1610123', '1990000', '1700000', '1400000']) {
      for (const tail of ['0000', '1234', '9999']) {
        const digits = prefix + tail;
        expect(verdict(normalisePhone(digits)), digits).toEqual(verdict(normalisePhone(`+86 ${digits}`)));
      }
    }
  });

  it('names the number it refuses', () => {
    expect(normalisePhone('14000000000')).toEqual({ ok: false, error: { code: 'PHONE.INVALID', params: { value: '14000000000' } } });
    expect(normalisePhone('14000000001')).toEqual({ ok: false, error: { code: 'PHONE.INVALID', params: { value: '14000000001' } } });
  });
});

describe('nationalPhone', () => {
  it.each([
    ['+8613800138000', 'CN', '13800138000'],
    ['+861062345678', 'CN', '01062345678'],
    ['+85221234567', 'CN', '+85221234567'],
    ['+85221234567', 'HK', '21234567'],
    ['+16502530000', 'US', '6502530000'],
  ] as const)('%s in %s -> %s', (e164, region, expected) => {
    expect(nationalPhone(e164, region)).toBe(expected);
  });

  it('reads back as the same number (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('138', '139', '186', '199'), fc.stringMatching(/^\d{8}$/), (prefix, rest) => {
        const e164 = `+86${prefix}${rest}`;
        const back = normalisePhone(nationalPhone(e164));
        expect(back.ok && back.value.e164).toBe(e164);
      }),
    );
  });
});
