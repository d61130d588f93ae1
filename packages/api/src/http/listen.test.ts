import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { letOthersRun } from '../shared/turns.js';
import { listen } from './listen.js';

// A client on a thread of its own, as a second user would be: it pings on a kept-alive connection,
// says so, and pings on it again a little later, while the server is busy.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { connect } = require('node:net');
const socket = connect(workerData.port, '127.0.0.1');
let received = '';
const pongs = () => (received.match(/pong/g) || []).length;
const ping = () => socket.write('GET /ping HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n');
socket.setEncoding('utf8');
socket.on('connect', ping);
socket.on('data', (chunk) => {
  received += chunk;
  if (pongs() === 1) parentPort.postMessage('idle');
  if (pongs() === 2) parentPort.postMessage('answered');
});
socket.on('error', () => {});
socket.on('close', () => parentPort.postMessage('closed'));
parentPort.on('message', () => setTimeout(ping, 300));
`;

describe('listen', () => {
  it('answers a request that came on a kept-alive connection while the server was busy for over 5 s', async () => {
    let client: Worker | undefined;
    const busyFor = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    // Busy as a long SQLite write keeps the server: the thread itself, from inside a request, with a
    // turn for others between two steps. The client pings again during the first. This is how a
    // 50,000-customer assignment on SQLite reset another user's request.
    const app = new Hono()
      .get('/ping', (c) => c.text('pong'))
      .post('/busy', async (c) => {
        client!.postMessage('ping again');
        busyFor(5_500);
        await letOthersRun();
        busyFor(1_500);
        return c.text('done');
      });
    const server = await listen(app.fetch, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new Worker(CLIENT, { eval: true, workerData: { port: (server.address() as AddressInfo).port } });
    try {
      const [first] = await once(client, 'message');
      expect(first).toBe('idle');
      const next = once(client, 'message');
      await (await fetch(`${base}/busy`, { method: 'POST' })).text();
      // With Node's default idle timeout (5 s) the connection was closed under the waiting request.
      expect((await next)[0]).toBe('answered');
    } finally {
      await client.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
