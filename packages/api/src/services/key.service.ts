import { randomBytes } from 'node:crypto';
import {
  API_KEY_PREFIX_LENGTH,
  checkGrantable,
  err,
  hasPermission,
  ok,
  type Actor,
  type ApiKey,
  type ApiKeyCreate,
  type ApiKeyCreated,
  type DomainError,
  type Permission,
  type Result,
  type User,
} from '@telecrm/core';
import type { Selectable } from 'kysely';
import { diffFields, recordAudit } from '../store/audit.repo.js';
import type { ApiKeyTable } from '../store/database.js';
import { readJson } from '../store/dialect.js';
import { actorFrom, hashToken, toUser } from './auth.service.js';
import type { ServiceContext } from './context.js';

/** What every key's secret starts with, so the server (and secret scanners) can tell keys from login tokens. */
export const API_KEY_MARK = 'crm_';

// Writing last_used_at on every request would turn every read into a write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

const toApiKey = (row: Selectable<ApiKeyTable>): ApiKey => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  prefix: row.prefix,
  permissions: readJson<Permission[]>(row.permissions, []),
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
});

/** Whether the actor sees and revokes everybody's keys, not only their own. */
const managesAllKeys = (actor: Actor): boolean => actor.isAdmin || hasPermission(actor.permissions, 'keys.manage');

/**
 * Makes an API key and returns its secret, the only time it is shown: only its SHA-256 hash is stored.
 * A key is for the caller; an admin may make one for another user (the key acts as that user, with
 * their data scope, so nobody less than an admin may hand that out). The permissions asked for must be
 * held by the key's user now; without a list the key gets all of them, stored as an explicit list, so
 * promoting the user later does not widen existing keys (demoting does narrow them, at use time).
 * A request made with a key cannot make keys: a leaked key must not be able to mint more.
 */
export async function createApiKey(
  ctx: ServiceContext,
  actor: Actor,
  input: ApiKeyCreate,
  forUserId?: string,
): Promise<Result<ApiKeyCreated, DomainError>> {
  if (actor.via === 'key') return err({ code: 'AUTH.FORBIDDEN', params: { reason: 'key' } });
  const userId = forUserId ?? actor.userId;
  let ownerPermissions: readonly Permission[];
  if (userId === actor.userId) {
    if (!hasPermission(actor.permissions, 'keys.create')) return err({ code: 'AUTH.FORBIDDEN', params: { permission: 'keys.create' } });
    ownerPermissions = actor.permissions;
  } else {
    if (!actor.isAdmin) return err({ code: 'AUTH.FORBIDDEN', field: 'userId' });
    const owner = await ctx.store.db
      .selectFrom('users')
      .leftJoin('roles', 'roles.id', 'users.role_id')
      .select(['users.id', 'users.is_admin', 'users.department_id', 'users.role_id', 'users.status', 'roles.data_scope', 'roles.permissions', 'roles.field_permissions'])
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (!owner) return err({ code: 'USER.NOT_FOUND', field: 'userId', params: { id: userId } });
    if (owner.status !== 'active') return err({ code: 'AUTH.USER_DISABLED', field: 'userId' });
    ownerPermissions = actorFrom(owner, null).permissions;
  }
  const granted = checkGrantable(input.permissions ?? ownerPermissions, ownerPermissions);
  if (!granted.ok) return granted;
  const now = ctx.runtime.now().toISOString();
  if (input.expiresAt !== undefined && new Date(input.expiresAt).toISOString() <= now) {
    return err({ code: 'VALIDATION.FORMAT', field: 'expiresAt', params: { reason: 'must be in the future' } });
  }
  const secret = API_KEY_MARK + randomBytes(32).toString('base64url');
  const row = {
    id: ctx.runtime.newId(),
    user_id: userId,
    name: input.name,
    key_hash: hashToken(secret),
    prefix: secret.slice(0, API_KEY_PREFIX_LENGTH),
    permissions: JSON.stringify(granted.value),
    expires_at: input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString(),
    revoked_at: null,
    last_used_at: null,
    created_at: now,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('api_keys').values(row).execute();
    // What the key may do and until when: never its secret, its hash or the prefix of the secret.
    const key = toApiKey(row);
    const recorded = { name: key.name, permissions: key.permissions, expiresAt: key.expiresAt };
    await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'apiKey', entityId: row.id, changes: diffFields(null, recorded) });
  });
  return ok({ ...toApiKey(row), secret });
}

/** The caller's keys, newest first; someone who manages keys sees everybody's, or one user's with `userId`. */
export async function listApiKeys(ctx: ServiceContext, actor: Actor, userId?: string): Promise<Result<ApiKey[], DomainError>> {
  if (userId !== undefined && userId !== actor.userId && !managesAllKeys(actor)) return err({ code: 'AUTH.FORBIDDEN', field: 'userId' });
  let query = ctx.store.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  const only = userId ?? (managesAllKeys(actor) ? undefined : actor.userId);
  if (only !== undefined) query = query.where('user_id', '=', only);
  return ok((await query.execute()).map(toApiKey));
}

/**
 * Revokes a key at once: the next request with it is refused. Revoking a revoked key changes nothing.
 * Someone else's key, unless the caller manages keys, is not found rather than forbidden, so ids of
 * other people's keys cannot be probed.
 */
export async function revokeApiKey(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<void, DomainError>> {
  const row = await ctx.store.db.selectFrom('api_keys').select(['id', 'user_id']).where('id', '=', id).executeTakeFirst();
  if (!row || (row.user_id !== actor.userId && !managesAllKeys(actor))) return err({ code: 'KEY.NOT_FOUND', params: { id } });
  const now = ctx.runtime.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const [revoked] = await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    // Revoking a revoked key writes nothing, so it leaves no entry either.
    if (!revoked || Number(revoked.numUpdatedRows) === 0) return;
    await recordAudit(trx, ctx.runtime, actor, { action: 'revoke', entity: 'apiKey', entityId: id, changes: diffFields({ revokedAt: null }, { revokedAt: now }) });
  });
  return ok(undefined);
}

/**
 * Who a request made with an API key acts as. Looked up on every request, so revoking the key or
 * disabling its user takes effect at once; the grants are the key's, narrowed to what its user holds now.
 */
export async function authenticateKey(ctx: ServiceContext, secret: string): Promise<Result<{ actor: Actor; user: User }, DomainError>> {
  const row = await ctx.store.db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .leftJoin('roles', 'roles.id', 'users.role_id')
    .selectAll('users')
    .select([
      'api_keys.id as key_id',
      'api_keys.permissions as key_permissions',
      'api_keys.expires_at',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
      'roles.data_scope',
      'roles.permissions',
      'roles.field_permissions',
    ])
    .where('api_keys.key_hash', '=', hashToken(secret))
    .executeTakeFirst();
  const now = ctx.runtime.now();
  if (!row || row.revoked_at || (row.expires_at !== null && row.expires_at <= now.toISOString())) return err({ code: 'AUTH.UNAUTHENTICATED' });
  if (row.status !== 'active') return err({ code: 'AUTH.USER_DISABLED' });
  if (row.last_used_at === null || new Date(row.last_used_at).getTime() <= now.getTime() - LAST_USED_RESOLUTION_MS) {
    await ctx.store.db.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.key_id).execute();
  }
  const key = { id: row.key_id, permissions: readJson<Permission[]>(row.key_permissions, []) };
  return ok({ actor: actorFrom(row, key), user: toUser(row) });
}
