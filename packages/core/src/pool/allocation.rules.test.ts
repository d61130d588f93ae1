import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ALLOCATION_STRATEGIES,
  allocate,
  type Allocation,
  type AllocationAgent,
  type AllocationCustomer,
  type AllocationStrategy,
} from './allocation.rules.js';

const agent = (id: string, extra: Partial<AllocationAgent> = {}): AllocationAgent => ({ id, active: true, holding: 0, limit: null, ...extra });
const team = (ids: string) => [...ids].map((id) => agent(id));
const customersOf = (n: number, previousOwners: readonly (string | null)[] = []): AllocationCustomer[] =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, previousOwnerId: previousOwners[i] ?? null }));

// One letter per customer: the agent it went to, or '.' when unplaced. Agent ids are single letters here.
function dealt(result: Allocation, customers: readonly AllocationCustomer[]): string {
  const to = new Map(result.assignments.map((a) => [a.customerId, a.agentId]));
  return customers.map((c) => to.get(c.id) ?? '.').join('');
}

const countsOf = (result: Allocation) => {
  const counts = new Map<string, number>();
  for (const { agentId } of result.assignments) counts.set(agentId, (counts.get(agentId) ?? 0) + 1);
  return counts;
};

// The facts the rules promise, computed independently of the module: first listing wins.
function factsOf(agents: readonly AllocationAgent[], strategy: AllocationStrategy) {
  const first = new Map<string, AllocationAgent>();
  for (const a of agents) if (!first.has(a.id)) first.set(a.id, a);
  const list = [...first.values()];
  const weightOf = (a: AllocationAgent) => (a.weight === undefined ? 1 : Number.isFinite(a.weight) && a.weight > 0 ? a.weight : 0);
  const usable = (a: AllocationAgent) => a.active && (strategy !== 'weighted' || weightOf(a) > 0);
  const room = (a: AllocationAgent) => (a.limit === null ? Infinity : Math.max(0, Math.floor(a.limit - a.holding)));
  return { list, usable, room };
}

