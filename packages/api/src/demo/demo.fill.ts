import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Insertable, type Kysely } from 'kysely';
import {
  createSeededRandom,
  DEMO_CUSTOMER_CAPACITY,
  DEMO_ORG,
  demoCustomerFactory,
  nameGramsOf,
  PICKLIST_NAMES,
  type DemoCustomer,
  type DemoPicklists,
  type PicklistName,
  type RandomSource,
} from '@telecrm/core';
import { generatePassword, hashPassword } from '../auth/password.js';
import { ensureDefaultRoles } from '../services/access.service.js';
import { insertTreeNode } from '../store/tree.repo.js';
import { bootstrapCompany } from '../services/company.service.js';
import { systemRuntime, type Runtime } from '../shared/runtime.js';
import { letOthersRun } from '../shared/turns.js';
import type { Store } from '../store/connect.js';
import type {
  ContactTable,
  CustomerNameGramTable,
  CustomerPhoneTable,
  CustomerTable,
  CustomerTagTable,
  Database,
} from '../store/database.js';

export interface FillDemoOptions {
  customers: number;
  seed: number;
  /** The clock and ids; the system ones by default. */
  runtime?: Runtime;
  /** The admin's password when this run creates the company; generated (and returned) otherwise. */
  adminPassword?: string;
  /** Called after every committed batch. */
  onProgress?: (done: number, total: number) => void;
}

export interface FillDemoResult {
  company: string;
  /** The demo users this run created, with their passwords (shown once; users that existed are kept as they were). */
  users: { username: string; password: string; role: string }[];
  /** Customers this run added. */
  customers: number;
}

const DAY = 86_400_000;
const SPREAD_DAYS = 90;

/**
 * Fills a migrated database with a demo company: departments, a manager and agents, the default
 * picklists when there are none, and `customers` customers spread over the pools (about 60% private to
 * an agent, 25% public, 10% lead, 5% pending), created over the last 90 days.
 *
 * Runs again safely: users and departments that exist are kept, and new customers take numbers from
 * a part of the demo sequence after the existing customers, skipping any number already stored.
 * Written in batches, each in one transaction; on SQLite through prepared statements.
 */
export async function fillDemo(store: Store, opts: FillDemoOptions): Promise<FillDemoResult> {
  if (!Number.isSafeInteger(opts.customers) || opts.customers < 0) throw new RangeError(`bad customer count: ${opts.customers}`);
  const runtime = opts.runtime ?? systemRuntime;
  const db = store.db;
  const now = runtime.now();
  const nowIso = now.toISOString();

  // The same first-start set-up as the server's, so a demo database also has its admin and picklists.
  const bootstrap = await bootstrapCompany({ store, runtime }, { companyName: '演示公司', timeZone: 'Asia/Shanghai', adminPassword: opts.adminPassword });
  const company = (await db.selectFrom('company').select('name').limit(1).executeTakeFirstOrThrow()).name;
  await ensureDefaultRoles({ store, runtime });
  const departmentIds = await ensureDepartments(db, runtime, nowIso);
  const { created, idsByUsername } = await ensureUsers(db, runtime, nowIso, departmentIds);
  const picklists = await activePicklists(db);

  const agents = DEMO_ORG.users.filter((u) => u.role === 'agent').map((u) => idsByUsername.get(u.username)!);
  const managerId = idsByUsername.get('manager') ?? null;
  // The first start made it; public customers are in it, as a release by an agent of any demo department would put them.
  const publicPoolId = (await db.selectFrom('public_pools').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow()).id;

  const existing = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const anyPhone = await db.selectFrom('customer_phones').select('e164').limit(1).executeTakeFirst();
  const writer = store.sqlite ? sqliteWriter(store.sqlite, db) : kyselyWriter(db);

  const rng = createSeededRandom(opts.seed);
  const make = demoCustomerFactory(picklists);
  const builder = rowBuilder(rng, runtime, now, opts.customers, { agents, managerId, publicPoolId }, picklists);
  // Customers already stored took (at most) that many places of the sequence; start after them.
  let index = Number(existing.n);
  let done = 0;
  const batchSize = store.sqlite ? 20_000 : 2_000;
  while (done < opts.customers) {
    const want = Math.min(batchSize, opts.customers - done);
    let batch: DemoCustomer[] = [];
    while (batch.length < want) {
      if (index + want - batch.length > DEMO_CUSTOMER_CAPACITY) throw new RangeError('the demo number range is used up');
      const fresh: DemoCustomer[] = [];
      for (let i = batch.length; i < want; i++) fresh.push(make(rng, index++));
      // Numbers stored by hand or by an import may sit anywhere in the range: skip their customers.
      if (anyPhone) {
        const taken = await writer.takenPhones(fresh.flatMap((c) => c.phones));
        batch = batch.concat(taken.size ? fresh.filter((c) => !c.phones.some((p) => taken.has(p))) : fresh);
      } else {
        batch = batch.concat(fresh);
      }
    }
    const rows = builder(batch, done);
    await writer.write(rows);
    done += batch.length;
    opts.onProgress?.(done, opts.customers);
    await letOthersRun();
  }
  // Without statistics SQLite takes `deleted_at is null` for a selective index and scans every row;
  // after a bulk load the planner needs fresh ones.
  if (done > 0) await writer.analyze();

  const admin = bootstrap.generatedAdminPassword ? [{ username: 'admin', password: bootstrap.generatedAdminPassword, role: 'admin' }] : [];
  return { company, users: [...admin, ...created], customers: done };
}

