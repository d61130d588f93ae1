import { z } from 'zod';
import { Password, USER_STATUSES } from '../people/people.schema.js';

const isoTime = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------------
// Operation permissions: `${module}.${action}`

/** The modules a role grants operations on, each with its actions. */
export const PERMISSION_ACTIONS = {
  // One action a line: the boundary lint would read `'import', '` on one line as an import statement.
  customers: [
    'view',
    'create',
    'edit',
    'delete',
    'import',
    'export',
    'assign',
    'claim',
    'release',
    'merge',
    // Deleting for good from the recycle bin: managers only, where `delete` only moves to the bin.
    'purge',
  ],
  views: ['view', 'create', 'edit', 'delete', 'share'],
  tasks: ['view', 'create', 'edit', 'delete', 'assign'],
  calls: ['view', 'create', 'review'],
  followUps: ['view', 'create', 'edit', 'delete'],
  users: ['view', 'create', 'edit', 'delete'],
  settings: ['view', 'edit'],
  /** `create`: the holder's own API keys; `manage`: everybody's. */
  keys: ['create', 'manage'],
  logs: ['view'],
} as const;

export type PermissionModule = keyof typeof PERMISSION_ACTIONS;
export type PermissionAction<M extends PermissionModule = PermissionModule> = (typeof PERMISSION_ACTIONS)[M][number];
/** One grant, e.g. `customers.export`. */
export type Permission = { [M in PermissionModule]: `${M}.${PermissionAction<M>}` }[PermissionModule];

export const PERMISSION_MODULES = [
  'customers',
  'views',
  'tasks',
  'calls',
  'followUps',
  'users',
  'settings',
  'keys',
  'logs',
] as const satisfies readonly PermissionModule[];

/** Every permission, module by module in the order above: the canonical order of a permission list. */
export const ALL_PERMISSIONS: readonly Permission[] = PERMISSION_MODULES.flatMap((module) =>
  PERMISSION_ACTIONS[module].map((action) => `${module}.${action}` as Permission),
);

export const PermissionSchema = z
  .enum(ALL_PERMISSIONS as readonly [Permission, ...Permission[]])
  .meta({ id: 'Permission', description: 'module.action, e.g. customers.export' });

// ---------------------------------------------------------------------------------------------------
// Data scope: which other people's records a role adds to what everybody sees

export const DATA_SCOPES = ['own', 'ownAndSubordinates', 'department', 'departmentAndBelow', 'all'] as const;

export const DataScope = z.enum(DATA_SCOPES).meta({
  id: 'DataScope',
  description:
    'own 本人, ownAndSubordinates 本人及下属, department 本部门, departmentAndBelow 本部门及下级部门, all 全公司. ' +
    'Own records, records of subordinate roles, shares and assisted customers are visible whatever the scope.',
});
export type DataScope = z.infer<typeof DataScope>;

// ---------------------------------------------------------------------------------------------------
// Field permissions

export const FIELD_ACCESS = ['hidden', 'read', 'write'] as const;
export const FieldAccess = z
  .enum(FIELD_ACCESS)
  .meta({ id: 'FieldAccess', description: 'hidden 隐藏 (absent from responses, exports and filters), read 只读, write 读写' });
export type FieldAccess = z.infer<typeof FieldAccess>;

/** The modules whose fields a role can restrict. */
export const FIELD_PERMISSION_MODULES = ['customer'] as const;
export const FieldPermissionModule = z.enum(FIELD_PERMISSION_MODULES).meta({ id: 'FieldPermissionModule' });
export type FieldPermissionModule = z.infer<typeof FieldPermissionModule>;

const FieldName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^(?:[a-z][A-Za-z0-9]*|custom\.[a-z][a-zA-Z0-9_]{0,39})$/, 'a field name: `company` or `custom.<key>`');

export const FieldPermissions = z
  .partialRecord(FieldPermissionModule, z.record(FieldName, FieldAccess))
  .meta({
    id: 'FieldPermissions',
    description: 'Per module, the fields whose access differs from the default `write`, e.g. { "customer": { "phones": "read" } }',
  });
export type FieldPermissions = z.infer<typeof FieldPermissions>;

// ---------------------------------------------------------------------------------------------------
// Roles

const RoleName = z.string().trim().min(1).max(60);
const PermissionList = z.array(PermissionSchema).max(ALL_PERMISSIONS.length * 2);

export const Role = z
  .object({
    id: z.string(),
    key: z.string().nullable().meta({ description: 'Stable key of a seeded role (admin, agent, ...); null for roles made by users' }),
    name: z.string(),
    parentId: z.string().nullable().meta({ description: 'The superior role; it sees this role’s data' }),
    dataScope: DataScope,
    permissions: z.array(PermissionSchema),
    fieldPermissions: FieldPermissions,
    system: z.boolean().meta({ description: 'Seeded with the server; cannot be deleted' }),
    createdAt: isoTime,
  })
  .meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;

