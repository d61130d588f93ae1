import { createHash } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { pickLang } from '@telecrm/core';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { referenceConflictOf, type ServiceContext } from '../services/context.js';
import { authenticate } from '../services/auth.service.js';
import { API_KEY_MARK, authenticateKey } from '../services/key.service.js';
import type { AppEnv } from './app-env.js';
import { problem } from './respond.js';
import { isUploadRequest } from './upload.js';
import { zodToDomainError } from './validation.js';

export interface AppOptions {
  maxBodyBytes: number;
  corsOrigins?: string[];
}

const PUBLIC_PATHS = new Set(['/api/v1/auth/login']);

/**
 * The one app factory the server and the tests use: language, body cap, authentication, idempotency,
 * validation failures and unexpected errors all become problem+json the same way.
 */
export function createApp(ctx: ServiceContext, options: AppOptions) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return problem(c, zodToDomainError(result.error, result.target));
      return undefined;
    },
  });

  app.use('*', async (c, next) => {
    c.set('ctx', ctx);
    c.set('lang', pickLang(c.req.header('accept-language')));
    await next();
  });

  if (options.corsOrigins?.length) app.use('/api/*', cors({ origin: options.corsOrigins }));

  const limitBody = bodyLimit({
    maxSize: options.maxBodyBytes,
    onError: (c) => problem(c, { code: 'REQUEST.TOO_LARGE', params: { max: options.maxBodyBytes } }),
  });
  // Uploads stream to disk under their own cap (see receiveUpload).
  app.use('/api/*', (c, next) => (isUploadRequest(c.req.method, c.req.path) ? next() : limitBody(c, next)));

  app.use('/api/v1/*', async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const apiKey = c.req.header('x-api-key');
    const token = apiKey ?? /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) return problem(c, { code: 'AUTH.UNAUTHENTICATED' });
    const auth = apiKey !== undefined || token.startsWith(API_KEY_MARK) ? await authenticateKey(ctx, token) : await authenticate(ctx, token);
    if (!auth.ok) return problem(c, auth.error);
    c.set('actor', auth.value.actor);
    c.set('user', auth.value.user);
    c.set('token', token);
    return next();
  });

  app.use('/api/v1/*', idempotency(ctx));

  app.notFound((c) => problem(c, { code: 'REQUEST.ROUTE_NOT_FOUND', params: { method: c.req.method, path: c.req.path } }));

  app.onError((e, c) => {
    if (e instanceof HTTPException && e.status === 400) {
      return problem(c, { code: 'REQUEST.MALFORMED', params: { reason: e.message } });
    }
    if (e instanceof HTTPException && e.status === 413) return problem(c, { code: 'REQUEST.TOO_LARGE', params: { max: options.maxBodyBytes } });
    // A write outside a service transaction that lost the same race.
    const reference = referenceConflictOf(e);
    if (reference) return problem(c, reference);
    console.error(`${c.req.method} ${c.req.path} failed:`, e);
    return problem(c, { code: 'INTERNAL' });
  });

  return app;
}

/**
 * Scripts retry: a POST carrying an `Idempotency-Key` is done once, and a repeat with the same key and
 * the same body gets the first answer back instead of doing the work twice.
 */
function idempotency(ctx: ServiceContext) {
  return async (c: import('hono').Context<AppEnv>, next: () => Promise<void>) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || !key || PUBLIC_PATHS.has(c.req.path)) return next();
    if (key.length > 200) return problem(c, { code: 'VALIDATION.TOO_LONG', field: 'Idempotency-Key', params: { max: 200 } });
    const actor = c.get('actor');
    // An upload is not read here: its options (the query), size and type stand for it.
    const body = isUploadRequest(c.req.method, c.req.path)
      ? `${c.req.url}\n${c.req.header('content-length') ?? ''}\n${c.req.header('content-type') ?? ''}`
      : await c.req.text();
    const requestHash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${body}`).digest('hex');
    const db = ctx.store.db;
    const existing = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', actor.userId).where('key', '=', key).executeTakeFirst();
    if (existing) {
      if (existing.request_hash !== requestHash) return problem(c, { code: 'IDEMPOTENCY.KEY_REUSED', field: 'Idempotency-Key' });
      if (existing.status_code === null) return problem(c, { code: 'IDEMPOTENCY.IN_PROGRESS', field: 'Idempotency-Key' });
      c.res = new Response(existing.response_body, {
        status: existing.status_code,
        headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
      });
      return;
    }
    try {
      await db
        .insertInto('idempotency_keys')
        .values({ user_id: actor.userId, key, request_hash: requestHash, status_code: null, response_body: null, created_at: ctx.runtime.now().toISOString() })
        .execute();
    } catch {
      return problem(c, { code: 'IDEMPOTENCY.IN_PROGRESS', field: 'Idempotency-Key' });
    }
    await next();
    const where = (q: any) => q.where('user_id', '=', actor.userId).where('key', '=', key);
    if (c.res.status >= 500) {
      await where(db.deleteFrom('idempotency_keys')).execute();
    } else {
      const responseBody = await c.res.clone().text();
      await where(db.updateTable('idempotency_keys').set({ status_code: c.res.status, response_body: responseBody })).execute();
    }
  };
}
