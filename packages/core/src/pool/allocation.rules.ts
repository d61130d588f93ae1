/**
 * The ways to deal customers out to agents (分配策略).
 *
 * @example ALLOCATION_STRATEGIES.includes('even') // true
 */
export const ALLOCATION_STRATEGIES = ['round-robin', 'even', 'by-previous-owner', 'least-loaded', 'weighted'] as const;

/**
 * One of {@link ALLOCATION_STRATEGIES}.
 *
 * @example const strategy: AllocationStrategy = 'round-robin';
 */
export type AllocationStrategy = (typeof ALLOCATION_STRATEGIES)[number];

/**
 * An agent customers may be given to, with what the rules need to know about it.
 *
 * @example const agent: AllocationAgent = { id: 'u1', active: true, holding: 120, limit: 200 };
 */
export interface AllocationAgent {
  id: string;
  /** Disabled users get nothing. */
  active: boolean;
  /** Private customers the agent holds now. */
  holding: number;
  /** Holding limit (最大客户数); null: no limit. */
  limit: number | null;
  /** For `weighted`: a positive share (default 1). */
  weight?: number;
}

/**
 * A customer to place.
 *
 * @example const customer: AllocationCustomer = { id: 'c1', previousOwnerId: 'u1' };
 */
export interface AllocationCustomer {
  id: string;
  /** The last owner, for `by-previous-owner`. */
  previousOwnerId?: string | null;
}

/**
 * Why a customer was not placed: `noAgents` when no agent given is active (for `weighted`: active with a
 * positive weight), `allAtLimit` when every such agent is at its holding limit.
 *
 * @example const reason: UnplacedReason = 'allAtLimit';
 */
export type UnplacedReason = 'noAgents' | 'allAtLimit';

/**
 * What {@link allocate} decided.
 *
 * @example
 * const result: Allocation = {
 *   assignments: [{ customerId: 'c1', agentId: 'u1' }],
 *   unplaced: [{ customerId: 'c2', reason: 'allAtLimit' }],
 *   cursor: 'u1',
 *   skipped: [{ agentId: 'u1', reason: 'atLimit' }, { agentId: 'u2', reason: 'inactive' }],
 * };
 */
export interface Allocation {
  /** In customer order. */
  assignments: { customerId: string; agentId: string }[];
  /** In customer order. */
  unplaced: { customerId: string; reason: UnplacedReason }[];
  /** The agent the rotation continues after next time (round-robin and by-previous-owner's fall-through); unchanged when nothing was placed round-robin. */
  cursor: string | null;
  /** Agents skipped, with why, so the report can say "王五 is at its limit": 'inactive' | 'atLimit' (at the start or reached during this allocation). In agent list order. */
  skipped: { agentId: string; reason: 'inactive' | 'atLimit' }[];
}

// The agents as parallel typed arrays over the de-duplicated list: the hot loops run over numbers, not
// objects (100,000 customers x 50 agents is millions of steps for least-loaded and weighted).
interface Roster {
  ids: string[];
  indexOf: Map<string, number>;
  /** 1: active, and for `weighted` also a positive weight. */
  usable: Uint8Array;
  /** Customers each agent may still take; Infinity without a limit. */
  room: Float64Array;
  /** Holding plus what this allocation gave so far, for `least-loaded`. */
  load: Float64Array;
  weight: Float64Array;
}

function rosterOf(agents: readonly AllocationAgent[], weighted: boolean): Roster {
  // An id listed twice is one agent: the first listing holds its facts.
  const indexOf = new Map<string, number>();
  const unique: AllocationAgent[] = [];
  for (const agent of agents) {
    if (indexOf.has(agent.id)) continue;
    indexOf.set(agent.id, unique.length);
    unique.push(agent);
  }
  const n = unique.length;
  const roster: Roster = {
    ids: unique.map((agent) => agent.id),
    indexOf,
    usable: new Uint8Array(n),
    room: new Float64Array(n),
    load: new Float64Array(n),
    weight: new Float64Array(n),
  };
  unique.forEach((agent, i) => {
    roster.weight[i] = weightOf(agent.weight);
    roster.usable[i] = agent.active && (!weighted || roster.weight[i]! > 0) ? 1 : 0;
    roster.room[i] = roomOf(agent);
    roster.load[i] = agent.holding;
  });
  return roster;
}

// A fractional or nonsensical limit must not yield an extra slot: floor it, and a NaN means no room.
function roomOf(agent: AllocationAgent): number {
  if (agent.limit === null) return Infinity;
  const room = Math.floor(agent.limit - agent.holding);
  return room > 0 ? room : 0;
}

