import type BetterSqlite3 from 'better-sqlite3';
import type { RandomSource } from '@telecrm/core';
import type { HttpClient, HttpResponse } from './bench.http.js';

/** What a case gets to prepare its requests: the API as the admin, and the seeded file to sample from. */
export interface BenchContext {
  /** The API server, logged in as `admin`. */
  api: HttpClient;
  /** The bench database, opened read-only: for picking numbers, names and ids that exist. */
  sample: BetterSqlite3.Database;
  rng: RandomSource;
  /** The bench database file, for set-based preparation no API offers (opened by the case itself). */
  file: string;
  /** A client of the same server acting with another token. */
  clientWith(token: string): HttpClient;
}

/** Produces a case's requests; called once per request, possibly from several in-flight requests. */
export interface CaseRunner {
  /** The path (and query) of the next GET request. */
  next(): string;
  /** Sees each response, e.g. to follow a cursor later. */
  observe?(response: HttpResponse): void;
  /** The client to send with, when the case acts as someone other than the admin. */
  client?: HttpClient;
}

/**
 * One benchmark case. Add a file under `cases/` exporting one of these and list it in `cases/index.ts`.
 */
export interface BenchCase {
  name: string;
  /** The p99 latency the issue sets, in milliseconds; the table prints pass/fail against it. */
  goalP99Ms?: number;
  setup(ctx: BenchContext): Promise<CaseRunner>;
}
