import {
  BUILT_IN_CUSTOMER_FIELDS,
  compareCodeUnits,
  hasPermission,
  type Actor,
  type CatalogueField,
  type ContactToStore,
  type Customer,
  type CustomValue,
  type PhoneToStore,
  type QuickSearch,
  type ResolvedCondition,
  type ResolvedFilter,
  type Scalar,
  nameGramsOf,
} from '@telecrm/core';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DialectName } from './connect.js';
import type { CustomerRow, Database } from './database.js';
import { customArrayMatch, customValue, escapeLike, likeInsensitive, readByIds, readJson } from './dialect.js';

type Db = Kysely<Database> | Transaction<Database>;
type CustomerEb = ExpressionBuilder<Database, 'customers'>;

/** Built-in catalogue names and the columns they live in. */
export const COLUMN: Record<string, keyof CustomerRow> = {
  name: 'name',
  company: 'company',
  wechat: 'wechat',
  email: 'email',
  remark: 'remark',
  source: 'source',
  industry: 'industry',
  region: 'region',
  status: 'status',
  stage: 'stage',
  level: 'level',
  hot: 'hot',
  wrongNumber: 'wrong_number',
  doNotCall: 'do_not_call',
  pool: 'pool',
  dealStatus: 'deal_status',
  ownerId: 'owner_id',
  publicPoolId: 'public_pool_id',
  locked: 'locked',
  ownedSince: 'owned_since',
  createdBy: 'created_by',
  updatedBy: 'updated_by',
  lastCallResult: 'last_call_result',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  protectedUntil: 'protected_until',
  lastContactAt: 'last_contact_at',
  lastCallAt: 'last_call_at',
  lastFollowUpAt: 'last_follow_up_at',
  nextFollowUpAt: 'next_follow_up_at',
  deletedAt: 'deleted_at',
};
const NOT_NULL_SORTS = new Set(['name', 'createdAt', 'updatedAt']);

// Every built-in field the catalogue lists must be stored somewhere; fail at start, not at query time.
for (const field of BUILT_IN_CUSTOMER_FIELDS) {
  if (!(field.name in COLUMN) && !['phones', 'tags', 'focused', 'assisted'].includes(field.name)) {
    throw new Error(`catalogue field ${field.name} has no column`);
  }
}

/**
 * THE visibility rule: which customers an actor may see, as one SQL predicate appended to every
 * customer read (lists, search, get by id, get by phone, event delivery). Admins and the `all` scope
 * see everything. Everyone else sees: their own customers; those of users in subordinate roles; those
 * shared with them or their department; those they assist on; the public pool; what they put in the
 * recycle bin; and what their data scope adds (their department, or it and the departments below).
 * The trees are read through closure tables, so each part is an index lookup.
 */
export function visibilityPredicate(eb: CustomerEb, actor: Actor): Expression<SqlBool> {
  if (actor.isAdmin || actor.dataScope === 'all') return sql<SqlBool>`1 = 1`;
  const shared = eb
    .selectFrom('customer_shares')
    .select('customer_shares.customer_id')
    .where((s) =>
      actor.departmentId
        ? s.or([s('customer_shares.user_id', '=', actor.userId), s('customer_shares.department_id', '=', actor.departmentId)])
        : s('customer_shares.user_id', '=', actor.userId),
    );
  return eb.or([
    eb('customers.owner_id', 'in', usersInReach(eb, actor)),
    eb('customers.id', 'in', shared),
    eb('customers.id', 'in', assistedBy(eb, actor)),
    eb.and([eb('customers.pool', '=', 'public'), eb('customers.deleted_at', 'is', null)]),
    eb('customers.deleted_by', '=', actor.userId),
    ...handedOut(eb, actor),
  ]);
}

/** Leads and pending customers (待分配) are for those who hand them out, not for sales. */
function handedOut(eb: CustomerEb, actor: Actor): Expression<SqlBool>[] {
  if (!hasPermission(actor.permissions, 'customers.assign')) return [];
  return [eb.and([eb('customers.pool', 'in', ['lead', 'pending']), eb('customers.deleted_at', 'is', null)])];
}

