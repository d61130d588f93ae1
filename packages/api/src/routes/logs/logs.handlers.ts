import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as logs from '../../services/log.service.js';
import { listAuditLogRoute, listLoginsRoute } from './logs.routes.js';

// Read-only: the logs have no write routes at all, so nobody can edit them through the API.
export function registerLogRoutes(app: App): void {
  app.openapi(listAuditLogRoute, async (c) => {
    const r = await logs.listAuditLog(c.get('ctx'), c.req.valid('query'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(listLoginsRoute, async (c) => {
    const r = await logs.listLogins(c.get('ctx'), c.req.valid('query'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
}
