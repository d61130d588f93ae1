import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PICKLISTS, DEMO_ORG, demoMobile, nameGramsOf, normalisePhone, PICKLIST_NAMES } from '@telecrm/core';
import { verifyPassword } from '../auth/password.js';
import { openStore, type Store } from '../store/connect.js';
import { migrateToLatest } from '../store/migrate.js';
import { fillDemo } from './demo.fill.js';

interface Dialect {
  name: string;
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

const sqliteDialect: Dialect = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'crm-demo-'));
    const store = await openStore(join(dir, 'crm.sqlite'));
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const pgUrl = process.env.CRM_TEST_PG_URL;
const postgresDialect: Dialect = {
  name: 'postgres',
  async open() {
    const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
    const store = await openStore(`${pgUrl}${pgUrl!.includes('?') ? '&' : '?'}schema=${schema}`);
    return {
      store,
      dispose: async () => {
        await store.close();
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

const dialects = pgUrl ? [sqliteDialect, postgresDialect] : [sqliteDialect];

const count = async (store: Store, table: 'customers' | 'customer_phones' | 'departments' | 'users' | 'picklist_values' | 'customer_name_grams' | 'contacts') => {
  const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
};

describe.each(dialects)('fillDemo on $name', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await dialect.open());
    await migrateToLatest(store);
  });
  afterEach(async () => {
    await dispose();
  });

  it('creates the company, the team, the picklists and 2,000 customers that keep the invariants', async () => {
    const result = await fillDemo(store, { customers: 2_000, seed: 7 });

    expect(result.company).toBe('演示公司');
    expect(result.customers).toBe(2_000);
    expect(result.users.map((u) => u.username).sort()).toEqual(['admin', ...DEMO_ORG.users.map((u) => u.username)].sort());
    const admin = await store.db.selectFrom('users').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(admin.is_admin).toBe(1);
    expect(await verifyPassword(result.users.find((u) => u.username === 'admin')!.password, admin.password_hash)).toBe(true);
    expect(result.users.find((u) => u.username === 'manager')?.role).toBe('manager');
    expect(result.users.filter((u) => u.role === 'agent')).toHaveLength(DEMO_ORG.users.length - 1);

    const company = await store.db.selectFrom('company').selectAll().execute();
    expect(company).toMatchObject([{ name: '演示公司', time_zone: 'Asia/Shanghai', phone_region: 'CN' }]);
    expect(await count(store, 'departments')).toBe(DEMO_ORG.departments.length);
    expect(await count(store, 'users')).toBe(DEMO_ORG.users.length + 1);
    expect(await count(store, 'picklist_values')).toBe(PICKLIST_NAMES.reduce((n, list) => n + DEFAULT_PICKLISTS[list].length, 0));
    expect(await count(store, 'customers')).toBe(2_000);

    // The returned passwords are the stored ones.
    const agent = await store.db.selectFrom('users').selectAll().where('username', '=', 'agent01').executeTakeFirstOrThrow();
    expect(await verifyPassword(result.users.find((u) => u.username === 'agent01')!.password, agent.password_hash)).toBe(true);
    expect(agent.department_id).not.toBeNull();
    expect(agent.is_admin).toBe(0);

    // Pools: private <=> owner, owners are demo agents, the mix is roughly 60/25/10/5.
    const customers = await store.db.selectFrom('customers').selectAll().execute();
    const agentIds = new Set(
      (await store.db.selectFrom('users').select('id').where('username', 'like', 'agent%').execute()).map((u) => u.id),
    );
    expect(customers.filter((c) => (c.pool === 'private') !== (c.owner_id !== null))).toEqual([]);
    expect(customers.filter((c) => c.owner_id !== null && !agentIds.has(c.owner_id))).toEqual([]);
    // Public customers are in the default public pool, where "claim next" looks; owners hold theirs since creation.
    const defaultPool = await store.db.selectFrom('public_pools').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow();
    expect(customers.filter((c) => (c.pool === 'public' ? c.public_pool_id !== defaultPool.id : c.public_pool_id !== null))).toEqual([]);
    expect(customers.filter((c) => (c.pool === 'private' ? c.owned_since !== c.created_at : c.owned_since !== null))).toEqual([]);
    const share = (pool: string) => customers.filter((c) => c.pool === pool).length / customers.length;
    expect(share('private')).toBeGreaterThan(0.55);
    expect(share('private')).toBeLessThan(0.65);
    expect(share('public')).toBeGreaterThan(0.2);
    expect(share('lead')).toBeGreaterThan(0.07);
    expect(share('pending')).toBeGreaterThan(0.03);
    expect(new Set(customers.filter((c) => c.owner_id).map((c) => c.owner_id)).size).toBe(agentIds.size);

    // Times: within the last 90 days, updated after created.
    const now = Date.now();
    const old = customers.filter((c) => {
      const created = Date.parse(c.created_at);
      return created < now - 91 * 86_400_000 || created > now || Date.parse(c.updated_at) < created;
    });
    expect(old).toEqual([]);
    expect(customers.filter((c) => c.pool === 'lead' && c.deal_status !== 'none')).toEqual([]);

    // Phones: every customer has its primary number at position 0; numbers are unique and valid.
    const phones = await store.db.selectFrom('customer_phones').selectAll().execute();
    expect(new Set(phones.map((p) => p.e164)).size).toBe(phones.length);
    const primary = new Map(phones.filter((p) => p.position === 0).map((p) => [p.customer_id, p.e164]));
    expect(customers.filter((c) => primary.get(c.id) !== c.primary_phone)).toEqual([]);
    expect(phones.filter((p, i) => i % 20 === 0 && !normalisePhone(p.e164).ok)).toEqual([]);

    // Search index and child records.
    const grams = await count(store, 'customer_name_grams');
    expect(grams).toBe(customers.reduce((n, c) => n + nameGramsOf(c.name).length, 0));
    expect(await count(store, 'contacts')).toBeGreaterThan(200);
    const tagged = await store.db.selectFrom('customer_tags').select('tag').distinct().execute();
    expect(tagged.every((t) => DEFAULT_PICKLISTS.tags.includes(t.tag))).toBe(true);
    expect(customers.filter((c) => c.source !== null && !DEFAULT_PICKLISTS.source.includes(c.source))).toEqual([]);
    expect(customers.every((c) => (typeof c.custom === 'string' ? JSON.parse(c.custom) : c.custom))).toBeTruthy();
  });

  it('adds more customers on a second run, keeps the team and skips numbers already taken', async () => {
    const first = await fillDemo(store, { customers: 1_000, seed: 1 });
    expect(first.users).toHaveLength(DEMO_ORG.users.length + 1);

    // A customer entered by hand holds the number the next run would give its second customer.
    const now = new Date().toISOString();
    await store.db.insertInto('customers').values({
      id: 'manual-1', name: '手工客户', pool: 'public', owner_id: null, custom: '{}', created_at: now, updated_at: now,
    }).execute();
    const taken = demoMobile(1_002).e164;
    await store.db.insertInto('customer_phones').values({ e164: taken, customer_id: 'manual-1', extension: null, label: null, position: 0 }).execute();

    const second = await fillDemo(store, { customers: 1_000, seed: 1 });
    expect(second.users).toEqual([]);
    expect(second.customers).toBe(1_000);
    expect(await count(store, 'customers')).toBe(2_001);
    expect(await count(store, 'departments')).toBe(DEMO_ORG.departments.length);
    expect(await count(store, 'users')).toBe(DEMO_ORG.users.length + 1);

    const holder = await store.db.selectFrom('customer_phones').select('customer_id').where('e164', '=', taken).executeTakeFirstOrThrow();
    expect(holder.customer_id).toBe('manual-1');
    const duplicates = await store.db
      .selectFrom('customer_phones')
      .select('e164')
      .groupBy('e164')
      .having(sql<number>`count(*)`, '>', 1)
      .execute();
    expect(duplicates).toEqual([]);
    const phoneless = await store.db
      .selectFrom('customers')
      .select('id')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('customer_phones').select('e164').whereRef('customer_phones.customer_id', '=', 'customers.id'))),
      )
      .execute();
    expect(phoneless).toEqual([]);
  });

  it('keeps an existing company and its picklists', async () => {
    const now = new Date().toISOString();
    await store.db.insertInto('company').values({ id: 'c1', name: '我的公司', time_zone: 'Asia/Shanghai', phone_region: 'CN', created_at: now }).execute();
    await store.db.insertInto('picklist_values').values([
      { id: 'p1', list: 'source', value: '老客户转介绍', position: 0, active: 1, color: null, created_at: now },
      { id: 'p2', list: 'source', value: '停用的来源', position: 1, active: 0, color: null, created_at: now },
    ]).execute();

    const result = await fillDemo(store, { customers: 300, seed: 3 });

    expect(result.company).toBe('我的公司');
    expect(await count(store, 'picklist_values')).toBe(2);
    const sources = await store.db.selectFrom('customers').select('source').distinct().execute();
    expect(sources.map((s) => s.source)).toEqual(['老客户转介绍']);
    const industries = await store.db.selectFrom('customers').select('industry').distinct().execute();
    expect(industries.map((s) => s.industry)).toEqual([null]);
  });
});