/**
 * Which visible customers the actor may change: those of owners in reach (own, subordinate roles,
 * the data scope), those they assist on, and what they put in the recycle bin. Shared customers are
 * read-only, and public-pool customers are claimed before they are worked.
 */
export function writabilityPredicate(eb: CustomerEb, actor: Actor): Expression<SqlBool> {
  if (actor.isAdmin || actor.dataScope === 'all') return sql<SqlBool>`1 = 1`;
  return eb.or([
    eb('customers.owner_id', 'in', usersInReach(eb, actor)),
    eb('customers.id', 'in', assistedBy(eb, actor)),
    eb('customers.deleted_by', '=', actor.userId),
    ...handedOut(eb, actor),
  ]);
}

/**
 * The users whose records the actor reaches: themself, subordinate roles, and the data scope. Also
 * what decides whose imports (and other jobs) a manager sees.
 */
export function usersInReach(eb: ExpressionBuilder<Database, keyof Database>, actor: Actor) {
  const owners = [eb.selectFrom('users').select('users.id').where('users.id', '=', actor.userId)];
  if (actor.roleId) {
    owners.push(
      eb
        .selectFrom('users')
        .innerJoin('role_closure', 'role_closure.descendant_id', 'users.role_id')
        .select('users.id')
        .where('role_closure.ancestor_id', '=', actor.roleId)
        .where('role_closure.depth', '>', 0),
    );
  }
  if (actor.departmentId && actor.dataScope === 'department') {
    owners.push(eb.selectFrom('users').select('users.id').where('users.department_id', '=', actor.departmentId));
  }
  if (actor.departmentId && actor.dataScope === 'departmentAndBelow') {
    owners.push(
      eb
        .selectFrom('users')
        .innerJoin('department_closure', 'department_closure.descendant_id', 'users.department_id')
        .select('users.id')
        .where('department_closure.ancestor_id', '=', actor.departmentId),
    );
  }
  return owners.reduce((all, next) => all.union(next));
}

const assistedBy = (eb: CustomerEb, actor: Actor) =>
  eb.selectFrom('customer_collaborators').select('customer_collaborators.customer_id').where('customer_collaborators.user_id', '=', actor.userId);

/**
 * Locks customers until the transaction ends (PostgreSQL; SQLite's writer lock already does it), in id
 * order, so that what a change reads (custom fields it merges into, the pool, the owner, the recycle
 * bin) is still so when it writes: two edits of different custom fields both land.
 */
export async function lockCustomers(trx: Transaction<Database>, dialect: DialectName, ids: readonly string[]): Promise<void> {
  if (dialect !== 'postgres') return;
  await readByIds([...ids].sort(compareCodeUnits), (slice) => trx.selectFrom('customers').select('id').where('id', 'in', slice).orderBy('id').forNoKeyUpdate().execute());
}

/** Which of these customers the actor may change (writabilityPredicate); for those who may change any, without reading. */
export async function writableCustomerIds(db: Db, actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  if (actor.isAdmin || actor.dataScope === 'all') return new Set(ids);
  const rows = await readByIds(ids, (slice) =>
    db
      .selectFrom('customers')
      .select('customers.id')
      .where('customers.id', 'in', slice)
      .where((eb) => writabilityPredicate(eb, actor))
      .execute(),
  );
  return new Set(rows.map((r) => r.id));
}

/** The one query function every customer read starts from. */
export function customersVisibleTo(db: Db, actor: Actor) {
  return db.selectFrom('customers').where((eb) => visibilityPredicate(eb, actor));
}

function columnOf(field: CatalogueField, dialect: DialectName): Expression<unknown> {
  if (field.custom) return customValue(dialect, field.custom.key, field.kind === 'number' ? 'number' : 'text');
  const column = COLUMN[field.name];
  if (!column) throw new Error(`field ${field.name} has no column`);
  return sql.ref(`customers.${column}`);
}

