import { describe, expect, it } from 'vitest';
import { CliError } from '../output/errors.js';
import { exitCodeFor, ExitCode } from '../output/exit-codes.js';
import { memberList, mergeLevels, parseAsOf, parseLevel, parseRulesChange, splitList, type LevelChange } from './pool.options.js';

const usage = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError && exitCodeFor(error.code) === ExitCode.USAGE) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('lists of names', () => {
  it('splits on commas, repeats, drops blanks; none is an empty member list', () => {
    expect(splitList(['a, b', 'c', ' ,'])).toEqual(['a', 'b', 'c']);
    expect(splitList(undefined)).toEqual([]);
    expect(memberList(['None'])).toEqual([]);
    expect(memberList(['d-1,d-2'])).toEqual(['d-1', 'd-2']);
    expect(memberList(undefined)).toBeUndefined();
  });
});

describe('--level', () => {
  it('reads the days of one level, none turning a rule off, default dropping the level', () => {
    expect(parseLevel('A=noFollowUp:30,noDeal:none', 'en')).toEqual(['A', { returnNoFollowUpDays: 30, returnNoDealDays: null }]);
    expect(parseLevel(' 重要客户 = NODEAL : 90 ', 'en')).toEqual(['重要客户', { returnNoDealDays: 90 }]);
    expect(parseLevel('B=Default', 'en')).toEqual(['B', 'default']);
  });

  it.each(['A', 'A=', '=noDeal:3', 'A=noDeal', 'A=noDeal:3.5', 'A=noDeal:-1', 'A=deal:3', 'A=noDeal:3;noFollowUp:4'])('refuses %j', (text) => {
    expect(usage(() => parseLevel(text, 'en'))).toContain('--level must be LEVEL=');
  });

  it('merges a level over what it had', () => {
    const base = { A: { returnNoFollowUpDays: 30, returnNoDealDays: null }, B: { returnNoDealDays: 90 } };
    const changes = new Map<string, LevelChange>([
      ['A', { returnNoDealDays: 60 }],
      ['B', 'default'],
      ['C', { returnNoFollowUpDays: 5 }],
    ]);
    const merged = mergeLevels(base, changes);
    expect(merged).toEqual({ A: { returnNoFollowUpDays: 30, returnNoDealDays: 60 }, C: { returnNoFollowUpDays: 5 } });
    expect(base.B).toEqual({ returnNoDealDays: 90 });
  });
});

describe('rule options', () => {
  it('reads numbers, none and yes/no; the --no-… options under the names commander gives them', () => {
    const change = parseRulesChange({ holdingLimit: '100', dailyClaimLimit: 'none', followUpDays: '15', dealDays: true, exemptLocked: 'NO' }, 'en');
    expect(change.fields).toEqual({ holdingLimit: 100, dailyClaimLimit: null, returnNoFollowUpDays: 15, exemptLocked: false });
    expect(change.levels.size).toBe(0);
  });

  it('needs at least one option and checks the bounds before any request', () => {
    expect(usage(() => parseRulesChange({ followUpDays: true, dealDays: true }, 'en'))).toBe('Nothing to change: give at least one option.');
    expect(usage(() => parseRulesChange({ reminderDays: '3651' }, 'en'))).toBe('--reminder-days is malformed: <= 3650');
    expect(usage(() => parseRulesChange({ dealDays: '0' }, 'zh-CN'))).toContain('--no-deal-days');
  });
});

describe('--as-of', () => {
  it('takes an ISO time as is, local when it has no offset, and a date as its local midnight', () => {
    expect(parseAsOf('2025-03-10T09:30:00+08:00', 'en')).toBe('2025-03-10T01:30:00.000Z');
    expect(parseAsOf('2025-03-10T09:30', 'en')).toBe(new Date(2025, 2, 10, 9, 30).toISOString());
    expect(parseAsOf('2025-03-10', 'en')).toBe(new Date(2025, 2, 10).toISOString());
    expect(parseAsOf(undefined, 'en')).toBeUndefined();
  });

  it.each(['tomorrow', '2025-02-29', '2025-13-01', '10/03/2025', '2025-03-10T99:00'])('refuses %j', (value) => {
    expect(usage(() => parseAsOf(value, 'en'))).toContain('--as-of');
  });
});
