import type { CountryCode } from 'libphonenumber-js/max';
import { phoneQueryOf, type PhoneQuery } from '../phone/phone.rules.js';
import { foldFullWidth } from '../shared/text.js';

/**
 * The index keys of a name for fuzzy search: its distinct two-character runs, lower-cased and
 * without spaces. Any search text of two or more characters contained in the name has all of its
 * runs among them, so a contains-search becomes index lookups instead of a scan. Chinese names are
 * two to four characters, which is why runs of two and not three.
 */
export function nameGramsOf(name: string): string[] {
  const chars = [...normaliseForSearch(name)];
  if (chars.length === 0) return [];
  if (chars.length === 1) return [chars[0]!];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

export const normaliseForSearch = (text: string): string => foldFullWidth(text).toLowerCase().replace(/\s+/g, '');

/** What a quick-search box text asks for. */
export type QuickSearch =
  | { kind: 'phone'; phone: PhoneQuery; text: string }
  | { kind: 'text'; text: string; grams: string[] };

/**
 * Reads the quick-search text (`q=`): phone-like text searches numbers in any format; anything else
 * searches names (fuzzy, contains) and WeChat ids (exact).
 */
export function quickSearchOf(q: string, region: CountryCode): QuickSearch | undefined {
  const text = foldFullWidth(q).trim();
  if (text === '') return undefined;
  const phone = phoneQueryOf(text, region);
  if (phone) return { kind: 'phone', phone, text };
  const normalised = normaliseForSearch(text);
  return { kind: 'text', text, grams: nameGramsOf(normalised) };
}
