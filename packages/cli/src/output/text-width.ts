// Terminal cell width of text: CJK and full-width characters take two cells. Close enough to
// string-width for the scripts a CRM holds, without pulling it in as a dependency.

const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

const charWidth = (codePoint: number): number => {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if (codePoint >= 0x300 && codePoint <= 0x36f) return 0; // combining marks
  return WIDE.some(([from, to]) => codePoint >= from && codePoint <= to) ? 2 : 1;
};

export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

/** Cuts `text` to at most `max` cells, ending in `…` when it was cut. */
export function truncate(text: string, max: number): string {
  if (textWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0)!);
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

/** Columns never shrink below this many cells (or their natural width, when that is less). */
const MIN_COLUMN = 5;

/**
 * Column widths for a table in `available` cells: each column as wide as its widest text (capped by
 * its `maxWidth`); when that is too wide, the widest shrinkable column gives up a cell at a time.
 */
export function fitColumns(
  columns: readonly { maxWidth?: number | undefined; shrink?: boolean | undefined }[],
  texts: readonly (readonly string[])[],
  available: number,
  gap: number,
): number[] {
  const widths = columns.map((column, i) => {
    const natural = Math.max(0, ...(texts[i] ?? []).map(textWidth));
    return column.maxWidth === undefined ? natural : Math.min(natural, column.maxWidth);
  });
  const floors = widths.map((width) => Math.min(width, MIN_COLUMN));
  let excess = widths.reduce((sum, w) => sum + w, 0) + gap * Math.max(0, columns.length - 1) - available;
  while (excess > 0) {
    let widest = -1;
    columns.forEach((column, i) => {
      if (column.shrink && widths[i]! > floors[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0) break; // nothing left to give: the terminal wraps
    widths[widest]!--;
    excess--;
  }
  return widths;
}
