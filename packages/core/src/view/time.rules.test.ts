import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RelativeDateRange } from './filter.schema.js';
import { DateTime, IANAZone } from 'luxon';
import { localDaysOf, localTimeFormatter, parseTimeBound, resolveRelativeRange, startOfLocalDay, toStoredInstant } from './time.rules.js';

const SH = 'Asia/Shanghai';
// 2026-11-22 is a Sunday. 15:59:59Z is 23:59:59 that Sunday in Shanghai; 16:00:00Z is Monday 00:00.
const SUNDAY_LAST_SECOND = new Date('2026-11-22T15:59:59Z');
const MONDAY_FIRST_SECOND = new Date('2026-11-22T16:00:00Z');

describe('resolveRelativeRange in Asia/Shanghai', () => {
  const table: [string, RelativeDateRange, Date, string, string][] = [
    ['today, last second of Sunday', 'today', SUNDAY_LAST_SECOND, '2026-11-21T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ['today, first second of Monday', 'today', MONDAY_FIRST_SECOND, '2026-11-22T16:00:00.000Z', '2026-11-23T16:00:00.000Z'],
    ['yesterday, Sunday', 'yesterday', SUNDAY_LAST_SECOND, '2026-11-20T16:00:00.000Z', '2026-11-21T16:00:00.000Z'],
    ['yesterday, Monday', 'yesterday', MONDAY_FIRST_SECOND, '2026-11-21T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ['tomorrow, Sunday', 'tomorrow', SUNDAY_LAST_SECOND, '2026-11-22T16:00:00.000Z', '2026-11-23T16:00:00.000Z'],
    ['tomorrow, Monday', 'tomorrow', MONDAY_FIRST_SECOND, '2026-11-23T16:00:00.000Z', '2026-11-24T16:00:00.000Z'],
    // Weeks start on Monday: Sunday still belongs to the week of Monday 16 November.
    ['thisWeek, Sunday', 'thisWeek', SUNDAY_LAST_SECOND, '2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ['thisWeek, Monday', 'thisWeek', MONDAY_FIRST_SECOND, '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z'],
    ['lastWeek, Sunday', 'lastWeek', SUNDAY_LAST_SECOND, '2026-11-08T16:00:00.000Z', '2026-11-15T16:00:00.000Z'],
    ['lastWeek, Monday', 'lastWeek', MONDAY_FIRST_SECOND, '2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ['thisMonth', 'thisMonth', MONDAY_FIRST_SECOND, '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z'],
    ['lastMonth', 'lastMonth', MONDAY_FIRST_SECOND, '2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z'],
    ['lastDays 1 is today', { lastDays: 1 }, SUNDAY_LAST_SECOND, '2026-11-21T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ['lastDays 7, Sunday', { lastDays: 7 }, SUNDAY_LAST_SECOND, '2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ['lastDays 7, Monday', { lastDays: 7 }, MONDAY_FIRST_SECOND, '2026-11-16T16:00:00.000Z', '2026-11-23T16:00:00.000Z'],
    ['nextDays 1 is today', { nextDays: 1 }, SUNDAY_LAST_SECOND, '2026-11-21T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ['nextDays 3, Monday', { nextDays: 3 }, MONDAY_FIRST_SECOND, '2026-11-22T16:00:00.000Z', '2026-11-25T16:00:00.000Z'],
  ];

  it.each(table)('%s', (_name, range, now, from, to) => {
    expect(resolveRelativeRange(range, now, SH)).toEqual({ from, to });
  });

  it('crosses month and year ends', () => {
    const newYearsEve = new Date('2026-12-31T15:59:59Z');
    expect(resolveRelativeRange('thisMonth', newYearsEve, SH)).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    expect(resolveRelativeRange('tomorrow', newYearsEve, SH)).toEqual({ from: '2026-12-31T16:00:00.000Z', to: '2027-01-01T16:00:00.000Z' });
    const firstOfMarch = new Date('2028-02-29T16:00:00Z'); // 2028-03-01 00:00 in Shanghai; 2028 is a leap year
    expect(resolveRelativeRange('lastMonth', firstOfMarch, SH)).toEqual({ from: '2028-01-31T16:00:00.000Z', to: '2028-02-29T16:00:00.000Z' });
    expect(resolveRelativeRange('yesterday', firstOfMarch, SH)).toEqual({ from: '2028-02-28T16:00:00.000Z', to: '2028-02-29T16:00:00.000Z' });
  });

  it('counts days in the zone given, not in UTC', () => {
    const now = new Date('2026-11-22T15:59:59Z');
    expect(resolveRelativeRange('today', now, 'UTC')).toEqual({ from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' });
  });

  it('keeps local days whole across a daylight-saving change (23 and 25 hour days)', () => {
    // New York springs forward on 2026-03-08 and falls back on 2026-11-01.
    expect(resolveRelativeRange('today', new Date('2026-03-08T12:00:00Z'), 'America/New_York')).toEqual({
      from: '2026-03-08T05:00:00.000Z',
      to: '2026-03-09T04:00:00.000Z',
    });
    expect(resolveRelativeRange('today', new Date('2026-11-01T12:00:00Z'), 'America/New_York')).toEqual({
      from: '2026-11-01T04:00:00.000Z',
      to: '2026-11-02T05:00:00.000Z',
    });
  });

  it('always gives a range that contains now, for today, thisWeek, thisMonth and lastDays (property)', () => {
    const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
    const range = fc.oneof(
      fc.constantFrom<RelativeDateRange>('today', 'thisWeek', 'thisMonth'),
      fc.integer({ min: 1, max: 3660 }).map((n): RelativeDateRange => ({ lastDays: n })),
      fc.integer({ min: 1, max: 3660 }).map((n): RelativeDateRange => ({ nextDays: n })),
    );
    const zone = fc.constantFrom(SH, 'UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham');
    fc.assert(
      fc.property(instant, range, zone, (now, r, tz) => {
        const { from, to } = resolveRelativeRange(r, now, tz);
        expect(from <= now.toISOString()).toBe(true);
        expect(now.toISOString() < to).toBe(true);
      }),
    );
  });
});

describe('localDaysOf', () => {
  it('gives the local calendar days of an instant range', () => {
    expect(localDaysOf({ from: '2026-11-21T16:00:00.000Z', to: '2026-11-22T16:00:00.000Z' }, SH)).toEqual({ from: '2026-11-22', to: '2026-11-23' });
    expect(localDaysOf(resolveRelativeRange('thisWeek', MONDAY_FIRST_SECOND, SH), SH)).toEqual({ from: '2026-11-23', to: '2026-11-30' });
  });
});

describe('parseTimeBound', () => {
  it('reads a calendar day as the start of that day in the zone', () => {
    expect(parseTimeBound('2026-11-22', SH, 'lower')).toBe('2026-11-21T16:00:00.000Z');
  });

  it('reads a calendar day as an upper bound as the start of the next day (the whole day included)', () => {
    expect(parseTimeBound('2026-11-22', SH, 'upper')).toBe('2026-11-22T16:00:00.000Z');
    expect(parseTimeBound('2026-12-31', SH, 'upper')).toBe('2026-12-31T16:00:00.000Z');
  });

  it('reads a full instant with its offset, the same for both bounds', () => {
    expect(parseTimeBound('2026-11-22T10:00:00Z', SH, 'lower')).toBe('2026-11-22T10:00:00.000Z');
    expect(parseTimeBound('2026-11-22T10:00:00+08:00', SH, 'upper')).toBe('2026-11-22T02:00:00.000Z');
    expect(parseTimeBound('2026-11-22T10:00:00.123-05:00', SH, 'lower')).toBe('2026-11-22T15:00:00.123Z');
  });

  it('reads an instant without an offset in the company zone, not the server zone', () => {
    expect(parseTimeBound('2026-11-22T10:00:00', SH, 'lower')).toBe('2026-11-22T02:00:00.000Z');
    expect(parseTimeBound('2026-11-22T10:00', 'UTC', 'lower')).toBe('2026-11-22T10:00:00.000Z');
  });

  it.each([
    ['2026-02-30'],
    ['2026-13-01'],
    ['2026-11'],
    ['2026'],
    ['22/11/2026'],
    ['2026-11-22 10:00:00'],
    ['2026-11-22T25:00:00Z'],
    ['yesterday'],
    [''],
  ])('refuses %j', (value) => {
    expect(parseTimeBound(value, SH, 'lower')).toBeUndefined();
  });

  it.each([[null], [undefined], [20261122], [new Date('2026-11-22T00:00:00Z')], [{}]])('refuses a non-string %j', (value) => {
    expect(parseTimeBound(value, SH, 'upper')).toBeUndefined();
  });
});

describe('startOfLocalDay and toStoredInstant', () => {
  it('gives the start of the local day across the boundary', () => {
    expect(startOfLocalDay(SUNDAY_LAST_SECOND, SH)).toBe('2026-11-21T16:00:00.000Z');
    expect(startOfLocalDay(MONDAY_FIRST_SECOND, SH)).toBe('2026-11-22T16:00:00.000Z');
  });

  it('stores instants as UTC ISO with milliseconds', () => {
    expect(toStoredInstant(new Date('2026-11-22T16:00:00+08:00'))).toBe('2026-11-22T08:00:00.000Z');
  });
});

describe('localTimeFormatter', () => {
  // Zones with daylight saving, half- and quarter-hour offsets, and changes by half an hour.
  const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/London', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Sao_Paulo'];
  const byLuxon = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

  it('writes stored instants as wall-clock time in the zone, and nothing for text that is not one', () => {
    const shanghai = localTimeFormatter(SH);
    expect(shanghai('2026-12-01T16:30:00.000Z')).toBe('2026-12-02 00:30:00');
    expect(shanghai('2026-12-01T15:59:59.999Z')).toBe('2026-12-01 23:59:59');
    expect(localTimeFormatter('America/New_York')('2026-03-08T07:00:00.000Z')).toBe('2026-03-08 03:00:00');
    expect(localTimeFormatter('America/New_York')('2026-03-08T06:59:59.000Z')).toBe('2026-03-08 01:59:59');
    expect(shanghai('1850-06-01T00:00:00.000Z')).toBe(byLuxon(Date.UTC(1850, 5, 1), SH));
    expect(shanghai('soon')).toBeNull();
    expect(shanghai('')).toBeNull();
  });

  it('agrees with luxon at any instant from 1800 to 2200, in every zone (property)', () => {
    const formatters = new Map(ZONES.map((z) => [z, localTimeFormatter(z)]));
    const instant = fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2200, 0, 1) });
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        expect(formatters.get(zone)!(new Date(ms).toISOString())).toBe(byLuxon(ms, zone));
      }),
      { numRuns: 2000 },
    );
  });

  // Every zone above in 2025-2027; and changes off the quarter hour: Liberia left its -0:44:30 at
  // 00:44:30 UTC in 1972, Gaza changed at 00:01 local in 2011.
  const SPANS: [string, number, number][] = [...ZONES.map((z): [string, number, number] => [z, 2025, 2028]), ['Africa/Monrovia', 1972, 1973], ['Asia/Gaza', 2011, 2012]];
  it.each(SPANS)('agrees with luxon on both sides of every change of offset in %s from %i to %i', (zone, fromYear, toYear) => {
    const format = localTimeFormatter(zone);
    const offsetAt = (ms: number) => IANAZone.create(zone).offset(ms);
    const hour = 3_600_000;
    for (let t = Date.UTC(fromYear, 0, 1); t < Date.UTC(toYear, 0, 1); t += hour) {
      if (offsetAt(t) === offsetAt(t + hour)) continue;
      // The first millisecond of the new offset, within this hour.
      let [lo, hi] = [t, t + hour];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === offsetAt(t)) lo = mid;
        else hi = mid;
      }
      for (const ms of [hi - 1000, hi - 1, hi, hi + 1, hi + 1000]) expect(format(new Date(ms).toISOString())).toBe(byLuxon(ms, zone));
    }
  });
});
