import { err, ok, type AuditEntry, type DomainError, type LoginEntry, type Result } from '@telecrm/core';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { readJson } from '../store/dialect.js';
import type { ServiceContext } from './context.js';

export interface LogPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** The audit log, newest first, filtered by entity, record and actor; read-only by design. */
export async function listAuditLog(
  ctx: ServiceContext,
  query: { entity?: string; entityId?: string; actorId?: string; limit?: number; cursor?: string },
): Promise<Result<LogPage<AuditEntry>, DomainError>> {
  const limit = Math.min(query.limit ?? 50, ctx.settings.maxPageSize);
  let q = ctx.store.db.selectFrom('audit_log').selectAll();
  if (query.entity) q = q.where('entity', '=', query.entity);
  if (query.entityId) q = q.where('entity_id', '=', query.entityId);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  if (query.cursor) {
    const key = decodeCursor(query.cursor, 'audit');
    if (!key.ok) return key;
    q = q.where((eb) => eb.or([eb('at', '<', String(key.value.value)), eb.and([eb('at', '=', String(key.value.value)), eb('id', '<', key.value.id)])]));
  }
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return ok({
    items: page.map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      via: r.via as AuditEntry['via'],
      keyId: r.key_id,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      changes: readJson(r.changes, {}),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor('audit', { value: last.at, id: last.id }) : null,
  });
}

/** The login log, newest first: successes and failures with address and client. */
export async function listLogins(
  ctx: ServiceContext,
  query: { username?: string; success?: boolean; limit?: number; cursor?: string },
): Promise<Result<LogPage<LoginEntry>, DomainError>> {
  const limit = Math.min(query.limit ?? 50, ctx.settings.maxPageSize);
  let q = ctx.store.db.selectFrom('login_log').selectAll();
  if (query.username) q = q.where('username', '=', query.username.trim().toLowerCase());
  if (query.success !== undefined) q = q.where('success', '=', query.success ? 1 : 0);
  if (query.cursor) {
    const key = decodeCursor(query.cursor, 'logins');
    if (!key.ok) return err(key.error);
    q = q.where((eb) => eb.or([eb('at', '<', String(key.value.value)), eb.and([eb('at', '=', String(key.value.value)), eb('id', '<', key.value.id)])]));
  }
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return ok({
    items: page.map((r) => ({
      id: r.id,
      at: r.at,
      username: r.username,
      userId: r.user_id,
      success: r.success === 1,
      address: r.address,
      agent: r.agent,
      reason: r.reason,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor('logins', { value: last.at, id: last.id }) : null,
  });
}
