import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as settings from '../../services/pool-settings.service.js';
import {
  createPublicPoolRoute,
  deletePublicPoolRoute,
  getPoolRulesRoute,
  listPublicPoolsRoute,
  setCompanyPoolRulesRoute,
  setDepartmentPoolRulesRoute,
  updatePublicPoolRoute,
} from './pool-settings.routes.js';

export function registerPoolSettingsRoutes(app: App): void {
  app.openapi(getPoolRulesRoute, async (c) => c.json(await settings.getPoolRules(c.get('ctx')), 200));
  app.openapi(setCompanyPoolRulesRoute, async (c) => {
    const r = await settings.setCompanyPoolRules(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(setDepartmentPoolRulesRoute, async (c) => {
    const r = await settings.setDepartmentPoolRules(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(listPublicPoolsRoute, async (c) => c.json({ items: await settings.getPublicPools(c.get('ctx')) }, 200));
  app.openapi(createPublicPoolRoute, async (c) => {
    const r = await settings.createPublicPool(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(updatePublicPoolRoute, async (c) => {
    const r = await settings.updatePublicPool(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(deletePublicPoolRoute, async (c) => {
    const r = await settings.deletePublicPool(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
}
