import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closureRows } from './tree.rules.js';
import { ACCESS_WORLD_LIMITS, accessWorldArb, accessWorldFrom, referenceVisibleCustomerIds, type AccessWorld } from './visibility.model.js';

const worlds = accessWorldArb(fc) as fc.Arbitrary<AccessWorld>;

type Customer = AccessWorld['customers'][number];
const privateTo = (id: string, ownerId: string, extra: Partial<Customer> = {}): Customer => ({
  id,
  ownerId,
  pool: 'private',
  deleted: false,
  deletedBy: null,
  ...extra,
});
const unowned = (id: string, pool: Customer['pool'], extra: Partial<Customer> = {}): Customer => ({
  id,
  ownerId: null,
  pool,
  deleted: false,
  deletedBy: null,
  ...extra,
});

// Roles:       rBoss (own)                         rSupport (all)
//             /             \
//      rMgr (department)   rMgr2 (departmentAndBelow)
//          |                  |
//      rAgent (own)        rWest (own)
//          |
//      rIntern (own)
//
// Departments: dSales -> dEast -> dEast1, dSales -> dWest; dOther on its own.
const world: AccessWorld = {
  roles: [
    { id: 'rBoss', parentId: null, dataScope: 'own' },
    { id: 'rMgr', parentId: 'rBoss', dataScope: 'department' },
    { id: 'rAgent', parentId: 'rMgr', dataScope: 'own' },
    { id: 'rIntern', parentId: 'rAgent', dataScope: 'own' },
    { id: 'rMgr2', parentId: 'rBoss', dataScope: 'departmentAndBelow' },
    { id: 'rWest', parentId: 'rMgr2', dataScope: 'own' },
    { id: 'rSupport', parentId: null, dataScope: 'all' },
  ],
  departments: [
    { id: 'dSales', parentId: null },
    { id: 'dEast', parentId: 'dSales' },
    { id: 'dEast1', parentId: 'dEast' },
    { id: 'dWest', parentId: 'dSales' },
    { id: 'dOther', parentId: null },
  ],
  users: [
    { id: 'admin', roleId: 'rIntern', departmentId: 'dOther', isAdmin: true },
    { id: 'boss', roleId: 'rBoss', departmentId: null, isAdmin: false },
    { id: 'mgr', roleId: 'rMgr', departmentId: 'dWest', isAdmin: false },
    { id: 'mgr2', roleId: 'rMgr2', departmentId: 'dSales', isAdmin: false },
    { id: 'agent', roleId: 'rAgent', departmentId: 'dEast', isAdmin: false },
    { id: 'agent2', roleId: 'rAgent', departmentId: 'dEast', isAdmin: false },
    { id: 'intern', roleId: 'rIntern', departmentId: 'dEast1', isAdmin: false },
    { id: 'west', roleId: 'rWest', departmentId: 'dWest', isAdmin: false },
    { id: 'support', roleId: 'rSupport', departmentId: 'dOther', isAdmin: false },
    { id: 'norole', roleId: null, departmentId: 'dEast', isAdmin: false },
    { id: 'nodept', roleId: 'rAgent', departmentId: null, isAdmin: false },
  ],
  customers: [
    privateTo('cAgent', 'agent'),
    privateTo('cAgent2', 'agent2'),
    privateTo('cIntern', 'intern'),
    privateTo('cWest', 'west'),
    privateTo('cMgr', 'mgr'),
    privateTo('cNoRole', 'norole'),
    privateTo('cNoDept', 'nodept'),
    unowned('cPublic', 'public'),
    unowned('cPublicDeleted', 'public', { deleted: true, deletedBy: 'agent2' }),
    unowned('cLead', 'lead'),
    unowned('cPending', 'pending'),
    privateTo('cBinByAgent', 'west', { deleted: true, deletedBy: 'agent' }),
    privateTo('cSharedUser', 'west'),
    privateTo('cSharedDept', 'west'),
    privateTo('cSharedParentDept', 'west'),
    privateTo('cCollab', 'west'),
  ],
  shares: [
    { customerId: 'cSharedUser', userId: 'agent', departmentId: null },
    { customerId: 'cSharedDept', userId: null, departmentId: 'dEast' },
    { customerId: 'cSharedParentDept', userId: null, departmentId: 'dSales' },
  ],
  collaborators: [{ customerId: 'cCollab', userId: 'agent' }],
};

