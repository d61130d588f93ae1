import { DateTime, IANAZone } from 'luxon';
import type { RelativeDateRange } from './filter.schema.js';

/** A half-open instant range [from, to) as UTC ISO strings, the form timestamps are stored in. */
export interface InstantRange {
  from: string;
  to: string;
}

const iso = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: false })!;

/**
 * Turns a relative range into instants, counting days in the company's time zone: "today" for a team in
 * Shanghai starts at 16:00 UTC the day before. Weeks start on Monday, as Chinese calendars do.
 */
export function resolveRelativeRange(range: RelativeDateRange, now: Date, timeZone: string): InstantRange {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const span = (from: DateTime, to: DateTime) => ({ from: iso(from), to: iso(to) });
  if (typeof range === 'object') {
    if ('lastDays' in range) return span(today.minus({ days: range.lastDays - 1 }), today.plus({ days: 1 }));
    return span(today, today.plus({ days: range.nextDays }));
  }
  switch (range) {
    case 'today':
      return span(today, today.plus({ days: 1 }));
    case 'yesterday':
      return span(today.minus({ days: 1 }), today);
    case 'tomorrow':
      return span(today.plus({ days: 1 }), today.plus({ days: 2 }));
    case 'thisWeek': {
      const monday = today.startOf('week');
      return span(monday, monday.plus({ weeks: 1 }));
    }
    case 'lastWeek': {
      const monday = today.startOf('week');
      return span(monday.minus({ weeks: 1 }), monday);
    }
    case 'thisMonth': {
      const first = today.startOf('month');
      return span(first, first.plus({ months: 1 }));
    }
    case 'lastMonth': {
      const first = today.startOf('month');
      return span(first.minus({ months: 1 }), first);
    }
  }
}

/** The local calendar days of an instant range, for date-only fields: [from, to) as YYYY-MM-DD. */
export function localDaysOf(range: InstantRange, timeZone: string): { from: string; to: string } {
  return {
    from: DateTime.fromISO(range.from, { zone: timeZone }).toISODate()!,
    to: DateTime.fromISO(range.to, { zone: timeZone }).toISODate()!,
  };
}

/**
 * Reads a user-given time bound: an ISO date-time (in the company's zone when it has no offset), or a
 * calendar day in the company's zone. For an upper bound, a day means the whole day (the next day's
 * start, exclusive).
 */
export function parseTimeBound(value: unknown, timeZone: string, bound: 'lower' | 'upper'): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = DateTime.fromISO(value, { zone: timeZone });
    if (!day.isValid) return undefined;
    return iso(bound === 'upper' ? day.plus({ days: 1 }) : day);
  }
  // An instant without an offset is a wall-clock time in the company's zone, never the server's.
  const instant = DateTime.fromISO(value, { zone: timeZone });
  if (!instant.isValid || !/T/.test(value)) return undefined;
  return iso(instant);
}

/** The current instant in the stored form. */
export const toStoredInstant = (d: Date): string => d.toISOString();

/** Start of the local day containing `now`, as a stored instant. */
export const startOfLocalDay = (now: Date, timeZone: string): string =>
  iso(DateTime.fromJSDate(now, { zone: timeZone }).startOf('day'));

/** Whether a text is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export const isCalendarDay = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;

/** Offsets are looked up per quarter hour of UTC: nearly every change of a zone's offset falls on one. */
const OFFSET_BUCKET_MS = 15 * 60_000;
/** Remembered for a quarter hour in which the offset changes (a change at 00:01, say): each instant is looked up. */
const CHANGES_WITHIN = Number.NaN;
/** Before this, zones ran on local mean time, with offsets in seconds: those instants go through luxon. */
const EARLIEST_BUCKETED = Date.UTC(1900, 0, 1);
/** A formatter's memory of offsets is bounded: it starts over past this many quarter hours. */
const MAX_REMEMBERED_OFFSETS = 100_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A formatter of stored instants as wall-clock text `yyyy-MM-dd HH:mm:ss` in a time zone, for exports
 * of a million rows: luxon takes some 4 µs a value to find the zone's offset, so the offset of each
 * quarter hour is found once and remembered. Text that is not an instant gives null.
 *
 * @example localTimeFormatter('Asia/Shanghai')('2026-12-01T16:30:00.000Z') // '2026-12-02 00:30:00'
 */
export function localTimeFormatter(timeZone: string): (instant: string) => string | null {
  const zone = IANAZone.create(timeZone);
  const offsets = new Map<number, number>();
  return (instant) => {
    const ms = Date.parse(instant);
    if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(instant)) return null;
    if (ms < EARLIEST_BUCKETED || !zone.isValid) {
      const when = DateTime.fromMillis(ms, { zone: timeZone });
      return when.isValid ? when.toFormat('yyyy-MM-dd HH:mm:ss') : null;
    }
    const bucket = Math.floor(ms / OFFSET_BUCKET_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      if (offsets.size >= MAX_REMEMBERED_OFFSETS) offsets.clear();
      const start = bucket * OFFSET_BUCKET_MS;
      const first = zone.offset(start);
      offsets.set(bucket, (offset = first === zone.offset(start + OFFSET_BUCKET_MS - 1) ? first : CHANGES_WITHIN));
    }
    if (Number.isNaN(offset)) offset = zone.offset(ms);
    const local = new Date(ms + offset * 60_000);
    return (
      `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
      `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
    );
  };
}
