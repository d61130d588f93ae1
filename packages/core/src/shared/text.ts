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