const ALL = world.customers.map((c) => c.id);
const WEST_OWNS = ['cWest', 'cBinByAgent', 'cSharedUser', 'cSharedDept', 'cSharedParentDept', 'cCollab'];
const sees = (userId: string, w: AccessWorld = world) => [...referenceVisibleCustomerIds(w, userId)].sort();
const sorted = (ids: string[]) => [...ids].sort();

describe('referenceVisibleCustomerIds: each rule', () => {
  it('an admin sees everything, the recycle bin, leads and pending included, whatever the role', () => {
    expect(sees('admin')).toEqual(sorted(ALL));
  });

  it('an agent sees own customers, not a peer’s', () => {
    expect(sees('agent')).toContain('cAgent');
    expect(sees('agent')).not.toContain('cAgent2');
    expect(sees('agent2')).not.toContain('cAgent');
  });

  it('a superior role sees its subordinate roles’ customers at any depth; a subordinate not its superior’s', () => {
    expect(sees('agent')).toContain('cIntern');
    expect(sees('boss')).toEqual(expect.arrayContaining(['cAgent', 'cIntern', 'cMgr', 'cWest', 'cNoDept']));
    expect(sees('intern')).not.toContain('cAgent');
    expect(sees('agent')).not.toContain('cMgr');
  });

  it('a role does not see a sibling branch through the tree', () => {
    expect(sees('mgr2')).not.toContain('cNoDept');
    expect(sees('agent')).not.toContain('cWest');
  });

  it('sees customers shared with the user, or with exactly the user’s department', () => {
    expect(sees('agent')).toEqual(expect.arrayContaining(['cSharedUser', 'cSharedDept']));
    expect(sees('agent2')).toContain('cSharedDept');
    expect(sees('agent2')).not.toContain('cSharedUser');
    expect(sees('agent')).not.toContain('cSharedParentDept'); // shared with the parent department only
    expect(sees('intern')).not.toContain('cSharedDept'); // shared with the department above the intern's
  });

  it('sees customers the user assists on', () => {
    expect(sees('agent')).toContain('cCollab');
    expect(sees('agent2')).not.toContain('cCollab');
  });

  it('scope department adds the customers of owners in the same department', () => {
    // mgr sits in dWest; west is not below mgr's role, so only the scope shows west's customers
    expect(sees('mgr')).toEqual(expect.arrayContaining(WEST_OWNS));
    expect(sees('mgr')).not.toContain('cNoRole'); // norole is in dEast
  });

  it('scope departmentAndBelow adds owners in the department and every department below it', () => {
    expect(sees('mgr2')).toEqual(expect.arrayContaining(['cAgent', 'cAgent2', 'cIntern', 'cMgr', 'cNoRole', ...WEST_OWNS]));
  });

  it('scope all adds every customer', () => {
    expect(sees('support')).toEqual(sorted(ALL));
  });

  it('everyone sees the public pool, but not public customers in the recycle bin', () => {
    for (const u of world.users) expect(sees(u.id), u.id).toContain('cPublic');
    expect(sees('agent')).not.toContain('cPublicDeleted');
    expect(sees('mgr2')).not.toContain('cPublicDeleted');
  });

  it('sees what the user put in the recycle bin', () => {
    expect(sees('agent2')).toContain('cPublicDeleted');
    expect(sees('agent')).toContain('cBinByAgent');
  });

  it('lead and pending customers without owner, share or scope all stay out of sight', () => {
    for (const u of ['boss', 'mgr', 'mgr2', 'agent', 'intern', 'norole']) {
      expect(sees(u), u).not.toContain('cLead');
      expect(sees(u), u).not.toContain('cPending');
    }
  });

  it('a user without a role gets no scope and no subordinates; without a department no department rules', () => {
    expect(sees('norole')).toEqual(sorted(['cNoRole', 'cSharedDept', 'cPublic']));
    expect(sees('nodept')).toEqual(sorted(['cNoDept', 'cIntern', 'cPublic']));
  });

  it('an unknown user sees nothing', () => {
    expect(sees('nobody')).toEqual([]);
  });

  it('a share or an owner with no department never matches a user with no department', () => {
    const w: AccessWorld = {
      ...world,
      roles: [...world.roles, { id: 'rDept', parentId: null, dataScope: 'department' }, { id: 'rBelow', parentId: null, dataScope: 'departmentAndBelow' }],
      users: [
        ...world.users,
        { id: 'lonely', roleId: 'rDept', departmentId: null, isAdmin: false },
        { id: 'lonely2', roleId: 'rBelow', departmentId: null, isAdmin: false },
      ],
      shares: [...world.shares, { customerId: 'cLead', userId: null, departmentId: null }],
    };
    expect(sees('lonely', w)).toEqual(['cPublic']);
    expect(sees('lonely2', w)).toEqual(['cPublic']);
  });
});