describe('allocate: round-robin', () => {
  it.each<[string, AllocationAgent[], string | null, number, string, string | null]>([
    ['from the first agent', team('abc'), null, 5, 'abcab', 'b'],
    ['continues after the cursor', team('abc'), 'b', 5, 'cabca', 'a'],
    ['wraps after the last agent', team('abc'), 'c', 2, 'ab', 'b'],
    ['from the first agent when the cursor is not listed', team('abc'), 'gone', 4, 'abca', 'a'],
    ['passes over an inactive agent', [agent('a'), agent('b', { active: false }), agent('c')], null, 4, 'acac', 'c'],
    ['after a cursor that is inactive', [agent('a'), agent('b', { active: false }), agent('c')], 'b', 3, 'cac', 'c'],
    ['passes over an agent at its limit from the start', [agent('a'), agent('b', { holding: 5, limit: 5 }), agent('c')], null, 3, 'aca', 'a'],
    ['passes over an agent once it reaches its limit', [agent('a'), agent('b', { holding: 4, limit: 5 }), agent('c')], null, 6, 'abcaca', 'a'],
    ['never gives more than the room (holding over the limit)', [agent('a', { holding: 9, limit: 5 }), agent('b', { limit: 2 })], null, 3, 'bb.', 'b'],
    ['counts an agent listed twice once, by its first listing', [agent('a'), agent('b'), agent('a', { active: false }), agent('c')], null, 4, 'abca', 'a'],
    ['leaves the cursor when nothing is placed', [agent('a', { limit: 0 })], 'a', 2, '..', 'a'],
    ['leaves the cursor with no customers', team('abc'), 'b', 0, '', 'b'],
  ])('%s', (_, agents, cursor, n, expected, nextCursor) => {
    const customers = customersOf(n);
    const result = allocate(customers, agents, 'round-robin', cursor);
    expect(dealt(result, customers)).toBe(expected);
    expect(result.cursor).toBe(nextCursor);
  });

  it('chains batches through the cursor: the example of the design', () => {
    const first = allocate(customersOf(5), team('abc'), 'round-robin', null);
    expect(first.assignments.map((a) => a.agentId).join('')).toBe('abcab');
    expect(first.cursor).toBe('b');
    const second = allocate(customersOf(3), team('abc'), 'round-robin', first.cursor);
    expect(second.assignments.map((a) => a.agentId).join('')).toBe('cab');
  });

  it('reports agents skipped, and customers it could not place', () => {
    const agents = [agent('a', { active: false }), agent('b', { limit: 1 }), agent('c', { holding: 3, limit: 3 }), agent('d', { limit: 3 })];
    const customers = customersOf(6);
    const result = allocate(customers, agents, 'round-robin', null);
    expect(dealt(result, customers)).toBe('bddd..');
    expect(result.skipped).toEqual([
      { agentId: 'a', reason: 'inactive' },
      { agentId: 'b', reason: 'atLimit' },
      { agentId: 'c', reason: 'atLimit' },
      { agentId: 'd', reason: 'atLimit' },
    ]);
    expect(result.unplaced).toEqual([{ customerId: 'c4', reason: 'allAtLimit' }, { customerId: 'c5', reason: 'allAtLimit' }]);
  });

  it.each<[string, AllocationAgent[], 'noAgents' | 'allAtLimit']>([
    ['no agents', [], 'noAgents'],
    ['only inactive agents', [agent('a', { active: false }), agent('b', { active: false, limit: 0 })], 'noAgents'],
    ['active agents all at their limit', [agent('a', { active: false }), agent('b', { limit: 0 })], 'allAtLimit'],
  ])('says why with %s', (_, agents, reason) => {
    const result = allocate(customersOf(2), agents, 'round-robin', null);
    expect(result.assignments).toEqual([]);
    expect(result.unplaced).toEqual([{ customerId: 'c0', reason }, { customerId: 'c1', reason }]);
  });

  it('gives the same result in two batches chained through the cursor as in one', () => {
    fc.assert(fc.property(agentsArb, fc.nat({ max: 40 }), fc.nat({ max: 40 }), cursorArb, (agents, n1, n2, cursor) => {
      const all = customersOf(n1 + n2);
      const whole = allocate(all, agents, 'round-robin', cursor);
      const first = allocate(all.slice(0, n1), agents, 'round-robin', cursor);
      // The caller stores the first batch before the second: the agents hold more.
      const given = countsOf(first);
      const after = agents.map((a) => ({ ...a, holding: a.holding + (given.get(a.id) ?? 0) }));
      const second = allocate(all.slice(n1), after, 'round-robin', first.cursor);
      expect([...first.assignments, ...second.assignments]).toEqual(whole.assignments);
      expect([...first.unplaced, ...second.unplaced]).toEqual(whole.unplaced);
      expect(second.cursor).toBe(whole.cursor);
    }));
  });
});

describe('allocate: by-previous-owner', () => {
  const agents = [agent('a'), agent('b', { active: false }), agent('c', { holding: 2, limit: 2 }), agent('d', { limit: 1 }), agent('e')];
  it.each<[string, (string | null)[], string]>([
    ['back to an eligible previous owner', ['e', 'a', 'e'], 'eae'],
    ['falls through when the owner is inactive', ['b'], 'a'],
    ['falls through when the owner is at its limit', ['c'], 'a'],
    ['falls through when the owner reaches its limit', ['d', 'd', 'd'], 'dae'],
    ['falls through when the owner is not listed', ['z'], 'a'],
    ['falls through without a previous owner', [null, null], 'ad'],
    ['returns first, then rotates the rest', [null, 'a', null, 'a', 'a', null], 'aadaae'],
  ])('%s', (_, owners, expected) => {
    const customers = customersOf(owners.length, owners);
    expect(dealt(allocate(customers, agents, 'by-previous-owner', null), customers)).toBe(expected);
  });

  it('rotates the fall-through from the cursor, and only the fall-through moves it', () => {
    const customers = customersOf(4, ['b', 'a', null, 'c']);
    const result = allocate(customers, team('abc'), 'by-previous-owner', 'a');
    expect(dealt(result, customers)).toBe('babc');
    // c0, c1 and c3 went back to their owners; c2 fell through to the agent after 'a'.
    expect(result.cursor).toBe('b');
    const returnsOnly = allocate(customersOf(2, ['c', 'c']), team('abc'), 'by-previous-owner', 'a');
    expect(returnsOnly.cursor).toBe('a');
  });

  it('returns customers to an eligible owner, the earliest first while its room lasts', () => {
    fc.assert(fc.property(agentsArb, customersArb, cursorArb, (agents, customers, cursor) => {
      const result = allocate(customers, agents, 'by-previous-owner', cursor);
      const { list, usable, room } = factsOf(agents, 'by-previous-owner');
      const to = new Map(result.assignments.map((a) => [a.customerId, a.agentId]));
      for (const owner of list.filter(usable)) {
        const theirs = customers.filter((c) => c.previousOwnerId === owner.id);
        const back = theirs.filter((c) => to.get(c.id) === owner.id).map((c) => c.id);
        const expected = theirs.slice(0, Math.min(theirs.length, room(owner))).map((c) => c.id);
        expect(back).toEqual(expected);
      }
    }));
  });
});

