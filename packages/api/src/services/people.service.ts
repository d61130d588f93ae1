import {
  err,
  hasPermission,
  ok,
  type Actor,
  type Department,
  type DepartmentCreate,
  type DepartmentUpdate,
  type DomainError,
  type PasswordChange,
  type Pool,
  type Result,
  type User,
  type UserCreate,
  type UserDelete,
  type UserUpdate,
} from '@telecrm/core';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { appendEvents } from '../events/outbox.js';
import { insertPoolEvents } from '../store/pool.repo.js';
import { diffFields, recordAudit } from '../store/audit.repo.js';
import type { UserRow } from '../store/database.js';
import { insertTreeNode, isInSubtree, lockTree, moveTreeNode } from '../store/tree.repo.js';
import { toUser } from './auth.service.js';
import { fail, inTransaction, isUniqueViolation, type ServiceContext, type Trx } from './context.js';


export async function listUsers(ctx: ServiceContext): Promise<User[]> {
  const rows = await ctx.store.db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export async function getUser(ctx: ServiceContext, id: string): Promise<Result<User, DomainError>> {
  const row = await ctx.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ok(toUser(row)) : err({ code: 'USER.NOT_FOUND', params: { id } });
}

export async function createUser(ctx: ServiceContext, actor: Actor, input: UserCreate): Promise<Result<User, DomainError>> {
  if (input.departmentId) {
    const dept = await ctx.store.db.selectFrom('departments').select('id').where('id', '=', input.departmentId).executeTakeFirst();
    if (!dept) return err({ code: 'DEPARTMENT.NOT_FOUND', field: 'departmentId' });
  }
  // Without a role given, a new user is an agent (销售员), the role most users have.
  const role = input.roleId
    ? await ctx.store.db.selectFrom('roles').select('id').where('id', '=', input.roleId).executeTakeFirst()
    : await ctx.store.db.selectFrom('roles').select('id').where('key', '=', 'agent').executeTakeFirst();
  if (input.roleId && !role) return err({ code: 'ROLE.NOT_FOUND', field: 'roleId' });
  const now = ctx.runtime.now().toISOString();
  const id = ctx.runtime.newId();
  const passwordHash = await hashPassword(input.password, ctx.settings.passwordCost);
  try {
    const created = await inTransaction(ctx, async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id,
          username: input.username,
          display_name: input.displayName,
          password_hash: passwordHash,
          is_admin: input.isAdmin ? 1 : 0,
          department_id: input.departmentId,
          role_id: role?.id ?? null,
          status: 'active',
          default_view_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      // The log notes that a password was set, never its value (diffFields masks it).
      const after = { ...(await userSnapshot(trx, id)), password: passwordHash };
      await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'user', entityId: id, changes: diffFields(null, after) });
    });
    if (!created.ok) return created;
  } catch (e) {
    if (isUniqueViolation(e, 'users')) return err({ code: 'USER.USERNAME_TAKEN', field: 'username', params: { value: input.username } });
    throw e;
  }
  return getUser(ctx, id);
}

/** A user as an admin manages it: the public fields plus the daily quotas. */
export type UserDetail = User & { quotaCalls: number | null; quotaMinutes: number | null };

const toUserDetail = (row: UserRow): UserDetail => ({ ...toUser(row), quotaCalls: row.quota_calls, quotaMinutes: row.quota_minutes });

/** A user as the audit log records it, read in the writing transaction. */
async function userSnapshot(trx: Trx, id: string): Promise<Record<string, unknown> | null> {
  const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { ...toUserDetail(row) } : null;
}

export async function getUserDetail(ctx: ServiceContext, id: string): Promise<Result<UserDetail, DomainError>> {
  const row = await ctx.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ok(toUserDetail(row)) : err({ code: 'USER.NOT_FOUND', params: { id } });
}