const storedScalar = (field: CatalogueField, value: Scalar): string | number =>
  typeof value === 'boolean' ? (value ? 1 : 0) : field.kind === 'boolean' ? Number(value) : value;

/** Compiles a resolved filter tree to a Kysely predicate: values are always bound, never spliced. */
export function compileFilter(
  eb: CustomerEb,
  filter: ResolvedFilter,
  dialect: DialectName,
  actorId: string,
): Expression<SqlBool> {
  if (filter.kind === 'and') return eb.and(filter.nodes.map((n) => compileFilter(eb, n, dialect, actorId)));
  if (filter.kind === 'or') return eb.or(filter.nodes.map((n) => compileFilter(eb, n, dialect, actorId)));
  return compileCondition(eb, filter.condition, dialect, actorId);
}

function compileCondition(eb: CustomerEb, c: ResolvedCondition, dialect: DialectName, actorId: string): Expression<SqlBool> {
  switch (c.kind) {
    case 'assisted': {
      const assisting = eb.exists(
        eb
          .selectFrom('customer_collaborators')
          .select(sql.lit(1).as('one'))
          .whereRef('customer_collaborators.customer_id', '=', 'customers.id')
          .where('customer_collaborators.user_id', '=', actorId),
      );
      return c.assisted ? assisting : eb.not(assisting);
    }
    case 'focus': {
      const focused = eb.exists(
        eb
          .selectFrom('customer_focus')
          .select(sql.lit(1).as('one'))
          .whereRef('customer_focus.customer_id', '=', 'customers.id')
          .where('customer_focus.user_id', '=', actorId),
      );
      return c.focused ? focused : eb.not(focused);
    }
    case 'phone': {
      const holders = eb.selectFrom('customer_phones').select('customer_phones.customer_id');
      const matching =
        c.match === 'exact'
          ? holders.where('customer_phones.e164', '=', c.value)
          : c.match === 'prefix'
            ? holders.where('customer_phones.e164', '>=', c.value).where('customer_phones.e164', '<', `${c.value}~`)
            : holders.where('customer_phones.e164', 'like', `%${escapeLike(c.value)}%`);
      return eb('customers.id', 'in', matching);
    }
    case 'set': {
      if (c.field.custom) return customArrayMatch(dialect, c.field.custom.key, c.op, c.values);
      const tagged = (values: readonly string[]) =>
        eb
          .selectFrom('customer_tags')
          .whereRef('customer_tags.customer_id', '=', 'customers.id')
          .where('customer_tags.tag', 'in', values);
      if (c.op === 'hasAny') return eb.exists(tagged(c.values).select(sql.lit(1).as('one')));
      if (c.op === 'hasNone') return eb.not(eb.exists(tagged(c.values).select(sql.lit(1).as('one'))));
      const distinct = [...new Set(c.values)];
      return eb(tagged(distinct).select((e) => e.fn.countAll().as('n')), '=', distinct.length);
    }
    case 'empty': {
      let empty: Expression<SqlBool>;
      if (c.field.name === 'tags') {
        empty = eb.not(eb.exists(eb.selectFrom('customer_tags').select(sql.lit(1).as('one')).whereRef('customer_tags.customer_id', '=', 'customers.id')));
      } else if (c.field.name === 'phones') {
        empty = eb.not(eb.exists(eb.selectFrom('customer_phones').select(sql.lit(1).as('one')).whereRef('customer_phones.customer_id', '=', 'customers.id')));
      } else if (c.field.kind === 'multiSelect' && c.field.custom) {
        const value = customValue(dialect, c.field.custom.key);
        empty = dialect === 'postgres'
          ? sql<SqlBool>`coalesce(jsonb_array_length(customers.custom->${c.field.custom.key}), 0) = 0`
          : sql<SqlBool>`coalesce(json_array_length(${value}), 0) = 0`;
      } else {
        const column = columnOf(c.field, dialect);
        empty = c.field.kind === 'text' ? sql<SqlBool>`(${column} is null or ${column} = '')` : sql<SqlBool>`${column} is null`;
      }
      return c.negate ? eb.not(empty) : empty;
    }
    case 'text': {
      const column = columnOf(c.field, dialect);
      const pattern = c.op === 'startsWith' ? `${escapeLike(c.value)}%` : `%${escapeLike(c.value)}%`;
      const like = likeInsensitive(dialect, column, pattern);
      // notContains keeps rows with no value: they do not contain the text either.
      return c.op === 'notContains' ? sql<SqlBool>`(${column} is null or not (${like}))` : like;
    }
    case 'in': {
      const column = columnOf(c.field, dialect);
      const values = c.values.map((v) => storedScalar(c.field, v));
      const list = sql.join(values.map((v) => sql.val(v)));
      return c.negate
        ? sql<SqlBool>`(${column} is null or ${column} not in (${list}))`
        : sql<SqlBool>`${column} in (${list})`;
    }
    case 'range': {
      const column = columnOf(c.field, dialect);
      const parts: Expression<SqlBool>[] = [];
      if (c.from !== null) parts.push(sql<SqlBool>`${column} >= ${storedScalar(c.field, c.from)}`);
      if (c.to !== null) parts.push(c.toInclusive ? sql<SqlBool>`${column} <= ${storedScalar(c.field, c.to)}` : sql<SqlBool>`${column} < ${storedScalar(c.field, c.to)}`);
      return eb.and(parts);
    }
    case 'compare': {
      const column = columnOf(c.field, dialect);
      const value = storedScalar(c.field, c.value);
      const op = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' }[c.op];
      // "not equal" includes rows without a value, as people mean it.
      if (c.op === 'ne') return sql<SqlBool>`(${column} is null or ${column} <> ${value})`;
      return sql<SqlBool>`${column} ${sql.raw(op)} ${value}`;
    }
  }
}

