import ExcelJS from 'exceljs';
import type { Harness, Json } from './harness.js';

/** A csv file's bytes from rows of cells (UTF-8, comma, CRLF; cells quoted when they need it). */
export function csvFile(rows: readonly (readonly (string | number | null)[])[]): Buffer {
  const quote = (cell: string | number | null) => {
    const text = cell === null ? '' : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return Buffer.from(rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n', 'utf8');
}

/** An xlsx file's bytes from rows of cells, on one sheet. */
export async function xlsxFile(rows: readonly (readonly (string | number | Date | null)[])[], sheet = 'Sheet1'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet(sheet);
  for (const row of rows) ws.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ImportRequest {
  fileName: string;
  pool?: string;
  duplicates?: string;
  dryRun?: boolean;
  encoding?: string;
  sheet?: string;
  header?: boolean;
  headerRow?: number;
  map?: string[];
}

export function importQuery(options: ImportRequest): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.set(key, String(value));
  }
  return params.toString();
}

/** Uploads a file to startImport. */
export function startImport(h: Harness, token: string, file: Uint8Array, options: ImportRequest, headers: Record<string, string> = {}): Promise<Json> {
  return h.request('POST', `/api/v1/imports?${importQuery(options)}`, { token, rawBody: file, headers });
}

/** Uploads a file, lets the job runner finish it and returns the ended job. */
export async function importAndWait(h: Harness, token: string, file: Uint8Array, options: ImportRequest): Promise<any> {
  const started = await startImport(h, token, file, options);
  if (started.status !== 202) throw new Error(`startImport answered ${started.status}: ${JSON.stringify(started.body)}`);
  await h.application.jobs.idle();
  const job = await h.request('GET', `/api/v1/imports/${started.body.id}`, { token });
  return job.body;
}

/** The rows of the first sheet of an xlsx, as plain values. */
export async function readXlsx(bytes: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: false }, (row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined ? null : v)));
  });
  return rows;
}