// Zero, negative and non-finite weights are a zero share (reported as 'inactive'), not an error: they come
// from settings a manager typed, and one bad weight should not stop the whole allocation.
function weightOf(weight: number | undefined): number {
  if (weight === undefined) return 1;
  return Number.isFinite(weight) && weight > 0 ? weight : 0;
}

const canTake = (roster: Roster, agent: number) => roster.usable[agent] === 1 && roster.room[agent]! >= 1;

/**
 * The round-robin rotation over the agents that can take customers, from the one after `cursor` in list
 * order (from the first when `cursor` is null or not listed). Agents leave it when their room runs out.
 */
class Rotation {
  private readonly ring: number[] = [];
  private at = 0;
  /** The last agent dealt to; -1 before any. */
  last = -1;

  constructor(private readonly roster: Roster, cursor: string | null) {
    const n = roster.ids.length;
    const after = cursor === null ? -1 : (roster.indexOf.get(cursor) ?? -1);
    for (let k = 1; k <= n; k++) {
      const agent = (after + k) % n;
      if (canTake(roster, agent)) this.ring.push(agent);
    }
  }

  /** The agent for the next customer (its room taken), or -1 when nobody has room. */
  next(): number {
    const { ring, roster } = this;
    if (ring.length === 0) return -1;
    const agent = ring[this.at]!;
    roster.room[agent]! -= 1;
    if (roster.room[agent]! < 1) ring.splice(this.at, 1);
    else this.at++;
    if (this.at >= ring.length) this.at = 0;
    this.last = agent;
    return agent;
  }
}

/**
 * Assigns customers to agents by a strategy (DESIGN §2, 分配). Pure and deterministic: the same input
 * gives the same output.
 *
 * - Room of an agent: `limit === null ? Infinity : max(0, limit - holding)`; each assignment takes one.
 *   Inactive agents and agents without room get nothing. An agent id listed twice counts once (first
 *   listing). Customer ids are taken to be distinct, as a query returns them: not checked, as hashing
 *   100,000 ids would cost about as much as the allocation itself.
 * - `round-robin`: from the agent after `cursor` in list order, cycling, passing over agents without room.
 *   The new cursor is the last agent given a customer, so the caller can persist it per scope and the next
 *   batch continues the rotation.
 * - `even`: equal shares within the batch: final counts differ by at most one among the agents that still
 *   have room at the end, the extra ones going to the first agents after `cursor`. Dealing one customer
 *   at a time in that order is exactly this, so it deals (and moves the cursor) like `round-robin`.
 * - `by-previous-owner`: a customer whose previous owner is listed, active and has room goes back to it
 *   (these are served first, in customer order); every other customer falls through to `round-robin`.
 *   Only the fall-through moves the cursor.
 * - `least-loaded`: each customer in order to the agent with the fewest `holding` + given so far; ties by
 *   list order. Cursor returned as given.
 * - `weighted`: a smooth weighted rotation (weights 5, 1, 1 deal a a b a a c a), ties by list order; a
 *   missing weight is 1, a weight that is not a positive number gives no share (skipped as 'inactive').
 *   Without binding limits each agent stays within 1 of `n * weight / total` after every customer; an
 *   agent that fills up drops out and the others share what is left. Each call starts the sequence
 *   afresh; cursor returned as given.
 *
 * Customers nobody can take are listed in `unplaced`; agents inactive or at their limit (at the start or
 * by the end) in `skipped`.
 *
 * @example
 * const agents = ['a', 'b', 'c'].map((id) => ({ id, active: true, holding: 0, limit: null }));
 * const customers = ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => ({ id }));
 * allocate(customers, agents, 'round-robin', null);
 * // assignments to a, b, c, a, b; cursor 'b'; and with cursor 'b' the next batch starts at c
 */
