import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planMerge, type MergeSide } from './customer.merge.js';

const side = (over: { scalars?: Partial<MergeSide['scalars']> } & Partial<Omit<MergeSide, 'scalars'>> = {}): MergeSide => ({
  tags: [],
  custom: {},
  lastContactAt: null,
  lastCallAt: null,
  lastFollowUpAt: null,
  ...over,
  scalars: {
    name: 'x',
    company: null,
    wechat: null,
    email: null,
    source: null,
    industry: null,
    region: null,
    status: null,
    stage: null,
    level: null,
    remark: null,
    hot: false,
    wrongNumber: false,
    doNotCall: false,
    nextFollowUpAt: null,
    ...over.scalars,
  },
});

describe('planMerge', () => {
  it('changes nothing when the two are alike', () => {
    expect(planMerge(side(), side())).toEqual({ scalars: {}, tags: [], custom: {} });
  });

  it("keeps the survivor's values over the other's", () => {
    const plan = planMerge(
      side({ scalars: { name: '张三', company: 'A 公司', source: '展会', nextFollowUpAt: '2026-11-23T01:00:00.000Z' } }),
      side({ scalars: { name: '张三 (重复)', company: 'B 公司', source: '广告', nextFollowUpAt: '2026-11-20T01:00:00.000Z' } }),
    );
    expect(plan.scalars).toEqual({});
  });

  it("fills the survivor's empty fields (null or empty string) from the other", () => {
    const plan = planMerge(
      side({ scalars: { company: null, wechat: '', email: 'a@x.cn', level: null } }),
      side({ scalars: { company: 'B 公司', wechat: 'wx_b', email: 'b@x.cn', level: null, region: '上海', nextFollowUpAt: '2026-11-25T02:00:00.000Z' } }),
    );
    expect(plan.scalars).toEqual({ company: 'B 公司', wechat: 'wx_b', region: '上海', nextFollowUpAt: '2026-11-25T02:00:00.000Z' });
  });

  it('does not fill from an empty string', () => {
    expect(planMerge(side({ scalars: { company: null } }), side({ scalars: { company: '' } })).scalars).toEqual({});
  });

  it('keeps a flag when either side has it, and never clears one', () => {
    expect(planMerge(side(), side({ scalars: { hot: true, wrongNumber: true, doNotCall: true } })).scalars).toEqual({
      hot: true,
      wrongNumber: true,
      doNotCall: true,
    });
    expect(planMerge(side({ scalars: { hot: true, doNotCall: true } }), side()).scalars).toEqual({});
    expect(planMerge(side({ scalars: { hot: true } }), side({ scalars: { hot: true } })).scalars).toEqual({});
  });

  it('takes the later of each activity time', () => {
    const plan = planMerge(
      side({ lastContactAt: '2026-11-01T00:00:00.000Z', lastCallAt: '2026-11-20T00:00:00.000Z', lastFollowUpAt: null }),
      side({ lastContactAt: '2026-11-02T00:00:00.000Z', lastCallAt: '2026-11-10T00:00:00.000Z', lastFollowUpAt: '2026-10-01T00:00:00.000Z' }),
    );
    expect(plan.scalars).toEqual({ lastContactAt: '2026-11-02T00:00:00.000Z', lastFollowUpAt: '2026-10-01T00:00:00.000Z' });
  });

  it('leaves activity times out when the survivor already has the later one or neither has one', () => {
    expect(planMerge(side({ lastCallAt: '2026-11-20T00:00:00.000Z' }), side({ lastCallAt: null })).scalars).toEqual({});
    expect(planMerge(side({ lastCallAt: '2026-11-20T00:00:00.000Z' }), side({ lastCallAt: '2026-11-20T00:00:00.000Z' })).scalars).toEqual({});
  });

  it('unites tags, survivor first, without repeats', () => {
    expect(planMerge(side({ tags: ['老客户', '决策人'] }), side({ tags: ['决策人', '高意向'] })).tags).toEqual(['老客户', '决策人', '高意向']);
  });

  it("unites custom values: survivor's scalars win, missing ones are filled, multi-selects are united", () => {
    const plan = planMerge(
      side({ custom: { budget: 100, grade: 'A', channels: ['微信'], note: null, zero: 0 } }),
      side({ custom: { budget: 200, grade: 'B', channels: ['电话', '微信'], note: '要发票', signedOn: '2026-11-01', zero: 5 } }),
    );
    expect(plan.custom).toEqual({ budget: 100, grade: 'A', channels: ['微信', '电话'], note: '要发票', signedOn: '2026-11-01', zero: 0 });
  });

  it('does not change its inputs', () => {
    const survivor = side({ tags: ['a'], custom: { channels: ['x'] } });
    const merged = side({ tags: ['b'], custom: { channels: ['y'], note: 'n' } });
    const before = JSON.stringify([survivor, merged]);
    planMerge(survivor, merged);
    expect(JSON.stringify([survivor, merged])).toBe(before);
  });

  const instant = fc.option(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()), { nil: null });
  const arbSide = fc.record({
    company: fc.option(fc.string(), { nil: null }),
    hot: fc.boolean(),
    tags: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd')),
    lastCallAt: instant,
  }).map((r) => side({ scalars: { company: r.company, hot: r.hot }, tags: r.tags, lastCallAt: r.lastCallAt }));

  it('merging a customer with itself changes nothing (property)', () => {
    fc.assert(fc.property(arbSide, (s) => {
      expect(planMerge(s, s)).toEqual({ scalars: {}, tags: s.tags, custom: s.custom });
    }));
  });

  it('the result keeps every tag of both and the latest call of both (property)', () => {
    fc.assert(fc.property(arbSide, arbSide, (a, b) => {
      const plan = planMerge(a, b);
      expect(new Set(plan.tags)).toEqual(new Set([...a.tags, ...b.tags]));
      const latest = [a.lastCallAt, b.lastCallAt].filter((x): x is string => x !== null).sort().at(-1) ?? null;
      expect(plan.scalars.lastCallAt ?? a.lastCallAt).toBe(latest);
      expect(plan.scalars.hot ?? a.scalars.hot).toBe(a.scalars.hot || b.scalars.hot);
    }));
  });
});
