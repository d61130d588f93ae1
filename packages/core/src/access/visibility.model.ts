import type { Pool } from '../customer/customer.schema.js';
import { POOLS } from '../fields/field.catalogue.js';
import { DATA_SCOPES, type DataScope } from './access.schema.js';

// The reference model of "who sees which customer" (DESIGN.md §6 compiles the same rule to SQL). It is
// the oracle of property tests, so it is written as plainly as possible: loops over lists, parent links
// walked one step at a time, nothing shared with the code it checks.

export interface AccessWorld {
  users: { id: string; roleId: string | null; departmentId: string | null; isAdmin: boolean }[];
  /** `assigns`: the role grants customers.assign (it hands out leads and pending customers). */
  roles: { id: string; parentId: string | null; dataScope: DataScope; assigns: boolean }[];
  departments: { id: string; parentId: string | null }[];
  customers: { id: string; ownerId: string | null; pool: Pool; deleted: boolean; deletedBy: string | null }[];
  /** Exactly one of userId and departmentId is set. */
  shares: { customerId: string; userId: string | null; departmentId: string | null }[];
  collaborators: { customerId: string; userId: string }[];
}

type Linked = { id: string; parentId: string | null };

/** Whether `id` lies strictly below `ancestorId`, following parent links (at most one step per node). */
function isStrictlyBelow(nodes: readonly Linked[], id: string, ancestorId: string): boolean {
  let current: string | null = id;
  for (let steps = 0; steps <= nodes.length; steps++) {
    let parent: string | null = null;
    for (const node of nodes) if (node.id === current) parent = node.parentId;
    if (parent === null) return false;
    if (parent === ancestorId) return true;
    current = parent;
  }
  return false; // a cycle: the stored trees never hold one
}

function findUser(world: AccessWorld, id: string | null) {
  for (const user of world.users) if (user.id === id) return user;
  return undefined;
}

function findRole(world: AccessWorld, id: string | null) {
  for (const role of world.roles) if (role.id === id) return role;
  return undefined;
}

/**
 * The ids of the customers a user sees: an admin all of them; anyone else the union of
 * - own customers (ownerId = the user);
 * - customers owned by users whose role is strictly below the user's role;
 * - customers shared with the user or with the user's department;
 * - customers the user assists on (collaborator);
 * - what the role's data scope adds: own nothing; ownAndSubordinates the subordinate rule again;
 *   department owners in the user's department; departmentAndBelow owners in it or below it; all everything;
 * - the public pool, except customers in the recycle bin;
 * - leads and pending customers (except in the recycle bin) when the role grants customers.assign;
 * - customers the user put in the recycle bin.
 * The recycle bin limits only the public-pool rule: which views show the bin is a filter on top.
 * An unknown user sees nothing.
 */
export function referenceVisibleCustomerIds(world: AccessWorld, userId: string): Set<string> {
  const visible = new Set<string>();
  const me = findUser(world, userId);
  if (me === undefined) return visible;

  if (me.isAdmin) {
    for (const customer of world.customers) visible.add(customer.id);
    return visible;
  }

  const myRole = findRole(world, me.roleId);
  const myDepartment = me.departmentId;

  for (const customer of world.customers) {
    const owner = findUser(world, customer.ownerId);

    // own
    if (customer.ownerId === me.id) visible.add(customer.id);

    // owned by a user in a subordinate role (this also covers the ownAndSubordinates scope)
    if (owner !== undefined && myRole !== undefined && owner.roleId !== null) {
      if (isStrictlyBelow(world.roles, owner.roleId, myRole.id)) visible.add(customer.id);
    }

    // shared with me or my department
    for (const share of world.shares) {
      if (share.customerId !== customer.id) continue;
      if (share.userId !== null && share.userId === me.id) visible.add(customer.id);
      if (share.departmentId !== null && share.departmentId === myDepartment) visible.add(customer.id);
    }

    // I assist on it
    for (const collaborator of world.collaborators) {
      if (collaborator.customerId === customer.id && collaborator.userId === me.id) visible.add(customer.id);
    }

    // what my role's scope adds
    if (myRole !== undefined) {
      const scope = myRole.dataScope;
      if (scope === 'all') visible.add(customer.id);
      if (scope === 'department' && myDepartment !== null && owner !== undefined) {
        if (owner.departmentId === myDepartment) visible.add(customer.id);
      }
      if (scope === 'departmentAndBelow' && myDepartment !== null && owner !== undefined && owner.departmentId !== null) {
        if (owner.departmentId === myDepartment) visible.add(customer.id);
        if (isStrictlyBelow(world.departments, owner.departmentId, myDepartment)) visible.add(customer.id);
      }
    }

    // the public pool, outside the recycle bin
    if (customer.pool === 'public' && !customer.deleted) visible.add(customer.id);

    // leads and customers waiting for assignment, to those who hand them out
    if (myRole !== undefined && myRole.assigns && (customer.pool === 'lead' || customer.pool === 'pending') && !customer.deleted) {
      visible.add(customer.id);
    }

    // what I deleted
    if (customer.deletedBy !== null && customer.deletedBy === me.id) visible.add(customer.id);
  }
  return visible;
}

