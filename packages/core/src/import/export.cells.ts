/** First characters that make a spreadsheet read a cell as a formula (or shift it into one). */
export const DANGEROUS_CELL_START = ['=', '+', '-', '@', '\t', '\r', '\n'] as const;

/**
 * Neutralises a cell for export against formula injection (CSV injection).
 *
 * Why a leading single quote: it is what OWASP recommends and what Excel, LibreOffice and WPS treat as
 * "this is text", so the cell shows the original text; it keeps every character of the value, and it
 * is reversible (strip one leading `'` from a changed cell). Prefixing a tab or a space would leave
 * visible or trimmed whitespace and still be evaluated by some readers. Phone numbers written `+86...`
 * and negative numbers as text become `'+86...` and `'-12`, which spreadsheets still display as typed.
 *
 * @example neutraliseCell('=1+1') // "'=1+1"
 */
export function neutraliseCell(text: string): string {
  return text !== '' && (DANGEROUS_CELL_START as readonly string[]).includes(text[0]!) ? `'${text}` : text;
}