/** Quick search (`q=`): numbers in any format, names contains-matched through the gram index, WeChat. */
export function compileQuickSearch(eb: CustomerEb, search: QuickSearch, dialect: DialectName): Expression<SqlBool> {
  if (search.kind === 'phone') {
    const phone = search.phone;
    return compileCondition(eb, { kind: 'phone', match: phone.kind, value: phone.kind === 'exact' ? phone.e164 : phone.e164Prefix }, dialect, '');
  }
  const byWechat = eb('customers.wechat', '=', search.text);
  const chars = [...search.text];
  if (chars.length === 1 || search.grams.length === 0) {
    return eb.or([eb('customers.name', '>=', search.text).and('customers.name', '<', `${search.text}\u{10FFFF}`), byWechat]);
  }
  const byGrams = eb.and([
    ...search.grams.map((gram) =>
      eb('customers.id', 'in', eb.selectFrom('customer_name_grams').select('customer_name_grams.customer_id').where('customer_name_grams.gram', '=', gram)),
    ),
    likeInsensitive(dialect, sql.ref('customers.name'), `%${escapeLike(search.text)}%`),
  ]);
  return eb.or([byGrams, byWechat]);
}

export interface SortPlan {
  field: CatalogueField;
  direction: 'asc' | 'desc';
}

export interface PageKey {
  value: string | number | null;
  id: string;
}

