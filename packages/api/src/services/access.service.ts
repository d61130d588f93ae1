import { DEFAULT_ROLES } from '@telecrm/core';
import { insertTreeNode } from '../store/tree.repo.js';
import type { ServiceContext } from './context.js';

/**
 * The roles the manuals name (管理员, 总经理, 销售经理, 销售员, 客服), seeded once; users without a role get
 * one: admins the admin role, everyone else the agent role. Runs at every start and is idempotent, so
 * databases made before roles existed are brought along too.
 */
export async function ensureDefaultRoles(ctx: Pick<ServiceContext, 'store' | 'runtime'>): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom('roles').select('id').limit(1).executeTakeFirst();
    if (!any) {
      const now = ctx.runtime.now().toISOString();
      const idsByKey = new Map<string, string>();
      for (const role of DEFAULT_ROLES) {
        const id = ctx.runtime.newId();
        const parentId = role.parentKey ? idsByKey.get(role.parentKey)! : null;
        await trx
          .insertInto('roles')
          .values({
            id,
            key: role.key,
            name: role.name,
            parent_id: parentId,
            data_scope: role.dataScope,
            permissions: JSON.stringify(role.permissions),
            field_permissions: JSON.stringify(role.fieldPermissions),
            system: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await insertTreeNode(trx, 'role_closure', id, parentId);
        idsByKey.set(role.key, id);
      }
    }
    const roleOf = async (key: string) => (await trx.selectFrom('roles').select('id').where('key', '=', key).executeTakeFirst())?.id;
    const [adminRole, agentRole] = await Promise.all([roleOf('admin'), roleOf('agent')]);
    if (adminRole) await trx.updateTable('users').set({ role_id: adminRole }).where('role_id', 'is', null).where('is_admin', '=', 1).execute();
    if (agentRole) await trx.updateTable('users').set({ role_id: agentRole }).where('role_id', 'is', null).execute();
  });
}
