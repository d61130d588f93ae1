import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkGrantable,
  checkWritableFields,
  fieldAccessOf,
  grantedForKey,
  hasPermission,
  hiddenFieldsOf,
  normalisePermissions,
  stripHiddenFields,
  WORKFLOW_FIELDS,
  writtenFields,
} from './access.rules.js';
import { ALL_PERMISSIONS, type FieldPermissions, type Permission } from './access.schema.js';
import { CustomerCreate, CustomerUpdate } from '../customer/customer.schema.js';

const permissionList = fc.subarray([...ALL_PERMISSIONS]).chain((list) => fc.shuffledSubarray(list, { minLength: list.length }));
const permissionListWithRepeats = fc.array(fc.constantFrom(...ALL_PERMISSIONS), { maxLength: 60 });

describe('hasPermission', () => {
  it('holds exactly the granted permissions', () => {
    expect(hasPermission(['customers.view', 'customers.edit'], 'customers.edit')).toBe(true);
    expect(hasPermission(['customers.view'], 'customers.edit')).toBe(false);
    expect(hasPermission([], 'customers.view')).toBe(false);
    expect(hasPermission(ALL_PERMISSIONS, 'keys.manage')).toBe(true);
  });

  it('does not read a module grant as a grant of its actions', () => {
    expect(hasPermission(['customers' as Permission], 'customers.view')).toBe(false);
  });
});

describe('normalisePermissions', () => {
  it('drops repeats and puts the list in canonical order', () => {
    expect(normalisePermissions(['users.view', 'customers.edit', 'users.view', 'customers.view'])).toEqual([
      'customers.view',
      'customers.edit',
      'users.view',
    ]);
    expect(normalisePermissions([])).toEqual([]);
  });

  it('is idempotent and keeps the same set', () => {
    fc.assert(
      fc.property(permissionListWithRepeats, (list) => {
        const once = normalisePermissions(list);
        expect(normalisePermissions(once)).toEqual(once);
        expect(new Set(once)).toEqual(new Set(list));
      }),
    );
  });
});

describe('grantedForKey', () => {
  it('carries all of the creator’s permissions when the key names none', () => {
    expect(grantedForKey(['customers.edit', 'customers.view'], null)).toEqual(['customers.view', 'customers.edit']);
  });

  it('is the intersection: a key never exceeds its creator', () => {
    expect(grantedForKey(['customers.view', 'customers.edit'], ['customers.view', 'users.delete'])).toEqual(['customers.view']);
    expect(grantedForKey(['customers.view'], [])).toEqual([]);
    expect(grantedForKey([], ['customers.view'])).toEqual([]);
  });

  it('narrows at once when the creator loses a permission after making the key', () => {
    const key: Permission[] = ['customers.view', 'customers.export'];
    expect(grantedForKey(['customers.view', 'customers.export'], key)).toEqual(key);
    expect(grantedForKey(['customers.view'], key)).toEqual(['customers.view']);
  });

  it('never grants what either side lacks', () => {
    fc.assert(
      fc.property(permissionListWithRepeats, fc.option(permissionListWithRepeats, { nil: null }), (role, key) => {
        const granted = grantedForKey(role, key);
        for (const p of granted) {
          expect(role).toContain(p);
          if (key !== null) expect(key).toContain(p);
        }
        for (const p of role) if (key === null || key.includes(p)) expect(granted).toContain(p);
        expect(normalisePermissions(granted)).toEqual(granted);
      }),
    );
  });
});

describe('checkGrantable', () => {
  it('passes a subset of the creator’s permissions, normalised', () => {
    expect(checkGrantable(['customers.view', 'customers.view'], ['customers.view', 'customers.edit'])).toEqual({
      ok: true,
      value: ['customers.view'],
    });
    expect(checkGrantable([], [])).toEqual({ ok: true, value: [] });
  });

  it('names the first permission the creator lacks, by position', () => {
    expect(checkGrantable(['customers.view', 'customers.export', 'users.delete'], ['customers.view'])).toEqual({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN', field: 'permissions.1', params: { permission: 'customers.export' } },
    });
  });

  it('is ok exactly when every requested permission is held', () => {
    fc.assert(
      fc.property(permissionListWithRepeats, permissionList, (requested, held) => {
        const result = checkGrantable(requested, held);
        const missing = requested.findIndex((p) => !held.includes(p));
        if (missing === -1) expect(result.ok).toBe(true);
        else expect(result).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN', field: `permissions.${missing}` } });
      }),
    );
  });
});

