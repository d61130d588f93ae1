import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const json = postgres ? 'jsonb' : 'text';
  // Byte order for the columns searched by prefix and range, as SQLite compares: locale collations
  // would both reorder them and keep PostgreSQL from using their indexes for prefixes.
  const bytewise = postgres ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable('company')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('phone_region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('departments.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('default_view_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('auth_tokens_user').on('auth_tokens').column('user_id').execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', bytewise, (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('primary_phone', 'text')
    .addColumn('wechat', bytewise)
    .addColumn('email', 'text')
    .addColumn('source', 'text')
    .addColumn('industry', 'text')
    .addColumn('region', 'text')
    .addColumn('status', 'text')
    .addColumn('stage', 'text')
    .addColumn('level', 'text')
    .addColumn('remark', 'text')
    .addColumn('hot', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wrong_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('do_not_call', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deal_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('pool', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    .addColumn('protected_until', 'text')
    .addColumn('last_contact_at', 'text')
    .addColumn('last_call_at', 'text')
    .addColumn('last_follow_up_at', 'text')
    .addColumn('last_call_result', 'text')
    .addColumn('next_follow_up_at', 'text')
    .addColumn('custom', json, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text')
    // The pool invariant holds in the database too: private <=> an owner.
    .addCheckConstraint('customers_pool_owner', sql`(pool = 'private') = (owner_id IS NOT NULL)`)
    .addCheckConstraint('customers_pool_known', sql`pool IN ('lead', 'pending', 'private', 'public')`)
    .execute();
  // Pages are read newest first along these, always ending with the id for keyset pagination.
  await db.schema.createIndex('customers_created').on('customers').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('customers_updated').on('customers').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('customers_owner').on('customers').columns(['owner_id', 'created_at']).execute();
  await db.schema.createIndex('customers_pool').on('customers').columns(['pool', 'created_at']).execute();
  await db.schema.createIndex('customers_name').on('customers').column('name').execute();
  await db.schema.createIndex('customers_wechat').on('customers').column('wechat').execute();
  await db.schema.createIndex('customers_deleted').on('customers').column('deleted_at').execute();

  await db.schema
    .createTable('customer_phones')
    .addColumn('e164', bytewise, (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('extension', 'text')
    .addColumn('label', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_phones_customer').on('customer_phones').columns(['customer_id', 'position']).execute();

  await db.schema
    .createTable('customer_tags')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_tags_pk', ['customer_id', 'tag'])
    .execute();
  await db.schema.createIndex('customer_tags_tag').on('customer_tags').columns(['tag', 'customer_id']).execute();

  await db.schema
    .createTable('customer_name_grams')
    .addColumn('gram', bytewise, (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('customer_name_grams_pk', ['gram', 'customer_id'])
    .execute();
  await db.schema.createIndex('customer_name_grams_customer').on('customer_name_grams').column('customer_id').execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('wechat', 'text')
    .addColumn('remark', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_customer').on('contacts').columns(['customer_id', 'position']).execute();

  await db.schema
    .createTable('customer_focus')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_focus_pk', ['user_id', 'customer_id'])
    .execute();
  await db.schema.createIndex('customer_focus_customer').on('customer_focus').column('customer_id').execute();

  await db.schema
    .createTable('custom_fields')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('indexed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('custom_fields_module_key', ['module', 'key'])
    .execute();

  await db.schema
    .createTable('picklist_values')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('color', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('picklist_values_list_value', ['list', 'value'])
    .execute();

  await db.schema
    .createTable('views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('filter', 'text')
    .addColumn('columns', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sort', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('views_owner').on('views').column('owner_id').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
}