/** Ends every login and API key of a user, so their next request is refused. */
async function revokeAccess(trx: Trx, userId: string, at: string, keepTokenHash?: string): Promise<void> {
  let tokens = trx.updateTable('auth_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (keepTokenHash) tokens = tokens.where('token_hash', '!=', keepTokenHash);
  await tokens.execute();
  if (!keepTokenHash) await trx.updateTable('api_keys').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

/**
 * Changes a user's profile, department, role, admin flag, status or quotas. Disabling ends the user's
 * sessions and API keys in the same transaction. An admin cannot disable or demote themself, so the
 * company always keeps the admin who is acting.
 */
export async function updateUser(ctx: ServiceContext, actor: Actor, id: string, input: UserUpdate): Promise<Result<UserDetail, DomainError>> {
  if (id === actor.userId && input.status === 'disabled') return err({ code: 'USER.SELF', field: 'status' });
  if (id === actor.userId && input.isAdmin === false) return err({ code: 'USER.SELF', field: 'isAdmin' });
  const done = await inTransaction(ctx, async (trx) => {
    const before = await userSnapshot(trx, id);
    if (!before) fail({ code: 'USER.NOT_FOUND', params: { id } });
    if (input.departmentId) {
      const dept = await trx.selectFrom('departments').select('id').where('id', '=', input.departmentId).executeTakeFirst();
      if (!dept) fail({ code: 'DEPARTMENT.NOT_FOUND', field: 'departmentId' });
    }
    if (input.roleId !== undefined) {
      const role = await trx.selectFrom('roles').select('id').where('id', '=', input.roleId).executeTakeFirst();
      if (!role) fail({ code: 'ROLE.NOT_FOUND', field: 'roleId' });
    }
    const now = ctx.runtime.now().toISOString();
    await trx
      .updateTable('users')
      .set({
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(input.departmentId !== undefined ? { department_id: input.departmentId } : {}),
        ...(input.roleId !== undefined ? { role_id: input.roleId } : {}),
        ...(input.isAdmin !== undefined ? { is_admin: input.isAdmin ? 1 : 0 } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.quotaCalls !== undefined ? { quota_calls: input.quotaCalls } : {}),
        ...(input.quotaMinutes !== undefined ? { quota_minutes: input.quotaMinutes } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (input.status === 'disabled') await revokeAccess(trx, id, now);
    const after = await userSnapshot(trx, id);
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'user', entityId: id, changes: diffFields(before, after) });
  });
  return done.ok ? getUserDetail(ctx, id) : done;
}

/**
 * Sets a password. Users changing their own give the current one; admins may set anyone else's without
 * it. The user's other sessions end; when changing one's own, the session making the change stays.
 */
export async function changePassword(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: PasswordChange,
  currentTokenHash: string,
): Promise<Result<null, DomainError>> {
  const self = id === actor.userId;
  // A key is for scripts: a leaked one must not be able to take the account over.
  if (actor.via === 'key') return err({ code: 'AUTH.FORBIDDEN' });
  if (!self && !hasPermission(actor.permissions, 'users.edit')) return err({ code: 'AUTH.FORBIDDEN' });
  const row = await ctx.store.db.selectFrom('users').select(['id', 'password_hash']).where('id', '=', id).executeTakeFirst();
  if (!row) return err({ code: 'USER.NOT_FOUND', params: { id } });
  if (self && !(input.currentPassword !== undefined && (await verifyPassword(input.currentPassword, row.password_hash)))) {
    return err({ code: 'AUTH.INVALID_CREDENTIALS', field: 'currentPassword' });
  }
  const passwordHash = await hashPassword(input.newPassword, ctx.settings.passwordCost);
  const now = ctx.runtime.now().toISOString();
  return inTransaction(ctx, async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).execute();
    let tokens = trx.updateTable('auth_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null);
    if (self) tokens = tokens.where('token_hash', '!=', currentTokenHash);
    await tokens.execute();
    // Only the fact that the password changed: diffFields masks both values.
    const changes = diffFields({ password: row.password_hash }, { password: passwordHash });
    await recordAudit(trx, ctx.runtime, actor, { action: 'password', entity: 'user', entityId: id, changes });
    return null;
  });
}

/**
 * Deletes a user in one transaction: their customers, collaborations and shares pass to `handOverTo`,
 * the views they own go (other users' defaults pointing at them are cleared), then the user row.
 */
export async function deleteUser(ctx: ServiceContext, actor: Actor, id: string, input: UserDelete): Promise<Result<null, DomainError>> {
  if (id === actor.userId) return err({ code: 'USER.SELF' });
  const heir = input.handOverTo;
  if (heir === id) return err({ code: 'USER.SELF', field: 'handOverTo' });
  const done = await inTransaction(ctx, async (trx) => {
    const before = await userSnapshot(trx, id);
    if (!before) fail({ code: 'USER.NOT_FOUND', params: { id } });
    const receiver = await trx.selectFrom('users').select(['id', 'status']).where('id', '=', heir).executeTakeFirst();
    if (!receiver) fail({ code: 'USER.NOT_FOUND', field: 'handOverTo', params: { id: heir } });
    if (receiver?.status !== 'active') fail({ code: 'AUTH.USER_DISABLED', field: 'handOverTo', params: { id: heir } });
    const now = ctx.runtime.now().toISOString();
    const movedCustomers = await trx.selectFrom('customers').select(['id', 'name', 'pool']).where('owner_id', '=', id).execute();
    // A hand-over (离职交接) is a transfer: the new owner's clock starts now, whatever the limits.
    const [moved] = await trx.updateTable('customers').set({ owner_id: heir, owned_since: now, updated_at: now }).where('owner_id', '=', id).execute();
    await insertPoolEvents(
      trx,
      ctx.store,
      movedCustomers.map((customer) => ({
        id: ctx.runtime.newId(),
        customerId: customer.id,
        at: now,
        action: 'transfer',
        actorId: actor.userId,
        fromPool: customer.pool as Pool,
        toPool: customer.pool as Pool,
        fromOwnerId: id,
        toOwnerId: heir,
        publicPoolId: null,
        rule: null,
        reason: null,
      })),
    );
    // Subscribers learn of every customer that changed hands, like any other owner change.
    await appendEvents(
      trx,
      ctx.store,
      ctx.runtime,
      movedCustomers.map((customer) => ({
        type: 'customer.assigned',
        data: { customerId: customer.id, name: customer.name, ownerId: heir, pool: customer.pool as Pool, fromOwnerId: id, action: 'transfer' },
      })),
    );
    // A customer both users assist keeps one collaborator row: the receiver's.
    const heirAssists = trx.selectFrom('customer_collaborators').select('customer_id').where('user_id', '=', heir);
    await trx.deleteFrom('customer_collaborators').where('user_id', '=', id).where('customer_id', 'in', heirAssists).execute();
    await trx.updateTable('customer_collaborators').set({ user_id: heir }).where('user_id', '=', id).execute();
    await trx.updateTable('customer_shares').set({ user_id: heir }).where('user_id', '=', id).execute();
    const ownViews = trx.selectFrom('views').select('id').where('owner_id', '=', id);
    await trx.updateTable('users').set({ default_view_id: null }).where('default_view_id', 'in', ownViews).execute();
    await trx.deleteFrom('views').where('owner_id', '=', id).execute();
    await trx.deleteFrom('users').where('id', '=', id).execute();
    const handOver = { handOverTo: heir, customersMoved: Number(moved?.numUpdatedRows ?? 0) };
    const changes = { ...diffFields(before, null), ...diffFields(null, handOver) };
    await recordAudit(trx, ctx.runtime, actor, { action: 'delete', entity: 'user', entityId: id, changes });
    return null;
  });
  if (done.ok) ctx.onEventsCommitted();
  return done;
}

const toDepartment = (r: { id: string; name: string; parent_id: string | null; created_at: string }): Department => ({
  id: r.id,
  name: r.name,
  parentId: r.parent_id,
  createdAt: r.created_at,
});

export async function listDepartments(ctx: ServiceContext): Promise<Department[]> {
  const rows = await ctx.store.db.selectFrom('departments').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toDepartment);
}

export async function createDepartment(ctx: ServiceContext, actor: Actor, input: DepartmentCreate): Promise<Result<Department, DomainError>> {
  if (input.parentId) {
    const parent = await ctx.store.db.selectFrom('departments').select('id').where('id', '=', input.parentId).executeTakeFirst();
    if (!parent) return err({ code: 'DEPARTMENT.NOT_FOUND', field: 'parentId' });
  }
  const row = { id: ctx.runtime.newId(), name: input.name, parent_id: input.parentId, created_at: ctx.runtime.now().toISOString() };
  const department = toDepartment(row);
  const created = await inTransaction(ctx, async (trx) => {
    await lockTree(trx, ctx.store.dialect, 'department_closure');
    await trx.insertInto('departments').values(row).execute();
    await insertTreeNode(trx, 'department_closure', row.id, row.parent_id);
    await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'department', entityId: row.id, changes: diffFields(null, { ...department }) });
  });
  return created.ok ? ok(department) : created;
}

