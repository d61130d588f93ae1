import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  ALL_PERMISSIONS,
  API_KEY_PREFIX_LENGTH,
  ApiKey,
  ApiKeyCreate,
  ApiKeyCreated,
  AuditEntry,
  DATA_SCOPES,
  DataScope,
  DepartmentUpdate,
  FieldAccess,
  FieldPermissions,
  LoginEntry,
  PasswordChange,
  PERMISSION_ACTIONS,
  PERMISSION_MODULES,
  PermissionSchema,
  Role,
  RoleCreate,
  RoleUpdate,
  UserDelete,
  UserUpdate,
  type Permission,
  type PermissionAction,
} from './access.schema.js';

const NOW = '2026-03-02T08:00:00.000Z';
const paths = (r: { success: boolean; error?: z.ZodError }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('permissions', () => {
  it('names the modules of the issue, each with its actions', () => {
    expect(PERMISSION_MODULES).toEqual(['customers', 'views', 'tasks', 'calls', 'followUps', 'users', 'settings', 'keys', 'logs']);
    expect(Object.keys(PERMISSION_ACTIONS)).toEqual([...PERMISSION_MODULES]);
    expect(PERMISSION_ACTIONS.customers).toEqual(['view', 'create', 'edit', 'delete', 'import', 'export', 'assign', 'claim', 'release', 'merge', 'purge']);
    expect(PERMISSION_ACTIONS.views).toEqual(['view', 'create', 'edit', 'delete', 'share']);
    expect(PERMISSION_ACTIONS.tasks).toEqual(['view', 'create', 'edit', 'delete', 'assign']);
    expect(PERMISSION_ACTIONS.calls).toEqual(['view', 'create', 'review']);
    expect(PERMISSION_ACTIONS.followUps).toEqual(['view', 'create', 'edit', 'delete']);
    expect(PERMISSION_ACTIONS.users).toEqual(['view', 'create', 'edit', 'delete']);
    expect(PERMISSION_ACTIONS.settings).toEqual(['view', 'edit']);
    expect(PERMISSION_ACTIONS.keys).toEqual(['create', 'manage']);
    expect(PERMISSION_ACTIONS.logs).toEqual(['view']);
  });

  it('lists every module.action once, module by module', () => {
    expect(ALL_PERMISSIONS).toHaveLength(37);
    expect(new Set(ALL_PERMISSIONS).size).toBe(ALL_PERMISSIONS.length);
    const expected = PERMISSION_MODULES.flatMap((m) => PERMISSION_ACTIONS[m].map((a) => `${m}.${a}`));
    expect(ALL_PERMISSIONS).toEqual(expected);
    expect(ALL_PERMISSIONS.slice(0, 2)).toEqual(['customers.view', 'customers.create']);
    expect(ALL_PERMISSIONS.at(-1)).toBe('logs.view');
  });

  it('types a permission as a module.action literal', () => {
    expectTypeOf<'customers.merge'>().toExtend<Permission>();
    expectTypeOf<'keys.manage'>().toExtend<Permission>();
    expectTypeOf<'customers.review'>().not.toExtend<Permission>();
    expectTypeOf<'calls.delete'>().not.toExtend<Permission>();
    expectTypeOf<PermissionAction<'keys'>>().toEqualTypeOf<'create' | 'manage'>();
  });

  it('parses every permission and nothing else', () => {
    for (const p of ALL_PERMISSIONS) expect(PermissionSchema.parse(p)).toBe(p);
    for (const bad of ['customers.fly', 'customers', 'Customers.view', 'customers.view ', '', 'calls.delete', 'keys.view']) {
      expect(PermissionSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('DataScope', () => {
  it('has the five scopes, narrowest first', () => {
    expect(DATA_SCOPES).toEqual(['own', 'ownAndSubordinates', 'department', 'departmentAndBelow', 'all']);
    for (const s of DATA_SCOPES) expect(DataScope.parse(s)).toBe(s);
    expect(DataScope.safeParse('company').success).toBe(false);
  });

  it('is named DataScope and says each scope in the words users know', () => {
    const meta = z.globalRegistry.get(DataScope);
    expect(meta?.id).toBe('DataScope');
    for (const word of ['本人', '本人及下属', '本部门', '本部门及下级部门', '全公司']) expect(meta?.description).toContain(word);
  });
});

describe('FieldAccess and FieldPermissions', () => {
  it('knows hidden, read and write', () => {
    expect(FieldAccess.options).toEqual(['hidden', 'read', 'write']);
  });

  it('accepts per-module maps of built-in and custom fields', () => {
    const value = { customer: { phones: 'read', ownerId: 'read', remark: 'hidden', 'custom.budget': 'hidden', custom: 'read' } };
    expect(FieldPermissions.parse(value)).toEqual(value);
    expect(FieldPermissions.parse({})).toEqual({});
    expect(FieldPermissions.parse({ customer: {} })).toEqual({ customer: {} });
  });

  it('refuses unknown modules, unknown access levels and malformed field names', () => {
    expect(FieldPermissions.safeParse({ contact: { name: 'read' } }).success).toBe(false);
    expect(FieldPermissions.safeParse({ customer: { phones: 'none' } }).success).toBe(false);
    for (const name of ['', 'Phones', 'custom.', 'custom.Budget', 'custom.a.b', 'phones.0.number', 'a b', `custom.${'a'.repeat(41)}`]) {
      expect(FieldPermissions.safeParse({ customer: { [name]: 'read' } }).success, name).toBe(false);
    }
  });

  it('drops a __proto__ key instead of carrying it through', () => {
    const parsed = FieldPermissions.parse(JSON.parse('{"customer":{"__proto__":"read","phones":"read"}}'));
    expect(Object.keys(parsed.customer!)).toEqual(['phones']);
    expect(Object.getPrototypeOf(parsed.customer)).toBe(Object.prototype);
  });
});

describe('Role, RoleCreate, RoleUpdate', () => {
  const role = {
    id: 'r1',
    key: 'agent',
    name: '销售员',
    parentId: 'r0',
    dataScope: 'own',
    permissions: ['customers.view'],
    fieldPermissions: { customer: { phones: 'read' } },
    system: true,
    createdAt: NOW,
  };

  it('reads a stored role', () => {
    expect(Role.parse(role)).toEqual(role);
    expect(Role.parse({ ...role, key: null, parentId: null })).toMatchObject({ key: null, parentId: null });
    expect(paths(Role.safeParse({ ...role, permissions: ['customers.view', 'x.y'] }))).toEqual(['permissions.1']);
  });

  it('creates with defaults: top level and no field restrictions', () => {
    expect(RoleCreate.parse({ name: '  质检  ', dataScope: 'department', permissions: ['calls.view', 'calls.review'] })).toEqual({
      name: '质检',
      parentId: null,
      dataScope: 'department',
      permissions: ['calls.view', 'calls.review'],
      fieldPermissions: {},
    });
  });

  it('requires a name, a scope and a permission list, and refuses anything else', () => {
    expect(paths(RoleCreate.safeParse({ name: ' ', dataScope: 'own', permissions: [] }))).toEqual(['name']);
    expect(paths(RoleCreate.safeParse({ name: 'x', permissions: [] }))).toEqual(['dataScope']);
    expect(paths(RoleCreate.safeParse({ name: 'x', dataScope: 'own' }))).toEqual(['permissions']);
    expect(paths(RoleCreate.safeParse({ name: 'x'.repeat(61), dataScope: 'own', permissions: [] }))).toEqual(['name']);
    expect(RoleCreate.safeParse({ name: 'x', dataScope: 'own', permissions: [], system: true }).success).toBe(false);
    expect(RoleCreate.safeParse({ name: 'x', dataScope: 'own', permissions: [], id: 'r9' }).success).toBe(false);
    expect(paths(RoleCreate.safeParse({ name: 'x', dataScope: 'own', permissions: ['customers.view', 'customers.fly'] }))).toEqual([
      'permissions.1',
    ]);
  });

  it('updates only what is given', () => {
    expect(RoleUpdate.parse({})).toEqual({});
    expect(RoleUpdate.parse({ parentId: null })).toEqual({ parentId: null });
    expect(RoleUpdate.parse({ name: ' 组长 ', dataScope: 'all' })).toEqual({ name: '组长', dataScope: 'all' });
    expect(RoleUpdate.safeParse({ system: false }).success).toBe(false);
    expect(RoleUpdate.safeParse({ key: 'admin' }).success).toBe(false);
    expect(RoleUpdate.safeParse({ fieldPermissions: { customer: { phones: 'gone' } } }).success).toBe(false);
  });
});

describe('API keys', () => {
  const key = {
    id: 'k1',
    userId: 'u1',
    name: 'import script',
    prefix: 'crm_ab12',
    permissions: ['customers.import'],
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: '2026-03-02T09:00:00+08:00',
    createdAt: NOW,
  };

  it('lists a key without its secret, and shows the secret once on creation', () => {
    expect(ApiKey.parse(key)).toEqual(key);
    expect(ApiKey.parse({ ...key, secret: 's' })).not.toHaveProperty('secret');
    expect(ApiKeyCreated.parse({ ...key, secret: 'crm_ab12cd34' })).toEqual({ ...key, secret: 'crm_ab12cd34' });
    expect(ApiKeyCreated.safeParse(key).success).toBe(false);
    expect(API_KEY_PREFIX_LENGTH).toBe(8);
  });

  it('creates with a name, an optional expiry and an optional permission subset', () => {
    expect(ApiKeyCreate.parse({ name: ' nightly ' })).toEqual({ name: 'nightly' });
    expect(ApiKeyCreate.parse({ name: 'n', expiresAt: '2026-12-31T23:59:59+08:00', permissions: ['customers.view'] })).toEqual({
      name: 'n',
      expiresAt: '2026-12-31T23:59:59+08:00',
      permissions: ['customers.view'],
    });
    expect(ApiKeyCreate.parse({ name: 'n', permissions: [] })).toEqual({ name: 'n', permissions: [] });
  });

  it('refuses a bad name, a bad expiry, an unknown permission and extra fields', () => {
    expect(paths(ApiKeyCreate.safeParse({ name: '' }))).toEqual(['name']);
    expect(paths(ApiKeyCreate.safeParse({ name: 'x'.repeat(61) }))).toEqual(['name']);
    expect(ApiKeyCreate.safeParse({ name: 'x'.repeat(60) }).success).toBe(true);
    expect(paths(ApiKeyCreate.safeParse({ name: 'n', expiresAt: 'tomorrow' }))).toEqual(['expiresAt']);
    expect(paths(ApiKeyCreate.safeParse({ name: 'n', expiresAt: '2026-12-31' }))).toEqual(['expiresAt']);
    expect(paths(ApiKeyCreate.safeParse({ name: 'n', permissions: ['users.fly'] }))).toEqual(['permissions.0']);
    expect(ApiKeyCreate.safeParse({ name: 'n', userId: 'u2' }).success).toBe(false);
    expect(ApiKeyCreate.safeParse({ name: 'n', secret: 'chosen' }).success).toBe(false);
  });
});

describe('UserUpdate, PasswordChange, UserDelete, DepartmentUpdate', () => {
  it('updates the user fields given', () => {
    const all = {
      displayName: ' 王五 ',
      departmentId: null,
      roleId: 'r2',
      isAdmin: false,
      status: 'disabled',
      quotaCalls: 200,
      quotaMinutes: null,
    };
    expect(UserUpdate.parse(all)).toEqual({ ...all, displayName: '王五' });
    expect(UserUpdate.parse({})).toEqual({});
    expect(UserUpdate.parse({ quotaCalls: 0, quotaMinutes: 0 })).toEqual({ quotaCalls: 0, quotaMinutes: 0 });
  });

  it('refuses bad quotas, statuses and fields that have their own operations', () => {
    expect(paths(UserUpdate.safeParse({ quotaCalls: -1 }))).toEqual(['quotaCalls']);
    expect(paths(UserUpdate.safeParse({ quotaMinutes: 1.5 }))).toEqual(['quotaMinutes']);
    expect(paths(UserUpdate.safeParse({ status: 'deleted' }))).toEqual(['status']);
    expect(paths(UserUpdate.safeParse({ displayName: '' }))).toEqual(['displayName']);
    expect(paths(UserUpdate.safeParse({ roleId: null }))).toEqual(['roleId']);
    for (const extra of ['password', 'username', 'id', 'createdAt']) {
      expect(UserUpdate.safeParse({ [extra]: 'x' }).success, extra).toBe(false);
    }
  });

  it('changes a password of at least 8 characters, with the current one when given', () => {
    expect(PasswordChange.parse({ newPassword: '12345678' })).toEqual({ newPassword: '12345678' });
    expect(PasswordChange.parse({ currentPassword: 'old', newPassword: 'new-secret' })).toEqual({
      currentPassword: 'old',
      newPassword: 'new-secret',
    });
    expect(paths(PasswordChange.safeParse({ newPassword: '1234567' }))).toEqual(['newPassword']);
    expect(paths(PasswordChange.safeParse({ currentPassword: '', newPassword: '12345678' }))).toEqual(['currentPassword']);
    expect(PasswordChange.safeParse({ newPassword: '12345678', userId: 'u2' }).success).toBe(false);
  });

  it('deletes a user only with someone to hand over to', () => {
    expect(UserDelete.parse({ handOverTo: 'u2' })).toEqual({ handOverTo: 'u2' });
    expect(paths(UserDelete.safeParse({}))).toEqual(['handOverTo']);
    expect(paths(UserDelete.safeParse({ handOverTo: '' }))).toEqual(['handOverTo']);
    expect(UserDelete.safeParse({ handOverTo: 'u2', purge: true }).success).toBe(false);
  });

  it('renames and moves a department', () => {
    expect(DepartmentUpdate.parse({ name: ' 二部 ', parentId: null })).toEqual({ name: '二部', parentId: null });
    expect(DepartmentUpdate.parse({ parentId: 'd1' })).toEqual({ parentId: 'd1' });
    expect(paths(DepartmentUpdate.safeParse({ name: '' }))).toEqual(['name']);
    expect(DepartmentUpdate.safeParse({ id: 'd2' }).success).toBe(false);
  });
});

describe('AuditEntry and LoginEntry', () => {
  it('reads an audit entry with before and after values of any kind', () => {
    const entry = {
      id: 'a1',
      at: NOW,
      actorId: 'u1',
      via: 'key',
      keyId: 'k1',
      action: 'customer.update',
      entity: 'customer',
      entityId: 'c1',
      changes: { name: { before: '张三', after: '张三丰' }, tags: { before: [], after: ['老客户'] }, remark: { before: null, after: 'x' } },
    };
    expect(AuditEntry.parse(entry)).toEqual(entry);
    expect(AuditEntry.parse({ ...entry, via: 'system', actorId: null, keyId: null, entityId: null, changes: {} })).toMatchObject({
      via: 'system',
    });
    expect(paths(AuditEntry.safeParse({ ...entry, via: 'cli' }))).toEqual(['via']);
  });

  it('reads a login entry, failed or not', () => {
    const entry = { id: 'l1', at: NOW, username: 'alice', userId: null, success: false, address: '10.0.0.1', agent: 'crm/0.1', reason: 'AUTH.INVALID_CREDENTIALS' };
    expect(LoginEntry.parse(entry)).toEqual(entry);
    expect(paths(LoginEntry.safeParse({ ...entry, success: 'no' }))).toEqual(['success']);
  });
});

describe('OpenAPI names', () => {
  const named: [z.ZodType, string][] = [
    [PermissionSchema, 'Permission'],
    [DataScope, 'DataScope'],
    [FieldAccess, 'FieldAccess'],
    [FieldPermissions, 'FieldPermissions'],
    [Role, 'Role'],
    [RoleCreate, 'RoleCreate'],
    [RoleUpdate, 'RoleUpdate'],
    [ApiKey, 'ApiKey'],
    [ApiKeyCreate, 'ApiKeyCreate'],
    [ApiKeyCreated, 'ApiKeyCreated'],
    [UserUpdate, 'UserUpdate'],
    [PasswordChange, 'PasswordChange'],
    [UserDelete, 'UserDelete'],
    [DepartmentUpdate, 'DepartmentUpdate'],
    [AuditEntry, 'AuditEntry'],
    [LoginEntry, 'LoginEntry'],
  ];

  const byId = named.map(([schema, id]) => ({ id, schema }));

  it.each(byId)('names $id', ({ schema, id }) => {
    expect(z.globalRegistry.get(schema)?.id).toBe(id);
  });

  it.each(byId)('turns $id into JSON Schema for requests and responses', ({ schema }) => {
    expect(() => z.toJSONSchema(schema, { io: 'input' })).not.toThrow();
    expect(() => z.toJSONSchema(schema, { io: 'output' })).not.toThrow();
  });

  it('ids are unique', () => {
    expect(new Set(named.map(([, id]) => id)).size).toBe(named.length);
  });
});