/** Orders by the sort field then the id, so pages never repeat or skip rows; nulls come last. */
export function orderAndSeek<QB extends { orderBy: Function; where: Function }>(
  query: QB,
  sort: SortPlan,
  after: PageKey | undefined,
  dialect: DialectName,
): QB {
  const column = columnOf(sort.field, dialect);
  const dir = sort.direction;
  const nullable = !NOT_NULL_SORTS.has(sort.field.name);
  let q = query;
  if (after) {
    const cmp = sql.raw(dir === 'desc' ? '<' : '>');
    q = q.where(() => {
      if (!nullable) return sql<SqlBool>`(${column}, customers.id) ${cmp} (${after.value}, ${after.id})`;
      if (after.value === null) return sql<SqlBool>`(${column} is null and customers.id ${cmp} ${after.id})`;
      return sql<SqlBool>`((${column}, customers.id) ${cmp} (${after.value}, ${after.id}) or ${column} is null)`;
    }) as QB;
  }
  if (nullable) q = q.orderBy(sql`case when ${column} is null then 1 else 0 end`) as QB;
  return q.orderBy(column, dir).orderBy('customers.id', dir) as QB;
}

/** The value of the sort column of a row, for the next page's key. */
export function sortValueOf(row: CustomerRow, field: CatalogueField): string | number | null {
  if (field.custom) {
    const value = readJson<Record<string, unknown>>(row.custom, {})[field.custom.key];
    return typeof value === 'string' || typeof value === 'number' ? value : null;
  }
  return row[COLUMN[field.name]!] as string | number | null;
}

/** Rows of a customer's side tables (numbers, tags, contacts) by customer, in the order read. */
export function groupByCustomer<T extends { customer_id: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.customer_id);
    if (group) group.push(item);
    else groups.set(item.customer_id, [item]);
  }
  return groups;
}

/** Turns stored rows into the API's customers, with phones, tags, contacts and the actor's focus. */
export async function hydrateCustomers(db: Db, rows: readonly CustomerRow[], actorId: string): Promise<Customer[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [phones, tags, contacts, focus] = await Promise.all([
    db.selectFrom('customer_phones').selectAll().where('customer_id', 'in', ids).orderBy('customer_id').orderBy('position').execute(),
    db.selectFrom('customer_tags').selectAll().where('customer_id', 'in', ids).execute(),
    db.selectFrom('contacts').selectAll().where('customer_id', 'in', ids).orderBy('customer_id').orderBy('position').execute(),
    db.selectFrom('customer_focus').select(['customer_id', 'colour']).where('user_id', '=', actorId).where('customer_id', 'in', ids).execute(),
  ]);
  const phonesBy = groupByCustomer(phones);
  const tagsBy = groupByCustomer(tags);
  const contactsBy = groupByCustomer(contacts);
  const focusBy = new Map(focus.map((f) => [f.customer_id, f.colour]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    company: r.company,
    phones: (phonesBy.get(r.id) ?? []).map((p) => ({ number: p.e164, extension: p.extension, label: p.label })),
    wechat: r.wechat,
    email: r.email,
    source: r.source,
    industry: r.industry,
    region: r.region,
    status: r.status,
    stage: r.stage,
    level: r.level,
    tags: (tagsBy.get(r.id) ?? []).map((t) => t.tag).sort(),
    remark: r.remark,
    hot: r.hot === 1,
    focus: focusBy.has(r.id) ? { colour: focusBy.get(r.id)! } : null,
    wrongNumber: r.wrong_number === 1,
    doNotCall: r.do_not_call === 1,
    dealStatus: r.deal_status as Customer['dealStatus'],
    pool: r.pool as Customer['pool'],
    ownerId: r.owner_id,
    publicPoolId: r.public_pool_id,
    ownedSince: r.owned_since,
    locked: r.locked === 1,
    protectedUntil: r.protected_until,
    lastContactAt: r.last_contact_at,
    lastCallAt: r.last_call_at,
    lastFollowUpAt: r.last_follow_up_at,
    lastCallResult: r.last_call_result,
    nextFollowUpAt: r.next_follow_up_at,
    custom: readJson<Record<string, CustomValue>>(r.custom, {}),
    contacts: (contactsBy.get(r.id) ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      title: c.title,
      phone: c.phone,
      email: c.email,
      wechat: c.wechat,
      remark: c.remark,
    })),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  }));
}

