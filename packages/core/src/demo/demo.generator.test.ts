import { describe, expect, it } from 'vitest';
import { DEFAULT_PICKLISTS } from '../picklist/picklist.defaults.js';
import { normalisePhone } from '../phone/phone.rules.js';
import {
  createSeededRandom,
  DEMO_LANDLINE_AREAS,
  DEMO_MOBILE_PREFIXES,
  DEMO_MOBILE_SPACE,
  DEMO_ORG,
  demoCompanyName,
  demoCustomerFactory,
  demoLandline,
  demoMobile,
  demoPersonName,
  demoWechat,
  generateDemoCustomers,
  type DemoCustomer,
} from './demo.generator.js';

describe('createSeededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const c = createSeededRandom(43);
    const seqA = Array.from({ length: 100 }, a);
    expect(Array.from({ length: 100 }, b)).toEqual(seqA);
    expect(Array.from({ length: 100 }, c)).not.toEqual(seqA);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const rng = createSeededRandom(1);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng();
      if (!(x >= 0 && x < 1)) outside++;
      else buckets[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});

describe('demo phones', () => {
  it('makes valid mobiles for every prefix, in E.164 and display form', () => {
    for (let p = 0; p < DEMO_MOBILE_PREFIXES.length; p++) {
      for (let k = 0; k < 50; k++) {
        const phone = demoMobile(p + DEMO_MOBILE_PREFIXES.length * k * 997_331);
        const fromE164 = normalisePhone(phone.e164);
        expect(fromE164).toEqual({ ok: true, value: { e164: phone.e164, kind: 'mobile' } });
        const fromDisplay = normalisePhone(phone.display);
        expect(fromDisplay.ok && fromDisplay.value.e164).toBe(phone.e164);
        expect(phone.display).toMatch(/^1\d{2} \d{4} \d{4}$/);
      }
    }
  });

  it('makes valid landlines in each area', () => {
    for (let i = 0; i < 2_000; i++) {
      const phone = demoLandline(i * 29_989);
      const parsed = normalisePhone(phone.e164);
      expect(parsed).toEqual({ ok: true, value: { e164: phone.e164, kind: 'fixed' } });
      const fromDisplay = normalisePhone(phone.display);
      expect(fromDisplay.ok && fromDisplay.value.e164).toBe(phone.e164);
    }
    expect(new Set(Array.from({ length: 8 }, (_, i) => demoLandline(i).city)).size).toBe(DEMO_LANDLINE_AREAS.length);
  });

  it('never repeats a number for distinct indexes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300_000; i++) seen.add(demoMobile(i).e164);
    // Far apart in the space too: the ends and a stride through the middle.
    for (let i = 0; i < 50_000; i++) seen.add(demoMobile(DEMO_MOBILE_SPACE - 1 - i).e164);
    for (let i = 0; i < 50_000; i++) seen.add(demoMobile(400_000 + i * 81_001).e164);
    expect(seen.size).toBe(400_000);
  });

  it('refuses indexes outside the space', () => {
    expect(() => demoMobile(-1)).toThrow(RangeError);
    expect(() => demoMobile(DEMO_MOBILE_SPACE)).toThrow(RangeError);
    expect(() => demoMobile(1.5)).toThrow(RangeError);
  });
});

describe('demo names', () => {
  it('makes Chinese names of a surname and one or two given characters', () => {
    const rng = createSeededRandom(5);
    const lengths = new Map<number, number>();
    const odd: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const { name } = demoPersonName(rng);
      if (!/^[\u4e00-\u9fff]{2,4}$/.test(name)) odd.push(name);
      lengths.set(name.length, (lengths.get(name.length) ?? 0) + 1);
    }
    expect(odd).toEqual([]);
    expect(lengths.get(2)).toBeGreaterThan(1_000);
    expect(lengths.get(3)).toBeGreaterThan(2_500);
  });

  it('makes company names of city, brand, trade and suffix', () => {
    const rng = createSeededRandom(9);
    for (let i = 0; i < 200; i++) {
      const { name, domain } = demoCompanyName(rng, '深圳', '互联网');
      expect(name).toMatch(/^深圳[\u4e00-\u9fff]{2}(网络科技|信息技术|软件|数据科技|科技)(有限公司|有限责任公司|股份有限公司|集团有限公司|工作室)$/);
      expect(domain).toMatch(/^[a-z]+\.com\.cn$/);
    }
    expect(demoCompanyName(rng, '杭州', '政府机构').name).toMatch(/^杭州市/);
  });

  it('makes WeChat ids of 6-20 characters that start with a letter', () => {
    const rng = createSeededRandom(11);
    const ids = Array.from({ length: 2_000 }, () => demoWechat(rng, demoPersonName(rng)));
    expect(ids.filter((id) => !/^[a-z][a-z0-9_-]{5,19}$/.test(id))).toEqual([]);
  });
});