describe('allocate: even', () => {
  it.each<[string, AllocationAgent[], string | null, number, Record<string, number>, string | null]>([
    ['equal shares', team('abc'), null, 6, { a: 2, b: 2, c: 2 }, 'c'],
    ['the extra ones to the first after the cursor', team('abcd'), 'b', 6, { c: 2, d: 2, a: 1, b: 1 }, 'd'],
    ['a limit takes less, the rest share equally', [agent('a', { limit: 1 }), agent('b'), agent('c')], null, 7, { a: 1, b: 3, c: 3 }, 'c'],
    ['holding counts against the limit', [agent('a', { holding: 4, limit: 5 }), agent('b', { limit: 2 }), agent('c')], null, 7, { a: 1, b: 2, c: 4 }, 'c'],
  ])('%s', (_, agents, cursor, n, expected, nextCursor) => {
    const result = allocate(customersOf(n), agents, 'even', cursor);
    expect(Object.fromEntries(countsOf(result))).toEqual(expected);
    expect(result.cursor).toBe(nextCursor);
  });

  it('rotates the extra one over repeated batches of one', () => {
    let cursor: string | null = null;
    const got: string[] = [];
    for (let i = 0; i < 7; i++) {
      const result = allocate(customersOf(1), team('abc'), 'even', cursor);
      got.push(result.assignments[0]!.agentId);
      cursor = result.cursor;
    }
    expect(got.join('')).toBe('abcabca');
  });

  it('differs by at most one among the agents with room left, the extra ones first after the cursor', () => {
    fc.assert(fc.property(agentsArb, customersArb, cursorArb, (agents, customers, cursor) => {
      const result = allocate(customers, agents, 'even', cursor);
      const { list, usable, room } = factsOf(agents, 'even');
      const counts = countsOf(result);
      const count = (a: AllocationAgent) => counts.get(a.id) ?? 0;
      const start = cursor === null ? 0 : list.findIndex((a) => a.id === cursor) + 1;
      const rotation = [...list.slice(start), ...list.slice(0, start)].filter(usable);
      const withRoom = rotation.filter((a) => count(a) < room(a)).map(count);
      if (withRoom.length === 0) return;
      const least = Math.min(...withRoom);
      expect(Math.max(...withRoom) - least).toBeLessThanOrEqual(1);
      // Non-increasing in rotation order: the extra ones went to the first agents after the cursor.
      expect(withRoom).toEqual([...withRoom].sort((x, y) => y - x));
      // An agent that filled up took less, or at most the extra one (its last slot).
      for (const a of rotation) expect(count(a)).toBeLessThanOrEqual(least + 1);
    }));
  });

  it('deals customers like round-robin', () => {
    fc.assert(fc.property(agentsArb, customersArb, cursorArb, (agents, customers, cursor) => {
      expect(allocate(customers, agents, 'even', cursor)).toEqual(allocate(customers, agents, 'round-robin', cursor));
    }));
  });
});

