import { customerOfEvent, type CrmEventPayload } from '@telecrm/core';
import { sql } from 'kysely';
import type { Runtime } from '../shared/runtime.js';
import type { Trx } from '../services/context.js';
import type { DialectName } from '../store/connect.js';

export const OUTBOX_CHANNEL = 'crm_outbox';

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
  if (dialect === 'postgres') await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(trx);
}

/** Many events of one change at once (a bulk assignment), in multi-row inserts and one NOTIFY. */
export async function appendEvents(trx: Trx, dialect: DialectName, runtime: Runtime, events: readonly CrmEventPayload[]): Promise<void> {
  if (events.length === 0) return;
  const at = runtime.now().toISOString();
  for (let i = 0; i < events.length; i += 2000) {
    await trx
      .insertInto('outbox')
      .values(
        events.slice(i, i + 2000).map((event) => ({
          id: runtime.newId(),
          type: event.type,
          at,
          customer_id: customerOfEvent(event),
          recipient_id: null,
          data: JSON.stringify(event.data),
        })),
      )
      .execute();
  }
  if (dialect === 'postgres') await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(trx);
}
