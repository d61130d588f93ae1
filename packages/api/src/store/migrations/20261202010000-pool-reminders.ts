import type { Kysely } from 'kysely';

// Frozen: never edit after it is committed; add a new migration instead.
//
// Each "about to return" reminder is sent once per customer and due date, however often the return
// rules are evaluated; a follow-up moves the due date, and the next reminder is a new row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pool_reminders')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pool_reminders_pk', ['customer_id', 'due_at'])
    .execute();
}
