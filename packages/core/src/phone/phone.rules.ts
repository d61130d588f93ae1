import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { foldFullWidth } from '../shared/text.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';

export interface NormalisedPhone {
  /** The dedup key: E.164 without extension, e.g. `+8613800138000`. */
  e164: string;
  extension?: string;
  kind: 'mobile' | 'fixed' | 'other';
}

/** A region code libphonenumber knows, e.g. CN. */
export type CountryCodeName = CountryCode;

export const DEFAULT_PHONE_REGION: CountryCode = 'CN';

// Extensions are written `ext 12`, `x12`, `转12`, `#12`, or a trailing `-12` after a full landline.
const EXTENSION = /\s*(?:ext\.?|x|转|#|分机)\s*(\d{1,6})\s*$/i;

/**
 * Normalises a phone number as typed or imported to E.164.
 *
 * Handles full-width digits, spaces, dashes, dots, brackets, `+86` / `0086` / `86` prefixes and
 * extensions. Validity is judged with the full metadata, so a 10-digit "mobile" is refused.
 *
 * @example normalisePhone('138 0013 8000') // ok: { e164: '+8613800138000', kind: 'mobile' }
 */
export function normalisePhone(
  raw: string,
  region: CountryCode = DEFAULT_PHONE_REGION,
): Result<NormalisedPhone, DomainError> {
  if (region === 'CN' && typeof raw === 'string' && PLAIN_CN_MOBILE.test(raw)) return plainChineseMobile(raw);
  return normaliseWithMetadata(raw, region);
}

// Bought lists are mostly bare 11-digit mobiles, and the metadata parser is the slowest step of an
// import. Whether such a number is valid (and its type) depends only on its leading digits (the
// metadata's mobile ranges read at most five), so the parser's verdict is remembered per 6-digit
// prefix; a test over every prefix holds this equal to the parser.
const PLAIN_CN_MOBILE = /^1[3-9]\d{9}$/;
const PREFIX_DIGITS = 6;
const PREFIX_BASE = 130_000;
const KINDS = ['mobile', 'fixed', 'other'] as const;
/** 0 unknown, 1 invalid, 2 + index into KINDS. */
const verdictByPrefix = new Int8Array(200_000 - PREFIX_BASE);

function plainChineseMobile(digits: string): Result<NormalisedPhone, DomainError> {
  const slot = Number(digits.slice(0, PREFIX_DIGITS)) - PREFIX_BASE;
  const verdict = verdictByPrefix[slot]!;
  if (verdict === 0) {
    const parsed = normaliseWithMetadata(digits, 'CN');
    verdictByPrefix[slot] = parsed.ok ? 2 + KINDS.indexOf(parsed.value.kind) : 1;
    return parsed;
  }
  if (verdict === 1) return err({ code: 'PHONE.INVALID', params: { value: digits } });
  return ok({ e164: `+86${digits}`, kind: KINDS[verdict - 2]! });
}

function normaliseWithMetadata(raw: string, region: CountryCode): Result<NormalisedPhone, DomainError> {
  const invalid = () => err<DomainError>({ code: 'PHONE.INVALID', params: { value: raw } });
  let text = foldFullWidth(String(raw)).trim();
  if (text === '') return invalid();
  let extension: string | undefined;
  const ext = EXTENSION.exec(text);
  if (ext) {
    extension = ext[1];
    text = text.slice(0, ext.index);
  }
  // Keep digits and a leading plus only: separators vary with whoever typed the number.
  const plus = text.startsWith('+');
  let digits = text.replace(/[^\d]/g, '');
  if (/[^\d\s\-().+/]/.test(text)) return invalid();
  if (digits.length < 5 || digits.length > 17) return invalid();
  let candidate: string;
  if (plus) candidate = `+${digits}`;
  else if (digits.startsWith('00')) candidate = `+${digits.slice(2)}`;
  else if (region === 'CN' && digits.length === 13 && digits.startsWith('861')) candidate = `+${digits}`;
  else candidate = digits;
  const parsed = parsePhoneNumberFromString(candidate, region);
  if (!parsed || !parsed.isValid()) {
    // A trailing `-123` after a complete landline is its extension: 010-12345678-123.
    const dashExt = extension === undefined ? /^(.*\d)\s*-\s*(\d{1,6})$/.exec(text) : null;
    if (dashExt) {
      const head = normaliseWithMetadata(dashExt[1]!, region);
      if (head.ok && head.value.kind === 'fixed' && head.value.extension === undefined) return ok({ ...head.value, extension: dashExt[2]! });
    }
    // A landline saved as a number cell loses its leading zero (10 digits starting 1-9 but not 1).
    if (region === 'CN' && !plus && /^[2-9]\d{8,10}$/.test(digits)) {
      digits = `0${digits}`;
      const retried = parsePhoneNumberFromString(digits, region);
      if (retried?.isValid()) return ok(toNormalised(retried.number, retried.getType(), extension ?? retried.ext));
    }
    return invalid();
  }
  return ok(toNormalised(parsed.number, parsed.getType(), extension ?? parsed.ext));
}

function toNormalised(e164: string, type: string | undefined, extension: string | undefined): NormalisedPhone {
  const kind = type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' ? 'fixed' : 'other';
  return extension ? { e164, extension, kind } : { e164, kind };
}

/**
 * What a quick-search text means as a phone: a full number (exact match on the E.164 key) or a run of
 * digits to match as a prefix of national numbers. Undefined when the text is not phone-like.
 */
export type PhoneQuery = { kind: 'exact'; e164: string } | { kind: 'prefix'; e164Prefix: string };

export function phoneQueryOf(text: string, region: CountryCode = DEFAULT_PHONE_REGION): PhoneQuery | undefined {
  const folded = foldFullWidth(text).trim();
  if (!/^[+(\d][\d\s\-().]*$/.test(folded)) return undefined;
  const full = normalisePhone(folded, region);
  if (full.ok) return { kind: 'exact', e164: full.value.e164 };
  const digits = folded.replace(/\D/g, '');
  if (digits.length < 3) return undefined;
  if (folded.startsWith('+')) return { kind: 'prefix', e164Prefix: `+${digits}` };
  if (digits.startsWith('00')) return { kind: 'prefix', e164Prefix: `+${digits.slice(2)}` };
  if (region === 'CN' && digits.startsWith('86') && digits.length > 4) return { kind: 'prefix', e164Prefix: `+${digits}` };
  // A national prefix: mobiles are stored as +86 1..., landlines as +86 <area without 0>.
  return { kind: 'prefix', e164Prefix: `+${getCountryCallingCode(region)}${digits.replace(/^0/, '')}` };
}

/**
 * A stored number as people of the company's region write it: the national form without spaces for
 * numbers of that region (`13800138000`, `01062345678`), E.164 for the rest. Spreadsheets read the
 * bare digits as text-or-number either way, where a leading `+` reads as a formula.
 *
 * @example nationalPhone('+8613800138000', 'CN') // '13800138000'
 */
export function nationalPhone(e164: string, region: CountryCode = DEFAULT_PHONE_REGION): string {
  if (region === 'CN' && /^\+861[3-9]\d{9}$/.test(e164)) return e164.slice(3);
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || parsed.country !== region) return e164;
  return parsed.formatNational().replace(/[\s()-]/g, '');
}
