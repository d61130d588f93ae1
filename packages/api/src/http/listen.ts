import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

/**
 * How long an idle kept-alive connection stays open. Node's default of 5 s is shorter than a SQLite
 * write that holds the event loop (a bulk assignment of 50,000 customers takes seconds): when the
 * loop comes back, the idle timer of a connection whose next request arrived meanwhile fires before
 * that request is read, and the client gets a reset for a request the server never saw (a claim that
 * fails for nothing). A minute outlasts any such write; clients close idle connections before it,
 * as the Keep-Alive header tells them.
 */
export const KEEP_ALIVE_MS = 65_000;

/** Serves `fetch` over HTTP on `hostname:port` (0: any free port); resolves once it listens. */
export function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<Server> {
  return new Promise<Server>((resolve) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server as Server)) as Server;
    server.keepAliveTimeout = KEEP_ALIVE_MS;
  });
}
