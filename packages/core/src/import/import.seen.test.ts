import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FirstRowByNumber } from './import.seen.js';

const number = fc.oneof(
  fc.stringMatching(/^1[3-9]\d{9}$/).map((d) => `+86${d}`),
  fc.stringMatching(/^[1-9]\d{6,14}$/).map((d) => `+${d}`),
);

describe('FirstRowByNumber', () => {
  it('keeps the first row of each number, as a Map does', () => {
    const seen = new FirstRowByNumber(2);
    seen.set('+8613800138000', 2);
    seen.set('+8613900139000', 5);
    expect(seen.get('+8613800138000')).toBe(2);
    expect(seen.has('+8613900139000')).toBe(true);
    expect(seen.get('+8613700137000')).toBeUndefined();
    expect(seen.size).toBe(2);
  });

  it('behaves like a Map under any sequence of sets and deletes, through growth (property)', () => {
    const op = fc.tuple(fc.constantFrom('set', 'delete'), number, fc.integer({ min: 1, max: 1_000_000 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const seen = new FirstRowByNumber(1);
        const model = new Map<string, number>();
        for (const [kind, key, row] of ops) {
          if (kind === 'set') {
            seen.set(key, row);
            model.set(key, row);
          } else {
            expect(seen.delete(key)).toBe(model.delete(key));
          }
          expect(seen.size).toBe(model.size);
        }
        for (const [key, row] of model) expect(seen.get(key)).toBe(row);
        for (const [, key] of ops) expect(seen.has(key)).toBe(model.has(key));
      }),
      { numRuns: 300 },
    );
  });

  it('holds a million numbers', () => {
    const seen = new FirstRowByNumber();
    for (let i = 0; i < 1_000_000; i++) seen.set(`+86138${String(i).padStart(8, '0')}`, i + 2);
    expect(seen.size).toBe(1_000_000);
    expect(seen.get('+8613800999999')).toBe(1_000_001);
    expect(seen.get('+8613801000000')).toBeUndefined();
  });

  it('refuses what is not an E.164 number', () => {
    expect(() => new FirstRowByNumber().set('13800138000', 2)).toThrow();
    expect(() => new FirstRowByNumber().get('+')).toThrow();
  });
});
