import type { BenchCase } from '../bench.types.js';
import { nameSearchCase, phoneSearchCase } from './customer-search.case.js';
import { adminPageCase, scopedPageCase } from './customer-scope.case.js';
import { viewPageCase } from './customer-view.case.js';

/** Every case `npm run bench` runs, in order. A new case: a file in this folder and a line here. */
export const BENCH_CASES: readonly BenchCase[] = [phoneSearchCase, nameSearchCase, viewPageCase, adminPageCase, scopedPageCase];
