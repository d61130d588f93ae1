import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { err, ok, type DomainError, type Result } from '@telecrm/core';

/** Routes whose request body is a file: streamed to disk under their own cap, never read into memory. */
export const UPLOAD_ROUTES: readonly { method: string; path: string }[] = [{ method: 'POST', path: '/api/v1/imports' }];

export const isUploadRequest = (method: string, path: string): boolean => UPLOAD_ROUTES.some((r) => r.method === method && r.path === path);

class UploadTooLarge extends Error {}

/** An uploaded file in a private temporary folder; `discard` removes both. */
export interface Upload {
  path: string;
  bytes: number;
  discard(): Promise<void>;
}

/**
 * Streams a request body to a temporary file, stopping as soon as it passes `maxBytes` (a declared
 * content-length over the cap is refused before a byte is read).
 */
export async function receiveUpload(request: Request, tmpDir: string, maxBytes: number): Promise<Result<Upload, DomainError>> {
  const tooLarge = err<DomainError>({ code: 'IMPORT.UPLOAD_TOO_LARGE', params: { max: maxBytes } });
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  const dir = await mkdtemp(join(tmpDir, 'crm-upload-'));
  const path = join(dir, 'upload');
  const discard = () => rm(dir, { recursive: true, force: true });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > maxBytes ? new UploadTooLarge() : null, chunk);
    },
  });
  try {
    const body = request.body ? Readable.fromWeb(request.body as import('node:stream/web').ReadableStream) : Readable.from([]);
    await pipeline(body, counter, createWriteStream(path));
  } catch (e) {
    await discard();
    if (e instanceof UploadTooLarge) return tooLarge;
    return err({ code: 'REQUEST.MALFORMED', params: { reason: e instanceof Error ? e.message : String(e) } });
  }
  return ok({ path, bytes, discard });
}
