import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createHarness, dialects, type Harness } from '../../test-support/harness.js';

describe.each(dialects)('login log and throttling on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const attempt = (password: string, username = 'admin') => h.request('POST', '/api/v1/auth/login', { body: { username, password } });

  it('refuses a user after five failures in 15 minutes, even with the right password, then lets them in again', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password')).status).toBe(401);
    const refused = await attempt(ADMIN_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('AUTH.TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    // Another user is not affected by the first one's failures.
    await h.agent('agent_t');
    expect((await attempt('agent-pass-123', 'agent_t')).status).toBe(200);
    h.clock.advance(15 * 60_000 + 1000);
    expect((await attempt(ADMIN_PASSWORD)).status).toBe(200);
  });

  it('records every attempt in the login log, never the password', async () => {
    await attempt('Tr0ub4dor&3');
    await attempt(ADMIN_PASSWORD);
    await attempt('whatever', 'ghost');
    const rows = await h.application.store.db.selectFrom('login_log').selectAll().orderBy('at').orderBy('id').execute();
    const mine = rows.slice(-3).map((r) => [r.username, r.success, r.reason]);
    expect(mine).toEqual([
      ['admin', 0, 'wrong-password'],
      ['admin', 1, null],
      ['ghost', 0, 'unknown-user'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('Tr0ub4dor&3');
    expect(JSON.stringify(rows)).not.toContain(ADMIN_PASSWORD);
  });
});