export const RoleCreate = z
  .strictObject({
    name: RoleName,
    parentId: z.string().min(1).nullable().default(null),
    dataScope: DataScope,
    permissions: PermissionList,
    fieldPermissions: FieldPermissions.default({}),
  })
  .meta({ id: 'RoleCreate' });
export type RoleCreate = z.infer<typeof RoleCreate>;

export const RoleUpdate = z
  .strictObject({
    name: RoleName.optional(),
    parentId: z.string().min(1).nullable().optional(),
    dataScope: DataScope.optional(),
    permissions: PermissionList.optional().meta({ description: 'Replaces the whole list' }),
    fieldPermissions: FieldPermissions.optional().meta({ description: 'Replaces the whole map' }),
  })
  .meta({ id: 'RoleUpdate', description: 'Only the fields given change.' });
export type RoleUpdate = z.infer<typeof RoleUpdate>;

// ---------------------------------------------------------------------------------------------------
// API keys

/** How many characters of a key's secret are kept in clear, to tell keys apart in a list. */
export const API_KEY_PREFIX_LENGTH = 8;

export const ApiKey = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: `The first ${API_KEY_PREFIX_LENGTH} characters of the secret` }),
    permissions: z.array(PermissionSchema).meta({ description: 'Never more than its user holds at the time of use' }),
    expiresAt: isoTime.nullable(),
    revokedAt: isoTime.nullable(),
    lastUsedAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    expiresAt: isoTime.optional().meta({ description: 'No expiry when absent' }),
    permissions: PermissionList.optional().meta({
      description: "A subset of the creator's permissions; absent means all of them",
    }),
  })
  .meta({ id: 'ApiKeyCreate' });
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

export const ApiKeyCreated = ApiKey.extend({
  secret: z.string().meta({ description: 'Shown once; only its hash is stored' }),
}).meta({ id: 'ApiKeyCreated' });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

// ---------------------------------------------------------------------------------------------------
// Users and departments: the writes people.schema does not cover

const Quota = z.number().int().min(0).max(1_000_000).nullable();

export const UserUpdate = z
  .strictObject({
    displayName: z.string().trim().min(1).max(60).optional(),
    departmentId: z.string().min(1).nullable().optional(),
    roleId: z.string().min(1).optional(),
    isAdmin: z.boolean().optional(),
    status: z.enum(USER_STATUSES).optional().meta({ description: 'disabled ends the user’s sessions and keys at once' }),
    quotaCalls: Quota.optional().meta({ description: 'Daily calls; null: no quota' }),
    quotaMinutes: Quota.optional().meta({ description: 'Daily talk minutes; null: no quota' }),
  })
  .meta({ id: 'UserUpdate', description: 'Only the fields given change.' });
export type UserUpdate = z.infer<typeof UserUpdate>;

export const PasswordChange = z
  .strictObject({
    currentPassword: z.string().min(1).max(200).optional().meta({ description: 'Required when changing one’s own password' }),
    newPassword: Password,
  })
  .meta({ id: 'PasswordChange' });
export type PasswordChange = z.infer<typeof PasswordChange>;

export const UserDelete = z
  .strictObject({
    handOverTo: z.string().min(1).meta({ description: 'The user who receives the customers, tasks and follow-ups' }),
  })
  .meta({ id: 'UserDelete' });
export type UserDelete = z.infer<typeof UserDelete>;

export const DepartmentUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(60).optional(),
    parentId: z.string().min(1).nullable().optional(),
  })
  .meta({ id: 'DepartmentUpdate', description: 'Only the fields given change.' });
export type DepartmentUpdate = z.infer<typeof DepartmentUpdate>;

// ---------------------------------------------------------------------------------------------------
// Logs

export const AUDIT_VIA = ['token', 'key', 'system'] as const;

export const AuditChange = z
  .object({ before: z.unknown(), after: z.unknown() })
  .meta({ id: 'AuditChange' });

export const AuditEntry = z
  .object({
    id: z.string(),
    at: isoTime,
    actorId: z.string().nullable(),
    via: z.enum(AUDIT_VIA).meta({ description: 'token: a login, key: an API key, system: a scheduled job' }),
    keyId: z.string().nullable(),
    action: z.string().meta({ example: 'customer.update' }),
    entity: z.string().meta({ example: 'customer' }),
    entityId: z.string().nullable(),
    changes: z.record(z.string(), AuditChange).meta({ description: 'Changed fields, before and after' }),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const LoginEntry = z
  .object({
    id: z.string(),
    at: isoTime,
    username: z.string(),
    userId: z.string().nullable(),
    success: z.boolean(),
    address: z.string().nullable(),
    agent: z.string().nullable(),
    reason: z.string().nullable().meta({ description: 'Why a login failed: an error code' }),
  })
  .meta({ id: 'LoginEntry' });
export type LoginEntry = z.infer<typeof LoginEntry>;
