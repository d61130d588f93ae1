import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_THROTTLE, decideLogin, type LoginFailure } from './login-throttle.rules.js';

const NOW = new Date('2026-03-02T08:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const fail = (secondsAgo: number, username = 'alice', address: string | null = '10.0.0.1'): LoginFailure => ({ at: ago(secondsAgo), username, address });
const attempt = (username = 'alice', address: string | null = '10.0.0.1', now = NOW) => ({ username, address, now });
const times = (n: number, make: (i: number) => LoginFailure) => Array.from({ length: n }, (_, i) => make(i));

describe('decideLogin: per user', () => {
  it('allows with no failures, and with fewer than five in the window', () => {
    expect(decideLogin([], attempt())).toEqual({ allowed: true });
    expect(decideLogin(times(4, (i) => fail(10 * (i + 1))), attempt())).toEqual({ allowed: true });
  });

  it('refuses the attempt after the fifth failure, until the oldest leaves the window', () => {
    const failures = [fail(600), fail(500), fail(400), fail(300), fail(200)];
    expect(decideLogin(failures, attempt())).toEqual({ allowed: false, retryAfterSeconds: 300, reason: 'user' });
  });

  it('counts a failure until exactly windowSeconds after it, that instant excluded', () => {
    const four = [fail(100), fail(90), fail(80), fail(70)];
    expect(decideLogin([fail(900), ...four], attempt())).toEqual({ allowed: true });
    expect(decideLogin([fail(899), ...four], attempt())).toEqual({ allowed: false, retryAfterSeconds: 1, reason: 'user' });
    expect(decideLogin([fail(899.999), ...four], attempt())).toEqual({ allowed: false, retryAfterSeconds: 1, reason: 'user' });
    expect(decideLogin([fail(900.001), ...four], attempt())).toEqual({ allowed: true });
  });

  it('lets the attempt go exactly retryAfterSeconds later, and not a second earlier', () => {
    const failures = [fail(600.5), fail(500), fail(400), fail(300), fail(200)];
    const decision = decideLogin(failures, attempt());
    expect(decision).toEqual({ allowed: false, retryAfterSeconds: 300, reason: 'user' }); // 299.5 s, rounded up
    const later = (s: number) => attempt('alice', '10.0.0.1', new Date(NOW.getTime() + s * 1000));
    expect(decideLogin(failures, later(299))).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(decideLogin(failures, later(300))).toEqual({ allowed: true });
  });

  it('with more failures than the limit, waits until enough of them have left the window', () => {
    // 7 failures, 5 allowed: the attempt goes when the 3rd oldest leaves
    const failures = [fail(800), fail(700), fail(600), fail(500), fail(400), fail(300), fail(200)];
    expect(decideLogin(failures, attempt())).toEqual({ allowed: false, retryAfterSeconds: 300, reason: 'user' });
  });

  it('takes the failures in any order', () => {
    const failures = [fail(200), fail(600), fail(300), fail(500), fail(400)];
    expect(decideLogin(failures, attempt())).toEqual({ allowed: false, retryAfterSeconds: 300, reason: 'user' });
  });

  it('counts a user’s failures whatever the case or surrounding spaces of the name', () => {
    const failures = [fail(50, 'Alice'), fail(40, 'ALICE'), fail(30, ' alice'), fail(20, 'alice '), fail(10, 'alice')];
    expect(decideLogin(failures, attempt('aLiCe'))).toMatchObject({ allowed: false, reason: 'user' });
  });

  it('does not count other users’ failures against a user', () => {
    const failures = times(5, (i) => fail(10 + i, 'bob', `10.0.1.${i}`));
    expect(decideLogin(failures, attempt('alice', '10.0.9.9'))).toEqual({ allowed: true });
    expect(decideLogin(failures, attempt('bob', '10.0.9.9'))).toMatchObject({ allowed: false, reason: 'user' });
  });

  it('counts a user’s failures from every address', () => {
    const failures = times(5, (i) => fail(10 + i, 'alice', `10.0.1.${i}`));
    expect(decideLogin(failures, attempt('alice', '192.168.0.1'))).toMatchObject({ allowed: false, reason: 'user' });
  });

  it('counts failures stamped later than now (another server’s clock)', () => {
    const failures = [fail(-5), fail(10), fail(20), fail(30), fail(40)];
    expect(decideLogin(failures, attempt())).toEqual({ allowed: false, retryAfterSeconds: 860, reason: 'user' });
    expect(decideLogin(times(5, () => fail(-5)), attempt())).toEqual({ allowed: false, retryAfterSeconds: 905, reason: 'user' });
  });

  it('reads times with any offset', () => {
    const failures = times(5, () => ({ at: '2026-03-02T15:55:00+08:00', username: 'alice', address: null }));
    expect(decideLogin(failures, attempt())).toEqual({ allowed: false, retryAfterSeconds: 600, reason: 'user' });
  });

  it('throws on a failure with no valid time: the login log is broken', () => {
    expect(() => decideLogin([{ at: 'yesterday', username: 'alice', address: null }], attempt())).toThrow(/time/);
  });
});

describe('decideLogin: per address', () => {
  it('refuses an address after twenty failures over any usernames', () => {
    const failures = times(20, (i) => fail(20 + i * 10, `user${i}`));
    expect(decideLogin(failures.slice(1), attempt('someone'))).toEqual({ allowed: true });
    expect(decideLogin(failures, attempt('someone'))).toEqual({ allowed: false, retryAfterSeconds: 900 - 210, reason: 'address' });
  });

  it('keeps other addresses apart', () => {
    const failures = times(20, (i) => fail(20 + i, `user${i}`, '10.0.0.1'));
    expect(decideLogin(failures, attempt('someone', '10.0.0.2'))).toEqual({ allowed: true });
  });

  it('applies only the per-user limit when the address is unknown', () => {
    const failures = times(25, (i) => fail(20 + i, `user${i}`, null));
    expect(decideLogin(failures, attempt('someone', null))).toEqual({ allowed: true });
    expect(decideLogin(times(5, (i) => fail(20 + i, 'alice', null)), attempt('alice', null))).toMatchObject({ allowed: false, reason: 'user' });
  });

  it('uses the same window boundary as the per-user limit', () => {
    const nineteen = times(19, (i) => fail(10 + i, `user${i}`));
    expect(decideLogin([fail(900, 'x'), ...nineteen], attempt('someone'))).toEqual({ allowed: true });
    expect(decideLogin([fail(899, 'x'), ...nineteen], attempt('someone'))).toEqual({ allowed: false, retryAfterSeconds: 1, reason: 'address' });
  });
});

describe('decideLogin: both limits and policies', () => {
  it('when both limits are hit, reports the longer wait', () => {
    // the user's five failures are recent; the address's twentieth-newest is older
    const userFailures = times(5, (i) => fail(10 + i, 'alice'));
    const addressFailures = times(15, (i) => fail(100 + i, `user${i}`));
    expect(decideLogin([...userFailures, ...addressFailures], attempt())).toEqual({ allowed: false, retryAfterSeconds: 900 - 14, reason: 'user' });
    // the user's five are old; the address has 25, so it waits for the 6th oldest (29 s ago)
    const oldUser = times(5, (i) => fail(800 + i, 'alice'));
    const recentAddress = times(20, (i) => fail(10 + i, `user${i}`));
    expect(decideLogin([...oldUser, ...recentAddress], attempt())).toEqual({ allowed: false, retryAfterSeconds: 900 - 29, reason: 'address' });
  });

  it('reports the user on a tie', () => {
    const failures = times(20, (i) => fail(100, i < 5 ? 'alice' : `user${i}`));
    expect(decideLogin(failures, attempt())).toEqual({ allowed: false, retryAfterSeconds: 800, reason: 'user' });
  });

  it('defaults to 5 per user and 20 per address in 15 minutes', () => {
    expect(DEFAULT_LOGIN_THROTTLE).toEqual({ perUser: { max: 5, windowSeconds: 900 }, perAddress: { max: 20, windowSeconds: 900 } });
  });

  it('follows a given policy', () => {
    const policy = { perUser: { max: 1, windowSeconds: 60 }, perAddress: { max: 3, windowSeconds: 3600 } };
    expect(decideLogin([fail(30)], attempt(), policy)).toEqual({ allowed: false, retryAfterSeconds: 30, reason: 'user' });
    expect(decideLogin([fail(60)], attempt(), policy)).toEqual({ allowed: true });
    const spread = [fail(3000, 'a'), fail(2000, 'b'), fail(1000, 'c')];
    expect(decideLogin(spread, attempt('d'), policy)).toEqual({ allowed: false, retryAfterSeconds: 600, reason: 'address' });
  });

  it('is deterministic and never refuses with a wait under one second', () => {
    const failure = fc.record({
      at: fc.integer({ min: -60_000, max: 1_000_000 }).map((ms) => new Date(NOW.getTime() - ms).toISOString()),
      username: fc.constantFrom('alice', 'Alice', 'bob'),
      address: fc.constantFrom('10.0.0.1', '10.0.0.2', null),
    });
    fc.assert(
      fc.property(fc.array(failure, { maxLength: 40 }), fc.constantFrom('alice', 'bob'), fc.constantFrom('10.0.0.1', null), (failures, user, address) => {
        const decision = decideLogin(failures, attempt(user, address));
        expect(decideLogin(failures, attempt(user, address))).toEqual(decision);
        if (!decision.allowed) expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('allows the same attempt retryAfterSeconds later and refuses it one second earlier, with no new failures', () => {
    const policy = { perUser: { max: 3, windowSeconds: 120 }, perAddress: { max: 5, windowSeconds: 300 } };
    const failure = fc.record({
      at: fc.integer({ min: -5_000, max: 400_000 }).map((ms) => new Date(NOW.getTime() - ms).toISOString()),
      username: fc.constantFrom('alice', 'bob'),
      address: fc.constantFrom('10.0.0.1', '10.0.0.2'),
    });
    fc.assert(
      fc.property(fc.array(failure, { maxLength: 20 }), (failures) => {
        const decision = decideLogin(failures, attempt(), policy);
        if (decision.allowed) return;
        const at = (s: number) => attempt('alice', '10.0.0.1', new Date(NOW.getTime() + s * 1000));
        expect(decideLogin(failures, at(decision.retryAfterSeconds), policy)).toEqual({ allowed: true });
        expect(decideLogin(failures, at(decision.retryAfterSeconds - 1), policy).allowed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