describe('generateDemoCustomers', () => {
  const inList = (list: readonly string[], value: string | null) => value === null || list.includes(value);

  it('is deterministic for a seed', () => {
    const a = generateDemoCustomers(createSeededRandom(2026), 500, DEFAULT_PICKLISTS);
    const b = generateDemoCustomers(createSeededRandom(2026), 500, DEFAULT_PICKLISTS);
    const c = generateDemoCustomers(createSeededRandom(2027), 500, DEFAULT_PICKLISTS);
    expect(b).toEqual(a);
    expect(c.map((x) => x.name)).not.toEqual(a.map((x) => x.name));
  });

  it('gives unique phones across 200,000 customers and takes picklist values from the lists', () => {
    const customers = generateDemoCustomers(createSeededRandom(1), 200_000, DEFAULT_PICKLISTS);
    const phones = new Set<string>();
    let count = 0;
    for (const c of customers) {
      for (const p of c.phones) phones.add(p);
      count += c.phones.length;
    }
    expect(phones.size).toBe(count);
    expect(count).toBeGreaterThan(200_000);

    const misfits = customers.filter(
      (c) =>
        !inList(DEFAULT_PICKLISTS.source, c.source) ||
        !inList(DEFAULT_PICKLISTS.industry, c.industry) ||
        !inList(DEFAULT_PICKLISTS.region, c.region) ||
        !inList(DEFAULT_PICKLISTS.status, c.status) ||
        !inList(DEFAULT_PICKLISTS.stage, c.stage) ||
        !inList(DEFAULT_PICKLISTS.level, c.level) ||
        c.tags.some((tag) => !DEFAULT_PICKLISTS.tags.includes(tag)) ||
        new Set(c.tags).size !== c.tags.length,
    );
    expect(misfits).toEqual([]);
  });

  it('gives phones that normalise to themselves (sample)', () => {
    const customers = generateDemoCustomers(createSeededRandom(3), 20_000, DEFAULT_PICKLISTS);
    let landlines = 0;
    for (const c of customers.filter((_, i) => i % 10 === 0)) {
      for (const p of [...c.phones, ...c.contacts.map((x) => x.phone)]) {
        const parsed = normalisePhone(p);
        expect(parsed.ok && parsed.value.e164).toBe(p);
        if (parsed.ok && parsed.value.kind === 'fixed') landlines++;
      }
    }
    expect(landlines).toBeGreaterThan(50);
  });

  it('fills a realistic mix of fields', () => {
    const customers = generateDemoCustomers(createSeededRandom(4), 10_000, DEFAULT_PICKLISTS);
    const share = (pred: (c: DemoCustomer) => boolean) => customers.filter(pred).length / customers.length;
    expect(share((c) => c.company !== null)).toBeGreaterThan(0.75);
    expect(share((c) => c.wechat !== null)).toBeGreaterThan(0.6);
    expect(share((c) => c.email !== null)).toBeGreaterThan(0.5);
    expect(share((c) => c.hot)).toBeGreaterThan(0.04);
    expect(share((c) => c.contacts.length > 0)).toBeGreaterThan(0.2);
    expect(share((c) => c.phones.length > 1)).toBeGreaterThan(0.1);
    expect(new Set(customers.map((c) => c.source)).size).toBe(DEFAULT_PICKLISTS.source.length);
    expect(customers.filter((c) => c.status === '已成交' && c.stage !== '赢单')).toEqual([]);
    expect(customers.filter((c) => c.email && !/^[a-z0-9._]+@[a-z0-9.]+$/.test(c.email))).toEqual([]);
  });

  it('gives disjoint numbers for disjoint start ranges', () => {
    const first = generateDemoCustomers(createSeededRandom(1), 5_000, DEFAULT_PICKLISTS);
    const second = generateDemoCustomers(createSeededRandom(1), 5_000, DEFAULT_PICKLISTS, { start: 5_000 });
    const a = new Set(first.flatMap((c) => c.phones));
    expect(second.flatMap((c) => c.phones).filter((p) => a.has(p))).toEqual([]);
  });

  it('leaves fields empty when their list is empty', () => {
    const [c] = generateDemoCustomers(createSeededRandom(1), 1, {});
    expect(c).toMatchObject({ source: null, industry: null, status: null, stage: null, level: null, region: null, tags: [] });
  });

  it('makes a million customers in seconds', () => {
    const make = demoCustomerFactory(DEFAULT_PICKLISTS);
    const rng = createSeededRandom(8);
    const started = performance.now();
    let phones = 0;
    for (let i = 0; i < 1_000_000; i++) phones += make(rng, i).phones.length;
    const seconds = (performance.now() - started) / 1000;
    expect(phones).toBeGreaterThan(1_000_000);
    // About 2 s on two cores; the bound only catches a slip of an order of magnitude.
    expect(seconds).toBeLessThan(20);
  });
});

describe('DEMO_ORG', () => {
  it('is a tree under one root with a manager and agents in known departments', () => {
    const keys = new Set(DEMO_ORG.departments.map((d) => d.key));
    expect(DEMO_ORG.departments.filter((d) => d.parent === null)).toHaveLength(1);
    for (const d of DEMO_ORG.departments) if (d.parent) expect(keys.has(d.parent)).toBe(true);
    for (const u of DEMO_ORG.users) {
      expect(keys.has(u.department)).toBe(true);
      expect(u.username).toMatch(/^[a-z0-9]+$/);
      expect(u.displayName).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    }
    expect(DEMO_ORG.users.filter((u) => u.role === 'manager').map((u) => u.username)).toEqual(['manager']);
    expect(DEMO_ORG.users.filter((u) => u.role === 'agent').length).toBeGreaterThanOrEqual(8);
  });
});
