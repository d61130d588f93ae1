import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/**
 * Opens a zip through its central directory. Entry sizes are not validated by yauzl: the zip-bomb
 * check counts the bytes that really come out and must see them go past its cap, not stop at a
 * mismatch with the declared size.
 */
export function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: false, strictFileNames: false }, (e, zip) =>
      e ? reject(e) : resolve(zip),
    );
  });
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: Entry) => {
      settle();
      resolve(entry);
    };
    const onEnd = () => {
      settle();
      resolve(null);
    };
    const onError = (e: Error) => {
      settle();
      reject(e);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** The entries of the central directory, in order. */
export async function* zipEntries(zip: ZipFile): AsyncGenerator<Entry> {
  for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) yield entry;
}

/** The inflated content of an entry, or with `raw` its bytes as stored (to count progress in the file). */
export function openEntry(zip: ZipFile, entry: Entry, raw = false): Promise<Readable> {
  return new Promise((resolve, reject) => {
    // Only `decodeFileData: false` may be passed: yauzl 3.4 reads an explicit `true` as "do not inflate".
    zip.openReadStream(entry, raw ? { decodeFileData: false } : {}, (e, stream) => (e ? reject(e) : resolve(stream)));
  });
}

/** An entry as UTF-8 text; refuses (throws) past `maxBytes` so a crafted part cannot fill memory. */
export async function readEntryText(zip: ZipFile, entry: Entry, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = await openEntry(zip, entry);
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new Error(`${entry.fileName} is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
