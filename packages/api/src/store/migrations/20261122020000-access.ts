import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// Roles and departments are trees read through closure tables (ancestor, descendant, depth), so
// "subordinate roles" and "department and below" are index lookups inside the visibility predicate.
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('roles.id'))
    .addColumn('data_scope', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('field_permissions', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('system', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  for (const tree of ['role_closure', 'department_closure']) {
    const target = tree === 'role_closure' ? 'roles.id' : 'departments.id';
    await db.schema
      .createTable(tree)
      .addColumn('ancestor_id', 'text', (c) => c.notNull().references(target).onDelete('cascade'))
      .addColumn('descendant_id', 'text', (c) => c.notNull().references(target).onDelete('cascade'))
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${tree}_pk`, ['ancestor_id', 'descendant_id'])
      .execute();
    await db.schema.createIndex(`${tree}_descendant`).on(tree).columns(['descendant_id', 'depth']).execute();
  }
  // Departments made before this migration: their closure rows, built from the parent links.
  await sql`
    with recursive walk(ancestor_id, descendant_id, depth) as (
      select id, id, 0 from departments
      union all
      select walk.ancestor_id, d.id, walk.depth + 1 from walk join departments d on d.parent_id = walk.descendant_id
    )
    insert into department_closure (ancestor_id, descendant_id, depth) select ancestor_id, descendant_id, depth from walk`.execute(db);

  await db.schema.alterTable('users').addColumn('role_id', 'text', (c) => c.references('roles.id')).execute();
  await db.schema.alterTable('users').addColumn('quota_calls', 'integer').execute();
  await db.schema.alterTable('users').addColumn('quota_minutes', 'integer').execute();
  await db.schema.createIndex('users_role').on('users').column('role_id').execute();
  await db.schema.createIndex('users_department').on('users').column('department_id').execute();

  await db.schema
    .createTable('customer_shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('department_id', 'text', (c) => c.references('departments.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('customer_shares_one_target', sql`(user_id is null) <> (department_id is null)`)
    .execute();
  await db.schema.createIndex('customer_shares_user').on('customer_shares').columns(['user_id', 'customer_id']).execute();
  await db.schema.createIndex('customer_shares_department').on('customer_shares').columns(['department_id', 'customer_id']).execute();
  await db.schema.createIndex('customer_shares_customer').on('customer_shares').column('customer_id').execute();

  await db.schema
    .createTable('customer_collaborators')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_collaborators_pk', ['customer_id', 'user_id'])
    .execute();
  await db.schema.createIndex('customer_collaborators_user').on('customer_collaborators').columns(['user_id', 'customer_id']).execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_keys_user').on('api_keys').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('changes', postgres ? 'jsonb' : 'text', (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id', 'at']).execute();

  await db.schema
    .createTable('login_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('agent', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('login_log_at').on('login_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('login_log_username').on('login_log').columns(['username', 'at']).execute();
  await db.schema.createIndex('login_log_address').on('login_log').columns(['address', 'at']).execute();
}
