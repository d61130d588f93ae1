import { Readable } from 'node:stream';

/** A Content-Disposition for a download whose name may hold Chinese: an ASCII fallback and the UTF-8 name. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * A streamed file as the response. Typed `never` like `problem()`: route declarations list the file
 * content types, which the typed JSON helpers cannot produce.
 */
export function sendDownload(download: { stream: Readable; contentType: string; fileName: string }): never {
  return new Response(Readable.toWeb(download.stream) as ReadableStream, {
    status: 200,
    headers: {
      'content-type': download.contentType,
      'content-disposition': attachmentDisposition(download.fileName),
      'cache-control': 'no-store',
    },
  }) as never;
}
