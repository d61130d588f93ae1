// Helpers for the readers' tests: fixture paths, temporary folders, and what the process has open.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportCell, ImportEncoding } from '@telecrm/core';
import { openImportRows } from '../import/readers/import-file.js';
import type { ImportRows, ReaderLimits, SheetRow } from '../import/readers/readers.types.js';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/import');
export const fixture = (name: string): string => join(FIXTURES, name);

/** The cap the server starts with. */
export const DEFAULT_MAX_UNPACKED = 512 * 1024 * 1024;

/** Whether LibreOffice runs here (asked once, by the tests that need it). */
export const sofficeAvailable = (): boolean => spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0;

export interface TempDir {
  dir: string;
  /** Writes a file into the folder and returns its path. */
  file(name: string, content: string | Uint8Array): string;
  remove(): void;
}

/** A fresh folder under the system temp dir. */
export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'readers-test-'));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const limitsIn = (tmpDir: string, overrides: Partial<ReaderLimits> = {}): ReaderLimits => ({
  maxUnpackedBytes: DEFAULT_MAX_UNPACKED,
  soffice: null,
  tmpDir,
  ...overrides,
});

/** openImportRows that throws instead of returning an error, for tests about files that open. */
export async function openRows(path: string, readAs: 'xlsx' | 'csv', options: { encoding?: ImportEncoding; sheet?: string } = {}): Promise<ImportRows> {
  const opened = await openImportRows(path, readAs, options);
  if (!opened.ok) throw new Error(JSON.stringify(opened.error));
  return opened.value;
}

export async function collect(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const all: SheetRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** Every row's cells by row number: gaps and order show in one comparison. */
export async function cellsByRow(opened: ImportRows): Promise<Record<number, ImportCell[]>> {
  return Object.fromEntries((await collect(opened.rows())).map((row) => [row.rowNumber, row.cells]));
}

/** The regular files this process holds open (Linux: /proc/self/fd), or null where that cannot be seen. */
export function openFiles(): string[] | null {
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return null;
  }
  return fds.flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith('/') && !target.startsWith('/proc/') && !target.startsWith('/dev/') ? [target] : [];
    } catch {
      return [];
    }
  });
}

/** Lets pending I/O callbacks (a stream's close) run until `done()` holds, for at most `turns` event-loop turns. */
export async function settle(done: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((r) => setImmediate(r));
}

const CENTRAL_HEADER = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

/**
 * Calls `edit` with the offset of each central directory header of a zip held in `bytes` and its file
 * name, to forge what the directory declares (sizes, flags).
 */
export function editCentralDirectory(bytes: Buffer, edit: (at: number, name: string) => void): void {
  for (let at = bytes.indexOf(CENTRAL_HEADER); at >= 0; at = bytes.indexOf(CENTRAL_HEADER, at + 4)) {
    const nameLength = bytes.readUInt16LE(at + 28);
    edit(at, bytes.toString('utf8', at + 46, at + 46 + nameLength));
  }
}
