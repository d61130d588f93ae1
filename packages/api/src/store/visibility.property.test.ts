import fc from 'fast-check';
import { accessWorldArb, referenceVisibleCustomerIds, type AccessWorld, type Actor } from '@telecrm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../test-support/harness.js';
import { openStore, type Store } from './connect.js';
import { customersVisibleTo } from './customer.repo.js';
import { migrateToLatest } from './migrate.js';
import { insertTreeNode } from './tree.repo.js';

const NOW = '2026-11-22T02:00:00.000Z';

/** Parents before children, so every closure insert finds its parent's rows. */
function topological<T extends { id: string; parentId: string | null }>(nodes: readonly T[]): T[] {
  const out: T[] = [];
  const placed = new Set<string>();
  while (out.length < nodes.length) {
    for (const node of nodes) {
      if (!placed.has(node.id) && (node.parentId === null || placed.has(node.parentId))) {
        out.push(node);
        placed.add(node.id);
      }
    }
  }
  return out;
}

async function storeWorld(store: Store, world: AccessWorld): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    for (const table of ['customer_collaborators', 'customer_shares', 'customers', 'users', 'role_closure', 'roles', 'department_closure', 'departments'] as const) {
      await trx.deleteFrom(table).execute();
    }
    for (const d of topological(world.departments)) {
      await trx.insertInto('departments').values({ id: d.id, name: d.id, parent_id: d.parentId, created_at: NOW }).execute();
      await insertTreeNode(trx, 'department_closure', d.id, d.parentId);
    }
    for (const r of topological(world.roles)) {
      await trx
        .insertInto('roles')
        .values({
          id: r.id,
          key: null,
          name: r.id,
          parent_id: r.parentId,
          data_scope: r.dataScope,
          permissions: JSON.stringify(r.assigns ? ['customers.assign'] : []),
          field_permissions: '{}',
          system: 0,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
      await insertTreeNode(trx, 'role_closure', r.id, r.parentId);
    }
    for (const u of world.users) {
      await trx
        .insertInto('users')
        .values({ id: u.id, username: u.id, display_name: u.id, password_hash: 'x', is_admin: u.isAdmin ? 1 : 0, department_id: u.departmentId, role_id: u.roleId, status: 'active', default_view_id: null, created_at: NOW, updated_at: NOW })
        .execute();
    }
    for (const c of world.customers) {
      await trx
        .insertInto('customers')
        .values({ id: c.id, name: c.id, pool: c.pool, owner_id: c.ownerId, custom: '{}', created_at: NOW, updated_at: NOW, deleted_at: c.deleted ? NOW : null, deleted_by: c.deletedBy })
        .execute();
    }
    for (const [i, s] of world.shares.entries()) {
      await trx.insertInto('customer_shares').values({ id: `s${i}`, customer_id: s.customerId, user_id: s.userId, department_id: s.departmentId, created_by: null, created_at: NOW }).execute();
    }
    for (const c of world.collaborators) {
      await trx.insertInto('customer_collaborators').values({ customer_id: c.customerId, user_id: c.userId, created_at: NOW }).onConflict((oc) => oc.doNothing()).execute();
    }
  });
}

function actorOf(world: AccessWorld, userId: string): Actor {
  const user = world.users.find((u) => u.id === userId)!;
  const role = world.roles.find((r) => r.id === user.roleId);
  return {
    userId,
    isAdmin: user.isAdmin,
    departmentId: user.departmentId,
    roleId: user.roleId,
    dataScope: role?.dataScope ?? 'own',
    permissions: role?.assigns ? ['customers.assign'] : [],
    fieldPermissions: {},
    via: 'token',
    keyId: null,
  };
}

describe.each(dialects)('visibility SQL against the reference model on $name', (dialect) => {
  let database: { url: string; drop(): Promise<void> };
  let store: Store;
  beforeAll(async () => {
    database = await dialect.create();
    store = await openStore(database.url);
    await migrateToLatest(store);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('agrees with the model over random role trees, departments, shares and collaborators', async () => {
    await fc.assert(
      fc.asyncProperty(accessWorldArb(fc) as fc.Arbitrary<AccessWorld>, async (world) => {
        await storeWorld(store, world);
        for (const user of world.users) {
          const rows = await customersVisibleTo(store.db, actorOf(world, user.id)).select('customers.id').execute();
          const actual = rows.map((r) => r.id).sort();
          const expected = [...referenceVisibleCustomerIds(world, user.id)].sort();
          expect(actual, `user ${user.id}`).toEqual(expected);
        }
      }),
      { numRuns: dialect.name === 'sqlite' ? 150 : 60 },
    );
  });
});
