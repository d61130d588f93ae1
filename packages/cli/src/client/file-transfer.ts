// Files to and from the server, streamed both ways: an upload is read from disk as it is sent, a
// download is written to a temporary file beside its target and renamed only once it is complete.
import { randomUUID } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Lang } from '@telecrm/core';
import { msg } from '../i18n/cli.messages.js';
import { CliError } from '../output/errors.js';
import type { TableFormat } from '@telecrm/core';
import { connectionReason, type Download, type UploadBody } from './api-client.js';

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.xls': 'application/vnd.ms-excel',
};

/** A local file to upload. */
export interface LocalFile {
  /** Absolute. */
  path: string;
  name: string;
  bytes: number;
}

export interface SavedFile {
  /** Absolute. */
  file: string;
  bytes: number;
}

/** A file that exists and may be read, else a usage error naming it (before anything is sent). */
export async function inspectFile(file: string, lang: Lang): Promise<LocalFile> {
  const path = resolve(file);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError('CLI.USAGE', msg(lang, 'error.notAFile', { file }));
    await access(path, constants.R_OK);
    size = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('CLI.USAGE', msg(lang, 'error.fileUnreadable', { file, reason: connectionReason(error) }));
  }
  return { path, name: basename(path), bytes: size };
}

/**
 * The request body of an upload: the file read chunk by chunk as fetch sends it, never whole into
 * memory; `onRead` hears how many bytes have gone so far.
 */
export function uploadBody(file: LocalFile, onRead?: (bytes: number) => void): UploadBody {
  async function* chunks(): AsyncGenerator<Buffer> {
    let read = 0;
    for await (const chunk of createReadStream(file.path)) {
      read += (chunk as Buffer).length;
      onRead?.(read);
      yield chunk as Buffer;
    }
  }
  return {
    stream: Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array>,
    bytes: file.bytes,
    contentType: CONTENT_TYPES[extname(file.name).toLowerCase()] ?? 'application/octet-stream',
  };
}

/** `xlsx` or `csv` from a file name's extension; anything else is `fallback`. */
export const tableFormatOf = (file: string, fallback: TableFormat = 'xlsx'): TableFormat => {
  const ext = extname(file).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.xlsx' ? 'xlsx' : fallback;
};

/** `/in/客户名单.xlsx` -> `客户名单.failures.xlsx`: the name of a failure report, without any folder. */
export const reportFileName = (importedName: string, format: TableFormat): string =>
  `${basename(importedName).replace(/\.[^.]*$/, '') || 'import'}.failures.${format}`;

/**
 * Streams a download to `file`: first to a hidden temporary file in the same folder, renamed at the end,
 * so that a download that breaks off never leaves half a file under the name asked for.
 */
export async function saveDownload(download: Download, file: string, lang: Lang): Promise<SavedFile> {
  const target = resolve(file);
  const temp = join(dirname(target), `.${basename(target)}.${randomUUID().slice(0, 8)}.part`);
  const cannotWrite = (error: unknown) => new CliError('CLI.USAGE', msg(lang, 'error.cannotWrite', { file: target, reason: connectionReason(error) }));
  let out: FileHandle;
  try {
    await mkdir(dirname(target), { recursive: true });
    out = await open(temp, 'wx');
  } catch (error) {
    throw cannotWrite(error);
  }
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    const body = download.body ? Readable.fromWeb(download.body as NodeReadableStream<Uint8Array>) : Readable.from([]);
    await pipeline(body, counter, out.createWriteStream());
  } catch (error) {
    await out.close().catch(() => undefined);
    await rm(temp, { force: true });
    // A full disk fails a write; anything else broke on the way from the server.
    if ((error as { syscall?: unknown }).syscall === 'write') throw cannotWrite(error);
    throw new CliError('CLI.UNREACHABLE', msg(lang, 'error.downloadBroken', { file: target, reason: connectionReason(error) }));
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw cannotWrite(error);
  }
  return { file: target, bytes };
}