/** Which customers already hold any of these numbers (in the recycle bin too), other than `except`. */
export async function findPhoneHolders(
  db: Db,
  numbers: readonly string[],
  except?: string,
): Promise<{ e164: string; customerId: string; name: string }[]> {
  if (numbers.length === 0) return [];
  let q = db
    .selectFrom('customer_phones')
    .innerJoin('customers', 'customers.id', 'customer_phones.customer_id')
    .select(['customer_phones.e164', 'customers.id as customerId', 'customers.name'])
    .where('customer_phones.e164', 'in', numbers);
  if (except) q = q.where('customers.id', '<>', except);
  return q.execute();
}

export async function replacePhones(db: Db, customerId: string, phones: readonly PhoneToStore[]): Promise<void> {
  await db.deleteFrom('customer_phones').where('customer_id', '=', customerId).execute();
  if (phones.length) {
    await db
      .insertInto('customer_phones')
      .values(phones.map((p, position) => ({ e164: p.e164, customer_id: customerId, extension: p.extension, label: p.label, position })))
      .execute();
  }
  await db.updateTable('customers').set({ primary_phone: phones[0]?.e164 ?? null }).where('id', '=', customerId).execute();
}

export async function replaceTags(db: Db, customerId: string, tags: readonly string[]): Promise<void> {
  await db.deleteFrom('customer_tags').where('customer_id', '=', customerId).execute();
  if (tags.length) await db.insertInto('customer_tags').values(tags.map((tag) => ({ customer_id: customerId, tag }))).execute();
}

export async function replaceContacts(
  db: Db,
  customerId: string,
  contacts: readonly ContactToStore[],
  newId: () => string,
  now: string,
): Promise<void> {
  await db.deleteFrom('contacts').where('customer_id', '=', customerId).execute();
  if (contacts.length) {
    await db
      .insertInto('contacts')
      .values(contacts.map((c, position) => ({ id: newId(), customer_id: customerId, ...c, position, created_at: now })))
      .execute();
  }
}

/** Keeps the fuzzy-name index in step with the name. */
export async function indexName(db: Db, customerId: string, name: string): Promise<void> {
  await db.deleteFrom('customer_name_grams').where('customer_id', '=', customerId).execute();
  const grams = nameGramsOf(name);
  if (grams.length) await db.insertInto('customer_name_grams').values(grams.map((gram) => ({ gram, customer_id: customerId }))).execute();
}

/**
 * Moves everything hanging off one customer to another (merging duplicates). Every table that refers
 * to customers by id belongs here, so records added by later features move too.
 */
export async function moveCustomerRecords(db: Db, fromId: string, toId: string): Promise<void> {
  const [survivorPhones, mergedPhones] = await Promise.all([
    db.selectFrom('customer_phones').select(['position']).where('customer_id', '=', toId).orderBy('position', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('customer_phones').selectAll().where('customer_id', '=', fromId).orderBy('position').execute(),
  ]);
  let position = (survivorPhones?.position ?? -1) + 1;
  for (const phone of mergedPhones) {
    await db.updateTable('customer_phones').set({ customer_id: toId, position: position++ }).where('e164', '=', phone.e164).execute();
  }
  const lastContact = await db.selectFrom('contacts').select('position').where('customer_id', '=', toId).orderBy('position', 'desc').limit(1).executeTakeFirst();
  const offset = (lastContact?.position ?? -1) + 1;
  await db.updateTable('contacts').set((eb) => ({ customer_id: toId, position: eb('position', '+', offset) })).where('customer_id', '=', fromId).execute();
  // Focus marks of users who marked both stay with the survivor's mark.
  await db
    .deleteFrom('customer_focus')
    .where('customer_id', '=', fromId)
    .where('user_id', 'in', (eb) => eb.selectFrom('customer_focus as f').select('f.user_id').where('f.customer_id', '=', toId))
    .execute();
  await db.updateTable('customer_focus').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
  await db.deleteFrom('customer_tags').where('customer_id', '=', fromId).execute();
}
