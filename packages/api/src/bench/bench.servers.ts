import type { AddressInfo } from 'node:net';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Hono } from 'hono';
import { startServer } from '../server.js';
import { poolFloorApp } from './pool/pool.floor.js';
import { listen } from '../http/listen.js';

// The servers run on a worker thread of the bench process, so that the load generator on the main
// thread and the server under test do not share one event loop (as a remote client would not).

export interface BenchServersOptions {
  db: string;
  adminPassword: string;
  /** Environment variables for the API server over the bench process's own (`CRM_JOBS=off` ...). */
  env?: Record<string, string>;
  /** Which floor: `read` (one customer by id, the default) or `pool` (the pool moves as single statements). */
  floor?: keyof typeof FLOORS;
  /** The database of the floor when it is not `db`: a copy, for a floor that writes. */
  floorDb?: string;
}

export interface BenchServers {
  /** The API server (`startServer`). */
  apiUrl: string;
  /** The floor: a bare Hono route doing the least the database must, e.g. reading one customer by primary key. */
  floorUrl: string;
  close(): Promise<void>;
}

type ToWorker = { type: 'close' };
type FromWorker = { type: 'ready'; apiUrl: string; floorUrl: string } | { type: 'closed' } | { type: 'error'; message: string };

/** The floor app: what a request costs with no framework work beyond routing and one indexed read. */
export function floorApp(file: string): { app: Hono; close(): void } {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  const byId = sqlite.prepare('select * from customers where id = ?');
  const app = new Hono();
  app.get('/c/:id', (c) => {
    const row = byId.get(c.req.param('id'));
    return row ? c.json(row) : c.json({ code: 'CUSTOMER.NOT_FOUND' }, 404);
  });
  return { app, close: () => sqlite.close() };
}

const FLOORS = {
  read: floorApp,
  pool: poolFloorApp,
} satisfies Record<string, (db: string) => { app: Hono; close(): unknown } | Promise<{ app: Hono; close(): unknown }>>;

/** Starts both servers on 127.0.0.1 (ephemeral ports) on a worker thread. */
export function startBenchServers(opts: BenchServersOptions): Promise<BenchServers> {
  const worker = new Worker(new URL(import.meta.url), { workerData: opts, env: { ...process.env, ...opts.env } });
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      if (message.type === 'error') {
        reject(new Error(message.message));
        void worker.terminate();
      } else if (message.type === 'ready') {
        worker.off('message', onMessage);
        resolve({
          apiUrl: message.apiUrl,
          floorUrl: message.floorUrl,
          close: () =>
            new Promise<void>((done) => {
              worker.once('message', () => void worker.terminate().then(() => done()));
              worker.postMessage({ type: 'close' } satisfies ToWorker);
            }),
        });
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

async function runWorker(port: NonNullable<typeof parentPort>, opts: BenchServersOptions): Promise<void> {
  try {
    const api = await startServer({ port: 0, host: '127.0.0.1', db: opts.db, adminPassword: opts.adminPassword });
    const floor = await FLOORS[opts.floor ?? 'read'](opts.floorDb ?? opts.db);
    const server = await listen(floor.app.fetch, 0, '127.0.0.1');
    const floorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    port.on('message', (message: ToWorker) => {
      if (message.type !== 'close') return;
      void (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await floor.close();
        await api.close();
        port.postMessage({ type: 'closed' } satisfies FromWorker);
      })();
    });
    port.postMessage({ type: 'ready', apiUrl: api.url, floorUrl } satisfies FromWorker);
  } catch (e) {
    port.postMessage({ type: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies FromWorker);
  }
}

if (parentPort && (workerData as BenchServersOptions | undefined)?.db) void runWorker(parentPort, workerData as BenchServersOptions);
