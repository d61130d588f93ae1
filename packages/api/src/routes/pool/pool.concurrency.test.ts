// Fifty clients, two per agent, claim from one public pool at once (and from two: "claim next" reads
// each pool's head on its own and merges them), through real HTTP on a real port:
// every customer must be claimed exactly once, no agent may pass a limit (even with two of its
// requests in flight), and no request may fail for the database's sake (busy, deadlock, serialization).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_RULES } from '@telecrm/core';
import { createHarness, dialects, type Harness } from '../../test-support/harness.js';
import { listen } from '../../http/listen.js';

const CLIENTS = 50;
const AGENTS = 25;
const CUSTOMERS = 5000;
const HOLDING_LIMIT = 210;
// Exactly the pool's size over all agents: the limit binds, and still every customer gets claimed.
const DAILY_LIMIT = CUSTOMERS / AGENTS;
const BATCH = 7;

describe.each(dialects)('claiming from public pools with 50 clients on $name', (dialect) => {
  let h: Harness;
  let server: Server;
  let base: string;
  beforeEach(async () => {
    h = await createHarness(dialect);
    server = await listen(h.application.app.fetch, 0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await h.close();
  });

  it.each([1, 2])('claims every customer of %i pool(s) exactly once within every limit, with no request failing', async (pools) => {
    const db = h.application.store.db;
    const pool = await db.selectFrom('public_pools').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow();
    // A second pool open to everyone takes every other customer: each agent claims from both.
    const second = pools === 2 ? await h.request('POST', '/api/v1/public-pools', { token: h.adminToken, body: { name: '二号公海' } }) : undefined;
    if (second) expect(second.status).toBe(201);
    const now = h.clock.now().toISOString();
    for (let i = 0; i < CUSTOMERS; i += 1000) {
      await db
        .insertInto('customers')
        .values(
          Array.from({ length: Math.min(1000, CUSTOMERS - i) }, (_, k) => ({
            id: `c${String(i + k).padStart(5, '0')}`,
            name: `公海客户${i + k}`,
            pool: 'public',
            public_pool_id: second && (i + k) % 2 === 1 ? (second.body.id as string) : pool.id,
            custom: '{}',
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
    const rules = await h.request('PUT', '/api/v1/pool-rules', {
      token: h.adminToken,
      body: { ...DEFAULT_POOL_RULES, holdingLimit: HOLDING_LIMIT, dailyClaimLimit: DAILY_LIMIT },
    });
    expect(rules.status).toBe(200);
    const agents = [];
    for (let i = 0; i < AGENTS; i++) agents.push(await h.agent(`claimer${i}`));

    const failures: string[] = [];
    const claimedBy = new Map<string, string>();
    const client = async (agent: { id: string; token: string }) => {
      for (let empty = 0; empty < 3; ) {
        const res = await fetch(`${base}/api/v1/customers/claim`, {
          method: 'POST',
          headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ next: BATCH }),
        });
        const body = (await res.json()) as { moved: number; results: { customerId: string; ok: boolean; error?: { code: string } }[] };
        if (res.status !== 200) {
          failures.push(`${res.status} ${JSON.stringify(body)}`);
          return;
        }
        for (const r of body.results) {
          if (r.ok) {
            if (claimedBy.has(r.customerId)) failures.push(`${r.customerId} claimed twice`);
            claimedBy.set(r.customerId, agent.id);
          } else if (r.error?.code !== 'POOL.DAILY_LIMIT' && r.error?.code !== 'POOL.HOLDING_LIMIT') {
            failures.push(`${r.customerId}: ${r.error?.code}`);
          }
        }
        if (body.results.some((r) => !r.ok && r.error?.code === 'POOL.DAILY_LIMIT')) return;
        empty = body.results.length === 0 ? empty + 1 : 0;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(agents[i % AGENTS]!)));
    // SKIP LOCKED lets a client see nothing while others hold the last rows; a claim that then fails on
    // its limit leaves them public again. A last pass, one agent after another, takes what is left.
    for (const agent of agents) await client(agent);

    expect(failures).toEqual([]);
    expect(claimedBy.size).toBe(CUSTOMERS);
    const perAgent = new Map<string, number>();
    for (const owner of claimedBy.values()) perAgent.set(owner, (perAgent.get(owner) ?? 0) + 1);
    expect(Math.max(...perAgent.values())).toBeLessThanOrEqual(Math.min(HOLDING_LIMIT, DAILY_LIMIT));
    const stored = await db
      .selectFrom('customers')
      .select((eb) => ['owner_id', eb.fn.countAll<number>().as('n')])
      .where('pool', '=', 'private')
      .groupBy('owner_id')
      .execute();
    expect(stored.reduce((sum, r) => sum + Number(r.n), 0)).toBe(CUSTOMERS);
    expect(Math.max(...stored.map((r) => Number(r.n)))).toBeLessThanOrEqual(DAILY_LIMIT);
    for (const r of stored) expect(Number(r.n)).toBe(perAgent.get(r.owner_id!));
    const claims = await db.selectFrom('pool_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'claim').executeTakeFirstOrThrow();
    expect(Number(claims.n)).toBe(CUSTOMERS);
  }, 240_000);
});
