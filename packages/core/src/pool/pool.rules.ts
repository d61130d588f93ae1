import { DateTime } from 'luxon';
import type { Pool } from '../customer/customer.schema.js';
import { err, ok, type DomainError, type Result } from '../shared/result.js';
import type { PoolEvent, PoolRules, ReturnRule } from './pool.schema.js';

/** Where a customer stands between the pools, as the transitions read and write it. */
export interface PoolState {
  pool: Pool;
  ownerId: string | null;
  /** The public pool it sits in (public customers only). */
  publicPoolId: string | null;
  /** Until when it is never returned by rule (set by a claim or an assignment). */
  protectedUntil: string | null;
  /** Since when its owner holds it: the clock of the return rules. */
  ownedSince: string | null;
  deleted: boolean;
}

/** What a claim needs to know of the claimer, counted in the same transaction as the write. */
export interface ClaimerFacts {
  userId: string;
  roleId: string | null;
  /** Private customers it holds now. */
  holding: number;
  /** Claims it made since local midnight. */
  claimedToday: number;
  /** When it last released or lost this very customer, if ever. */
  lastLostAt: string | null;
}

export type PoolTransition =
  /** lead -> pending (认定为有效). */
  | { kind: 'validate' }
  /** any live customer -> private to an agent, by a manager. */
  | { kind: 'assign'; toUserId: string; targetHolding: number }
  /** public -> private, by the claimer. */
  | { kind: 'claim'; claimer: ClaimerFacts }
  /** private -> public, by the owner (or a manager), with a reason from the release-reason list. */
  | { kind: 'release'; reason: string; publicPoolId: string }
  /** private -> public by a return rule, unless protected or exempt. */
  | { kind: 'return'; rule: ReturnRule; publicPoolId: string; won: boolean; locked: boolean }
  /** private -> private to another owner (转移, 离职交接). */
  | { kind: 'transfer'; toUserId: string; targetHolding: number }
  | { kind: 'delete' }
  /** Out of the recycle bin: to the owner it had while the owner has room, else to `publicPoolId`. */
  | { kind: 'restore'; ownerHolding: number; publicPoolId: string };

export interface TransitionContext {
  /** Who acts; null for the system (a return by rule). */
  actorId: string | null;
  now: Date;
  /** The rules in force for the customer's (new) owner. */
  rules: PoolRules;
  timeZone: string;
}

export type PoolEventDraft = Omit<PoolEvent, 'id' | 'customerId'>;

const fail = (code: DomainError['code'], params: Record<string, unknown> = {}) => err<DomainError>({ code, params });

/**
 * One move of a customer between pools and owners (DESIGN §2 "Pools"), or why it may not happen.
 * Keeps the invariant: private <=> an owner; and writes the event of the journey.
 *
 * @example transitionPool(publicState, { kind: 'claim', claimer }, ctx) // ok: private to the claimer, protected
 */
