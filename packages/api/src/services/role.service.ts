import {
  err,
  normalisePermissions,
  ok,
  type Actor,
  type DomainError,
  type FieldPermissions,
  type Permission,
  type Result,
  type Role,
  type RoleCreate,
  type RoleUpdate,
} from '@telecrm/core';
import { diffFields, recordAudit } from '../store/audit.repo.js';
import type { RoleTable } from '../store/database.js';
import { readJson } from '../store/dialect.js';
import { insertTreeNode, isInSubtree, lockTree, moveTreeNode } from '../store/tree.repo.js';
import { fail, inTransaction, type ServiceContext, type Trx } from './context.js';

const toRole = (r: RoleTable): Role => ({
  id: r.id,
  key: r.key,
  name: r.name,
  parentId: r.parent_id,
  dataScope: r.data_scope as Role['dataScope'],
  permissions: readJson<Permission[]>(r.permissions, []),
  fieldPermissions: readJson<FieldPermissions>(r.field_permissions, {}),
  system: r.system === 1,
  createdAt: r.created_at,
});

/** A role as the audit log records it, read in the writing transaction. */
async function roleSnapshot(trx: Trx, id: string): Promise<Record<string, unknown> | null> {
  const row = await trx.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { ...toRole(row) } : null;
}

export async function listRoles(ctx: ServiceContext): Promise<Role[]> {
  const rows = await ctx.store.db.selectFrom('roles').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toRole);
}

export async function getRole(ctx: ServiceContext, id: string): Promise<Result<Role, DomainError>> {
  const row = await ctx.store.db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ok(toRole(row)) : err({ code: 'ROLE.NOT_FOUND', params: { id } });
}

export async function createRole(ctx: ServiceContext, actor: Actor, input: RoleCreate): Promise<Result<Role, DomainError>> {
  const id = ctx.runtime.newId();
  const created = await inTransaction(ctx, async (trx) => {
    await lockTree(trx, ctx.store.dialect, 'role_closure');
    if (input.parentId) {
      const parent = await trx.selectFrom('roles').select('id').where('id', '=', input.parentId).executeTakeFirst();
      if (!parent) fail({ code: 'ROLE.NOT_FOUND', field: 'parentId' });
    }
    const now = ctx.runtime.now().toISOString();
    await trx
      .insertInto('roles')
      .values({
        id,
        key: null,
        name: input.name,
        parent_id: input.parentId,
        data_scope: input.dataScope,
        permissions: JSON.stringify(normalisePermissions(input.permissions)),
        field_permissions: JSON.stringify(input.fieldPermissions),
        system: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await insertTreeNode(trx, 'role_closure', id, input.parentId);
    await recordAudit(trx, ctx.runtime, actor, { action: 'create', entity: 'role', entityId: id, changes: diffFields(null, await roleSnapshot(trx, id)) });
  });
  return created.ok ? getRole(ctx, id) : created;
}

/** Changes a role; a move takes its whole subtree along and may not go below itself. */
export async function updateRole(ctx: ServiceContext, actor: Actor, id: string, input: RoleUpdate): Promise<Result<Role, DomainError>> {
  const updated = await inTransaction(ctx, async (trx) => {
    await lockTree(trx, ctx.store.dialect, 'role_closure');
    const row = await trx.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return fail({ code: 'ROLE.NOT_FOUND', params: { id } });
    const moving = input.parentId !== undefined && input.parentId !== row.parent_id;
    if (moving && input.parentId) {
      const parent = await trx.selectFrom('roles').select('id').where('id', '=', input.parentId).executeTakeFirst();
      if (!parent) fail({ code: 'ROLE.NOT_FOUND', field: 'parentId' });
      if (await isInSubtree(trx, 'role_closure', id, input.parentId)) fail({ code: 'ROLE.CYCLE', field: 'parentId' });
    }
    await trx
      .updateTable('roles')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.dataScope !== undefined ? { data_scope: input.dataScope } : {}),
        ...(input.permissions !== undefined ? { permissions: JSON.stringify(normalisePermissions(input.permissions)) } : {}),
        ...(input.fieldPermissions !== undefined ? { field_permissions: JSON.stringify(input.fieldPermissions) } : {}),
        ...(moving ? { parent_id: input.parentId } : {}),
        updated_at: ctx.runtime.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    if (moving) await moveTreeNode(trx, 'role_closure', id, input.parentId ?? null);
    const after = await roleSnapshot(trx, id);
    await recordAudit(trx, ctx.runtime, actor, { action: 'update', entity: 'role', entityId: id, changes: diffFields({ ...toRole(row) }, after) });
  });
  return updated.ok ? getRole(ctx, id) : updated;
}

/** Deletes a role nobody holds and no role reports to; the seeded roles stay. */
export async function deleteRole(ctx: ServiceContext, actor: Actor, id: string): Promise<Result<null, DomainError>> {
  return inTransaction(ctx, async (trx) => {
    await lockTree(trx, ctx.store.dialect, 'role_closure');
    const row = await trx.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return fail({ code: 'ROLE.NOT_FOUND', params: { id } });
    if (row.system === 1) return fail({ code: 'ROLE.IN_USE', params: { id, reason: 'system' } });
    const [holder, child] = await Promise.all([
      trx.selectFrom('users').select('id').where('role_id', '=', id).limit(1).executeTakeFirst(),
      trx.selectFrom('roles').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst(),
    ]);
    if (holder || child) return fail({ code: 'ROLE.IN_USE', params: { id } });
    await trx.deleteFrom('role_closure').where('descendant_id', '=', id).execute();
    await trx.deleteFrom('roles').where('id', '=', id).execute();
    await recordAudit(trx, ctx.runtime, actor, { action: 'delete', entity: 'role', entityId: id, changes: diffFields({ ...toRole(row) }, null) });
    return null;
  });
}
