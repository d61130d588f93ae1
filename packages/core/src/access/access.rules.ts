import { domainError, err, ok, type Result } from '../shared/result.js';
import { ALL_PERMISSIONS, type FieldAccess, type FieldPermissionModule, type FieldPermissions, type Permission } from './access.schema.js';

// ---------------------------------------------------------------------------------------------------
// Operation permissions

/** Whether a list of grants holds one permission. Admins are not special here: callers pass them everything. */
export function hasPermission(granted: readonly Permission[], p: Permission): boolean {
  return granted.includes(p);
}

/** A permission list without repeats, in the canonical order of ALL_PERMISSIONS. */
export function normalisePermissions(list: readonly Permission[]): Permission[] {
  const wanted = new Set(list);
  return ALL_PERMISSIONS.filter((p) => wanted.has(p));
}

/**
 * What a request made with an API key may do: the key's permissions that its creator still holds now.
 * A key with `null` permissions carries all of its creator's. Demoting a user narrows their keys at once.
 *
 * @example grantedForKey(['customers.view', 'customers.edit'], ['customers.view', 'users.delete']) // ['customers.view']
 */
export function grantedForKey(rolePermissions: readonly Permission[], keyPermissions: readonly Permission[] | null): Permission[] {
  if (keyPermissions === null) return normalisePermissions(rolePermissions);
  const held = new Set(rolePermissions);
  return normalisePermissions(keyPermissions.filter((p) => held.has(p)));
}

/**
 * Checks that a creator may hand out every requested permission (to an API key): the first one the
 * creator lacks is refused, naming its position. The value is the requested list, normalised.
 */
export function checkGrantable(requested: readonly Permission[], creatorPermissions: readonly Permission[]): Result<Permission[]> {
  const held = new Set(creatorPermissions);
  for (const [i, p] of requested.entries()) {
    if (!held.has(p)) return err(domainError('AUTH.FORBIDDEN', { field: `permissions.${i}`, params: { permission: p } }));
  }
  return ok(normalisePermissions(requested));
}

// ---------------------------------------------------------------------------------------------------
// Field permissions

/**
 * Customer fields that only workflows change (assign, claim, release, transfer, calls, follow-ups,
 * delete and restore) or that the server stamps. Create and update never set them: no mass assignment.
 */
export const WORKFLOW_FIELDS: readonly string[] = [
  'id',
  'ownerId',
  'pool',
  'protectedUntil',
  'dealStatus',
  'lastContactAt',
  'lastCallAt',
  'lastFollowUpAt',
  'lastCallResult',
  'createdBy',
  'createdAt',
  'updatedBy',
  'updatedAt',
  'deletedAt',
];

const WORKFLOW_BY_MODULE: Record<FieldPermissionModule, ReadonlySet<string>> = {
  customer: new Set(WORKFLOW_FIELDS),
};

const RANK: Record<FieldAccess, number> = { hidden: 0, read: 1, write: 2 };
const narrower = (a: FieldAccess, b: FieldAccess): FieldAccess => (RANK[a] <= RANK[b] ? a : b);

/**
 * A role's access to one field of a module: `write` unless the role says otherwise, and `read` at most
 * for workflow fields. `custom.<key>` is also bounded by an entry for `custom` as a whole.
 */
export function fieldAccessOf(fieldPermissions: FieldPermissions, module: FieldPermissionModule, field: string): FieldAccess {
  const configured = fieldPermissions[module] ?? {};
  const own = (name: string): FieldAccess => (Object.hasOwn(configured, name) ? configured[name]! : 'write');
  let access = own(field);
  if (field.startsWith('custom.')) access = narrower(access, own('custom'));
  if (WORKFLOW_BY_MODULE[module].has(field)) access = narrower(access, 'read');
  return access;
}

/** The fields a role may not see in a module: top-level names and `custom.<key>` names, as configured. */
export function hiddenFieldsOf(fieldPermissions: FieldPermissions, module: FieldPermissionModule): string[] {
  return Object.entries(fieldPermissions[module] ?? {})
    .filter(([, access]) => access === 'hidden')
    .map(([field]) => field);
}

/**
 * A copy of a record without its hidden fields: top-level keys, and for `custom.<key>` the entry of the
 * record's `custom` object. The record itself is not changed.
 *
 * @example stripHiddenFields({ name: 'A', phones: [], custom: { budget: 5, size: 'L' } }, ['phones', 'custom.budget'])
 * // { name: 'A', custom: { size: 'L' } }
 */
export function stripHiddenFields<T extends object>(record: T, hidden: readonly string[]): Partial<T> {
  const copy = { ...record } as Record<string, unknown>;
  const customKeys: string[] = [];
  for (const field of hidden) {
    if (field.startsWith('custom.')) customKeys.push(field.slice('custom.'.length));
    else delete copy[field];
  }
  const custom = copy['custom'];
  if (customKeys.length > 0 && typeof custom === 'object' && custom !== null && !Array.isArray(custom)) {
    const kept: Record<string, unknown> = { ...(custom as Record<string, unknown>) };
    for (const key of customKeys) delete kept[key];
    copy['custom'] = kept;
  }
  return copy as Partial<T>;
}

/**
 * The field names a create or update body writes: its top-level keys, with `custom` spelled out as one
 * `custom.<key>` per value, so that checkWritableFields sees each custom field.
 */
export function writtenFields(input: object): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'custom' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [customKey, customValue] of Object.entries(value)) if (customValue !== undefined) fields.push(`custom.${customKey}`);
    } else {
      fields.push(key);
    }
  }
  return fields;
}

/**
 * Checks that a role may write every given field (top-level names or `custom.<key>`): the first one
 * that is read-only, hidden or a workflow field is refused, naming it.
 */
export function checkWritableFields(
  inputKeys: readonly string[],
  fieldPermissions: FieldPermissions,
  module: FieldPermissionModule,
): Result<void> {
  for (const field of inputKeys) {
    const access = fieldAccessOf(fieldPermissions, module, field);
    if (access !== 'write') {
      const workflow = WORKFLOW_BY_MODULE[module].has(field);
      return err(domainError('AUTH.FIELD_READ_ONLY', { field, params: { access, ...(workflow ? { workflow } : {}) } }));
    }
  }
  return ok(undefined);
}