describe('allocate: least-loaded', () => {
  it.each<[string, AllocationAgent[], number, string]>([
    ['to the agent holding fewest', [agent('a', { holding: 5 }), agent('b', { holding: 2 }), agent('c', { holding: 4 })], 3, 'bbb'],
    ['ties by list order', [agent('a', { holding: 3 }), agent('b', { holding: 1 }), agent('c', { holding: 1 })], 5, 'bcbca'],
    ['counts what it gave so far', team('ab'), 4, 'abab'],
    ['passes over inactive agents and agents at their limit', [agent('a', { active: false }), agent('b', { limit: 1 }), agent('c', { holding: 9, limit: 9 })], 3, 'b..'],
  ])('%s', (_, agents, n, expected) => {
    const customers = customersOf(n);
    const result = allocate(customers, agents, 'least-loaded', 'x');
    expect(dealt(result, customers)).toBe(expected);
    expect(result.cursor).toBe('x');
  });

  it('leaves no agent that got a customer more than one above the least loaded with room', () => {
    fc.assert(fc.property(agentsArb, customersArb, (agents, customers) => {
      const result = allocate(customers, agents, 'least-loaded', null);
      const { list, usable, room } = factsOf(agents, 'least-loaded');
      const counts = countsOf(result);
      const load = (a: AllocationAgent) => a.holding + (counts.get(a.id) ?? 0);
      const open = list.filter((a) => usable(a) && (counts.get(a.id) ?? 0) < room(a));
      if (open.length === 0) return;
      const least = Math.min(...open.map(load));
      for (const a of list) if (counts.has(a.id)) expect(load(a)).toBeLessThanOrEqual(least + 1);
    }));
  });
});

describe('allocate: weighted', () => {
  it.each<[string, AllocationAgent[], number, string]>([
    ['smoothly, by weight', [agent('a', { weight: 5 }), agent('b', { weight: 1 }), agent('c', { weight: 1 })], 7, 'aabaaca'],
    ['equal weights alternate in list order', team('ab'), 4, 'abab'],
    ['a missing weight is 1', [agent('a', { weight: 2 }), agent('b')], 3, 'aba'],
    ['a weight that is not positive gets nothing', [agent('a', { weight: 0 }), agent('b', { weight: -1 }), agent('c', { weight: Number.NaN }), agent('d')], 2, 'dd'],
    ['an agent at its limit drops out', [agent('a', { weight: 3, limit: 1 }), agent('b')], 3, 'abb'],
  ])('%s', (_, agents, n, expected) => {
    const customers = customersOf(n);
    expect(dealt(allocate(customers, agents, 'weighted', null), customers)).toBe(expected);
  });

  it('skips a zero weight as inactive; with no positive weight there are no agents', () => {
    const result = allocate(customersOf(1), [agent('a', { weight: 0 })], 'weighted', 'a');
    expect(result.skipped).toEqual([{ agentId: 'a', reason: 'inactive' }]);
    expect(result.unplaced).toEqual([{ customerId: 'c0', reason: 'noAgents' }]);
    expect(result.cursor).toBe('a');
  });

  // The largest lag behind (or lead over) its share any agent has after each customer, in customers.
  function worstDrift(weights: readonly number[], n: number): number {
    const agents = weights.map((w, i) => agent(`a${i}`, { weight: w }));
    const total = weights.reduce((s, w) => s + w, 0);
    const counts = new Map<string, number>();
    let worst = 0;
    allocate(customersOf(n), agents, 'weighted', null).assignments.forEach(({ agentId }, i) => {
      counts.set(agentId, (counts.get(agentId) ?? 0) + 1);
      for (const a of agents) worst = Math.max(worst, Math.abs((counts.get(a.id) ?? 0) - ((i + 1) * a.weight!) / total));
    });
    return worst;
  }

  it('gives each agent within 1 of its share after every customer when no limit binds', () => {
    const weight = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(0.5, 1.5, 2.25, 0.1, 40));
    fc.assert(fc.property(fc.array(weight, { minLength: 1, maxLength: 50 }), fc.nat({ max: 300 }), (weights, n) => {
      expect(worstDrift(weights, n)).toBeLessThan(1);
    }));
  });

  it.each([
    [[5, 3, 9, 9, 1, 1, 9, 9, 2, 1, 9]],
    [[7, 0.1, 7, 0.1, 7, 0.1, 7]],
  ])('stays within 1 of the share for weights %j, where always taking the largest lag (nginx) drifts past it', (weights) => {
    expect(worstDrift(weights, 400)).toBeLessThan(1);
  });
});

