import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_POOL_RULES, effectivePoolRules, type PoolRules } from './pool.schema.js';
import {
  isReturnDue,
  nextReturn,
  nextReturns,
  returnCutoff,
  returnDueAt,
  transitionPool,
  type ClaimerFacts,
  type PoolState,
  type PoolTransition,
  type ReturnFacts,
} from './pool.rules.js';

const NOW = new Date('2026-12-01T02:00:00.000Z'); // 10:00 in Shanghai
const TZ = 'Asia/Shanghai';
const rules = (extra: Partial<PoolRules> = {}): PoolRules => ({ ...DEFAULT_POOL_RULES, ...extra });
const ctx = (extra: Partial<PoolRules> = {}, actorId: string | null = 'manager') => ({ actorId, now: NOW, rules: rules(extra), timeZone: TZ });

const publicState: PoolState = { pool: 'public', ownerId: null, publicPoolId: 'p1', protectedUntil: null, ownedSince: null, deleted: false };
const privateState: PoolState = { pool: 'private', ownerId: 'a', publicPoolId: null, protectedUntil: null, ownedSince: '2026-11-01T00:00:00.000Z', deleted: false };
const claimer = (extra: Partial<ClaimerFacts> = {}): ClaimerFacts => ({ userId: 'b', roleId: 'agent', holding: 0, claimedToday: 0, lastLostAt: null, ...extra });

describe('transitionPool: the moves that are allowed', () => {
  it('claims a public customer: private, owned since now, protected for the protection days', () => {
    const r = transitionPool(publicState, { kind: 'claim', claimer: claimer() }, ctx({ protectionDays: 7 }, 'b'));
    expect(r).toEqual({
      ok: true,
      value: {
        state: { pool: 'private', ownerId: 'b', publicPoolId: null, protectedUntil: '2026-12-08T02:00:00.000Z', ownedSince: NOW.toISOString(), deleted: false },
        event: { at: NOW.toISOString(), action: 'claim', actorId: 'b', fromPool: 'public', toPool: 'private', fromOwnerId: null, toOwnerId: 'b', publicPoolId: 'p1', rule: null, reason: null },
      },
    });
  });

  it.each<[string, PoolState, PoolTransition, Partial<PoolState>, string]>([
    ['validates a lead', { ...publicState, pool: 'lead', publicPoolId: null }, { kind: 'validate' }, { pool: 'pending' }, 'validate'],
    ['assigns a pending customer', { ...publicState, pool: 'pending', publicPoolId: null }, { kind: 'assign', toUserId: 'b', targetHolding: 0 }, { pool: 'private', ownerId: 'b' }, 'assign'],
    ['assigns a private customer to another agent', privateState, { kind: 'assign', toUserId: 'b', targetHolding: 0 }, { pool: 'private', ownerId: 'b' }, 'assign'],
    ['releases to a public pool', privateState, { kind: 'release', reason: '无意向', publicPoolId: 'p2' }, { pool: 'public', ownerId: null, publicPoolId: 'p2', ownedSince: null }, 'release'],
    ['returns by rule', privateState, { kind: 'return', rule: 'noFollowUp', publicPoolId: 'p1', won: false, locked: false }, { pool: 'public', ownerId: null }, 'return'],
    ['transfers, keeping the protection', { ...privateState, protectedUntil: '2026-12-05T00:00:00.000Z' }, { kind: 'transfer', toUserId: 'b', targetHolding: 3 }, { ownerId: 'b', protectedUntil: '2026-12-05T00:00:00.000Z' }, 'transfer'],
    ['deletes to the recycle bin, pool unchanged', privateState, { kind: 'delete' }, { deleted: true, pool: 'private', ownerId: 'a' }, 'delete'],
    ['restores to the pool and owner it had', { ...privateState, deleted: true }, { kind: 'restore', ownerHolding: 9, publicPoolId: 'p1' }, { deleted: false, pool: 'private', ownerId: 'a' }, 'restore'],
    ['restores to the public pool when the owner is full', { ...privateState, deleted: true }, { kind: 'restore', ownerHolding: 10, publicPoolId: 'p2' }, { deleted: false, pool: 'public', ownerId: null, publicPoolId: 'p2', ownedSince: null }, 'restore'],
    ['restores a public customer to its pool, whoever is full', { ...publicState, deleted: true }, { kind: 'restore', ownerHolding: 10, publicPoolId: 'p2' }, { deleted: false, pool: 'public', publicPoolId: 'p1' }, 'restore'],
  ])('%s', (_title, state, transition, expected, action) => {
    const r = transitionPool(state, transition, ctx({ holdingLimit: 10 }));
    expect(r.ok && r.value.state).toMatchObject(expected);
    expect(r.ok && r.value.event.action).toBe(action);
  });

  it('records the reason of a release and the rule of a return', () => {
    const released = transitionPool(privateState, { kind: 'release', reason: '无意向', publicPoolId: 'p1' }, ctx({}, 'a'));
    expect(released.ok && released.value.event).toMatchObject({ reason: '无意向', fromOwnerId: 'a', toOwnerId: null, publicPoolId: 'p1' });
    const returned = transitionPool(privateState, { kind: 'return', rule: 'noDeal', publicPoolId: 'p1', won: false, locked: false }, ctx({}, null));
    expect(returned.ok && returned.value.event).toMatchObject({ rule: 'noDeal', actorId: null });
  });
});

