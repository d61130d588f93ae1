import { customerOfEvent, type CrmEventPayload } from '@telecrm/core';
import { sql } from 'kysely';
import type { Runtime } from '../shared/runtime.js';
import type { Trx } from '../services/context.js';
import type { DialectName, Store } from '../store/connect.js';
import { insertRowsOnSqlite } from '../store/dialect.js';

export const OUTBOX_CHANNEL = 'crm_outbox';

/** Transactions that have asked for a NOTIFY already: PostgreSQL sends one per channel at commit anyway. */
const notifying = new WeakSet<Trx>();

/** Wakes the other API nodes when this transaction commits: one round trip per transaction, not per event. */
async function notifyAtCommit(trx: Trx): Promise<void> {
  if (notifying.has(trx)) return;
  notifying.add(trx);
  await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(trx);
}

/**
 * Records an event in the same transaction as the change it reports, so a committed change always has
 * its event and a rolled-back one never does. On PostgreSQL the NOTIFY is delivered at commit and wakes
 * the other API nodes. With a recipient, only that user receives it.
 */
export async function appendEvent(
  trx: Trx,
  dialect: DialectName,
  runtime: Runtime,
  event: CrmEventPayload,
  recipientId: string | null = null,
): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      id: runtime.newId(),
      type: event.type,
      at: runtime.now().toISOString(),
      customer_id: customerOfEvent(event),
      recipient_id: recipientId,
      data: JSON.stringify(event.data),
    })
    .execute();
  if (dialect === 'postgres') await notifyAtCommit(trx);
}

/**
 * Many events of one change at once (a bulk assignment): a prepared insert per row on SQLite; multi-row
 * inserts and one NOTIFY on PostgreSQL. `recipientIds`, beside the events, sends each to one user only.
 */
export async function appendEvents(
  trx: Trx,
  store: Pick<Store, 'dialect' | 'sqlite'>,
  runtime: Runtime,
  events: readonly CrmEventPayload[],
  recipientIds?: readonly string[],
): Promise<void> {
  if (events.length === 0) return;
  const at = runtime.now().toISOString();
  const rows = events.map((event, i) => ({
    id: runtime.newId(),
    type: event.type,
    at,
    customer_id: customerOfEvent(event),
    recipient_id: recipientIds?.[i] ?? null,
    data: JSON.stringify(event.data),
  }));
  if (store.sqlite) return insertRowsOnSqlite(store.sqlite, 'outbox', rows);
  for (let i = 0; i < rows.length; i += 2000) await trx.insertInto('outbox').values(rows.slice(i, i + 2000)).execute();
  await notifyAtCommit(trx);
}
