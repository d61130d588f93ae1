import { describe, expect, it } from 'vitest';
import { isPoolMember, releasePoolOf } from './pool.membership.js';

const pools = [
  { id: 'default', isDefault: true, departmentIds: [], userIds: [] },
  { id: 'east', isDefault: false, departmentIds: ['east'], userIds: [] },
  { id: 'vip', isDefault: false, departmentIds: [], userIds: ['u9'] },
];

describe('isPoolMember', () => {
  it.each([
    ['anyone, in a pool without members', pools[0]!, { userId: 'u1', departmentPath: [] }, true],
    ['a user of a member department', pools[1]!, { userId: 'u1', departmentPath: ['east'] }, true],
    ['a user of a department below it', pools[1]!, { userId: 'u1', departmentPath: ['shanghai', 'east'] }, true],
    ['not a user elsewhere', pools[1]!, { userId: 'u1', departmentPath: ['west'] }, false],
    ['a named user', pools[2]!, { userId: 'u9', departmentPath: [] }, true],
    ['not another user', pools[2]!, { userId: 'u1', departmentPath: ['east'] }, false],
  ])('%s', (_title, pool, member, expected) => {
    expect(isPoolMember(pool, member)).toBe(expected);
  });
});

describe('releasePoolOf', () => {
  it('is the pool of the nearest department that has one, else the default', () => {
    expect(releasePoolOf(pools, ['shanghai', 'east'])).toBe('east');
    expect(releasePoolOf(pools, ['west'])).toBe('default');
    expect(releasePoolOf(pools, [])).toBe('default');
    expect(() => releasePoolOf([], [])).toThrow();
  });
});
