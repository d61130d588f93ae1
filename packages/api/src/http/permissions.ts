import { hasPermission, type Permission } from '@telecrm/core';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env.js';
import { problem } from './respond.js';

/**
 * The operation permission a route needs, as route middleware and as `x-permission` in the OpenAPI
 * document, so the requirement is declared once, next to the route, and third parties can read it.
 */
export function requires(permission: Permission) {
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    if (!hasPermission(c.get('actor').permissions, permission)) {
      return problem(c, { code: 'AUTH.FORBIDDEN', params: { permission } });
    }
    await next();
  });
  return { middleware, 'x-permission': permission } as const;
}
