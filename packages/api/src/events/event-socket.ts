import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate } from '../services/auth.service.js';
import type { ServiceContext } from '../services/context.js';
import type { EventHub } from './event-hub.js';

const PATH = '/api/v1/events';

/**
 * What a client may leave unread before it is let go. A client that stopped reading (a laptop asleep,
 * a script stopped in a debugger) would otherwise have every event of a large move kept for it in the
 * server's memory: 54 MB for a move of 50,000 customers. It is closed with this code instead and
 * resumes with `since`, losing nothing.
 */
export const TOO_FAR_BEHIND = { code: 4008, reason: 'too far behind: reconnect with since=<the last event id you read>' } as const;
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

function reject(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ status, detail: message });
  socket.end(`HTTP/1.1 ${status} ${message}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/**
 * Serves the event stream on the HTTP server's upgrade path: authenticated like every request (header
 * or `token` query parameter), resuming after `since` when given.
 */
export function attachEventSocket(
  server: Server,
  ctx: ServiceContext,
  hub: EventHub,
  options: { maxUnreadBytes?: number } = {},
): () => Promise<void> {
  const maxUnreadBytes = options.maxUnreadBytes ?? MAX_UNREAD_BYTES;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== PATH) return reject(socket, 404, 'Not Found');
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? url.searchParams.get('token');
    if (!token) return reject(socket, 401, 'Unauthorized');
    void (async () => {
      const auth = await authenticate(ctx, token);
      if (!auth.ok) return reject(socket, 401, 'Unauthorized');
      const since = url.searchParams.get('since');
      let cursor: number;
      if (since) {
        const seq = await hub.sequenceOf(since);
        if (seq === undefined) return reject(socket, 400, 'Bad Request');
        cursor = seq;
      } else {
        cursor = await hub.latestSequence();
      }
      wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
        let alive = true;
        const unsubscribe = hub.subscribe(auth.value.actor, cursor, (event) => {
          if (ws.readyState !== ws.OPEN) return;
          ws.send(JSON.stringify(event));
          if (ws.bufferedAmount > maxUnreadBytes) {
            unsubscribe();
            ws.close(TOO_FAR_BEHIND.code, TOO_FAR_BEHIND.reason);
          }
        });
        const heartbeat = setInterval(() => {
          if (!alive) return ws.terminate();
          alive = false;
          ws.ping();
        }, 30_000);
        ws.on('pong', () => (alive = true));
        ws.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
      });
    })().catch(() => reject(socket, 500, 'Internal Server Error'));
  };
  server.on('upgrade', onUpgrade);
  return async () => {
    server.off('upgrade', onUpgrade);
    for (const client of wss.clients) client.close(1001, 'server stopping');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