// ---------------------------------------------------------------------------------------------------
// Random worlds for property tests

/** The part of a fast-check arbitrary this file uses. */
export interface ArbitraryLike<T> {
  map<U>(mapper: (value: T) => U): ArbitraryLike<U>;
}

/**
 * The part of the fast-check module this file uses. Core does not depend on fast-check (it imports
 * only zod, luxon and libphonenumber-js): tests pass the module in, `accessWorldArb(fc)`.
 */
export interface FastCheckLike {
  integer(constraints: { min: number; max: number }): ArbitraryLike<number>;
  array<T>(arb: ArbitraryLike<T>, constraints: { minLength: number; maxLength: number }): ArbitraryLike<T[]>;
  tuple<Ts extends unknown[]>(...arbs: { [K in keyof Ts]: ArbitraryLike<Ts[K]> }): ArbitraryLike<Ts>;
}

/** The most of each thing a random world holds. */
export const ACCESS_WORLD_LIMITS = {
  roles: 6,
  departments: 5,
  users: 8,
  customers: 25,
  shares: 12,
  collaborators: 12,
} as const;

/**
 * Raw choices, one small integer per decision; accessWorldFrom turns any such lists into a valid
 * world. Shrinking a choice towards 0 shrinks the world towards a plain one.
 */
export interface AccessWorldChoices {
  /** Per role: [parent, scope, assigns]. */
  roles: number[][];
  /** Per department: [parent]. */
  departments: number[][];
  /** Per user: [role, department, admin, no role]. */
  users: number[][];
  /** Per customer: [pool, owner, deleted, deletedBy]. */
  customers: number[][];
  /** Per share: [customer, target, user or department]. */
  shares: number[][];
  /** Per collaborator: [customer, user]. */
  collaborators: number[][];
}

const pick = (choice: number | undefined, count: number): number => (choice ?? 0) % count;

/**
 * A valid world from raw choices: trees (a parent always comes earlier), ids `r0`, `d0`, `u0`, `c0`,
 * at least one role and one user, `private` pool <=> owner set, deletedBy set <=> deleted, each share
 * names exactly one target, no share or collaborator twice.
 */
