import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from './connect.js';
import type { Database } from './database.js';
import { takeTurns } from './dialect.js';

type Db = Kysely<Database> | Transaction<Database>;
export type ClosureTableName = 'role_closure' | 'department_closure';

/**
 * Makes the changes of one tree take turns until the transaction ends. Each checks the closure rows
 * before it writes them: two moves at once (A under B, B under A) would each find no cycle and make
 * one, and a node added under a parent that is moving would copy the ancestors it is leaving.
 */
export async function lockTree(trx: Transaction<Database>, dialect: DialectName, table: ClosureTableName): Promise<void> {
  await takeTurns(trx, dialect, table);
}

/** Adds a node under a parent (or as a root): its own row plus one per ancestor of the parent. */
export async function insertTreeNode(db: Db, table: ClosureTableName, id: string, parentId: string | null): Promise<void> {
  await db.insertInto(table).values({ ancestor_id: id, descendant_id: id, depth: 0 }).execute();
  if (!parentId) return;
  await db
    .insertInto(table)
    .columns(['ancestor_id', 'descendant_id', 'depth'])
    .expression((eb) =>
      eb
        .selectFrom(`${table} as up`)
        .select((e) => ['up.ancestor_id', e.val(id).as('descendant_id'), e('up.depth', '+', 1).as('depth')])
        .where('up.descendant_id', '=', parentId),
    )
    .execute();
}

/**
 * Moves a node and its whole subtree under a new parent, set-based: the links from outside the
 * subtree are cut, then every ancestor of the new parent is joined to every node of the subtree.
 * The caller checks that the new parent is not inside the subtree.
 */
export async function moveTreeNode(db: Db, table: ClosureTableName, id: string, newParentId: string | null): Promise<void> {
  const subtree = db.selectFrom(`${table} as sub`).select('sub.descendant_id').where('sub.ancestor_id', '=', id);
  await db
    .deleteFrom(table)
    .where('descendant_id', 'in', subtree)
    .where('ancestor_id', 'not in', subtree)
    .execute();
  if (!newParentId) return;
  await db
    .insertInto(table)
    .columns(['ancestor_id', 'descendant_id', 'depth'])
    .expression((eb) =>
      eb
        .selectFrom(`${table} as up`)
        .innerJoin(`${table} as sub`, (join) => join.on('sub.ancestor_id', '=', id))
        .select((e) => ['up.ancestor_id', 'sub.descendant_id', e(e('up.depth', '+', e.ref('sub.depth')), '+', 1).as('depth')])
        .where('up.descendant_id', '=', newParentId),
    )
    .execute();
}

/** Whether `candidate` is `id` itself or below it: moving `id` under it would make a cycle. */
export async function isInSubtree(db: Db, table: ClosureTableName, id: string, candidate: string): Promise<boolean> {
  const row = await db.selectFrom(table).select('depth').where('ancestor_id', '=', id).where('descendant_id', '=', candidate).executeTakeFirst();
  return row !== undefined;
}
