import { z } from 'zod';
import { Pool } from '../customer/customer.schema.js';
import { ImportCounts, ImportProgress, ImportState } from '../import/import.schema.js';
import { RETURN_RULES } from '../pool/pool.schema.js';

const customerRef = {
  customerId: z.string(),
  name: z.string(),
  ownerId: z.string().nullable(),
  pool: Pool,
};

/** Every event the server emits, one union: later capabilities only add members. */
export const CrmEventPayload = z.discriminatedUnion('type', [
  z.object({ type: z.literal('customer.created'), data: z.object(customerRef) }),
  z.object({ type: z.literal('customer.updated'), data: z.object({ ...customerRef, fields: z.array(z.string()) }) }),
  z.object({ type: z.literal('customer.deleted'), data: z.object({ ...customerRef, purged: z.boolean() }) }),
  z.object({ type: z.literal('customer.restored'), data: z.object(customerRef) }),
  z.object({ type: z.literal('customer.merged'), data: z.object({ ...customerRef, mergedId: z.string() }) }),
  // A customer got an owner: assigned by a manager, claimed from the public pool, or transferred.
  z.object({
    type: z.literal('customer.assigned'),
    data: z.object({ ...customerRef, fromOwnerId: z.string().nullable(), action: z.enum(['assign', 'claim', 'transfer']) }),
  }),
  z.object({ type: z.literal('customer.released'), data: z.object({ ...customerRef, fromOwnerId: z.string().nullable(), reason: z.string() }) }),
  z.object({ type: z.literal('pool.returned'), data: z.object({ ...customerRef, fromOwnerId: z.string().nullable(), rule: z.enum(RETURN_RULES) }) }),
  // To the owner: a customer will go back to the public pool on `dueAt` unless followed up (急需跟进).
  z.object({ type: z.literal('reminder.due'), data: z.object({ ...customerRef, dueAt: z.string(), rule: z.enum(RETURN_RULES) }) }),
  // Sent to the user who started the import only: after every committed batch and when it ends.
  z.object({
    type: z.literal('import.progress'),
    data: z.object({ importId: z.string(), state: ImportState, counts: ImportCounts, progress: ImportProgress }),
  }),
]);
export type CrmEventPayload = z.infer<typeof CrmEventPayload>;
export type CrmEventType = CrmEventPayload['type'];

export const CrmEvent = z
  .object({
    id: z.string().meta({ description: 'Resume after this event with ?since=<id>' }),
    at: z.string(),
  })
  .and(CrmEventPayload)
  .meta({ id: 'CrmEvent', description: 'A message on the /api/v1/events WebSocket' });
export type CrmEvent = z.infer<typeof CrmEvent>;

/** The customer an event is about (delivery asks whether the subscriber may see it), if any. */
export const customerOfEvent = (event: CrmEventPayload): string | null => ('customerId' in event.data ? event.data.customerId : null);