describe('transitionPool: the moves that are refused', () => {
  it.each<[string, PoolState, PoolTransition, Partial<PoolRules>, string]>([
    ['claiming a private customer', privateState, { kind: 'claim', claimer: claimer() }, {}, 'POOL.WRONG_POOL'],
    ['claiming a pending customer (hidden from sales)', { ...publicState, pool: 'pending' }, { kind: 'claim', claimer: claimer() }, {}, 'POOL.WRONG_POOL'],
    ['claiming at the holding limit', publicState, { kind: 'claim', claimer: claimer({ holding: 5 }) }, { holdingLimit: 5 }, 'POOL.HOLDING_LIMIT'],
    ['claiming past the daily limit', publicState, { kind: 'claim', claimer: claimer({ claimedToday: 20 }) }, { dailyClaimLimit: 20 }, 'POOL.DAILY_LIMIT'],
    ['claiming within the cooldown', publicState, { kind: 'claim', claimer: claimer({ lastLostAt: '2026-11-29T00:00:00.000Z' }) }, { claimCooldownDays: 3 }, 'POOL.COOLDOWN'],
    ['claiming with a role that may not', publicState, { kind: 'claim', claimer: claimer() }, { claimRoleIds: ['manager'] }, 'POOL.CLAIM_NOT_ALLOWED'],
    ['claiming without a role when roles are set', publicState, { kind: 'claim', claimer: claimer({ roleId: null }) }, { claimRoleIds: ['agent'] }, 'POOL.CLAIM_NOT_ALLOWED'],
    ['validating what is not a lead', publicState, { kind: 'validate' }, {}, 'POOL.WRONG_POOL'],
    ['assigning to the owner', privateState, { kind: 'assign', toUserId: 'a', targetHolding: 0 }, {}, 'POOL.SAME_OWNER'],
    ['assigning to an agent at the limit', publicState, { kind: 'assign', toUserId: 'b', targetHolding: 2 }, { holdingLimit: 2 }, 'POOL.HOLDING_LIMIT'],
    ['releasing a public customer', publicState, { kind: 'release', reason: 'x', publicPoolId: 'p1' }, {}, 'POOL.WRONG_POOL'],
    ['returning a protected customer', { ...privateState, protectedUntil: '2026-12-02T00:00:00.000Z' }, { kind: 'return', rule: 'noFollowUp', publicPoolId: 'p1', won: false, locked: false }, {}, 'POOL.PROTECTED'],
    ['returning a won customer', privateState, { kind: 'return', rule: 'noDeal', publicPoolId: 'p1', won: true, locked: false }, {}, 'POOL.EXEMPT'],
    ['returning a locked customer', privateState, { kind: 'return', rule: 'noDeal', publicPoolId: 'p1', won: false, locked: true }, {}, 'POOL.EXEMPT'],
    ['transferring to the owner', privateState, { kind: 'transfer', toUserId: 'a', targetHolding: 0 }, {}, 'POOL.SAME_OWNER'],
    ['transferring a public customer', publicState, { kind: 'transfer', toUserId: 'b', targetHolding: 0 }, {}, 'POOL.WRONG_POOL'],
    ['anything on a deleted customer', { ...privateState, deleted: true }, { kind: 'release', reason: 'x', publicPoolId: 'p1' }, {}, 'CUSTOMER.DELETED'],
    ['restoring a live customer', privateState, { kind: 'restore', ownerHolding: 0, publicPoolId: 'p1' }, {}, 'CUSTOMER.NOT_DELETED'],
  ])('%s', (_title, state, transition, extra, code) => {
    const r = transitionPool(state, transition, ctx(extra));
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it('lets a claim through once the cooldown is over, and exempts nothing when exemptions are off', () => {
    expect(transitionPool(publicState, { kind: 'claim', claimer: claimer({ lastLostAt: '2026-11-27T00:00:00.000Z' }) }, ctx({ claimCooldownDays: 3 })).ok).toBe(true);
    const off = ctx({ exemptWon: false, exemptLocked: false });
    expect(transitionPool(privateState, { kind: 'return', rule: 'noDeal', publicPoolId: 'p1', won: true, locked: true }, off).ok).toBe(true);
  });

  it('keeps the invariant: private if and only if owned (property)', () => {
    const state = fc.record({
      pool: fc.constantFrom('lead', 'pending', 'private', 'public' as const),
      deleted: fc.boolean(),
      protectedUntil: fc.constantFrom(null, '2026-11-01T00:00:00.000Z', '2026-12-09T00:00:00.000Z'),
    }).map(({ pool, deleted, protectedUntil }): PoolState => ({
      pool,
      ownerId: pool === 'private' ? 'a' : null,
      publicPoolId: pool === 'public' ? 'p1' : null,
      protectedUntil: pool === 'private' ? protectedUntil : null,
      ownedSince: pool === 'private' ? '2026-11-01T00:00:00.000Z' : null,
      deleted,
    }));
    const transition = fc.constantFrom<PoolTransition>(
      { kind: 'validate' },
      { kind: 'assign', toUserId: 'b', targetHolding: 0 },
      { kind: 'claim', claimer: claimer() },
      { kind: 'release', reason: 'x', publicPoolId: 'p1' },
      { kind: 'return', rule: 'noFollowUp', publicPoolId: 'p1', won: false, locked: false },
      { kind: 'transfer', toUserId: 'b', targetHolding: 0 },
      { kind: 'delete' },
      { kind: 'restore', ownerHolding: 0, publicPoolId: 'p1' },
      { kind: 'restore', ownerHolding: 10, publicPoolId: 'p1' },
    );
    fc.assert(fc.property(state, transition, (s, t) => {
      const r = transitionPool(s, t, ctx({ protectionDays: 3, holdingLimit: 10 }));
      if (!r.ok) return;
      expect(r.value.state.pool === 'private').toBe(r.value.state.ownerId !== null);
      expect(r.value.state.pool === 'public').toBe(r.value.state.publicPoolId !== null);
      expect(r.value.event).toMatchObject({ fromPool: s.pool, toPool: r.value.state.pool, fromOwnerId: s.ownerId, toOwnerId: r.value.state.ownerId });
    }));
  });
});

describe('effectivePoolRules', () => {
  it('takes each field from the nearest department that sets it, else the company', () => {
    const company = rules({ holdingLimit: 500, dailyClaimLimit: 50, protectionDays: 7 });
    const team = { holdingLimit: 200 };
    const region = { holdingLimit: 300, dailyClaimLimit: 30 };
    expect(effectivePoolRules(company, [team, region])).toMatchObject({ holdingLimit: 200, dailyClaimLimit: 30, protectionDays: 7 });
    expect(effectivePoolRules(company, [{ holdingLimit: null }])).toMatchObject({ holdingLimit: null });
    expect(effectivePoolRules(company, [])).toEqual(company);
  });

  it('takes the days of each customer level from the nearest department that sets them, keeping the other levels', () => {
    const company = rules({ byLevel: { A: { returnNoFollowUpDays: 30 }, B: { returnNoFollowUpDays: 60, returnNoDealDays: 90 } } });
    const region = { byLevel: { B: { returnNoDealDays: 120 }, C: { returnNoFollowUpDays: 5 } } };
    const team = { byLevel: { C: { returnNoFollowUpDays: 10 }, A: { returnNoFollowUpDays: null } } };
    expect(effectivePoolRules(company, [team, region]).byLevel).toEqual({
      A: { returnNoFollowUpDays: null },
      B: { returnNoFollowUpDays: 60, returnNoDealDays: 120 },
      C: { returnNoFollowUpDays: 10 },
    });
    expect(effectivePoolRules(company, [{ holdingLimit: 5 }]).byLevel).toEqual(company.byLevel);
  });
});

describe('return rules', () => {
  const facts = (extra: Partial<ReturnFacts> = {}): ReturnFacts => ({
    level: null, ownedSince: '2026-11-20T03:00:00.000Z', lastFollowUpAt: null, won: false, locked: false, protectedUntil: null, ...extra,
  });

  it('fires at the start of the local day N days after the clock started', () => {
    // 2026-11-20 23:30 in Shanghai is 15:30 UTC: the clock's day is the 20th, so 7 days fire on the 27th at 00:00 Shanghai.
    expect(returnDueAt('2026-11-20T15:30:00.000Z', 7, TZ)).toBe('2026-11-26T16:00:00.000Z');
    // 16:30 UTC is already the 21st in Shanghai.
    expect(returnDueAt('2026-11-20T16:30:00.000Z', 7, TZ)).toBe('2026-11-27T16:00:00.000Z');
  });

  it('compares a clock with the cutoff exactly when it is due (property, across day boundaries)', () => {
    const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(ms));
    fc.assert(fc.property(instant, instant, fc.integer({ min: 1, max: 90 }), fc.constantFrom(TZ, 'UTC', 'America/New_York'), (anchor, now, days, zone) => {
      const due = returnDueAt(anchor.toISOString(), days, zone) <= now.toISOString();
      expect(anchor.toISOString() < returnCutoff(now, days, zone)).toBe(due);
    }));
  });

  it.each<[string, Partial<ReturnFacts>, Partial<PoolRules>, object | null]>([
    ['no rule set', {}, {}, null],
    ['no follow-up since the claim', {}, { returnNoFollowUpDays: 7 }, { rule: 'noFollowUp', dueAt: '2026-11-26T16:00:00.000Z' }],
    ['a later follow-up restarts the clock', { lastFollowUpAt: '2026-11-25T03:00:00.000Z' }, { returnNoFollowUpDays: 7 }, { rule: 'noFollowUp', dueAt: '2026-12-01T16:00:00.000Z' }],
    ['a follow-up before the claim does not count', { lastFollowUpAt: '2026-11-10T03:00:00.000Z' }, { returnNoFollowUpDays: 7 }, { rule: 'noFollowUp', dueAt: '2026-11-26T16:00:00.000Z' }],
    ['the earlier of two rules', { lastFollowUpAt: '2026-11-25T03:00:00.000Z' }, { returnNoFollowUpDays: 7, returnNoDealDays: 10 }, { rule: 'noDeal', dueAt: '2026-11-29T16:00:00.000Z' }],
    ['the level has its own days', { level: 'A 重点客户' }, { returnNoFollowUpDays: 7, byLevel: { 'A 重点客户': { returnNoFollowUpDays: 30 } } }, { rule: 'noFollowUp', dueAt: '2026-12-19T16:00:00.000Z' }],
    ['the level turns a rule off', { level: 'A 重点客户' }, { returnNoFollowUpDays: 7, byLevel: { 'A 重点客户': { returnNoFollowUpDays: null } } }, null],
    ['not before the protection ends', { protectedUntil: '2026-12-03T00:00:00.000Z' }, { returnNoFollowUpDays: 7 }, { rule: 'noFollowUp', dueAt: '2026-12-03T00:00:00.000Z' }],
    ['won customers are exempt', { won: true }, { returnNoDealDays: 1 }, null],
    ['locked customers are exempt', { locked: true }, { returnNoDealDays: 1 }, null],
    ['unless exemptions are off', { won: true }, { returnNoDealDays: 1, exemptWon: false }, { rule: 'noDeal', dueAt: '2026-11-20T16:00:00.000Z' }],
  ])('%s', (_title, f, r, expected) => {
    expect(nextReturn(facts(f), rules(r), TZ)).toEqual(expected);
  });

  it('answers for many customers as for one (property, zones off the whole hour and with daylight saving)', () => {
    // Many clocks within a few hours of each other, so that answers kept per hour are checked; some
    // windows hold a change of offset (New York, Lord Howe's half hour) or a midnight at a half hour.
    const zones = ['Asia/Shanghai', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe'];
    const shifts = [Date.UTC(2026, 2, 8, 4), Date.UTC(2026, 10, 1, 3), Date.UTC(2026, 3, 4, 13), Date.UTC(2026, 9, 3, 13)];
    const base = fc.oneof(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }), fc.constantFrom(...shifts));
    const offset = fc.integer({ min: 0, max: 6 * 3_600_000 });
    const iso = (ms: number) => new Date(ms).toISOString();
    fc.assert(
      fc.property(fc.constantFrom(...zones), base, fc.array(fc.tuple(offset, fc.option(offset)), { maxLength: 40 }), fc.integer({ min: 1, max: 90 }), (zone, from, clocks, days) => {
        const r = rules({ returnNoFollowUpDays: 7, returnNoDealDays: days });
        const many = nextReturns(r, zone);
        for (const [owned, followUp] of clocks) {
          const f = facts({ ownedSince: iso(from + owned), lastFollowUpAt: followUp === null ? null : iso(from + followUp) });
          expect(many(f)).toEqual(nextReturn(f, r, zone));
        }
      }),
    );
    // A clock that is not a UTC instant is read the way returnDueAt reads it.
    const local = facts({ ownedSince: '2026-11-20T23:30:00+08:00' });
    expect(nextReturns(rules({ returnNoDealDays: 7 }), TZ)(local)).toEqual(nextReturn(local, rules({ returnNoDealDays: 7 }), TZ));
  });

  it('says whether a return is due now or within the reminder days', () => {
    const due = { rule: 'noFollowUp' as const, dueAt: '2026-12-03T16:00:00.000Z' };
    expect(isReturnDue(due, NOW)).toBe(false);
    expect(isReturnDue(due, NOW, 3)).toBe(true);
    expect(isReturnDue(due, new Date('2026-12-03T16:00:00.000Z'))).toBe(true);
    expect(isReturnDue(null, NOW, 30)).toBe(false);
  });
});
