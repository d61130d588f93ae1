import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as keys from '../../services/key.service.js';
import { createApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './keys.routes.js';

export function registerKeyRoutes(app: App): void {
  app.openapi(createApiKeyRoute, async (c) => {
    const r = await keys.createApiKey(c.get('ctx'), c.get('actor'), c.req.valid('json'), c.req.valid('query').userId);
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(listApiKeysRoute, async (c) => {
    const r = await keys.listApiKeys(c.get('ctx'), c.get('actor'), c.req.valid('query').userId);
    return r.ok ? c.json({ items: r.value }, 200) : problem(c, r.error);
  });
  app.openapi(revokeApiKeyRoute, async (c) => {
    const r = await keys.revokeApiKey(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
}
