import { DateTime } from 'luxon';
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