// Small ids so that duplicates, cursors and previous owners hit listed agents often.
const ids = ['a', 'b', 'c', 'd', 'e'];
const agentsArb = fc.array(
  fc.record({
    id: fc.constantFrom(...ids),
    active: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    holding: fc.nat({ max: 6 }),
    limit: fc.option(fc.nat({ max: 10 }), { nil: null }),
    weight: fc.option(fc.constantFrom(0, -1, 0.5, 1, 2, 3, Number.NaN, Infinity), { nil: undefined }),
  }),
  { maxLength: 7 },
);
const ownerArb = fc.option(fc.constantFrom(...ids, 'z'), { nil: null });
const customersArb = fc.array(ownerArb, { maxLength: 40 }).map((owners) => customersOf(owners.length, owners));
const cursorArb = fc.option(fc.constantFrom(...ids, 'z'), { nil: null });

describe('allocate: every strategy', () => {
  it('places each customer once or says why not, within room, to usable agents only, the same way every time', () => {
    fc.assert(fc.property(agentsArb, customersArb, cursorArb, fc.constantFrom(...ALLOCATION_STRATEGIES), (agents, customers, cursor, strategy) => {
      const input = structuredClone({ agents, customers });
      const result = allocate(customers, agents, strategy, cursor);
      expect(allocate(input.customers, input.agents, strategy, cursor)).toEqual(result);
      expect({ agents, customers }).toEqual(input); // inputs untouched

      const { list, usable, room } = factsOf(agents, strategy);
      const byId = new Map(list.map((a) => [a.id, a]));
      const index = new Map(customers.map((c, i) => [c.id, i]));
      const placed = [...result.assignments.map((a) => a.customerId), ...result.unplaced.map((u) => u.customerId)];
      expect(placed.sort((x, y) => index.get(x)! - index.get(y)!)).toEqual(customers.map((c) => c.id));
      const order = (xs: { customerId: string }[]) => xs.map((x) => index.get(x.customerId)!);
      expect(order(result.assignments)).toEqual(order(result.assignments).sort((x, y) => x - y));
      expect(order(result.unplaced)).toEqual(order(result.unplaced).sort((x, y) => x - y));

      const counts = countsOf(result);
      for (const [id, n] of counts) {
        const a = byId.get(id)!;
        expect(usable(a)).toBe(true);
        expect(n).toBeLessThanOrEqual(room(a));
      }
      if (result.unplaced.length > 0) {
        const anyUsable = list.some(usable);
        for (const u of result.unplaced) expect(u.reason).toBe(anyUsable ? 'allAtLimit' : 'noAgents');
        for (const a of list.filter(usable)) expect(counts.get(a.id) ?? 0).toBe(room(a));
      }
      expect(result.skipped).toEqual(
        list.flatMap((a) =>
          !usable(a) ? [{ agentId: a.id, reason: 'inactive' }] : (counts.get(a.id) ?? 0) >= room(a) ? [{ agentId: a.id, reason: 'atLimit' }] : [],
        ),
      );
      if (strategy === 'least-loaded' || strategy === 'weighted' || result.assignments.length === 0) expect(result.cursor).toBe(cursor);
      else if (strategy !== 'by-previous-owner') expect(result.cursor).toBe(result.assignments.at(-1)!.agentId);
    }), { numRuns: 500 });
  });

  describe('100,000 customers over 50 agents', () => {
    const agents = Array.from({ length: 50 }, (_, i) =>
      agent(`u${i}`, { active: i % 17 !== 3, holding: i * 10, limit: i % 2 === 0 ? 2_000 + i * 10 : null, weight: 1 + (i % 5) }),
    );
    const customers = Array.from({ length: 100_000 }, (_, i) => ({ id: `c${i}`, previousOwnerId: i % 2 === 0 ? `u${i % 60}` : null }));
    it.each(ALLOCATION_STRATEGIES)('%s', (strategy) => {
      const start = performance.now();
      const result = allocate(customers, agents, strategy, 'u7');
      const ms = performance.now() - start;
      console.log(`allocate ${strategy}: 100,000 customers over 50 agents in ${ms.toFixed(1)} ms`);
      expect(result.assignments).toHaveLength(100_000);
      expect(result.unplaced).toHaveLength(0);
      expect(result.skipped.filter((s) => s.reason === 'inactive').map((s) => s.agentId)).toEqual(['u3', 'u20', 'u37']);
    });
  });
});