describe('referenceVisibleCustomerIds: whole sets', () => {
  it.each([
    ['agent', ['cAgent', 'cIntern', 'cSharedUser', 'cSharedDept', 'cCollab', 'cPublic', 'cBinByAgent']],
    ['agent2', ['cAgent2', 'cIntern', 'cSharedDept', 'cPublic', 'cPublicDeleted']],
    ['intern', ['cIntern', 'cPublic']],
    ['west', [...WEST_OWNS, 'cPublic']],
    ['mgr', ['cMgr', 'cAgent', 'cAgent2', 'cIntern', 'cNoDept', ...WEST_OWNS, 'cPublic']],
    ['mgr2', ['cAgent', 'cAgent2', 'cIntern', 'cMgr', 'cNoRole', ...WEST_OWNS, 'cPublic']],
    ['boss', ['cAgent', 'cAgent2', 'cIntern', 'cWest', 'cMgr', 'cNoDept', ...WEST_OWNS, 'cPublic']],
  ])('%s', (user, expected) => {
    expect(sees(user)).toEqual(sorted([...new Set(expected)]));
  });
});

/**
 * Visibility phrased the way the SQL predicate is: closure tables for the trees, one EXISTS-like test
 * per rule. Agreeing with the plain reference on random worlds shows both read the rule the same way.
 */
function closureVisible(w: AccessWorld, userId: string): Set<string> {
  const me = w.users.find((u) => u.id === userId);
  if (!me) return new Set();
  if (me.isAdmin) return new Set(w.customers.map((c) => c.id));
  const roleClosure = closureRows(w.roles);
  const departmentClosure = closureRows(w.departments);
  const scope = w.roles.find((r) => r.id === me.roleId)?.dataScope ?? null;
  const assigns = w.roles.find((r) => r.id === me.roleId)?.assigns ?? false;
  const usersById = new Map(w.users.map((u) => [u.id, u]));
  const below = (rows: typeof roleClosure, ancestor: string | null, descendant: string | null, minDepth: number) =>
    ancestor !== null && descendant !== null && rows.some((r) => r.ancestorId === ancestor && r.descendantId === descendant && r.depth >= minDepth);
  const result = new Set<string>();
  for (const c of w.customers) {
    const owner = c.ownerId === null ? undefined : usersById.get(c.ownerId);
    const visible =
      c.ownerId === me.id ||
      (owner !== undefined && below(roleClosure, me.roleId, owner.roleId, 1)) ||
      w.shares.some((s) => s.customerId === c.id && ((s.userId !== null && s.userId === me.id) || (s.departmentId !== null && s.departmentId === me.departmentId))) ||
      w.collaborators.some((k) => k.customerId === c.id && k.userId === me.id) ||
      scope === 'all' ||
      (scope === 'department' && owner !== undefined && me.departmentId !== null && owner.departmentId === me.departmentId) ||
      (scope === 'departmentAndBelow' && owner !== undefined && below(departmentClosure, me.departmentId, owner.departmentId, 0)) ||
      (c.pool === 'public' && !c.deleted) ||
      (assigns && (c.pool === 'lead' || c.pool === 'pending') && !c.deleted) ||
      (c.deletedBy !== null && c.deletedBy === me.id);
    if (visible) result.add(c.id);
  }
  return result;
}

