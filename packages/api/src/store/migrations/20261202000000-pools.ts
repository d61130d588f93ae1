import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// Pools and assignment: named public pools (one is the default), pool rules for the company and per
// department, the journey of every customer between pools and owners, and the rotation of ordered
// assignment per scope. A customer's clock for the return rules starts when its owner got it.
export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();

  await db.schema
    .createTable('public_pools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('department_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('user_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('rules', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const defaultPool = randomUUID();
  await db.insertInto('public_pools').values({ id: defaultPool, name: '公海', is_default: 1, created_at: now, updated_at: now }).execute();

  // `company` for the company's rules, else a department id for that department's overrides.
  await db.schema
    .createTable('pool_rules')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('customers').addColumn('public_pool_id', 'text', (c) => c.references('public_pools.id')).execute();
  await db.schema.alterTable('customers').addColumn('owned_since', 'text').execute();
  await db.schema.alterTable('customers').addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.updateTable('customers').set({ public_pool_id: defaultPool }).where('pool', '=', 'public').execute();
  await db.updateTable('customers').set({ owned_since: sql`created_at` }).where('pool', '=', 'private').execute();
  await db.schema.createIndex('customers_public_pool').on('customers').columns(['public_pool_id', 'created_at']).execute();
  // The return rules read private customers by the clocks they compare.
  await db.schema
    .createIndex('customers_private_clock')
    .on('customers')
    .columns(['owned_since'])
    .where(sql.ref('pool'), '=', 'private')
    .execute();

  await db.schema
    .createTable('pool_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('from_pool', 'text')
    .addColumn('to_pool', 'text')
    .addColumn('from_owner_id', 'text')
    .addColumn('to_owner_id', 'text')
    .addColumn('public_pool_id', 'text')
    .addColumn('rule', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('pool_events_customer').on('pool_events').columns(['customer_id', 'at', 'id']).execute();
  // A claimer's claims today (the daily limit) and what an agent lost lately (the cooldown).
  await db.schema.createIndex('pool_events_claims').on('pool_events').columns(['to_owner_id', 'action', 'at']).execute();
  await db.schema.createIndex('pool_events_losses').on('pool_events').columns(['from_owner_id', 'customer_id', 'at']).execute();

  // Where ordered assignment (按顺序依次分配) goes on next time, per scope (a manager, a task ...).
  await db.schema
    .createTable('allocation_cursors')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
