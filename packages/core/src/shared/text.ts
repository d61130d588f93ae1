/**
 * Folds full-width ASCII variants (Ｕ+FF01..FF5E) and the ideographic space to their half-width forms,
 * as typed by Chinese input methods in spreadsheets and search boxes.
 */
export function foldFullWidth(input: string): string {
  let out = '';
  for (const ch of input) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Trims and folds a user-typed text; empty becomes undefined. */
export function cleanText(input: string | null | undefined): string | undefined {
  if (input == null) return undefined;
  const folded = foldFullWidth(input).replace(/\s+/g, ' ').trim();
  return folded === '' ? undefined : folded;
}

/**
 * Orders strings by UTF-16 code units: for ASCII keys (ids, E.164 numbers) the order of SQLite's BINARY
 * and PostgreSQL's "C" collation, and close to it for other text. Rows written in this order follow
 * their index.
 */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
