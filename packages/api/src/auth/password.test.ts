import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_COST, hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('stores the scrypt parameters with each hash, so hashes of any cost verify', async () => {
    const strong = await hashPassword('correct horse battery', DEFAULT_PASSWORD_COST);
    const cheap = await hashPassword('correct horse battery', 10);
    expect(strong.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect(cheap.split('$')[1]).toBe(String(2 ** 10));
    expect(await verifyPassword('correct horse battery', strong)).toBe(true);
    expect(await verifyPassword('correct horse battery', cheap)).toBe(true);
    expect(await verifyPassword('correct horse batterY', cheap)).toBe(false);
  });

  it('salts every hash and never contains the password', async () => {
    const a = await hashPassword('same password', 10);
    const b = await hashPassword('same password', 10);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
  });

  it('refuses what it cannot read', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });
});