export function transitionPool(
  state: PoolState,
  transition: PoolTransition,
  ctx: TransitionContext,
): Result<{ state: PoolState; event: PoolEventDraft }, DomainError> {
  const at = ctx.now.toISOString();
  const moved = (next: PoolState, action: PoolEventDraft['action'], extra: Partial<PoolEventDraft> = {}) =>
    ok({
      state: next,
      event: {
        at,
        action,
        actorId: ctx.actorId,
        fromPool: state.pool,
        toPool: next.pool,
        fromOwnerId: state.ownerId,
        toOwnerId: next.ownerId,
        publicPoolId: next.publicPoolId ?? state.publicPoolId,
        rule: null,
        reason: null,
        ...extra,
      },
    });
  const owned = (ownerId: string): PoolState => ({
    pool: 'private',
    ownerId,
    publicPoolId: null,
    protectedUntil: ctx.rules.protectionDays ? addDays(ctx.now, ctx.rules.protectionDays) : null,
    ownedSince: at,
    deleted: false,
  });
  const holdingAllows = (holding: number) => hasRoomToHold(ctx.rules, holding);

  if (transition.kind === 'restore') {
    if (!state.deleted) return fail('CUSTOMER.NOT_DELETED');
    // The owner may have filled its holding while the customer was in the bin: a restore never takes
    // it past the limit, so the customer goes to the public pool instead of back to the owner.
    if (state.pool === 'private' && !holdingAllows(transition.ownerHolding)) {
      return moved(
        { pool: 'public', ownerId: null, publicPoolId: transition.publicPoolId, protectedUntil: null, ownedSince: null, deleted: false },
        'restore',
        { publicPoolId: transition.publicPoolId },
      );
    }
    return moved({ ...state, deleted: false }, 'restore');
  }
  if (state.deleted) return fail('CUSTOMER.DELETED');

  switch (transition.kind) {
    case 'delete':
      return moved({ ...state, deleted: true }, 'delete');
    case 'validate':
      if (state.pool !== 'lead') return fail('POOL.WRONG_POOL', { pool: state.pool, expected: ['lead'] });
      return moved({ ...state, pool: 'pending' }, 'validate');
    case 'assign':
      if (state.ownerId === transition.toUserId) return fail('POOL.SAME_OWNER', { userId: transition.toUserId });
      if (!holdingAllows(transition.targetHolding)) {
        return fail('POOL.HOLDING_LIMIT', { userId: transition.toUserId, limit: ctx.rules.holdingLimit, holding: transition.targetHolding });
      }
      return moved(owned(transition.toUserId), 'assign');
    case 'claim': {
      const { claimer } = transition;
      if (state.pool !== 'public') return fail('POOL.WRONG_POOL', { pool: state.pool, expected: ['public'] });
      if (ctx.rules.claimRoleIds !== null && (claimer.roleId === null || !ctx.rules.claimRoleIds.includes(claimer.roleId))) {
        return fail('POOL.CLAIM_NOT_ALLOWED');
      }
      if (!holdingAllows(claimer.holding)) return fail('POOL.HOLDING_LIMIT', { userId: claimer.userId, limit: ctx.rules.holdingLimit, holding: claimer.holding });
      if (ctx.rules.dailyClaimLimit !== null && claimer.claimedToday >= ctx.rules.dailyClaimLimit) {
        return fail('POOL.DAILY_LIMIT', { limit: ctx.rules.dailyClaimLimit });
      }
      if (ctx.rules.claimCooldownDays && claimer.lastLostAt) {
        const until = addDays(new Date(claimer.lastLostAt), ctx.rules.claimCooldownDays);
        if (at < until) return fail('POOL.COOLDOWN', { until });
      }
      return moved(owned(claimer.userId), 'claim');
    }
    case 'release':
      if (state.pool !== 'private') return fail('POOL.WRONG_POOL', { pool: state.pool, expected: ['private'] });
      return moved(
        { pool: 'public', ownerId: null, publicPoolId: transition.publicPoolId, protectedUntil: null, ownedSince: null, deleted: false },
        'release',
        { reason: transition.reason, publicPoolId: transition.publicPoolId },
      );
    case 'return':
      if (state.pool !== 'private') return fail('POOL.WRONG_POOL', { pool: state.pool, expected: ['private'] });
      if (state.protectedUntil && at < state.protectedUntil) return fail('POOL.PROTECTED', { until: state.protectedUntil });
      if ((ctx.rules.exemptWon && transition.won) || (ctx.rules.exemptLocked && transition.locked)) return fail('POOL.EXEMPT');
      return moved(
        { pool: 'public', ownerId: null, publicPoolId: transition.publicPoolId, protectedUntil: null, ownedSince: null, deleted: false },
        'return',
        { rule: transition.rule, publicPoolId: transition.publicPoolId },
      );
    case 'transfer':
      if (state.pool !== 'private') return fail('POOL.WRONG_POOL', { pool: state.pool, expected: ['private'] });
      if (state.ownerId === transition.toUserId) return fail('POOL.SAME_OWNER', { userId: transition.toUserId });
      if (!holdingAllows(transition.targetHolding)) {
        return fail('POOL.HOLDING_LIMIT', { userId: transition.toUserId, limit: ctx.rules.holdingLimit, holding: transition.targetHolding });
      }
      return moved({ ...owned(transition.toUserId), protectedUntil: state.protectedUntil }, 'transfer');
  }
}

/** Whether an agent holding `holding` private customers may take one more (最大客户数). */
export const hasRoomToHold = (rules: Pick<PoolRules, 'holdingLimit'>, holding: number): boolean => rules.holdingLimit === null || holding < rules.holdingLimit;

/** `days` calendar days after an instant, as an instant (UTC ISO). */
const addDays = (from: Date, days: number): string => new Date(from.getTime() + days * 86_400_000).toISOString();

// ---------------------------------------------------------------------------------------------------
// Return rules: when a private customer goes back to the public pool

/** What the return rules look at on one customer. */
export interface ReturnFacts {
  level: string | null;
  ownedSince: string | null;
  lastFollowUpAt: string | null;
  won: boolean;
  locked: boolean;
  protectedUntil: string | null;
}

/** The return days of each rule for a customer level (its own, else the company's). */
export function returnDaysFor(rules: PoolRules, level: string | null): Record<ReturnRule, number | null> {
  const own = level === null ? undefined : rules.byLevel[level];
  return {
    noFollowUp: own?.returnNoFollowUpDays !== undefined ? own.returnNoFollowUpDays : rules.returnNoFollowUpDays,
    noDeal: own?.returnNoDealDays !== undefined ? own.returnNoDealDays : rules.returnNoDealDays,
  };
}

