import { Hono } from 'hono';
import type BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../../store/connect.js';

// The floor of the pool benchmark: each pool move as the one set-based statement a database needs for
// it, behind a bare Hono route, with no permissions, rules, journey or events. The store is opened the
// way the API opens it (same pragmas, same pool size), so the two differ only in what runs per request.

/** `?` placeholders in order, as PostgreSQL's `$1, $2, ...`. */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

// The next public customers, first in first out as the API claims them. The condition on the pool in
// the update is the one that keeps a claim from taking what a concurrent one took.
const CLAIM_SQLITE = `update customers set pool = 'private', owner_id = ?, public_pool_id = null, owned_since = ?, updated_at = ?
  where id in (select id from customers where pool = 'public' order by created_at, id limit ?) and pool = 'public'`;
const CLAIM_POSTGRES = numbered(`update customers set pool = 'private', owner_id = ?, public_pool_id = null, owned_since = ?, updated_at = ?
  where id in (select id from customers where pool = 'public' order by created_at, id limit ? for update skip locked) and pool = 'public'`);

/** Every pending customer to the agents in turn: the row number modulo the number of agents. */
const assignSql = (agents: number) => `with agent(k, id) as (values ${Array.from({ length: agents }, (_, k) => `(${k}, ?)`).join(', ')}),
  picked as (
    select id, (row_number() over (order by created_at, id) - 1) % ? as k
    from customers where pool = 'pending' and deleted_at is null
  )
  update customers set pool = 'private', owner_id = agent.id, public_pool_id = null, owned_since = ?, updated_at = ?
  from picked join agent on agent.k = picked.k
  where customers.id = picked.id`;

// The return rule "no follow-up for N days", decided in the statement itself.
const RETURN_SQL = `update customers set pool = 'public', owner_id = null, public_pool_id = ?, owned_since = null, protected_until = null, updated_at = ?
  where pool = 'private' and deleted_at is null
    and coalesce(owned_since, created_at) < ? and (last_follow_up_at is null or last_follow_up_at < ?)
    and (protected_until is null or protected_until <= ?)
    and deal_status <> 'won' and locked = 0`;

export interface ClaimFloorBody {
  ownerId: string;
  next: number;
}
export interface AssignFloorBody {
  agentIds: string[];
}
export interface ReturnFloorBody {
  publicPoolId: string;
  /** The instant before which a clock makes a customer due. */
  cutoff: string;
}

/** The pool floor app on the database at `url` (a SQLite file or a PostgreSQL URL). */
export async function poolFloorApp(url: string): Promise<{ app: Hono; close(): Promise<void> }> {
  const store = await openStore(url);
  const sqlite = store.sqlite;
  const statements = new Map<string, BetterSqlite3.Statement>();
  /** Runs one statement; the rows it changed. */
  const run = async (sqliteText: string, postgresText: string, params: unknown[]): Promise<number> => {
    if (sqlite) {
      let statement = statements.get(sqliteText);
      if (!statement) statements.set(sqliteText, (statement = sqlite.prepare(sqliteText)));
      return statement.run(...params).changes;
    }
    return (await store.pgPool!.query(postgresText, params)).rowCount ?? 0;
  };

  const app = new Hono();
  app.post('/claim', async (c) => {
    const { ownerId, next } = await c.req.json<ClaimFloorBody>();
    const now = new Date().toISOString();
    return c.json({ moved: await run(CLAIM_SQLITE, CLAIM_POSTGRES, [ownerId, now, now, next]) });
  });
  app.post('/assign', async (c) => {
    const { agentIds } = await c.req.json<AssignFloorBody>();
    const now = new Date().toISOString();
    const text = assignSql(agentIds.length);
    return c.json({ moved: await run(text, numbered(text), [...agentIds, agentIds.length, now, now]) });
  });
  app.post('/returns', async (c) => {
    const { publicPoolId, cutoff } = await c.req.json<ReturnFloorBody>();
    const now = new Date().toISOString();
    return c.json({ moved: await run(RETURN_SQL, numbered(RETURN_SQL), [publicPoolId, now, cutoff, cutoff, now]) });
  });
  return { app, close: () => store.close() };
}
