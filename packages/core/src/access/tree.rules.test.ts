import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTreeMove, closureChangesForMove, closureRows, descendantsOf, wouldCreateCycle, type ClosureRow, type TreeNode } from './tree.rules.js';

//        a           f
//      /   \         |
//     b     c        g
//    / \
//   d   e
const forest: TreeNode[] = [
  { id: 'a', parentId: null },
  { id: 'b', parentId: 'a' },
  { id: 'c', parentId: 'a' },
  { id: 'd', parentId: 'b' },
  { id: 'e', parentId: 'b' },
  { id: 'f', parentId: null },
  { id: 'g', parentId: 'f' },
];

const key = (r: ClosureRow) => `${r.ancestorId}>${r.descendantId}@${r.depth}`;
const keys = (rows: ClosureRow[]) => rows.map(key).sort();

/** A random forest: each node's parent comes earlier in a hidden order; ids and input order are shuffled. */
const forestArb: fc.Arbitrary<TreeNode[]> = fc
  .array(fc.nat(), { maxLength: 14 })
  .chain((parentChoices) =>
    fc.tuple(fc.constant(parentChoices), fc.shuffledSubarray(parentChoices.map((_, i) => `n${i}`), { minLength: parentChoices.length })),
  )
  .chain(([parentChoices, ids]) => {
    const nodes = parentChoices.map((choice, i) => {
      const p = choice % (i + 1); // i itself means "a root"
      return { id: ids[i]!, parentId: p === i ? null : ids[p]! };
    });
    return fc.shuffledSubarray(nodes, { minLength: nodes.length });
  });

/** A random forest with a node to move and a new parent for it (null: the top). */
const withMove = forestArb
  .filter((nodes) => nodes.length > 0)
  .chain((nodes) => {
    const id = fc.constantFrom(...nodes.map((n) => n.id));
    return fc.tuple(fc.constant(nodes), id, fc.option(id, { nil: null }));
  });

/** The closure by plain recursion over the parent links. */
function naiveClosure(nodes: TreeNode[]): ClosureRow[] {
  const rows: ClosureRow[] = [];
  const up = (descendantId: string, current: string, depth: number): void => {
    rows.push({ ancestorId: current, descendantId, depth });
    const parent = nodes.find((n) => n.id === current)?.parentId ?? null;
    if (parent !== null) up(descendantId, parent, depth + 1);
  };
  for (const n of nodes) up(n.id, n.id, 0);
  return rows;
}

function isAcyclic(nodes: TreeNode[]): boolean {
  for (const start of nodes) {
    let current: string | null = start.id;
    for (let steps = 0; current !== null; steps++) {
      if (steps > nodes.length) return false;
      current = nodes.find((n) => n.id === current)?.parentId ?? null;
    }
  }
  return true;
}

const move = (nodes: TreeNode[], id: string, parentId: string | null) => nodes.map((n) => (n.id === id ? { id, parentId } : n));