describe('accessWorldArb', () => {
  it('makes valid worlds within the limits', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        expect(w.roles.length).toBeGreaterThanOrEqual(1);
        expect(w.roles.length).toBeLessThanOrEqual(ACCESS_WORLD_LIMITS.roles);
        expect(w.departments.length).toBeLessThanOrEqual(ACCESS_WORLD_LIMITS.departments);
        expect(w.users.length).toBeGreaterThanOrEqual(1);
        expect(w.users.length).toBeLessThanOrEqual(ACCESS_WORLD_LIMITS.users);
        expect(w.customers.length).toBeLessThanOrEqual(ACCESS_WORLD_LIMITS.customers);
        expect(w.shares.length).toBeLessThanOrEqual(ACCESS_WORLD_LIMITS.shares);
        expect(w.collaborators.length).toBeLessThanOrEqual(ACCESS_WORLD_LIMITS.collaborators);

        const roleIds = w.roles.map((r) => r.id);
        const departmentIds = w.departments.map((d) => d.id);
        const userIds = w.users.map((u) => u.id);
        const customerIds = w.customers.map((c) => c.id);
        for (const ids of [roleIds, departmentIds, userIds, customerIds]) expect(new Set(ids).size).toBe(ids.length);

        // trees: a parent is an earlier node, so there is no cycle
        w.roles.forEach((r, i) => r.parentId === null || expect(roleIds.slice(0, i)).toContain(r.parentId));
        w.departments.forEach((d, i) => d.parentId === null || expect(departmentIds.slice(0, i)).toContain(d.parentId));
        expect(() => closureRows(w.roles)).not.toThrow();

        for (const u of w.users) {
          if (u.roleId !== null) expect(roleIds).toContain(u.roleId);
          if (u.departmentId !== null) expect(departmentIds).toContain(u.departmentId);
        }
        for (const c of w.customers) {
          expect(c.pool === 'private').toBe(c.ownerId !== null);
          if (c.ownerId !== null) expect(userIds).toContain(c.ownerId);
          expect(c.deleted).toBe(c.deletedBy !== null);
          if (c.deletedBy !== null) expect(userIds).toContain(c.deletedBy);
        }
        for (const s of w.shares) {
          expect(customerIds).toContain(s.customerId);
          expect((s.userId === null) !== (s.departmentId === null)).toBe(true);
          if (s.userId !== null) expect(userIds).toContain(s.userId);
          if (s.departmentId !== null) expect(departmentIds).toContain(s.departmentId);
        }
        expect(new Set(w.shares.map((s) => JSON.stringify(s))).size).toBe(w.shares.length);
        for (const k of w.collaborators) {
          expect(customerIds).toContain(k.customerId);
          expect(userIds).toContain(k.userId);
        }
        expect(new Set(w.collaborators.map((k) => JSON.stringify(k))).size).toBe(w.collaborators.length);
      }),
    );
  });

  it('covers the interesting cases: admins, users without role or department, every scope and pool, shares of both kinds, deep trees', () => {
    const sample = fc.sample(worlds, { numRuns: 300, seed: 42 });
    const some = (test: (w: AccessWorld) => boolean) => sample.some(test);
    expect(some((w) => w.users.some((u) => u.isAdmin))).toBe(true);
    expect(some((w) => w.users.some((u) => u.roleId === null))).toBe(true);
    expect(some((w) => w.users.some((u) => u.departmentId === null))).toBe(true);
    for (const scope of ['own', 'ownAndSubordinates', 'department', 'departmentAndBelow', 'all']) {
      expect(some((w) => w.roles.some((r) => r.dataScope === scope)), scope).toBe(true);
    }
    for (const pool of ['lead', 'pending', 'private', 'public']) expect(some((w) => w.customers.some((c) => c.pool === pool)), pool).toBe(true);
    expect(some((w) => w.customers.some((c) => c.deleted))).toBe(true);
    expect(some((w) => w.shares.some((s) => s.userId !== null))).toBe(true);
    expect(some((w) => w.shares.some((s) => s.departmentId !== null))).toBe(true);
    expect(some((w) => w.collaborators.length > 0)).toBe(true);
    expect(some((w) => closureRows(w.roles).some((r) => r.depth >= 3))).toBe(true);
    expect(some((w) => closureRows(w.departments).some((r) => r.depth >= 2))).toBe(true);
    expect(some((w) => w.roles.filter((r) => r.parentId === null).length > 1)).toBe(true);
  });

  it('makes a valid world from any choices, even empty or short ones', () => {
    const w = accessWorldFrom({ roles: [], departments: [], users: [], customers: [[], [2, 9, 3, 5]], shares: [[1]], collaborators: [[]] });
    expect(w.roles).toEqual([{ id: 'r0', parentId: null, dataScope: 'own', assigns: false }]);
    expect(w.users).toEqual([{ id: 'u0', roleId: 'r0', departmentId: null, isAdmin: false }]);
    expect(w.customers).toEqual([
      { id: 'c0', ownerId: null, pool: 'lead', deleted: false, deletedBy: null },
      { id: 'c1', ownerId: 'u0', pool: 'private', deleted: true, deletedBy: 'u0' },
    ]);
    expect(w.shares).toEqual([{ customerId: 'c1', userId: 'u0', departmentId: null }]);
    expect(w.collaborators).toEqual([{ customerId: 'c0', userId: 'u0' }]);
  });
});

