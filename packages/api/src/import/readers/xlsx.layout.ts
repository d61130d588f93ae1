import { posix } from 'node:path';
import type { Entry, ZipFile } from 'yauzl';
import { readEntryText, zipEntries } from './zip.read.js';

export interface WorksheetPart {
  name: string;
  /** The zip entry holding the sheet, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
  hidden: boolean;
}

/** Where the parts of an xlsx are, as its workbook and the workbook's relationships say. */
export interface WorkbookLayout {
  /** The worksheets in tab order (chart sheets left out). */
  sheets: WorksheetPart[];
  workbook: Entry;
  styles: Entry | null;
  sharedStrings: Entry | null;
  entries: ReadonlyMap<string, Entry>;
}

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
/** Far above the workbook part of any real file; a bigger one is crafted. */
const MAX_PART_BYTES = 16 * 1024 * 1024;

const decodeXml = (text: string): string =>
  text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|amp|quot|apos));/gi, (whole, hex?: string, dec?: string, name?: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(Number(dec));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[name!.toLowerCase()] ?? whole;
  });

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) found.set(m[1]!, decodeXml(m[2] ?? m[3] ?? ''));
  return found;
}

// Elements may carry a namespace prefix (`<x:sheet>` from the Open XML SDK).
const elements = (xml: string, local: string): Map<string, string>[] =>
  [...xml.matchAll(new RegExp(`<(?:[\\w.-]+:)?${local}\\b([^>]*)>`, 'g'))].map((m) => attributes(m[1]!));

// Relationship targets are relative to xl/, or absolute from the package root.
const partName = (target: string): string => (target.startsWith('/') ? target.slice(1) : posix.normalize(`xl/${target}`));

/**
 * Reads the layout of an xlsx from `xl/workbook.xml` and its relationships: the sheets in tab order
 * (not the order of their parts in the zip), and the styles and shared strings parts. Throws when the
 * package lacks them.
 */
export async function readWorkbookLayout(zip: ZipFile): Promise<WorkbookLayout> {
  const entries = new Map<string, Entry>();
  for await (const entry of zipEntries(zip)) entries.set(entry.fileName, entry);
  const workbook = entries.get(WORKBOOK);
  const rels = entries.get(WORKBOOK_RELS);
  if (!workbook || !rels) throw new Error(`the workbook has no ${workbook ? WORKBOOK_RELS : WORKBOOK}`);

  const targets = new Map<string, { type: string; part: string }>();
  for (const rel of elements(await readEntryText(zip, rels, MAX_PART_BYTES), 'Relationship')) {
    const id = rel.get('Id');
    const target = rel.get('Target');
    if (id && target) targets.set(id, { type: rel.get('Type')?.split('/').pop() ?? '', part: partName(target) });
  }
  const sheets: WorksheetPart[] = [];
  for (const sheet of elements(await readEntryText(zip, workbook, MAX_PART_BYTES), 'sheet')) {
    // The relationship id is the prefixed `id` attribute (r:id), whatever the prefix.
    const id = [...sheet].find(([key]) => key.endsWith(':id'))?.[1];
    const target = id === undefined ? undefined : targets.get(id);
    const name = sheet.get('name');
    if (target?.type === 'worksheet' && name !== undefined) sheets.push({ name, part: target.part, hidden: /hidden/i.test(sheet.get('state') ?? '') });
  }
  const partOf = (type: string): Entry | null => {
    const target = [...targets.values()].find((t) => t.type === type);
    return (target && entries.get(target.part)) ?? null;
  };
  return { sheets, workbook, styles: partOf('styles'), sharedStrings: partOf('sharedStrings'), entries };
}