/**
 * When a rule of `days` days fires for a clock that started at `anchor`: at the start of the local
 * day `days` days after the anchor's local day. Days are the company's calendar days.
 */
export function returnDueAt(anchor: string, days: number, timeZone: string): string {
  return DateTime.fromISO(anchor, { zone: 'utc' }).setZone(timeZone).startOf('day').plus({ days }).toUTC().toISO()!;
}

/**
 * The instant a set-based query compares clocks with: a clock started before it has run `days` days
 * by `now` (`anchor < cutoff` exactly when `returnDueAt(anchor, days) <= now`).
 */
export function returnCutoff(now: Date, days: number, timeZone: string): string {
  return DateTime.fromJSDate(now).setZone(timeZone).startOf('day').minus({ days: days - 1 }).toUTC().toISO()!;
}

export interface DueReturn {
  rule: ReturnRule;
  /** When the rule fires (or fired); never before the protection ends. */
  dueAt: string;
}

/**
 * The rule that returns a customer first, and when, or null when none applies (no rule set, won or
 * locked and exempt). The clock of `noFollowUp` starts at the last follow-up or, if none since, the
 * day the owner got it; the clock of `noDeal` at the day the owner got it.
 *
 * @example nextReturn(facts, { ...rules, returnNoFollowUpDays: 7 }, 'Asia/Shanghai') // { rule: 'noFollowUp', dueAt: ... }
 */
export function nextReturn(facts: ReturnFacts, rules: PoolRules, timeZone: string): DueReturn | null {
  return decideReturn(facts, rules, (anchor, days) => returnDueAt(anchor, days, timeZone));
}

/**
 * nextReturn for many customers under one set of rules, with the same answers. Luxon's time-zone
 * arithmetic costs tens of microseconds a call, the most of a return run over a million customers;
 * here it is done once per UTC hour of the clocks instead of once per customer.
 */
export function nextReturns(rules: PoolRules, timeZone: string): (facts: ReturnFacts) => DueReturn | null {
  const dueAt = dueAtByHour(timeZone);
  return (facts) => decideReturn(facts, rules, dueAt);
}

const HOUR_MS = 3_600_000;

/**
 * returnDueAt, kept per UTC hour of the anchor and number of days. When the first and the last
 * millisecond of an hour have the same due date, no local midnight falls inside the hour and every
 * instant of it has that date; otherwise (a zone off the whole hour) each anchor is computed.
 */
function dueAtByHour(timeZone: string): (anchor: string, days: number) => string {
  const byHour = new Map<string, string | null>();
  const atMillis = (ms: number, days: number) => DateTime.fromMillis(ms, { zone: timeZone }).startOf('day').plus({ days }).toUTC().toISO()!;
  return (anchor, days) => {
    // Instants as the store writes them (UTC, `Z`); anything else the way returnDueAt reads it.
    const ms = anchor.endsWith('Z') ? Date.parse(anchor) : Number.NaN;
    if (Number.isNaN(ms)) return returnDueAt(anchor, days, timeZone);
    const hour = Math.floor(ms / HOUR_MS);
    const key = `${hour}|${days}`;
    let due = byHour.get(key);
    if (due === undefined) {
      const first = atMillis(hour * HOUR_MS, days);
      due = first === atMillis((hour + 1) * HOUR_MS - 1, days) ? first : null;
      byHour.set(key, due);
    }
    return due ?? returnDueAt(anchor, days, timeZone);
  };
}

function decideReturn(facts: ReturnFacts, rules: PoolRules, dueAt: (anchor: string, days: number) => string): DueReturn | null {
  if ((rules.exemptWon && facts.won) || (rules.exemptLocked && facts.locked) || facts.ownedSince === null) return null;
  const days = returnDaysFor(rules, facts.level);
  const followUpClock = facts.lastFollowUpAt && facts.lastFollowUpAt > facts.ownedSince ? facts.lastFollowUpAt : facts.ownedSince;
  const candidates: DueReturn[] = [];
  if (days.noFollowUp !== null) candidates.push({ rule: 'noFollowUp', dueAt: dueAt(followUpClock, days.noFollowUp) });
  if (days.noDeal !== null) candidates.push({ rule: 'noDeal', dueAt: dueAt(facts.ownedSince, days.noDeal) });
  if (candidates.length === 0) return null;
  const first = candidates.reduce((a, b) => (b.dueAt < a.dueAt ? b : a));
  return facts.protectedUntil && facts.protectedUntil > first.dueAt ? { ...first, dueAt: facts.protectedUntil } : first;
}

/** Whether a return is due at `now`, or (with `withinDays`) will be within that many days: the "about to return" list. */
export function isReturnDue(due: DueReturn | null, now: Date, withinDays = 0): boolean {
  return due !== null && due.dueAt <= addDays(now, withinDays);
}
