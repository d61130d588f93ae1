import { createHash, randomBytes } from 'node:crypto';
import {
  ALL_PERMISSIONS,
  DEFAULT_LOGIN_THROTTLE,
  decideLogin,
  err,
  grantedForKey,
  ok,
  type Actor,
  type DomainError,
  type FieldPermissions,
  type Permission,
  type Result,
  type User,
} from '@telecrm/core';
import { verifyPassword } from '../auth/password.js';
import type { UserRow } from '../store/database.js';
import { readJson } from '../store/dialect.js';
import type { ServiceContext } from './context.js';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    isAdmin: row.is_admin === 1,
    departmentId: row.department_id,
    roleId: row.role_id,
    status: row.status as User['status'],
    createdAt: row.created_at,
  };
}

// Verifying against a throw-away hash when the user does not exist keeps the answer time the same,
// so response times do not tell which usernames exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface LoginSource {
  address: string | null;
  agent: string | null;
}

/**
 * Checks a username and password and opens a session. Every attempt lands in the login log; failures
 * past the limits (per user and per address, DEFAULT_LOGIN_THROTTLE) are refused before the password
 * is even checked, so guessing stays slow whoever is guessing.
 */
export async function login(
  ctx: ServiceContext,
  username: string,
  password: string,
  source: LoginSource = { address: null, agent: null },
): Promise<Result<{ token: string; expiresAt: string; user: User }, DomainError>> {
  const name = username.trim();
  const now = ctx.runtime.now();
  const windowStart = new Date(now.getTime() - maxWindowSeconds() * 1000).toISOString();
  const failures = await ctx.store.db
    .selectFrom('login_log')
    .select(['at', 'username', 'address'])
    .where('success', '=', 0)
    .where('at', '>', windowStart)
    .where((eb) =>
      source.address ? eb.or([eb('username', '=', name.toLowerCase()), eb('address', '=', source.address)]) : eb('username', '=', name.toLowerCase()),
    )
    .execute();
  const decision = decideLogin(failures, { username: name, address: source.address, now });
  const record = (success: boolean, userId: string | null, reason: string | null) =>
    ctx.store.db
      .insertInto('login_log')
      .values({ id: ctx.runtime.newId(), at: now.toISOString(), username: name.toLowerCase(), user_id: userId, success: success ? 1 : 0, address: source.address, agent: source.agent, reason })
      .execute();
  if (!decision.allowed) {
    await record(false, null, `throttled-${decision.reason}`);
    return err({ code: 'AUTH.TOO_MANY_ATTEMPTS', params: { retryAfterSeconds: decision.retryAfterSeconds } });
  }
  const row = await ctx.store.db.selectFrom('users').selectAll().where('username', '=', name).executeTakeFirst();
  const valid = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !valid) {
    await record(false, row?.id ?? null, row ? 'wrong-password' : 'unknown-user');
    return err({ code: 'AUTH.INVALID_CREDENTIALS' });
  }
  if (row.status !== 'active') {
    await record(false, row.id, 'disabled');
    return err({ code: 'AUTH.USER_DISABLED' });
  }
  // The token is random and only its hash is stored: a leaked database does not leak sessions.
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ctx.settings.tokenTtlHours * 3600_000).toISOString();
  const opened = await ctx.store.db.transaction().execute(async (trx) => {
    // The password was checked outside any transaction (hashing is slow): a change of password or a
    // disable that committed meanwhile revoked every session, and this one must not outlive it. Read
    // the user again under a share lock (PostgreSQL), which a change of password waits for or is
    // waited for by; SQLite runs one transaction at a time.
    let current = trx.selectFrom('users').select(['password_hash', 'status']).where('id', '=', row.id);
    if (ctx.store.dialect === 'postgres') current = current.forShare();
    const user = await current.executeTakeFirst();
    if (!user || user.password_hash !== row.password_hash || user.status !== 'active') return false;
    await trx
      .insertInto('auth_tokens')
      .values({ token_hash: hashToken(token), user_id: row.id, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null })
      .execute();
    await trx
      .insertInto('login_log')
      .values({ id: ctx.runtime.newId(), at: now.toISOString(), username: name.toLowerCase(), user_id: row.id, success: 1, address: source.address, agent: source.agent, reason: null })
      .execute();
    return true;
  });
  if (!opened) {
    await record(false, row.id, 'changed-meanwhile');
    return err({ code: 'AUTH.INVALID_CREDENTIALS' });
  }
  return ok({ token, expiresAt, user: toUser(row) });
}

const maxWindowSeconds = () => Math.max(DEFAULT_LOGIN_THROTTLE.perUser.windowSeconds, DEFAULT_LOGIN_THROTTLE.perAddress.windowSeconds);

export async function logout(ctx: ServiceContext, token: string): Promise<void> {
  await ctx.store.db
    .updateTable('auth_tokens')
    .set({ revoked_at: ctx.runtime.now().toISOString() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .execute();
}

/** The user and role columns an actor is made from. */
export interface ActorSource {
  id: string;
  is_admin: number;
  department_id: string | null;
  role_id: string | null;
  data_scope: string | null;
  permissions: string | null;
  field_permissions: string | null;
}

/**
 * Who a request acts as: the user, their role's scope, grants and field permissions. Admins hold every
 * permission; a key narrows the grants to its own subset (a key never exceeds its creator).
 */
export function actorFrom(row: ActorSource, key: { id: string; permissions: Permission[] | null } | null): Actor {
  const isAdmin = row.is_admin === 1;
  const rolePermissions = isAdmin ? [...ALL_PERMISSIONS] : readJson<Permission[]>(row.permissions, []);
  return {
    userId: row.id,
    isAdmin: isAdmin && key === null,
    departmentId: row.department_id,
    roleId: row.role_id,
    // A user without a role sees only what everyone sees of their own.
    dataScope: isAdmin ? 'all' : ((row.data_scope ?? 'own') as Actor['dataScope']),
    permissions: key ? grantedForKey(rolePermissions, key.permissions) : rolePermissions,
    fieldPermissions: isAdmin ? {} : readJson<FieldPermissions>(row.field_permissions, {}),
    via: key ? 'key' : 'token',
    keyId: key?.id ?? null,
  };
}

/** Looks the token up on every request, so revoking it or disabling the user takes effect at once. */
export async function authenticate(ctx: ServiceContext, token: string): Promise<Result<{ actor: Actor; user: User }, DomainError>> {
  const row = await ctx.store.db
    .selectFrom('auth_tokens')
    .innerJoin('users', 'users.id', 'auth_tokens.user_id')
    .leftJoin('roles', 'roles.id', 'users.role_id')
    .selectAll('users')
    .select(['auth_tokens.expires_at', 'auth_tokens.revoked_at', 'roles.data_scope', 'roles.permissions', 'roles.field_permissions'])
    .where('auth_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at <= ctx.runtime.now().toISOString()) return err({ code: 'AUTH.UNAUTHENTICATED' });
  if (row.status !== 'active') return err({ code: 'AUTH.USER_DISABLED' });
  return ok({ actor: actorFrom(row, null), user: toUser(row) });
}
