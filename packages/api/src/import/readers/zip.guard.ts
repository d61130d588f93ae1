import { err, ok, type DomainError, type Result } from '@telecrm/core';
import type { Entry } from 'yauzl';
import { unreadable } from './readers.errors.js';
import { openEntry, openZip, zipEntries } from './zip.read.js';

/** More entries than any spreadsheet has: beyond this a zip is refused before anything is inflated. */
export const MAX_ZIP_ENTRIES = 10_000;

/**
 * Checks that a zip is an xlsx that is safe to stream: at most MAX_ZIP_ENTRIES entries whose declared
 * sizes add up to at most `maxUnpackedBytes`, `[Content_Types].xml` and `xl/workbook.xml` present, no
 * zip-encrypted entry, and then inflates every entry, counting the real bytes, so a central directory
 * that lies about sizes is caught as soon as the real total passes the cap.
 */
export async function checkWorkbookPackage(path: string, maxUnpackedBytes: number): Promise<Result<void, DomainError>> {
  const tooLarge = err<DomainError>({ code: 'IMPORT.UNPACKED_TOO_LARGE', params: { max: maxUnpackedBytes, maxEntries: MAX_ZIP_ENTRIES } });
  let zip;
  try {
    zip = await openZip(path);
  } catch (e) {
    return err(unreadable(e));
  }
  try {
    if (zip.entryCount > MAX_ZIP_ENTRIES) return tooLarge;
    const entries: Entry[] = [];
    let declared = 0;
    for await (const entry of zipEntries(zip)) {
      entries.push(entry);
      declared += entry.uncompressedSize;
      if (entries.length > MAX_ZIP_ENTRIES || declared > maxUnpackedBytes) return tooLarge;
    }
    const names = new Set(entries.map((e) => e.fileName));
    if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) return err({ code: 'IMPORT.NOT_A_WORKBOOK' });
    // Zip-level encryption is not how Office protects a workbook, but such entries cannot be read either.
    if (entries.some((e) => e.isEncrypted())) return err({ code: 'IMPORT.FILE_ENCRYPTED' });

    let unpacked = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const stream = await openEntry(zip, entry);
      // Leaving the loop early destroys the stream: nothing more is inflated.
      for await (const chunk of stream) {
        unpacked += (chunk as Buffer).length;
        if (unpacked > maxUnpackedBytes) return tooLarge;
      }
    }
    return ok(undefined);
  } catch (e) {
    return err(unreadable(e));
  } finally {
    zip.close();
  }
}