/** Finds each demo department by name under its parent, creating the ones that are missing. */
async function ensureDepartments(db: Kysely<Database>, runtime: Runtime, now: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const department of DEMO_ORG.departments) {
    const parentId = department.parent ? ids.get(department.parent)! : null;
    let query = db.selectFrom('departments').select('id').where('name', '=', department.name);
    query = parentId ? query.where('parent_id', '=', parentId) : query.where('parent_id', 'is', null);
    const found = await query.orderBy('created_at').limit(1).executeTakeFirst();
    if (found) {
      ids.set(department.key, found.id);
      continue;
    }
    const id = runtime.newId();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('departments').values({ id, name: department.name, parent_id: parentId, created_at: now }).execute();
      await insertTreeNode(trx, 'department_closure', id, parentId);
    });
    ids.set(department.key, id);
  }
  return ids;
}

async function ensureUsers(
  db: Kysely<Database>,
  runtime: Runtime,
  now: string,
  departmentIds: Map<string, string>,
): Promise<{ created: FillDemoResult['users']; idsByUsername: Map<string, string> }> {
  const usernames = DEMO_ORG.users.map((u) => u.username);
  const rows = await db.selectFrom('users').select(['id', 'username']).where('username', 'in', usernames).execute();
  const idsByUsername = new Map(rows.map((r) => [r.username, r.id]));
  const missing = DEMO_ORG.users.filter((u) => !idsByUsername.has(u.username));
  const roles = await db.selectFrom('roles').select(['id', 'key']).where('key', 'in', ['salesManager', 'agent']).execute();
  const roleFor = (role: string) => roles.find((r) => r.key === (role === 'manager' ? 'salesManager' : 'agent'))?.id ?? null;
  // scrypt is slow on purpose: hash the new users' passwords side by side on the thread pool.
  const prepared = await Promise.all(
    missing.map(async (user) => {
      const password = generatePassword();
      return { user, password, hash: await hashPassword(password), id: runtime.newId() };
    }),
  );
  if (prepared.length) {
    await db
      .insertInto('users')
      .values(
        prepared.map(({ user, hash, id }) => ({
          id,
          username: user.username,
          display_name: user.displayName,
          password_hash: hash,
          is_admin: 0,
          department_id: departmentIds.get(user.department) ?? null,
          role_id: roleFor(user.role),
          status: 'active',
          default_view_id: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
  for (const { user, id } of prepared) idsByUsername.set(user.username, id);
  return {
    created: prepared.map(({ user, password }) => ({ username: user.username, password, role: user.role })),
    idsByUsername,
  };
}

/** The active picklist values demo customers may take. */
async function activePicklists(db: Kysely<Database>): Promise<DemoPicklists> {
  const values = await db
    .selectFrom('picklist_values')
    .select(['list', 'value'])
    .where('active', '=', 1)
    .orderBy('list')
    .orderBy('position')
    .execute();
  const lists: Partial<Record<PicklistName, string[]>> = {};
  for (const { list, value } of values) {
    if (!(PICKLIST_NAMES as readonly string[]).includes(list)) continue;
    (lists[list as PicklistName] ??= []).push(value);
  }
  return lists;
}

// ---------------------------------------------------------------------------------------------------
// Rows

type CustomerInsert = Insertable<CustomerTable> & { custom: string };

interface DemoRows {
  customers: CustomerInsert[];
  phones: Insertable<CustomerPhoneTable>[];
  tags: Insertable<CustomerTagTable>[];
  grams: Insertable<CustomerNameGramTable>[];
  contacts: Insertable<ContactTable>[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Turns generated customers into rows: pool and owner, and times spread over the last 90 days in
 * creation order (so the created_at index fills in order, like a real history).
 */
function rowBuilder(
  rng: RandomSource,
  runtime: Runtime,
  now: Date,
  total: number,
  { agents, managerId, publicPoolId }: { agents: readonly string[]; managerId: string | null; publicPoolId: string },
  picklists: DemoPicklists,
): (batch: readonly DemoCustomer[], offset: number) => DemoRows {
  // Customers nobody has worked on yet (leads, pending) sit at the start of the funnel.
  const freshStatus = picklists.status?.[0] ?? null;
  const freshStage = picklists.stage?.[0] ?? null;
  const end = now.getTime();
  const from = end - SPREAD_DAYS * DAY;
  const span = end - from;
  return (batch, offset) => {
    const rows: DemoRows = { customers: [], phones: [], tags: [], grams: [], contacts: [] };
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i]!;
      const id = runtime.newId();
      const created = Math.floor(from + ((offset + i + rng()) / Math.max(total, 1)) * span);
      const createdAt = iso(Math.min(created, end));
      const age = end - created;

      const draw = rng();
      const pool = draw < 0.6 ? (agents.length ? 'private' : 'public') : draw < 0.85 ? 'public' : draw < 0.95 ? 'lead' : 'pending';
      const ownerId = pool === 'private' ? agents[Math.floor(rng() * agents.length)]! : null;
      const worked = pool === 'private' || pool === 'public';
      const status = worked ? c.status : freshStatus;
      const contacted = worked && status !== null && status !== freshStatus;
      const lastContact = contacted ? created + Math.floor(rng() * age) : null;
      const lastContactAt = lastContact === null ? null : iso(lastContact);
      // The last change is the last contact, or for untouched customers some edit since creation.
      const updatedAt = lastContactAt ?? iso(Math.min(created + Math.floor(rng() * rng() * age), end));
      let nextFollowUp: string | null = null;
      if (pool === 'private' && (status === '有意向' || status === '已联系')) {
        nextFollowUp = iso(end + Math.floor((rng() * 10 - 3) * DAY));
      }

      rows.customers.push({
        id,
        name: c.name,
        company: c.company,
        primary_phone: c.phones[0] ?? null,
        wechat: c.wechat,
        email: c.email,
        source: c.source,
        industry: c.industry,
        region: c.region,
        status,
        stage: worked ? c.stage : freshStage,
        level: c.level,
        remark: c.remark,
        hot: c.hot ? 1 : 0,
        wrong_number: 0,
        do_not_call: 0,
        deal_status: status === '已成交' ? 'won' : status === '已流失' ? 'lost' : 'none',
        pool,
        owner_id: ownerId,
        public_pool_id: pool === 'public' ? publicPoolId : null,
        // Each agent got its customers when they were created: the clock of the return rules starts then.
        owned_since: ownerId ? createdAt : null,
        protected_until: null,
        last_contact_at: lastContactAt,
        last_call_at: lastContactAt,
        last_follow_up_at: lastContactAt,
        last_call_result: null,
        next_follow_up_at: nextFollowUp,
        custom: '{}',
        created_by: managerId,
        created_at: createdAt,
        updated_by: managerId,
        updated_at: updatedAt,
        deleted_at: null,
        deleted_by: null,
      });
      for (let p = 0; p < c.phones.length; p++) {
        rows.phones.push({ e164: c.phones[p]!, customer_id: id, extension: null, label: null, position: p });
      }
      for (const tag of c.tags) rows.tags.push({ customer_id: id, tag });
      for (const gram of nameGramsOf(c.name)) rows.grams.push({ gram, customer_id: id });
      for (let p = 0; p < c.contacts.length; p++) {
        const contact = c.contacts[p]!;
        rows.contacts.push({
          id: runtime.newId(),
          customer_id: id,
          name: contact.name,
          title: contact.title,
          phone: contact.phone,
          email: null,
          wechat: null,
          remark: null,
          position: p,
          created_at: createdAt,
        });
      }
    }
    return rows;
  };
}

// ---------------------------------------------------------------------------------------------------
// Writers: one per dialect, behind the same three calls.

interface DemoWriter {
  /** Which of these numbers are stored already. */
  takenPhones(phones: readonly string[]): Promise<Set<string>>;
  /** Writes one batch in one transaction. */
  write(rows: DemoRows): Promise<void>;
  /** Refreshes the query planner's statistics of the tables written. */
  analyze(): Promise<void>;
}

const CUSTOMER_COLUMNS = [
  'id', 'name', 'company', 'primary_phone', 'wechat', 'email', 'source', 'industry', 'region', 'status', 'stage',
  'level', 'remark', 'hot', 'wrong_number', 'do_not_call', 'deal_status', 'pool', 'owner_id', 'public_pool_id', 'owned_since', 'protected_until',
  'last_contact_at', 'last_call_at', 'last_follow_up_at', 'last_call_result', 'next_follow_up_at', 'custom',
  'created_by', 'created_at', 'updated_by', 'updated_at', 'deleted_at', 'deleted_by',
] as const satisfies readonly (keyof CustomerInsert)[];
const CONTACT_COLUMNS = [
  'id', 'customer_id', 'name', 'title', 'phone', 'email', 'wechat', 'remark', 'position', 'created_at',
] as const satisfies readonly (keyof Insertable<ContactTable>)[];

const FILLED_TABLES = ['customers', 'customer_phones', 'customer_tags', 'customer_name_grams', 'contacts'] as const;
const PHONE_COLUMNS = ['e164', 'customer_id', 'extension', 'label', 'position'] as const;
const TAG_COLUMNS = ['customer_id', 'tag'] as const;
const GRAM_COLUMNS = ['gram', 'customer_id'] as const;

/** A prepared single-row insert that takes the row as an object; binds by position, which is faster. */
function prepareInsert<K extends string>(sqlite: BetterSqlite3.Database, table: string, columns: readonly K[]) {
  const statement = sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const values = new Array<unknown>(columns.length);
  return (row: { [P in K]?: unknown }): void => {
    for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]!] ?? null;
    statement.run(values);
  };
}

/**
 * SQLite: prepared statements in one transaction per batch, taken on the store's own connection so
 * that Kysely queries in the same process wait for the batch instead of interleaving with it.
 */
function sqliteWriter(sqlite: BetterSqlite3.Database, db: Kysely<Database>): DemoWriter {
  const insertCustomer = prepareInsert(sqlite, 'customers', CUSTOMER_COLUMNS);
  const insertPhone = prepareInsert(sqlite, 'customer_phones', PHONE_COLUMNS);
  const insertTag = prepareInsert(sqlite, 'customer_tags', TAG_COLUMNS);
  const insertGram = prepareInsert(sqlite, 'customer_name_grams', GRAM_COLUMNS);
  const insertContact = prepareInsert(sqlite, 'contacts', CONTACT_COLUMNS);
  const phoneTaken = sqlite.prepare('select 1 from customer_phones where e164 = ?').pluck();
  const writeAll = (rows: DemoRows) => {
    for (const row of rows.customers) insertCustomer(row);
    for (const row of rows.phones) insertPhone(row);
    for (const row of rows.tags) insertTag(row);
    for (const row of rows.grams) insertGram(row);
    for (const row of rows.contacts) insertContact(row);
  };
  // The file's own statements run inside the store's transactions, which hold its writer meanwhile.
  return {
    takenPhones: (phones) => db.transaction().execute(async () => new Set(phones.filter((phone) => phoneTaken.get(phone) !== undefined))),
    write: (rows) => db.transaction().execute(async () => writeAll(rows)),
    analyze: () =>
      db.transaction().execute(async () => {
        for (const table of FILLED_TABLES) sqlite.exec(`analyze ${table}`);
      }),
  };
}

/** Any dialect (PostgreSQL): multi-row inserts sized under the bound-parameter limits. */
function kyselyWriter(db: Kysely<Database>): DemoWriter {
  // PostgreSQL takes 65,535 parameters per statement and SQLite 32,766; the widest row here has 32.
  const ROWS_PER_STATEMENT = 900;
  const chunks = <T>(rows: readonly T[], size = ROWS_PER_STATEMENT): T[][] => {
    const out: T[][] = [];
    for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
    return out;
  };
  return {
    async takenPhones(phones) {
      const taken = new Set<string>();
      for (const part of chunks(phones, 5_000)) {
        const rows = await db.selectFrom('customer_phones').select('e164').where('e164', 'in', part).execute();
        for (const row of rows) taken.add(row.e164);
      }
      return taken;
    },
    write: (rows) =>
      db.transaction().execute(async (trx) => {
        for (const part of chunks(rows.customers)) await trx.insertInto('customers').values(part).execute();
        for (const part of chunks(rows.phones)) await trx.insertInto('customer_phones').values(part).execute();
        for (const part of chunks(rows.tags)) await trx.insertInto('customer_tags').values(part).execute();
        for (const part of chunks(rows.grams)) await trx.insertInto('customer_name_grams').values(part).execute();
        for (const part of chunks(rows.contacts)) await trx.insertInto('contacts').values(part).execute();
      }),
    analyze: async () => {
      await sql`analyze ${sql.raw(FILLED_TABLES.join(', '))}`.execute(db);
    },
  };
}
