/** One failed login, as the login log holds it. */
export interface LoginFailure {
  /** ISO-8601 time of the failure. */
  at: string;
  username: string;
  address: string | null;
}

export interface LoginAttempt {
  username: string;
  /** The client's address; null when unknown, and then only the per-user limit applies. */
  address: string | null;
  now: Date;
}

export interface ThrottleLimit {
  /** Failures allowed within the window; the next attempt waits. At least 1. */
  max: number;
  windowSeconds: number;
}

export interface LoginThrottlePolicy {
  perUser: ThrottleLimit;
  perAddress: ThrottleLimit;
}

export type LoginDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'user' | 'address' };

/** 5 failures per username and 20 per address within 15 minutes. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  perUser: { max: 5, windowSeconds: 900 },
  perAddress: { max: 20, windowSeconds: 900 },
};

// Usernames are compared without case and surrounding spaces, so `Alice ` and `alice` share one budget.
const sameUser = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function timeOf(failure: LoginFailure): number {
  const ms = Date.parse(failure.at);
  if (Number.isNaN(ms)) throw new Error(`a login failure has no valid time: ${JSON.stringify(failure.at)}`);
  return ms;
}

/**
 * Seconds until enough of the given failures leave the window for one more attempt; 0 when one is
 * allowed now. A failure counts from its time until `windowSeconds` later, that instant excluded;
 * failures stamped after `now` (another server's clock) count too.
 */
function waitSeconds(times: number[], now: number, limit: ThrottleLimit): number {
  const windowMs = limit.windowSeconds * 1000;
  const max = Math.max(1, limit.max);
  const inWindow = times.filter((t) => now - t < windowMs).sort((a, b) => a - b);
  if (inWindow.length < max) return 0;
  // The attempt may go once all but max - 1 of them have expired: when the (count - max + 1)th oldest does.
  const freeing = inWindow[inWindow.length - max]!;
  return Math.max(1, Math.ceil((freeing + windowMs - now) / 1000));
}

/**
 * Whether a login attempt may go ahead, given recent failed logins (any users and addresses: they are
 * filtered here). A refusal says which limit was hit and how long to wait; when both are hit, the
 * longer wait wins (the user's on a tie). Callers pass failures only, and may leave out a user's
 * failures from before their last successful login.
 *
 * @example decideLogin([], { username: 'alice', address: '10.0.0.1', now }) // { allowed: true }
 */
export function decideLogin(
  failures: readonly LoginFailure[],
  attempt: LoginAttempt,
  policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
): LoginDecision {
  const now = attempt.now.getTime();
  const userTimes: number[] = [];
  const addressTimes: number[] = [];
  for (const failure of failures) {
    if (sameUser(failure.username, attempt.username)) userTimes.push(timeOf(failure));
    if (attempt.address !== null && failure.address === attempt.address) addressTimes.push(timeOf(failure));
  }
  const userWait = waitSeconds(userTimes, now, policy.perUser);
  const addressWait = attempt.address === null ? 0 : waitSeconds(addressTimes, now, policy.perAddress);
  if (userWait === 0 && addressWait === 0) return { allowed: true };
  return userWait >= addressWait
    ? { allowed: false, retryAfterSeconds: userWait, reason: 'user' }
    : { allowed: false, retryAfterSeconds: addressWait, reason: 'address' };
}