describe('referenceVisibleCustomerIds on random worlds', () => {
  it('agrees with the same rule phrased over closure tables, for every user', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        for (const u of w.users) expect([...referenceVisibleCustomerIds(w, u.id)].sort(), u.id).toEqual([...closureVisible(w, u.id)].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('admins and scope all see every customer; nobody sees an unknown id', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        const all = new Set(w.customers.map((c) => c.id));
        for (const u of w.users) {
          const visible = referenceVisibleCustomerIds(w, u.id);
          for (const id of visible) expect(all.has(id)).toBe(true);
          const scope = w.roles.find((r) => r.id === u.roleId)?.dataScope;
          if (u.isAdmin || scope === 'all') expect(visible).toEqual(all);
        }
      }),
    );
  });

  it('everyone sees own, assisted, shared-with-them and live public customers, and what they deleted', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        for (const u of w.users) {
          const visible = referenceVisibleCustomerIds(w, u.id);
          for (const c of w.customers) {
            if (c.ownerId === u.id || c.deletedBy === u.id || (c.pool === 'public' && !c.deleted)) expect(visible.has(c.id)).toBe(true);
          }
          for (const k of w.collaborators) if (k.userId === u.id) expect(visible.has(k.customerId)).toBe(true);
          for (const s of w.shares) {
            if (s.userId === u.id || (s.departmentId !== null && s.departmentId === u.departmentId)) expect(visible.has(s.customerId)).toBe(true);
          }
        }
      }),
    );
  });

  it('scope ownAndSubordinates shows exactly what own shows (subordinates are always seen)', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        const withScope = (scope: 'own' | 'ownAndSubordinates'): AccessWorld => ({
          ...w,
          roles: w.roles.map((r) => (r.dataScope === 'own' || r.dataScope === 'ownAndSubordinates' ? { ...r, dataScope: scope } : r)),
        });
        for (const u of w.users) {
          expect(referenceVisibleCustomerIds(withScope('own'), u.id)).toEqual(referenceVisibleCustomerIds(withScope('ownAndSubordinates'), u.id));
        }
      }),
    );
  });

  it('a wider scope never shows less: own ⊆ department ⊆ departmentAndBelow ⊆ all', () => {
    const order = ['own', 'department', 'departmentAndBelow', 'all'] as const;
    fc.assert(
      fc.property(worlds, (w) => {
        for (const u of w.users) {
          if (u.roleId === null || u.isAdmin) continue;
          let previous = new Set<string>();
          for (const scope of order) {
            const widened: AccessWorld = { ...w, roles: w.roles.map((r) => (r.id === u.roleId ? { ...r, dataScope: scope } : r)) };
            const visible = referenceVisibleCustomerIds(widened, u.id);
            for (const id of previous) expect(visible.has(id), `${scope} of ${u.id}`).toBe(true);
            previous = visible;
          }
        }
      }),
    );
  });

  it('a superior role sees at least what its subordinates own', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        for (const boss of w.users) {
          for (const other of w.users) {
            if (boss.roleId === null || other.roleId === null) continue;
            const isBelow = closureRows(w.roles).some((r) => r.ancestorId === boss.roleId && r.descendantId === other.roleId && r.depth > 0);
            if (!isBelow) continue;
            const visible = referenceVisibleCustomerIds(w, boss.id);
            for (const c of w.customers) if (c.ownerId === other.id) expect(visible.has(c.id)).toBe(true);
          }
        }
      }),
    );
  });

  it('sharing a customer with a user makes it visible to them and hides nothing from anyone', () => {
    fc.assert(
      fc.property(
        worlds.filter((w) => w.customers.length > 0),
        fc.nat(),
        fc.nat(),
        (w, ci, ui) => {
          const customer = w.customers[ci % w.customers.length]!;
          const user = w.users[ui % w.users.length]!;
          const shared: AccessWorld = { ...w, shares: [...w.shares, { customerId: customer.id, userId: user.id, departmentId: null }] };
          expect(referenceVisibleCustomerIds(shared, user.id).has(customer.id)).toBe(true);
          for (const u of w.users) {
            const before = referenceVisibleCustomerIds(w, u.id);
            const after = referenceVisibleCustomerIds(shared, u.id);
            for (const id of before) expect(after.has(id)).toBe(true);
          }
        },
      ),
    );
  });
});
