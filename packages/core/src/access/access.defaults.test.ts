import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_KEYS, DEFAULT_ROLES, defaultRole, type DefaultRoleKey } from './access.defaults.js';
import { checkWritableFields, fieldAccessOf, normalisePermissions } from './access.rules.js';
import { ALL_PERMISSIONS, FieldPermissions, PERMISSION_ACTIONS, RoleCreate, type Permission } from './access.schema.js';

const perms = (key: DefaultRoleKey) => new Set(defaultRole(key).permissions);
const moduleOf = (module: keyof typeof PERMISSION_ACTIONS): Permission[] => PERMISSION_ACTIONS[module].map((a) => `${module}.${a}` as Permission);

describe('DEFAULT_ROLES: the tree', () => {
  it('seeds the five roles the manuals name, once each', () => {
    expect(DEFAULT_ROLES.map((r) => r.key)).toEqual([...DEFAULT_ROLE_KEYS]);
    expect(DEFAULT_ROLES.map((r) => [r.key, r.name])).toEqual([
      ['admin', '管理员'],
      ['generalManager', '总经理'],
      ['salesManager', '销售经理'],
      ['agent', '销售员'],
      ['support', '客服'],
    ]);
  });

  it('is one tree under admin: 总经理 below 管理员, 销售经理 and 客服 below 总经理, 销售员 below 销售经理', () => {
    expect(Object.fromEntries(DEFAULT_ROLES.map((r) => [r.key, r.parentKey]))).toEqual({
      admin: null,
      generalManager: 'admin',
      salesManager: 'generalManager',
      agent: 'salesManager',
      support: 'generalManager',
    });
  });

  it('lists parents before their children, so the roles can be inserted in order', () => {
    const seen = new Set<string>();
    for (const role of DEFAULT_ROLES) {
      if (role.parentKey !== null) expect(seen.has(role.parentKey), role.key).toBe(true);
      seen.add(role.key);
    }
  });

  it('gives each role its scope', () => {
    expect(Object.fromEntries(DEFAULT_ROLES.map((r) => [r.key, r.dataScope]))).toEqual({
      admin: 'all',
      generalManager: 'all',
      salesManager: 'departmentAndBelow',
      agent: 'own',
      support: 'all',
    });
  });

  it('finds a role by key and refuses an unknown one', () => {
    expect(defaultRole('support').name).toBe('客服');
    expect(() => defaultRole('cfo' as DefaultRoleKey)).toThrow(/cfo/);
  });
});

describe('DEFAULT_ROLES: grants', () => {
  it.each(DEFAULT_ROLES.map((r) => ({ key: r.key, role: r })))('$key: valid, no repeats, in canonical order, and a valid RoleCreate', ({ role }) => {
    expect(normalisePermissions(role.permissions)).toEqual(role.permissions);
    expect(FieldPermissions.parse(role.fieldPermissions)).toEqual(role.fieldPermissions);
    const body = { name: role.name, dataScope: role.dataScope, permissions: role.permissions, fieldPermissions: role.fieldPermissions };
    expect(RoleCreate.safeParse(body).success).toBe(true);
  });

  it('admin holds everything', () => {
    expect([...perms('admin')].sort()).toEqual([...ALL_PERMISSIONS].sort());
  });

  it('the general manager holds everything but changing settings and managing other people’s keys', () => {
    const gm = perms('generalManager');
    expect(ALL_PERMISSIONS.filter((p) => !gm.has(p))).toEqual(['settings.edit', 'keys.manage']);
  });

  it('the sales manager runs customers, views, tasks and follow-ups, reviews calls and sees users; no settings, logs or user admin', () => {
    const sm = perms('salesManager');
    for (const p of [...moduleOf('customers'), ...moduleOf('views'), ...moduleOf('tasks'), ...moduleOf('followUps')]) expect(sm.has(p), p).toBe(true);
    for (const p of ['calls.view', 'calls.review', 'users.view'] as const) expect(sm.has(p), p).toBe(true);
    for (const p of ['settings.view', 'settings.edit', 'logs.view', 'users.create', 'users.edit', 'users.delete', 'keys.manage'] as const) {
      expect(sm.has(p), p).toBe(false);
    }
  });

  it('the agent works their own customers, with no import, export, assignment, merge or admin rights', () => {
    expect([...perms('agent')]).toEqual([
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
      'users.view',
      'keys.create',
    ]);
  });

  it('support reads customers and records follow-ups, and cannot change numbers or owners', () => {
    const support = defaultRole('support');
    expect([...support.permissions].sort()).toEqual(
      ['customers.view', 'followUps.view', 'followUps.create', 'calls.view', 'views.view', 'views.create'].sort(),
    );
    expect(support.fieldPermissions).toEqual({ customer: { phones: 'read', ownerId: 'read' } });
    expect(fieldAccessOf(support.fieldPermissions, 'customer', 'phones')).toBe('read');
    expect(checkWritableFields(['remark', 'phones'], support.fieldPermissions, 'customer')).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FIELD_READ_ONLY', field: 'phones' },
    });
  });

  it('only support restricts fields', () => {
    for (const role of DEFAULT_ROLES) if (role.key !== 'support') expect(role.fieldPermissions, role.key).toEqual({});
  });

  it('a superior role holds at least what each of its subordinates holds', () => {
    for (const role of DEFAULT_ROLES) {
      if (role.parentKey === null) continue;
      const parent = perms(role.parentKey);
      expect(role.permissions.filter((p) => !parent.has(p)), `${role.key} under ${role.parentKey}`).toEqual([]);
    }
  });

  it('only admin may change settings or manage everybody’s keys', () => {
    for (const role of DEFAULT_ROLES) {
      if (role.key === 'admin') continue;
      expect(role.permissions.includes('settings.edit'), role.key).toBe(false);
      expect(role.permissions.includes('keys.manage'), role.key).toBe(false);
    }
  });
});
