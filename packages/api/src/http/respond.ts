import { z } from '@hono/zod-openapi';
import type { DomainError } from '@telecrm/core';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';
import { Problem, problemOf, statusOf } from './problem.js';

/**
 * Answers a domain error as application/problem+json. Typed `never` so route handlers, whose declared
 * responses list every problem status, can return it from any branch.
 */
export function problem(c: Context<AppEnv>, error: DomainError): never {
  const body = problemOf(error, c.get('lang') ?? 'en');
  const headers: Record<string, string> = { 'content-type': 'application/problem+json; charset=utf-8' };
  const retryAfter = error.params?.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(Math.ceil(retryAfter));
  return new Response(JSON.stringify(body), { status: statusOf(error.code), headers }) as never;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'The input is not valid: each offending field is named in `errors`',
  401: 'Not logged in, or the token expired or was revoked',
  403: 'Not allowed',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state',
  413: 'The request body is too large',
  415: 'The file is of a kind that cannot be read',
  429: 'Too many attempts: wait `params.retryAfterSeconds`',
};

/** The problem responses a route declares, so the OpenAPI document lists every status it can return. */
export function problemResponses<const S extends readonly number[]>(...statuses: S) {
  const entries = statuses.map((s) => [
    s,
    { description: DESCRIPTIONS[s] ?? 'Error', content: { 'application/problem+json': { schema: Problem } } },
  ]);
  return Object.fromEntries(entries) as { [K in S[number]]: { description: string; content: { 'application/problem+json': { schema: typeof Problem } } } };
}

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const IdParam = z.object({ id: z.string().min(1).max(64).meta({ param: { name: 'id', in: 'path' } }) });
