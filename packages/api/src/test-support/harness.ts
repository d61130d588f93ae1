import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { loadEnv } from '../env.js';
import { buildApplication, type Application } from '../server.js';
import type { Runtime } from '../shared/runtime.js';

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database for one test, and how to drop it afterwards. */
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const sqlite: TestDialect = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'crm-test-'));
    return { url: join(dir, 'crm.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function postgres(baseUrl: string): TestDialect {
  return {
    name: 'postgres',
    async create() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const url = new URL(baseUrl);
      url.searchParams.set('schema', schema);
      return {
        url: url.toString(),
        drop: async () => {
          const client = new pg.Client({ connectionString: baseUrl });
          await client.connect();
          await client.query(`drop schema if exists "${schema}" cascade`);
          await client.end();
        },
      };
    },
  };
}

/** SQLite always; PostgreSQL as well when CRM_TEST_PG_URL names a server. */
export const dialects: TestDialect[] = process.env.CRM_TEST_PG_URL ? [sqlite, postgres(process.env.CRM_TEST_PG_URL)] : [sqlite];

/** A clock tests can set and move; ids stay real UUIDv7 so ordering matches production. */
export class TestClock implements Runtime {
  constructor(private current: Date = new Date('2026-11-22T02:00:00.000Z')) {}
  now = (): Date => new Date(this.current);
  newId = (): string => uuidv7({ msecs: this.current.getTime() + this.ticks++ });
  private ticks = 0;
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const ADMIN_PASSWORD = 'admin-pass-123';

export interface Json {
  status: number;
  body: any;
  headers: Headers;
}

export interface Harness {
  application: Application;
  clock: TestClock;
  adminToken: string;
  /** A request through the whole app (middleware, validation, handlers, database). */
  request(method: string, path: string, opts?: { token?: string; body?: unknown; rawBody?: string | Uint8Array; headers?: Record<string, string> }): Promise<Json>;
  /** A request whose answer is a file, read whole. */
  download(path: string, opts?: { token?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; bytes: Buffer }>;
  login(username: string, password: string): Promise<string>;
  /** Creates a non-admin user and returns its id and token. */
  agent(username: string, opts?: { departmentId?: string | null }): Promise<{ id: string; token: string }>;
  /** Every row of every table, to prove a refused request wrote nothing. */
  snapshot(): Promise<string>;
  /**
   * PostgreSQL only: runs `statement` in a transaction of another connection, sends `request`, waits
   * until the request stands blocked on that transaction (so it passed its own checks), then commits:
   * a race between a check and a write, staged the same way every time.
   */
  whileCommitting(statement: string, params: unknown[], request: () => Promise<Json>): Promise<Json>;
  close(): Promise<void>;
}

export async function createHarness(dialect: TestDialect, opts: { env?: Record<string, string> } = {}): Promise<Harness> {
  const database = await dialect.create();
  const clock = new TestClock();
  // The lowest password cost keeps logins fast; the hashing itself is the same code.
  const env = loadEnv({ CRM_DB: database.url, CRM_ADMIN_PASSWORD: ADMIN_PASSWORD, CRM_PASSWORD_COST: '10', ...opts.env });
  const application = await buildApplication(env, clock);

  const request: Harness['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | Uint8Array | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] ??= typeof body === 'string' ? 'application/json' : 'application/octet-stream';
    const res = await application.app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const download: Harness['download'] = async (path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const res = await application.app.request(path, { method: 'GET', headers });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  const login = async (username: string, password: string) => {
    const res = await request('POST', '/api/v1/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };

  const adminToken = await login('admin', ADMIN_PASSWORD);

  const agent: Harness['agent'] = async (username, o = {}) => {
    const res = await request('POST', '/api/v1/users', {
      token: adminToken,
      body: { username, displayName: username, password: 'agent-pass-123', departmentId: o.departmentId ?? null },
    });
    if (res.status !== 201) throw new Error(`create ${username} failed: ${JSON.stringify(res.body)}`);
    return { id: res.body.id, token: await login(username, 'agent-pass-123') };
  };

  const snapshot = async () => {
    const tables = [
      'company', 'departments', 'users', 'customers', 'customer_phones', 'customer_tags', 'customer_name_grams',
      'contacts', 'customer_focus', 'custom_fields', 'picklist_values', 'views', 'outbox', 'idempotency_keys',
      'roles', 'role_closure', 'department_closure', 'customer_shares', 'customer_collaborators', 'api_keys', 'audit_log',
      'jobs', 'job_files', 'import_failures', 'import_changes', 'public_pools', 'pool_rules', 'pool_events', 'allocation_cursors', 'pool_reminders',
    ] as const;
    const parts: string[] = [];
    for (const table of tables) {
      const rows = await application.store.db.selectFrom(table).selectAll().execute();
      parts.push(`${table}:${JSON.stringify(rows.map((r) => JSON.stringify(r)).sort())}`);
    }
    return parts.join('\n');
  };

  const whileCommitting: Harness['whileCommitting'] = async (statement, params, send) => {
    const pool = application.store.pgPool;
    if (!pool) throw new Error('whileCommitting stages PostgreSQL transactions');
    const other = await pool.connect();
    try {
      await other.query('begin');
      await other.query(statement, params);
      const xid = (await other.query<{ xid: string }>('select pg_current_xact_id()::text as xid')).rows[0]!.xid;
      const answer = send();
      const blocked = async () =>
        (await pool.query<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'transactionid' and transactionid = $1::xid and not granted", [xid])).rows[0]!.n > 0;
      const until = Date.now() + 10_000;
      while (!(await blocked())) {
        if (Date.now() > until) throw new Error('the request never waited on the staged transaction');
        await new Promise((r) => setTimeout(r, 20));
      }
      await other.query('commit');
      return await answer;
    } catch (e) {
      await other.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      other.release();
    }
  };

  return {
    application,
    clock,
    adminToken,
    request,
    download,
    login,
    agent,
    snapshot,
    whileCommitting,
    close: async () => {
      await application.close();
      await database.drop();
    },
  };
}