export function accessWorldFrom(choices: AccessWorldChoices): AccessWorld {
  const roleChoices = choices.roles.length > 0 ? choices.roles.slice(0, ACCESS_WORLD_LIMITS.roles) : [[0, 0, 0]];
  const roles = roleChoices.map(([parent, scope, assigns], i) => {
    // the first role is a root; role i hangs below an earlier role, or is one more root when the choice picks i itself
    const p = i === 0 ? null : pick(parent, i + 1) === i ? null : pick(parent, i + 1);
    return { id: `r${i}`, parentId: p === null ? null : `r${p}`, dataScope: DATA_SCOPES[pick(scope, DATA_SCOPES.length)]!, assigns: pick(assigns, 3) === 2 };
  });

  const departments = choices.departments.slice(0, ACCESS_WORLD_LIMITS.departments).map(([parent], i) => {
    const p = i === 0 ? null : pick(parent, i + 1) === i ? null : pick(parent, i + 1);
    return { id: `d${i}`, parentId: p === null ? null : `d${p}` };
  });

  const userChoices = choices.users.length > 0 ? choices.users.slice(0, ACCESS_WORLD_LIMITS.users) : [[0, 0, 0, 0]];
  const users = userChoices.map(([role, department, admin, noRole], i) => {
    const d = pick(department, departments.length + 1);
    return {
      id: `u${i}`,
      roleId: pick(noRole, 8) === 7 ? null : `r${pick(role, roles.length)}`,
      departmentId: d === departments.length ? null : `d${d}`,
      isAdmin: pick(admin, 6) === 5,
    };
  });

  const customers = choices.customers.slice(0, ACCESS_WORLD_LIMITS.customers).map(([pool, owner, deleted, deletedBy], i) => {
    const p = POOLS[pick(pool, POOLS.length)]!;
    const isDeleted = pick(deleted, 4) === 3;
    return {
      id: `c${i}`,
      ownerId: p === 'private' ? `u${pick(owner, users.length)}` : null,
      pool: p,
      deleted: isDeleted,
      deletedBy: isDeleted ? `u${pick(deletedBy, users.length)}` : null,
    };
  });

  const shares: AccessWorld['shares'] = [];
  const sharesSeen = new Set<string>();
  if (customers.length > 0) {
    for (const [customer, target, who] of choices.shares.slice(0, ACCESS_WORLD_LIMITS.shares)) {
      const toDepartment = departments.length > 0 && pick(target, 2) === 1;
      const share = {
        customerId: `c${pick(customer, customers.length)}`,
        userId: toDepartment ? null : `u${pick(who, users.length)}`,
        departmentId: toDepartment ? `d${pick(who, departments.length)}` : null,
      };
      const key = `${share.customerId}/${share.userId}/${share.departmentId}`;
      if (sharesSeen.has(key)) continue;
      sharesSeen.add(key);
      shares.push(share);
    }
  }

  const collaborators: AccessWorld['collaborators'] = [];
  const collaboratorsSeen = new Set<string>();
  if (customers.length > 0) {
    for (const [customer, user] of choices.collaborators.slice(0, ACCESS_WORLD_LIMITS.collaborators)) {
      const row = { customerId: `c${pick(customer, customers.length)}`, userId: `u${pick(user, users.length)}` };
      const key = `${row.customerId}/${row.userId}`;
      if (collaboratorsSeen.has(key)) continue;
      collaboratorsSeen.add(key);
      collaborators.push(row);
    }
  }

  return { users, roles, departments, customers, shares, collaborators };
}

/**
 * A fast-check arbitrary of small random worlds (at most 6 roles, 5 departments, 8 users, 25 customers,
 * 12 shares, 12 collaborators), for the property tests that compare an implementation of visibility
 * with referenceVisibleCustomerIds. At run time it is fast-check's own arbitrary; name its type at the
 * call site.
 *
 * @example
 * import fc from 'fast-check';
 * const worlds = accessWorldArb(fc) as fc.Arbitrary<AccessWorld>;
 * fc.assert(fc.property(worlds, (world) => { ... }));
 */
export function accessWorldArb(fc: FastCheckLike): ArbitraryLike<AccessWorld> {
  const choice = fc.integer({ min: 0, max: 1000 });
  const rows = (width: number, min: number, max: number) =>
    fc.array(fc.array(choice, { minLength: width, maxLength: width }), { minLength: min, maxLength: max });
  return fc
    .tuple(
      rows(3, 1, ACCESS_WORLD_LIMITS.roles),
      rows(1, 0, ACCESS_WORLD_LIMITS.departments),
      rows(4, 1, ACCESS_WORLD_LIMITS.users),
      rows(4, 0, ACCESS_WORLD_LIMITS.customers),
      rows(3, 0, ACCESS_WORLD_LIMITS.shares),
      rows(2, 0, ACCESS_WORLD_LIMITS.collaborators),
    )
    .map(([roles, departments, users, customers, shares, collaborators]) =>
      accessWorldFrom({ roles, departments, users, customers, shares, collaborators }),
    );
}
