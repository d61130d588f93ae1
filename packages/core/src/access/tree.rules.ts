import { domainError, err, ok, type Result } from '../shared/result.js';

/** One node of a role or department tree. A `parentId` that names no node counts as a root. */
export interface TreeNode {
  id: string;
  parentId: string | null;
}

/** One row of a closure table: `descendantId` is `depth` levels below `ancestorId` (0: the node itself). */
export interface ClosureRow {
  ancestorId: string;
  descendantId: string;
  depth: number;
}

export type TreeKind = 'role' | 'department';

function parentsOf(nodes: readonly TreeNode[]): Map<string, string | null> {
  return new Map(nodes.map((n) => [n.id, n.parentId]));
}

/** The ancestors of a node, nearest first. Throws on a cycle: stored trees never hold one. */
function ancestorsOf(parents: ReadonlyMap<string, string | null>, id: string): string[] {
  const chain: string[] = [];
  const seen = new Set([id]);
  let current = parents.get(id) ?? null;
  while (current !== null && parents.has(current)) {
    if (seen.has(current)) throw new Error(`the tree has a cycle through ${current}`);
    seen.add(current);
    chain.push(current);
    current = parents.get(current) ?? null;
  }
  return chain;
}

/**
 * Every closure row of a forest: each node with itself (depth 0) and with each of its ancestors.
 * Rows come node by node in input order, nearest ancestor first.
 */
export function closureRows(nodes: readonly TreeNode[]): ClosureRow[] {
  const parents = parentsOf(nodes);
  const rows: ClosureRow[] = [];
  for (const node of nodes) {
    rows.push({ ancestorId: node.id, descendantId: node.id, depth: 0 });
    ancestorsOf(parents, node.id).forEach((ancestorId, i) => rows.push({ ancestorId, descendantId: node.id, depth: i + 1 }));
  }
  return rows;
}

/** The strict descendants of a node (not the node itself), level by level. */
export function descendantsOf(nodes: readonly TreeNode[], id: string): string[] {
  const children = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.parentId === null) continue;
    const list = children.get(n.parentId) ?? [];
    list.push(n.id);
    children.set(n.parentId, list);
  }
  const found: string[] = [];
  const seen = new Set([id]);
  let level = [id];
  while (level.length > 0) {
    const next: string[] = [];
    for (const parent of level) {
      for (const child of children.get(parent) ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        found.push(child);
        next.push(child);
      }
    }
    level = next;
  }
  return found;
}

/** Whether putting `id` under `newParentId` would make a node its own ancestor. */
export function wouldCreateCycle(nodes: readonly TreeNode[], id: string, newParentId: string | null): boolean {
  if (newParentId === null) return false;
  if (newParentId === id) return true;
  return descendantsOf(nodes, id).includes(newParentId);
}

const CODES = {
  role: { notFound: 'ROLE.NOT_FOUND', cycle: 'ROLE.CYCLE' },
  department: { notFound: 'DEPARTMENT.NOT_FOUND', cycle: 'DEPARTMENT.CYCLE' },
} as const;

/**
 * Checks a move of a node under a new parent (null: to the top). Refuses an unknown node or parent
 * (`ROLE.NOT_FOUND` / `DEPARTMENT.NOT_FOUND`) and a move below itself (`ROLE.CYCLE` / `DEPARTMENT.CYCLE`),
 * both naming `parentId`. The value is the node as it will be stored.
 */
export function checkTreeMove(
  nodes: readonly TreeNode[],
  id: string,
  newParentId: string | null,
  kind: TreeKind,
): Result<TreeNode> {
  const codes = CODES[kind];
  const ids = new Set(nodes.map((n) => n.id));
  if (!ids.has(id)) return err(domainError(codes.notFound, { params: { id } }));
  if (newParentId !== null && !ids.has(newParentId)) {
    return err(domainError(codes.notFound, { field: 'parentId', params: { id: newParentId } }));
  }
  if (wouldCreateCycle(nodes, id, newParentId)) {
    return err(domainError(codes.cycle, { field: 'parentId', params: { id, parentId: newParentId } }));
  }
  return ok({ id, parentId: newParentId });
}

const rowKey = (r: ClosureRow) => `${r.ancestorId}\u0000${r.descendantId}\u0000${r.depth}`;

/**
 * The closure rows a move takes away and adds: what the store deletes and inserts, in the same
 * transaction as the parent change. Only rows of the moved subtree change. The move must have passed
 * checkTreeMove.
 */
export function closureChangesForMove(
  nodes: readonly TreeNode[],
  id: string,
  newParentId: string | null,
): { removed: ClosureRow[]; added: ClosureRow[] } {
  const moved = nodes.map((n) => (n.id === id ? { id, parentId: newParentId } : n));
  const subtree = new Set([id, ...descendantsOf(nodes, id)]);
  const inSubtree = (r: ClosureRow) => subtree.has(r.descendantId);
  const before = closureRows(nodes).filter(inSubtree);
  const after = closureRows(moved).filter(inSubtree);
  const beforeKeys = new Set(before.map(rowKey));
  const afterKeys = new Set(after.map(rowKey));
  return {
    removed: before.filter((r) => !afterKeys.has(rowKey(r))),
    added: after.filter((r) => !beforeKeys.has(rowKey(r))),
  };
}
