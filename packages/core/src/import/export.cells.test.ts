import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DANGEROUS_CELL_START, neutraliseCell } from './export.cells.js';

describe('neutraliseCell', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+8613800138000', "'+8613800138000"],
    ['-12', "'-12"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['\n=1', "'\n=1"],
    ["'=1", "'=1"],
    ['张三', '张三'],
    ['a=1', 'a=1'],
    [' =1', ' =1'],
    ['', ''],
    ['１＝', '１＝'],
  ])('%j -> %j', (input, output) => {
    expect(neutraliseCell(input)).toBe(output);
  });

  const text = fc.oneof(fc.string(), fc.tuple(fc.constantFrom(...DANGEROUS_CELL_START), fc.string()).map(([c, s]) => c + s));

  it('never returns a cell starting with a dangerous character', () => {
    fc.assert(fc.property(text, (s) => {
      const out = neutraliseCell(s);
      expect((DANGEROUS_CELL_START as readonly string[]).includes(out[0] ?? '')).toBe(false);
    }));
  });

  it('is undone by stripping one leading quote from a changed cell', () => {
    fc.assert(fc.property(text, (s) => {
      const out = neutraliseCell(s);
      if (out !== s) {
        expect(out.startsWith("'")).toBe(true);
        expect(out.slice(1)).toBe(s);
      }
    }));
  });
});