describe('closureRows', () => {
  it('has a self row per node and a row per ancestor, with its depth', () => {
    expect(keys(closureRows(forest))).toEqual(
      [
        'a>a@0',
        'b>b@0',
        'a>b@1',
        'c>c@0',
        'a>c@1',
        'd>d@0',
        'b>d@1',
        'a>d@2',
        'e>e@0',
        'b>e@1',
        'a>e@2',
        'f>f@0',
        'g>g@0',
        'f>g@1',
      ].sort(),
    );
  });

  it('lists node by node in input order, nearest ancestor first', () => {
    expect(closureRows([{ id: 'd', parentId: 'b' }, ...forest.filter((n) => n.id !== 'd')]).slice(0, 3)).toEqual([
      { ancestorId: 'd', descendantId: 'd', depth: 0 },
      { ancestorId: 'b', descendantId: 'd', depth: 1 },
      { ancestorId: 'a', descendantId: 'd', depth: 2 },
    ]);
  });

  it('is empty for no nodes, and treats a parent that names no node as a root', () => {
    expect(closureRows([])).toEqual([]);
    expect(closureRows([{ id: 'x', parentId: 'gone' }])).toEqual([{ ancestorId: 'x', descendantId: 'x', depth: 0 }]);
  });

  it('throws on a cycle, which a stored tree never holds', () => {
    expect(() => closureRows([{ id: 'x', parentId: 'x' }])).toThrow(/cycle/);
    expect(() =>
      closureRows([
        { id: 'x', parentId: 'y' },
        { id: 'y', parentId: 'x' },
      ]),
    ).toThrow(/cycle/);
  });

  it('equals a naive recursive walk on random forests', () => {
    fc.assert(
      fc.property(forestArb, (nodes) => {
        expect(keys(closureRows(nodes))).toEqual(keys(naiveClosure(nodes)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('descendantsOf', () => {
  it('lists the strict descendants level by level', () => {
    expect(descendantsOf(forest, 'a')).toEqual(['b', 'c', 'd', 'e']);
    expect(descendantsOf(forest, 'b')).toEqual(['d', 'e']);
    expect(descendantsOf(forest, 'f')).toEqual(['g']);
    expect(descendantsOf(forest, 'd')).toEqual([]);
    expect(descendantsOf(forest, 'unknown')).toEqual([]);
  });

  it('agrees with the closure rows on random forests', () => {
    fc.assert(
      fc.property(forestArb, (nodes) => {
        const rows = closureRows(nodes);
        for (const n of nodes) {
          const expected = rows.filter((r) => r.ancestorId === n.id && r.depth > 0).map((r) => r.descendantId);
          expect([...descendantsOf(nodes, n.id)].sort()).toEqual(expected.sort());
        }
      }),
    );
  });
});

describe('wouldCreateCycle', () => {
  it('is true for a move under itself or under one of its descendants', () => {
    expect(wouldCreateCycle(forest, 'a', 'a')).toBe(true);
    expect(wouldCreateCycle(forest, 'a', 'b')).toBe(true);
    expect(wouldCreateCycle(forest, 'a', 'e')).toBe(true);
    expect(wouldCreateCycle(forest, 'b', 'd')).toBe(true);
  });

  it('is false for a move to the top, to a sibling, to an ancestor or to another tree', () => {
    expect(wouldCreateCycle(forest, 'b', null)).toBe(false);
    expect(wouldCreateCycle(forest, 'b', 'c')).toBe(false);
    expect(wouldCreateCycle(forest, 'd', 'a')).toBe(false);
    expect(wouldCreateCycle(forest, 'a', 'g')).toBe(false);
    expect(wouldCreateCycle(forest, 'd', 'e')).toBe(false);
  });

  it('says false exactly when the moved forest has no cycle', () => {
    fc.assert(
      fc.property(withMove, ([nodes, id, parentId]) => {
        expect(wouldCreateCycle(nodes, id, parentId)).toBe(!isAcyclic(move(nodes, id, parentId)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkTreeMove', () => {
  it('passes a valid move and returns the node as it will be stored', () => {
    expect(checkTreeMove(forest, 'd', 'c', 'department')).toEqual({ ok: true, value: { id: 'd', parentId: 'c' } });
    expect(checkTreeMove(forest, 'b', null, 'role')).toEqual({ ok: true, value: { id: 'b', parentId: null } });
  });

  it('refuses a cycle with the code of the tree, naming parentId', () => {
    expect(checkTreeMove(forest, 'a', 'd', 'role')).toEqual({
      ok: false,
      error: { code: 'ROLE.CYCLE', field: 'parentId', params: { id: 'a', parentId: 'd' } },
    });
    expect(checkTreeMove(forest, 'b', 'b', 'department')).toEqual({
      ok: false,
      error: { code: 'DEPARTMENT.CYCLE', field: 'parentId', params: { id: 'b', parentId: 'b' } },
    });
  });

  it('refuses an unknown node or parent', () => {
    expect(checkTreeMove(forest, 'z', 'a', 'role')).toEqual({ ok: false, error: { code: 'ROLE.NOT_FOUND', params: { id: 'z' } } });
    expect(checkTreeMove(forest, 'b', 'z', 'department')).toEqual({
      ok: false,
      error: { code: 'DEPARTMENT.NOT_FOUND', field: 'parentId', params: { id: 'z' } },
    });
  });

  it('agrees with wouldCreateCycle on random moves', () => {
    fc.assert(
      fc.property(withMove, ([nodes, id, parentId]) => {
        const result = checkTreeMove(nodes, id, parentId, 'role');
        expect(result.ok).toBe(!wouldCreateCycle(nodes, id, parentId));
        if (result.ok) expect(isAcyclic(move(nodes, id, parentId))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('closureChangesForMove', () => {
  it('cuts the subtree from its old ancestors and joins it to the new ones', () => {
    const { removed, added } = closureChangesForMove(forest, 'b', 'g');
    expect(keys(removed)).toEqual(['a>b@1', 'a>d@2', 'a>e@2'].sort());
    expect(keys(added)).toEqual(['f>b@2', 'f>d@3', 'f>e@3', 'g>b@1', 'g>d@2', 'g>e@2'].sort());
  });

  it('changes nothing for a move to the same parent, and only cuts for a move to the top', () => {
    expect(closureChangesForMove(forest, 'b', 'a')).toEqual({ removed: [], added: [] });
    expect(keys(closureChangesForMove(forest, 'g', null).removed)).toEqual(['f>g@1']);
    expect(closureChangesForMove(forest, 'g', null).added).toEqual([]);
  });

  it('turns the old closure into the new one on random valid moves', () => {
    fc.assert(
      fc.property(withMove, ([nodes, id, parentId]) => {
        fc.pre(!wouldCreateCycle(nodes, id, parentId));
        const { removed, added } = closureChangesForMove(nodes, id, parentId);
        const gone = new Set(removed.map(key));
        const after = [...closureRows(nodes).filter((r) => !gone.has(key(r))), ...added];
        expect(keys(after)).toEqual(keys(closureRows(move(nodes, id, parentId))));
      }),
      { numRuns: 300 },
    );
  });
});
