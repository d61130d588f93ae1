import { ALL_PERMISSIONS, type DataScope, type FieldPermissions, type Permission } from './access.schema.js';

export const DEFAULT_ROLE_KEYS = ['admin', 'generalManager', 'salesManager', 'agent', 'support'] as const;
export type DefaultRoleKey = (typeof DEFAULT_ROLE_KEYS)[number];

/** A role the server seeds on first start. `parentKey` places it in the tree. */
export interface DefaultRole {
  key: DefaultRoleKey;
  name: string;
  parentKey: DefaultRoleKey | null;
  dataScope: DataScope;
  permissions: readonly Permission[];
  fieldPermissions: FieldPermissions;
}

const except = (...left: Permission[]): Permission[] => ALL_PERMISSIONS.filter((p) => !left.includes(p));

/**
 * The roles the manuals name (总经理, 销售经理, 销售员, 客服 under a 管理员), parents before children so they
 * can be inserted in order, each permission list in the canonical order of ALL_PERMISSIONS. A superior role always sees its subordinate roles' data, so the tree itself
 * gives managers their agents' customers; the data scope adds the rest.
 */
export const DEFAULT_ROLES: readonly DefaultRole[] = [
  {
    // The root: runs the system. Users flagged isAdmin bypass every check anyway; this role is for an
    // administrator account that should still be an ordinary, auditable user of the tree.
    key: 'admin',
    name: '管理员',
    parentKey: null,
    dataScope: 'all',
    permissions: [...ALL_PERMISSIONS],
    fieldPermissions: {},
  },
  {
    // Sees and does everything in the business, but does not change company settings (pool rules,
    // picklists, fields) or other people's API keys: those stay with the administrator.
    key: 'generalManager',
    name: '总经理',
    parentKey: 'admin',
    dataScope: 'all',
    permissions: except('settings.edit', 'keys.manage'),
    fieldPermissions: {},
  },
  {
    // Runs a sales team: imports lists, assigns and merges customers, purges the recycle bin (delete),
    // exports, dispatches tasks and reviews calls, for their department and the departments below it.
    // Holds everything an agent holds (a manager also calls, and owns API keys so that bulk imports can
    // run from scripts; a key never exceeds its creator), so a superior can act on whatever it sees below.
    key: 'salesManager',
    name: '销售经理',
    parentKey: 'generalManager',
    dataScope: 'departmentAndBelow',
    permissions: [
      'customers.view',
      'customers.create',
      'customers.edit',
      'customers.delete',
      'customers.import',
      'customers.export',
      'customers.assign',
      'customers.claim',
      'customers.release',
      'customers.merge',
      'customers.purge',
      'views.view',
      'views.create',
      'views.edit',
      'views.delete',
      'views.share',
      'tasks.view',
      'tasks.create',
      'tasks.edit',
      'tasks.delete',
      'tasks.assign',
      'calls.view',
      'calls.create',
      'calls.review',
      'followUps.view',
      'followUps.create',
      'followUps.edit',
      'followUps.delete',
      'users.view',
      'keys.create',
    ],
    fieldPermissions: {},
  },
  {
    // Calls and follows up their own customers: enters, edits and throws customers (delete sends to the
    // recycle bin), claims from and releases to the public pool, works the tasks given to them, keeps
    // personal views. No import, export, assignment or merge: lists do not leave with an agent. Own API
    // keys for the dialer and personal scripts.
    key: 'agent',
    name: '销售员',
    parentKey: 'salesManager',
    dataScope: 'own',
    permissions: [
      'customers.view',
      'customers.create',
      'customers.edit',
      'customers.delete',
      'customers.claim',
      'customers.release',
      'views.view',
      'views.create',
      'views.edit',
      'views.delete',
      'tasks.view',
      'tasks.edit',
      'calls.view',
      'calls.create',
      'followUps.view',
      'followUps.create',
      'followUps.edit',
      // Who owns what: colleagues' names show beside customers.
      'users.view',
      'keys.create',
    ],
    fieldPermissions: {},
  },
  {
    // Answers customers about anything in the company, so sees every customer, and records what was
    // said; cannot change a customer's numbers or owner, nor take customers out of the pools.
    key: 'support',
    name: '客服',
    parentKey: 'generalManager',
    dataScope: 'all',
    permissions: ['customers.view', 'views.view', 'views.create', 'calls.view', 'followUps.view', 'followUps.create'],
    fieldPermissions: { customer: { phones: 'read', ownerId: 'read' } },
  },
];

/** The seeded role of a key. */
export function defaultRole(key: DefaultRoleKey): DefaultRole {
  const role = DEFAULT_ROLES.find((r) => r.key === key);
  if (!role) throw new Error(`no default role ${key}`);
  return role;
}
