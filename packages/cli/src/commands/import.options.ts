// From the options of `crm import` to the import's options, checked by the core's ImportOptions schema.
import { ImportOptions, isMapEntry, type ImportOptionsInput, type Lang } from '@telecrm/core';
import { parseInteger, usageError, validate } from './options.js';

export interface ImportCommandOptions {
  map?: string[];
  pool?: string;
  duplicates?: string;
  dryRun?: boolean;
  encoding?: string;
  sheet?: string;
  /** `false` with --no-header. */
  header: boolean;
  headerRow?: string;
  report?: string;
  /** `false` with --no-wait. */
  wait: boolean;
}

/** The option each field of ImportOptions comes from, so that messages name what the user typed. */
const OPTION_OF: Record<keyof ImportOptions, string> = {
  fileName: 'FILE',
  pool: '--pool',
  duplicates: '--duplicates',
  dryRun: '--dry-run',
  encoding: '--encoding',
  sheet: '--sheet',
  header: '--no-header',
  headerRow: '--header-row',
  map: '--map',
};

/** The core's shape of a `--map` entry, with the message people read here. */
function checkMapEntries(entries: readonly string[], lang: Lang): void {
  const bad = entries.find((entry) => !isMapEntry(entry));
  if (bad !== undefined) throw usageError(lang, 'error.badMap', { value: bad });
}

/**
 * The import options to send: only the ones given, so that the server's defaults apply to the rest,
 * after the core schema has checked them all, so that a typo fails before a large upload starts.
 */
export function buildImportOptions(fileName: string, options: ImportCommandOptions, lang: Lang): ImportOptionsInput {
  const input: Record<string, unknown> = { fileName };
  if (options.pool !== undefined) input.pool = options.pool;
  if (options.duplicates !== undefined) input.duplicates = options.duplicates;
  if (options.dryRun) input.dryRun = true;
  // People write UTF-8 and GBK; the schema's names are lower case.
  if (options.encoding !== undefined) input.encoding = options.encoding.trim().toLowerCase();
  if (options.sheet !== undefined) input.sheet = options.sheet;
  if (options.header === false) input.header = false;
  const headerRow = parseInteger('--header-row', options.headerRow, lang, 1);
  if (headerRow !== undefined) input.headerRow = headerRow;
  if (options.map && options.map.length > 0) {
    checkMapEntries(options.map, lang);
    input.map = options.map;
  }
  const parsed = validate(ImportOptions, input, lang, OPTION_OF);
  return Object.fromEntries(Object.keys(input).map((key) => [key, parsed[key as keyof ImportOptions]])) as ImportOptionsInput;
}
