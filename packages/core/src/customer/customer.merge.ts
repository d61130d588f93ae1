import type { CustomValue, CustomerScalarChanges } from './customer.rules.js';

/** The parts of two customers a merge decides over. */
export interface MergeSide {
  scalars: Required<{ [K in keyof CustomerScalarChanges]: CustomerScalarChanges[K] | null }>;
  tags: readonly string[];
  custom: Readonly<Record<string, CustomValue>>;
  lastContactAt: string | null;
  lastCallAt: string | null;
  lastFollowUpAt: string | null;
}

export interface MergePlan {
  /** Survivor fields that change: its empty fields take the merged customer's values. */
  scalars: CustomerScalarChanges & { lastContactAt?: string; lastCallAt?: string; lastFollowUpAt?: string };
  tags: string[];
  custom: Record<string, CustomValue>;
}

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * Decides what the survivor of a merge looks like (合并客户): the survivor's own values win, its empty
 * fields are filled from the other, flags are kept if either has them, tags and custom values are
 * united, and activity times take the later of the two.
 */
export function planMerge(survivor: MergeSide, merged: MergeSide): MergePlan {
  const scalars: MergePlan['scalars'] = {};
  for (const key of Object.keys(survivor.scalars) as (keyof CustomerScalarChanges)[]) {
    const mine = survivor.scalars[key];
    const theirs = merged.scalars[key];
    if (typeof mine === 'boolean' || typeof theirs === 'boolean') {
      if (theirs === true && mine !== true) (scalars as Record<string, unknown>)[key] = true;
    } else if ((mine === null || mine === '') && theirs !== null && theirs !== '') {
      (scalars as Record<string, unknown>)[key] = theirs;
    }
  }
  for (const key of ['lastContactAt', 'lastCallAt', 'lastFollowUpAt'] as const) {
    const value = later(survivor[key], merged[key]);
    if (value !== null && value !== survivor[key]) scalars[key] = value;
  }
  const custom: Record<string, CustomValue> = { ...survivor.custom };
  for (const [k, v] of Object.entries(merged.custom)) {
    const mine = custom[k];
    if (mine === undefined || mine === null) custom[k] = v;
    else if (Array.isArray(mine) && Array.isArray(v)) custom[k] = [...new Set([...mine, ...v])];
  }
  return { scalars, tags: [...new Set([...survivor.tags, ...merged.tags])], custom };
}
