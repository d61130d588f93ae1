import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { App, AppEnv } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as auth from '../../services/auth.service.js';
import { getMeRoute, loginRoute, logoutRoute } from './auth.routes.js';

export function registerAuthRoutes(app: App): void {
  app.openapi(loginRoute, async (c) => {
    const { username, password } = c.req.valid('json');
    const r = await auth.login(c.get('ctx'), username, password, { address: remoteAddress(c), agent: c.req.header('user-agent')?.slice(0, 200) ?? null });
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(logoutRoute, async (c) => {
    await auth.logout(c.get('ctx'), c.get('token'));
    return c.body(null, 204);
  });
  app.openapi(getMeRoute, (c) => c.json(c.get('user'), 200));
}

/** The caller's address from the socket; requests made in-process (tests) have none. */
function remoteAddress(c: Context<AppEnv>): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
