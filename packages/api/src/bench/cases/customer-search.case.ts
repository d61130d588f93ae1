import type { RandomSource } from '@telecrm/core';
import type { BenchCase } from '../bench.types.js';
import { cycle, sampleColumn } from './sample.js';

const AREA_CODES_2 = new Set(['10', '20', '21', '22', '23', '24', '25', '27', '28', '29']);

/** A stored E.164 number written the way people type it: spaces, dashes, +86, 0086, or bare. */
export function typedPhone(e164: string, rng: RandomSource): string {
  const national = e164.slice(3);
  if (national.startsWith('1') && national.length === 11) {
    const [a, b, c] = [national.slice(0, 3), national.slice(3, 7), national.slice(7)];
    const forms = [`${a} ${b} ${c}`, `+86-${a}-${b}-${c}`, national, e164, `0086 ${a} ${b} ${c}`, `${a}-${b}-${c}`, `+86 ${national}`];
    return forms[Math.floor(rng() * forms.length)]!;
  }
  const areaLength = AREA_CODES_2.has(national.slice(0, 2)) ? 2 : 3;
  const area = national.slice(0, areaLength);
  const local = national.slice(areaLength);
  const forms = [`0${area}-${local}`, `0${area} ${local.slice(0, 4)} ${local.slice(4)}`, `+86 ${area} ${local}`, `(0${area})${local}`];
  return forms[Math.floor(rng() * forms.length)]!;
}

const SAMPLES = 1_000;
const quickSearch = (q: string) => `/api/v1/customers?q=${encodeURIComponent(q)}&limit=20`;

/** Quick search by a known number, in a random format. */
export const phoneSearchCase: BenchCase = {
  name: 'phone search',
  goalP99Ms: 10,
  async setup({ sample, rng }) {
    const numbers = sampleColumn(sample, rng, 'primary_phone', SAMPLES);
    return { next: cycle(numbers.map((n) => quickSearch(typedPhone(n, rng)))) };
  },
};

/** Quick search by a known name: the whole name or two of its characters. */
export const nameSearchCase: BenchCase = {
  name: 'name search',
  async setup({ sample, rng }) {
    const names = sampleColumn(sample, rng, 'name', SAMPLES);
    const queries = names.map((name) => {
      const chars = [...name];
      if (chars.length <= 2 || rng() < 0.5) return name;
      const start = Math.floor(rng() * (chars.length - 1));
      return chars.slice(start, start + 2).join('');
    });
    return { next: cycle(queries.map(quickSearch)) };
  },
};