describe('WORKFLOW_FIELDS', () => {
  it('holds the fields only workflows change', () => {
    for (const f of ['ownerId', 'pool', 'protectedUntil', 'dealStatus', 'createdBy', 'createdAt', 'updatedAt', 'updatedBy', 'deletedAt']) {
      expect(WORKFLOW_FIELDS, f).toContain(f);
    }
  });

  it('names no field that a customer create or update accepts', () => {
    const writable = new Set([...Object.keys(CustomerCreate.shape), ...Object.keys(CustomerUpdate.shape)]);
    expect(WORKFLOW_FIELDS.filter((f) => writable.has(f))).toEqual([]);
  });
});

describe('fieldAccessOf', () => {
  const fp: FieldPermissions = {
    customer: { phones: 'read', remark: 'hidden', 'custom.budget': 'hidden', 'custom.size': 'read', ownerId: 'hidden', pool: 'write' },
  };

  it('is write unless the role says otherwise', () => {
    expect(fieldAccessOf({}, 'customer', 'name')).toBe('write');
    expect(fieldAccessOf(fp, 'customer', 'name')).toBe('write');
    expect(fieldAccessOf(fp, 'customer', 'phones')).toBe('read');
    expect(fieldAccessOf(fp, 'customer', 'remark')).toBe('hidden');
    expect(fieldAccessOf(fp, 'customer', 'custom.budget')).toBe('hidden');
    expect(fieldAccessOf(fp, 'customer', 'custom.size')).toBe('read');
    expect(fieldAccessOf(fp, 'customer', 'custom.other')).toBe('write');
    expect(fieldAccessOf({ customer: {} }, 'customer', 'phones')).toBe('write');
  });

  it('keeps workflow fields read-only at most, and hidden when hidden', () => {
    for (const f of WORKFLOW_FIELDS) expect(fieldAccessOf({}, 'customer', f), f).toBe('read');
    expect(fieldAccessOf(fp, 'customer', 'pool')).toBe('read');
    expect(fieldAccessOf(fp, 'customer', 'ownerId')).toBe('hidden');
  });

  it('bounds every custom field by an entry for custom as a whole', () => {
    expect(fieldAccessOf({ customer: { custom: 'read' } }, 'customer', 'custom.budget')).toBe('read');
    expect(fieldAccessOf({ customer: { custom: 'read', 'custom.budget': 'hidden' } }, 'customer', 'custom.budget')).toBe('hidden');
    expect(fieldAccessOf({ customer: { custom: 'hidden', 'custom.budget': 'write' } }, 'customer', 'custom.budget')).toBe('hidden');
    expect(fieldAccessOf({ customer: { custom: 'hidden' } }, 'customer', 'customer')).toBe('write');
  });

  it('does not read inherited object keys as configuration', () => {
    expect(fieldAccessOf({}, 'customer', 'toString')).toBe('write');
    expect(fieldAccessOf({ customer: {} }, 'customer', 'constructor')).toBe('write');
  });
});

describe('hiddenFieldsOf', () => {
  it('lists the hidden fields of a module, as configured', () => {
    expect(hiddenFieldsOf({ customer: { phones: 'read', remark: 'hidden', 'custom.budget': 'hidden', ownerId: 'hidden' } }, 'customer')).toEqual([
      'remark',
      'custom.budget',
      'ownerId',
    ]);
    expect(hiddenFieldsOf({}, 'customer')).toEqual([]);
    expect(hiddenFieldsOf({ customer: { phones: 'read' } }, 'customer')).toEqual([]);
  });
});

describe('stripHiddenFields', () => {
  const record = { id: 'c1', name: '张三', phones: [{ number: '+8613800138000' }], remark: 'vip', custom: { budget: 5000, size: 'L' } };

  it('removes hidden top-level fields and hidden custom entries, leaving the rest', () => {
    expect(stripHiddenFields(record, ['phones', 'custom.budget'])).toEqual({ id: 'c1', name: '张三', remark: 'vip', custom: { size: 'L' } });
  });

  it('removes the whole custom object when custom is hidden', () => {
    expect(stripHiddenFields(record, ['custom'])).toEqual({ id: 'c1', name: '张三', phones: record.phones, remark: 'vip' });
  });

  it('changes nothing in the given record', () => {
    const before = structuredClone(record);
    stripHiddenFields(record, ['phones', 'custom.budget', 'custom.size']);
    expect(record).toEqual(before);
  });

  it('returns a copy with everything when nothing is hidden, and ignores names the record lacks', () => {
    const copy = stripHiddenFields(record, ['nothing', 'custom.nothing']);
    expect(copy).toEqual(record);
    expect(copy).not.toBe(record);
  });

  it('leaves a record without a custom object alone', () => {
    expect(stripHiddenFields({ name: 'x' }, ['custom.budget'])).toEqual({ name: 'x' });
    expect(stripHiddenFields({ name: 'x', custom: null }, ['custom.budget'])).toEqual({ name: 'x', custom: null });
  });

  it('never leaves a hidden key behind', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'custom');
    const customKey = fc.constantFrom('x', 'y', 'z');
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.integer()),
        fc.dictionary(customKey, fc.integer()),
        fc.array(fc.oneof(key, customKey.map((k) => `custom.${k}`))),
        (top, custom, hidden) => {
          const stripped = stripHiddenFields({ ...top, custom }, hidden) as Record<string, unknown>;
          for (const h of hidden) {
            if (h.startsWith('custom.')) {
              if (stripped['custom']) expect(Object.keys(stripped['custom'] as object)).not.toContain(h.slice(7));
            } else {
              expect(Object.keys(stripped)).not.toContain(h);
            }
          }
        },
      ),
    );
  });
});

