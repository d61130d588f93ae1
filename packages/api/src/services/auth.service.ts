import { createHash, randomBytes } from 'node:crypto';
import { err, ok, type Actor, type DomainError, type Result, type User } from '@telecrm/core';
import { verifyPassword } from '../auth/password.js';
import type { UserRow } from '../store/database.js';
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

export async function login(
  ctx: ServiceContext,
  username: string,
  password: string,
): Promise<Result<{ token: string; expiresAt: string; user: User }, DomainError>> {
  const row = await ctx.store.db.selectFrom('users').selectAll().where('username', '=', username.trim()).executeTakeFirst();
  const valid = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !valid) return err({ code: 'AUTH.INVALID_CREDENTIALS' });
  if (row.status !== 'active') return err({ code: 'AUTH.USER_DISABLED' });
  // The token is random and only its hash is stored: a leaked database does not leak sessions.
  const token = randomBytes(32).toString('base64url');
  const now = ctx.runtime.now();
  const expiresAt = new Date(now.getTime() + ctx.settings.tokenTtlHours * 3600_000).toISOString();
  await ctx.store.db
    .insertInto('auth_tokens')
    .values({ token_hash: hashToken(token), user_id: row.id, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null })
    .execute();
  return ok({ token, expiresAt, user: toUser(row) });
}

export async function logout(ctx: ServiceContext, token: string): Promise<void> {
  await ctx.store.db
    .updateTable('auth_tokens')
    .set({ revoked_at: ctx.runtime.now().toISOString() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .execute();
}

/** Looks the token up on every request, so revoking it or disabling the user takes effect at once. */
export async function authenticate(ctx: ServiceContext, token: string): Promise<Result<{ actor: Actor; user: User }, DomainError>> {
  const row = await ctx.store.db
    .selectFrom('auth_tokens')
    .innerJoin('users', 'users.id', 'auth_tokens.user_id')
    .leftJoin('roles', 'roles.id', 'users.role_id')
    .selectAll('users')
    .select(['auth_tokens.expires_at', 'auth_tokens.revoked_at', 'roles.data_scope'])
    .where('auth_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at <= ctx.runtime.now().toISOString()) return err({ code: 'AUTH.UNAUTHENTICATED' });
  if (row.status !== 'active') return err({ code: 'AUTH.USER_DISABLED' });
  const actor: Actor = {
    userId: row.id,
    isAdmin: row.is_admin === 1,
    departmentId: row.department_id,
    roleId: row.role_id,
    // A user without a role sees only what everyone sees of their own.
    dataScope: (row.data_scope ?? 'own') as Actor['dataScope'],
  };
  return ok({ actor, user: toUser(row) });
}