/** Renames and/or moves a department; its subtree moves with it, closure rows in the same transaction. */
export async function updateDepartment(ctx: ServiceContext, actor: Actor, id: string, input: DepartmentUpdate): Promise<Result<Department, DomainError>> {
  return inTransaction(ctx, async (trx) => {
    await lockTree(trx, ctx.store.dialect, 'department_closure');
    const existing = await trx.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!existing) return fail({ code: 'DEPARTMENT.NOT_FOUND', params: { id } });
    const parentId = input.parentId;
    if (parentId) {
      const parent = await trx.selectFrom('departments').select('id').where('id', '=', parentId).executeTakeFirst();
      if (!parent) fail({ code: 'DEPARTMENT.NOT_FOUND', field: 'parentId' });
      if (await isInSubtree(trx, 'department_closure', id, parentId)) fail({ code: 'DEPARTMENT.CYCLE', field: 'parentId' });
    }
    const moves = parentId !== undefined && parentId !== existing.parent_id;
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(moves ? { parent_id: parentId } : {}),
    };
    if (Object.keys(changes).length > 0) await trx.updateTable('departments').set(changes).where('id', '=', id).execute();
    if (moves) await moveTreeNode(trx, 'department_closure', id, parentId);
    const before = toDepartment(existing);
    const after = toDepartment({ ...existing, ...changes });
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'department', entityId: id, changes: diffFields({ ...before }, { ...after }) });
    return after;
  });
}

/** Deletes an empty department (no users, no sub-departments); its closure rows go by cascade. */
export async function deleteDepartment(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<null, DomainError>> {
  return inTransaction(ctx, async (trx) => {
    await lockTree(trx, ctx.store.dialect, 'department_closure');
    const existing = await trx.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!existing) return fail({ code: 'DEPARTMENT.NOT_FOUND', params: { id } });
    const member = await trx.selectFrom('users').select('id').where('department_id', '=', id).limit(1).executeTakeFirst();
    const child = await trx.selectFrom('departments').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
    if (member || child) fail({ code: 'DEPARTMENT.NOT_EMPTY', params: { users: Boolean(member), departments: Boolean(child) } });
    await trx.deleteFrom('departments').where('id', '=', id).execute();
    await recordAudit(trx, ctx.runtime, actor, { action: 'delete', entity: 'department', entityId: id, changes: diffFields({ ...toDepartment(existing) }, null) });
    return null;
  });
}
