import type BetterSqlite3 from 'better-sqlite3';
import type { RandomSource } from '@telecrm/core';

/**
 * `n` values of a customers column (never null) from random rows, picked by rowid so that sampling a
 * million customers costs n lookups instead of a scan.
 */
export function sampleColumn(sqlite: BetterSqlite3.Database, rng: RandomSource, column: string, n: number): string[] {
  const max = (sqlite.prepare('select max(rowid) from customers').pluck().get() as number | null) ?? 0;
  if (max === 0) throw new Error('the bench database has no customers');
  const byRowid = sqlite.prepare(`select ${column} from customers where rowid = ?`).pluck();
  const out: string[] = [];
  for (let tries = 0; out.length < n && tries < n * 20; tries++) {
    const value = byRowid.get(1 + Math.floor(rng() * max)) as string | undefined;
    if (value !== undefined && value !== null) out.push(value);
  }
  return out;
}

/** Rotates through a list. */
export function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}