export function allocate(
  customers: readonly AllocationCustomer[],
  agents: readonly AllocationAgent[],
  strategy: AllocationStrategy,
  cursor: string | null,
): Allocation {
  const roster = rosterOf(agents, strategy === 'weighted');
  // The agent index per customer; -1: not placed.
  const given = new Int32Array(customers.length).fill(-1);
  let newCursor = cursor;

  switch (strategy) {
    case 'round-robin':
    case 'even': {
      const rotation = new Rotation(roster, cursor);
      for (let i = 0; i < customers.length; i++) given[i] = rotation.next();
      if (rotation.last >= 0) newCursor = roster.ids[rotation.last]!;
      break;
    }
    case 'by-previous-owner': {
      for (let i = 0; i < customers.length; i++) {
        const owner = customers[i]!.previousOwnerId;
        const agent = owner == null ? undefined : roster.indexOf.get(owner);
        if (agent === undefined || !canTake(roster, agent)) continue;
        roster.room[agent]! -= 1;
        given[i] = agent;
      }
      // Built after the returns so that owners they filled are already out of the rotation.
      const rotation = new Rotation(roster, cursor);
      for (let i = 0; i < customers.length; i++) if (given[i] === -1) given[i] = rotation.next();
      if (rotation.last >= 0) newCursor = roster.ids[rotation.last]!;
      break;
    }
    case 'least-loaded':
      dealLeastLoaded(roster, given);
      break;
    case 'weighted':
      dealWeighted(roster, given);
      break;
  }

  const reason: UnplacedReason = roster.usable.includes(1) ? 'allAtLimit' : 'noAgents';
  const result: Allocation = { assignments: [], unplaced: [], cursor: newCursor, skipped: [] };
  for (let i = 0; i < customers.length; i++) {
    const agent = given[i]!;
    if (agent >= 0) result.assignments.push({ customerId: customers[i]!.id, agentId: roster.ids[agent]! });
    else result.unplaced.push({ customerId: customers[i]!.id, reason });
  }
  for (let agent = 0; agent < roster.ids.length; agent++) {
    if (!roster.usable[agent]) result.skipped.push({ agentId: roster.ids[agent]!, reason: 'inactive' });
    else if (roster.room[agent]! < 1) result.skipped.push({ agentId: roster.ids[agent]!, reason: 'atLimit' });
  }
  return result;
}

// The agents that can take customers, in list order; the deal loops drop them as they fill.
const takersOf = (roster: Roster) => roster.ids.map((_, agent) => agent).filter((agent) => canTake(roster, agent));

function dealLeastLoaded(roster: Roster, given: Int32Array): void {
  const { load, room } = roster;
  const live = takersOf(roster);
  for (let i = 0; i < given.length && live.length > 0; i++) {
    // A linear scan: agent lists are short (tens), and it keeps ties in list order for free.
    let best = 0;
    let least = load[live[0]!]!;
    for (let k = 1; k < live.length; k++) {
      const l = load[live[k]!]!;
      if (l < least) {
        best = k;
        least = l;
      }
    }
    const agent = live[best]!;
    given[i] = agent;
    load[agent]! += 1;
    room[agent]! -= 1;
    if (room[agent]! < 1) live.splice(best, 1);
  }
}

// Tijdeman's chairman assignment ("The chairman assignment problem", 1980) rather than nginx's smooth
// weighted round-robin: nginx always picks the largest deficit, and with many agents that drifts past one
// customer from the share (weights [5,3,9,9,1,1,9,9,2,1,9]: the last agent is 1.12 behind after 91).
// Here only agents at least `slack` behind their share are due, and of those the one whose lag would
// reach 1 - slack soonest goes first, which keeps every agent within 1 - slack < 1 of its share after
// every customer. It is as smooth (weights 5, 1, 1 deal a a b a a c a) and as cheap: one pass per customer.
function dealWeighted(roster: Roster, given: Int32Array): void {
  const { room } = roster;
  const live = takersOf(roster);
  let i = 0;
  // A phase per set of agents: when one fills up, the others share the customers left afresh.
  while (i < given.length && live.length > 0) {
    // Dense per-phase arrays: the inner loop below runs millions of times and reads nothing else.
    const n = live.length;
    const weight = Float64Array.from(live, (agent) => roster.weight[agent]!);
    const inverse = weight.map((w) => 1 / w);
    const dealt = new Float64Array(n);
    const total = weight.reduce((sum, w) => sum + w, 0);
    const slack = n > 1 ? 1 / (2 * n - 2) : 0;
    // A hair under the slack, so that rounding never leaves nobody due (two agents can both be exactly at it).
    const due = slack * total * (1 - 1e-9);
    for (let t = 1; i < given.length; t++) {
      let best = 0;
      let soonest = Infinity;
      for (let k = 0; k < n; k++) {
        // Lag behind the share after t customers, times the total weight.
        if (t * weight[k]! - dealt[k]! * total < due) continue;
        const deadline = (dealt[k]! + 1 - slack) * inverse[k]!;
        if (deadline < soonest) {
          best = k;
          soonest = deadline;
        }
      }
      const agent = live[best]!;
      given[i++] = agent;
      dealt[best]! += 1;
      room[agent]! -= 1;
      if (room[agent]! < 1) {
        live.splice(best, 1);
        break;
      }
    }
  }
}
