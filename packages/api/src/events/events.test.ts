import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHarness, dialects, type Harness } from '../test-support/harness.js';
import { sql } from 'kysely';
import { attachEventSocket, TOO_FAR_BEHIND } from './event-socket.js';
import { OUTBOX_CHANNEL } from './outbox.js';
import { listen } from '../http/listen.js';

interface Received {
  id: string;
  type: string;
  at: string;
  data: { customerId: string; name: string };
}

/** A WebSocket client that collects messages and can wait for a number of them. */
async function subscribe(
  url: string,
): Promise<{ messages: Received[]; waitFor(n: number, timeoutMs?: number): Promise<Received[]>; close(): void; socket: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const messages: Received[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const waitFor = async (n: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (messages.length < n) {
      if (Date.now() > deadline) throw new Error(`waited for ${n} events, got ${messages.length}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return messages;
  };
  return { messages, waitFor, close: () => ws.close(), socket: ws, closed };
}

describe.each(dialects)('event stream on $name', (dialect) => {
  let h: Harness;
  let server: Server;
  let base: string;
  let detach: () => Promise<void>;
  beforeEach(async () => {
    h = await createHarness(dialect);
    server = await listen(h.application.app.fetch, 0, '127.0.0.1');
    detach = attachEventSocket(server, h.application.ctx, h.application.hub);
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/events`;
  });
  afterEach(async () => {
    await detach();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  });

  it('delivers typed events only to users who may see the customer, and resumes after an id', async () => {
    const a = await h.agent('agent_e1');
    const b = await h.agent('agent_e2');
    const admin = await subscribe(`${base}?token=${h.adminToken}`);
    const agentA = await subscribe(`${base}?token=${a.token}`);
    const agentB = await subscribe(`${base}?token=${b.token}`);

    const created = await h.request('POST', '/api/v1/customers', { token: a.token, body: { name: '甲客户' } });
    await h.request('PATCH', `/api/v1/customers/${created.body.id}`, { token: a.token, body: { hot: true } });
    await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: '管理员的客户' } });

    const adminEvents = await admin.waitFor(3);
    expect(adminEvents.map((e) => e.type)).toEqual(['customer.created', 'customer.updated', 'customer.created']);
    const agentEvents = await agentA.waitFor(2);
    expect(agentEvents.map((e) => [e.type, e.data.name])).toEqual([
      ['customer.created', '甲客户'],
      ['customer.updated', '甲客户'],
    ]);
    expect(agentEvents[1]).toMatchObject({ data: { fields: ['hot'] } });
    expect(typeof agentEvents[0]!.at).toBe('string');
    // Give a wrongly delivered event time to arrive before saying none came.
    await admin.waitFor(3);
    await new Promise((r) => setTimeout(r, 300));
    expect(agentB.messages).toEqual([]);
    expect(agentA.messages).toHaveLength(2);

    agentA.close();
    await h.request('DELETE', `/api/v1/customers/${created.body.id}`, { token: a.token });
    const resumed = await subscribe(`${base}?token=${a.token}&since=${agentEvents[1]!.id}`);
    const missed = await resumed.waitFor(1);
    expect(missed.map((e) => e.type)).toEqual(['customer.deleted']);
    resumed.close();
    admin.close();
    agentB.close();
  });

  it('refuses connections without a valid token or with an unknown resume id', async () => {
    await expect(subscribe(base)).rejects.toThrow('401');
    await expect(subscribe(`${base}?token=nope`)).rejects.toThrow('401');
    await expect(subscribe(`${base}?token=${h.adminToken}&since=unknown`)).rejects.toThrow('400');
  });

  it.skipIf(dialect.name !== 'postgres')('wakes the other servers with a NOTIFY when a change with events commits, one event or many', async () => {
    const listener = await h.application.store.pgPool!.connect();
    let notified = 0;
    listener.on('notification', (n) => {
      if (n.channel === OUTBOX_CHANNEL) notified++;
    });
    await listener.query(`listen ${OUTBOX_CHANNEL}`);
    const settled = async (expected: number) => {
      const deadline = Date.now() + 5000;
      while (notified < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return notified;
    };
    try {
      const agent = await h.agent('agent_n1');
      const one = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: '通知一' } });
      expect(await settled(1)).toBe(1);
      const two = await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: '通知二' } });
      // Two customer.assigned events in one transaction: PostgreSQL delivers one notification.
      const assigned = await h.request('POST', '/api/v1/customers/assign', {
        token: h.adminToken,
        body: { customerIds: [one.body.id, two.body.id], agentIds: [agent.id] },
      });
      expect(assigned.body.assigned).toHaveLength(2);
      expect(await settled(3)).toBe(3);
    } finally {
      await listener.query(`unlisten ${OUTBOX_CHANNEL}`);
      listener.release();
    }
  });

  it('lets go of a client that stopped reading; it resumes where it was and misses nothing', async () => {
    await detach();
    detach = attachEventSocket(server, h.application.ctx, h.application.hub, { maxUnreadBytes: 64 * 1024 });
    const agent = await h.agent('agent_slow');
    const total = 20_000;
    const now = h.clock.now().toISOString();
    // Long names make long events: more than the kernel's socket buffers hold for a client not reading.
    await sql`insert into customers (id, name, pool, custom, created_at, updated_at)
      with recursive n (i) as (select 1 union all select i + 1 from n where i < ${total})
      select 'p' || i, ${'长'.repeat(100)} || i, 'pending', '{}', ${now}, ${now} from n`.execute(h.application.store.db);
    const reading = await subscribe(`${base}?token=${h.adminToken}`);
    const asleep = await subscribe(`${base}?token=${h.adminToken}`);
    asleep.socket.pause();
    const assigned = await h.request('POST', '/api/v1/customers/assign', {
      token: h.adminToken,
      body: { filter: { field: 'pool', op: 'eq', value: 'pending' }, agentIds: [agent.id] },
    });
    expect(assigned.body.assigned).toHaveLength(total);
    expect(await reading.waitFor(total, 30_000)).toHaveLength(total);
    asleep.socket.resume();
    expect(await asleep.closed).toBe(TOO_FAR_BEHIND.code);
    const before = asleep.messages.length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(total);
    const resumed = await subscribe(`${base}?token=${h.adminToken}&since=${asleep.messages.at(-1)!.id}`);
    await resumed.waitFor(total - before, 30_000);
    expect([...asleep.messages, ...resumed.messages].map((e) => e.id)).toEqual(reading.messages.map((e) => e.id));
    reading.close();
    resumed.close();
  });

  it('writes no event for a refused change', async () => {
    const admin = await subscribe(`${base}?token=${h.adminToken}`);
    await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'x', phones: [{ number: 'bad' }] } });
    await h.request('POST', '/api/v1/customers', { token: h.adminToken, body: { name: 'ok' } });
    const events = await admin.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(events.map((e) => e.data.name)).toEqual(['ok']);
    admin.close();
  });
});
