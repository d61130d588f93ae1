import Papa from 'papaparse';

export interface CsvDialect {
  delimiter: string;
  /**
   * '\n' covers both LF and CRLF files (and files that mix them): the CR left at the end of a record's
   * last field is dropped by the reader, and the parser takes `"..."\r\n` as a closed quote. '\r' only
   * when records end with a lone CR (classic Mac).
   */
  newline: '\n' | '\r';
}

const DELIMITERS = [',', '\t', ';', '|'];
const PREVIEW_RECORDS = 10;

// The first line break outside quotes: a quoted field may hold other breaks than the records' own.
function firstLineBreak(sample: string): CsvDialect['newline'] {
  let quoted = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (!quoted && c === 0x0a) return '\n';
    else if (!quoted && c === 0x0d) return i + 1 < sample.length && sample.charCodeAt(i + 1) !== 0x0a ? '\r' : '\n';
  }
  return '\n';
}

/**
 * Guesses the delimiter from the first records of a sample: the candidate that splits them into the
 * most consistent number of fields (at least two on average) wins, more fields breaking a tie; comma
 * when none splits anything (a one-column file). `complete` says the sample is the whole file, so its
 * last record is not cut short.
 */
export function detectCsvDialect(sample: string, complete: boolean): CsvDialect {
  const newline = firstLineBreak(sample);
  let best: { delimiter: string; delta: number; average: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const parsed = new Papa.Parser({ delimiter, newline, preview: PREVIEW_RECORDS }).parse(sample, 0, !complete) as { data: string[][] };
    const counts = parsed.data.filter((record) => !(record.length === 1 && record[0]!.trim() === '')).map((record) => record.length);
    if (counts.length === 0) continue;
    const average = counts.reduce((a, b) => a + b, 0) / counts.length;
    const delta = counts.reduce((sum, n, i) => (i === 0 ? 0 : sum + Math.abs(n - counts[i - 1]!)), 0);
    if (average < 2) continue;
    if (!best || delta < best.delta || (delta === best.delta && average > best.average)) best = { delimiter, delta, average };
  }
  return { delimiter: best?.delimiter ?? ',', newline };
}