describe('writtenFields', () => {
  it('lists top-level keys with custom values spelled out', () => {
    expect(writtenFields({ name: 'x', remark: null, custom: { budget: 5, size: 'L' } })).toEqual(['name', 'remark', 'custom.budget', 'custom.size']);
    expect(writtenFields({})).toEqual([]);
    expect(writtenFields({ custom: {} })).toEqual([]);
  });

  it('skips undefined values, which a parsed body may hold for absent optional fields', () => {
    expect(writtenFields({ name: undefined, remark: 'x', custom: { a: undefined, b: 1 } })).toEqual(['remark', 'custom.b']);
  });
});

describe('checkWritableFields', () => {
  const fp: FieldPermissions = { customer: { phones: 'read', remark: 'hidden', 'custom.budget': 'read', 'custom.secret': 'hidden' } };

  it('passes fields the role may write', () => {
    expect(checkWritableFields(['name', 'company', 'custom.size', 'tags'], fp, 'customer')).toEqual({ ok: true, value: undefined });
    expect(checkWritableFields([], fp, 'customer')).toEqual({ ok: true, value: undefined });
  });

  it('refuses a read-only field, naming it', () => {
    expect(checkWritableFields(['name', 'phones'], fp, 'customer')).toEqual({
      ok: false,
      error: { code: 'AUTH.FIELD_READ_ONLY', field: 'phones', params: { access: 'read' } },
    });
    expect(checkWritableFields(['custom.budget'], fp, 'customer')).toMatchObject({ ok: false, error: { field: 'custom.budget' } });
  });

  it('refuses a hidden field as not writable', () => {
    expect(checkWritableFields(['remark'], fp, 'customer')).toEqual({
      ok: false,
      error: { code: 'AUTH.FIELD_READ_ONLY', field: 'remark', params: { access: 'hidden' } },
    });
    expect(checkWritableFields(['custom.secret'], fp, 'customer')).toMatchObject({ ok: false, error: { field: 'custom.secret' } });
  });

  it('refuses every workflow field, even for a role that restricts nothing: no mass assignment', () => {
    for (const f of WORKFLOW_FIELDS) {
      expect(checkWritableFields(['name', f], {}, 'customer'), f).toEqual({
        ok: false,
        error: { code: 'AUTH.FIELD_READ_ONLY', field: f, params: { access: 'read', workflow: true } },
      });
    }
    expect(checkWritableFields(['pool'], { customer: { pool: 'write' } }, 'customer').ok).toBe(false);
  });

  it('names the first offending field in input order', () => {
    expect(checkWritableFields(['name', 'remark', 'phones', 'ownerId'], fp, 'customer')).toMatchObject({ error: { field: 'remark' } });
    expect(checkWritableFields(['ownerId', 'remark'], fp, 'customer')).toMatchObject({ error: { field: 'ownerId' } });
  });

  it('works on the fields of a whole body through writtenFields', () => {
    const body = { name: '李四', custom: { size: 'L', secret: 'x' } };
    expect(checkWritableFields(writtenFields(body), fp, 'customer')).toMatchObject({ ok: false, error: { field: 'custom.secret' } });
  });

  it('agrees with fieldAccessOf on every field', () => {
    const access = fc.constantFrom('hidden' as const, 'read' as const, 'write' as const);
    const field = fc.constantFrom('name', 'phones', 'remark', 'ownerId', 'pool', 'custom', 'custom.a', 'custom.b');
    fc.assert(
      fc.property(fc.dictionary(field, access), fc.array(field, { maxLength: 6 }), (config, keys) => {
        const fp2: FieldPermissions = { customer: config };
        const result = checkWritableFields(keys, fp2, 'customer');
        const firstBad = keys.find((k) => fieldAccessOf(fp2, 'customer', k) !== 'write');
        if (firstBad === undefined) expect(result.ok).toBe(true);
        else expect(result).toMatchObject({ ok: false, error: { code: 'AUTH.FIELD_READ_ONLY', field: firstBad } });
      }),
    );
  });
});
