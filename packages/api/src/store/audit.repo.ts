import type { Actor } from '@telecrm/core';
import type { Kysely, Transaction } from 'kysely';
import type { Runtime } from '../shared/runtime.js';
import type { Database } from './database.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string | null;
  /** Changed fields, each with its value before and after. */
  changes?: Record<string, { before: unknown; after: unknown }>;
}

/** Fields whose values never go into the audit log, only the fact that they changed. */
const SECRET_FIELDS = new Set(['password', 'newPassword', 'currentPassword', 'passwordHash', 'password_hash', 'secret', 'keyHash', 'key_hash', 'token']);

/**
 * The fields that differ between two snapshots of a record, with their old and new values. Only the
 * keys of `after` are compared, so a partial update reports what it touched.
 */
export function diffFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const keys = new Set([...Object.keys(after ?? {}), ...(after === null ? Object.keys(before ?? {}) : [])]);
  for (const key of keys) {
    const old = before?.[key] ?? null;
    const now = after?.[key] ?? null;
    if (JSON.stringify(old) === JSON.stringify(now)) continue;
    changes[key] = SECRET_FIELDS.has(key) ? { before: '***', after: '***' } : { before: old, after: now };
  }
  return changes;
}

/**
 * Writes one audit entry in the caller's transaction, so the log holds exactly the writes that
 * committed: who (and through a token or a key), when, what, and the changed fields.
 */
export async function recordAudit(db: Db, runtime: Runtime, actor: Actor | null, record: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: runtime.newId(),
      at: runtime.now().toISOString(),
      actor_id: actor?.userId ?? null,
      via: actor ? actor.via : 'system',
      key_id: actor?.keyId ?? null,
      action: record.action,
      entity: record.entity,
      entity_id: record.entityId,
      changes: JSON.stringify(record.changes ?? {}),
    })
    .execute();
}
