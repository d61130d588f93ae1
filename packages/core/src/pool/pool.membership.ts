import type { PublicPool } from './pool.schema.js';

/** Who a user is, for public pool membership: the department and the ones above it, nearest first. */
export interface PoolMember {
  userId: string;
  departmentPath: readonly string[];
}

/**
 * Whether a user may claim from a pool: a pool without members is open to everyone; else the user is
 * named, or sits in a named department or one below it.
 */
export function isPoolMember(pool: Pick<PublicPool, 'departmentIds' | 'userIds'>, member: PoolMember): boolean {
  if (pool.departmentIds.length === 0 && pool.userIds.length === 0) return true;
  return pool.userIds.includes(member.userId) || member.departmentPath.some((d) => pool.departmentIds.includes(d));
}

/**
 * The public pool a customer of this owner goes to when released or returned: the pool of the owner's
 * nearest department that has one of its own (e.g. 华东公海 for 上海组 under 华东区), else the default.
 *
 * @example releasePoolOf(pools, ['shanghai', 'east']) // the pool listing 'shanghai', else 'east', else the default
 */
export function releasePoolOf(pools: readonly Pick<PublicPool, 'id' | 'isDefault' | 'departmentIds'>[], departmentPath: readonly string[]): string {
  for (const department of departmentPath) {
    const own = pools.find((p) => p.departmentIds.includes(department));
    if (own) return own.id;
  }
  const fallback = pools.find((p) => p.isDefault) ?? pools[0];
  if (!fallback) throw new Error('no public pool: the default pool is made by a migration and cannot be deleted');
  return fallback.id;
}
