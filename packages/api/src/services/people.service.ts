import { err, ok, type Actor, type Department, type DepartmentCreate, type DomainError, type Result, type User, type UserCreate } from '@telecrm/core';
import { hashPassword } from '../auth/password.js';
import { insertTreeNode } from '../store/tree.repo.js';
import { toUser } from './auth.service.js';
import { adminOnly, isUniqueViolation, type ServiceContext } from './context.js';


export async function listUsers(ctx: ServiceContext): Promise<User[]> {
  const rows = await ctx.store.db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export async function getUser(ctx: ServiceContext, id: string): Promise<Result<User, DomainError>> {
  const row = await ctx.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ok(toUser(row)) : err({ code: 'USER.NOT_FOUND', params: { id } });
}

export async function createUser(ctx: ServiceContext, actor: Actor, input: UserCreate): Promise<Result<User, DomainError>> {
  const allowed = adminOnly(actor);
  if (!allowed.ok) return allowed;
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
  try {
    await ctx.store.db
      .insertInto('users')
      .values({
        id,
        username: input.username,
        display_name: input.displayName,
        password_hash: await hashPassword(input.password),
        is_admin: input.isAdmin ? 1 : 0,
        department_id: input.departmentId,
        role_id: role?.id ?? null,
        status: 'active',
        default_view_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } catch (e) {
    if (isUniqueViolation(e, 'users')) return err({ code: 'USER.USERNAME_TAKEN', field: 'username', params: { value: input.username } });
    throw e;
  }
  return getUser(ctx, id);
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
  const allowed = adminOnly(actor);
  if (!allowed.ok) return allowed;
  if (input.parentId) {
    const parent = await ctx.store.db.selectFrom('departments').select('id').where('id', '=', input.parentId).executeTakeFirst();
    if (!parent) return err({ code: 'DEPARTMENT.NOT_FOUND', field: 'parentId' });
  }
  const row = { id: ctx.runtime.newId(), name: input.name, parent_id: input.parentId, created_at: ctx.runtime.now().toISOString() };
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('departments').values(row).execute();
    await insertTreeNode(trx, 'department_closure', row.id, row.parent_id);
  });
  return ok(toDepartment(row));
}
