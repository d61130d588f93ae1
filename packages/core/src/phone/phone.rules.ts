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
      const head = normalisePhone(dashExt[1]!, region);
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
