import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import { getCompanySettings, updateCompanySettings } from '../../services/company.service.js';
import * as settings from '../../services/settings.service.js';
import {
  addPicklistValueRoute,
  createCustomFieldRoute,
  deleteCustomFieldRoute,
  deletePicklistValueRoute,
  getCompanyRoute,
  getPicklistRoute,
  listCustomFieldsRoute,
  listPicklistsRoute,
  updateCompanyRoute,
  updateCustomFieldRoute,
  updatePicklistValueRoute,
} from './settings.routes.js';

export function registerSettingsRoutes(app: App): void {
  app.openapi(getCompanyRoute, async (c) => c.json(await getCompanySettings(c.get('ctx').store.db), 200));
  app.openapi(updateCompanyRoute, async (c) => {
    return c.json(await updateCompanySettings(c.get('ctx'), c.get('actor'), c.req.valid('json')), 200);
  });
  app.openapi(listCustomFieldsRoute, async (c) =>
    c.json({ items: await settings.listCustomFields(c.get('ctx'), c.req.valid('query').module) }, 200),
  );
  app.openapi(createCustomFieldRoute, async (c) => {
    const r = await settings.createCustomField(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(updateCustomFieldRoute, async (c) => {
    const r = await settings.updateCustomField(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(deleteCustomFieldRoute, async (c) => {
    const r = await settings.deleteCustomField(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
  app.openapi(listPicklistsRoute, async (c) => c.json({ items: await settings.listPicklistValues(c.get('ctx')) }, 200));
  app.openapi(getPicklistRoute, async (c) =>
    c.json({ items: await settings.listPicklistValues(c.get('ctx'), c.req.valid('param').list) }, 200),
  );
  app.openapi(addPicklistValueRoute, async (c) => {
    const r = await settings.addPicklistValue(c.get('ctx'), c.get('actor'), c.req.valid('param').list, c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(updatePicklistValueRoute, async (c) => {
    const { list, id } = c.req.valid('param');
    const r = await settings.updatePicklistValue(c.get('ctx'), c.get('actor'), list, id, c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(deletePicklistValueRoute, async (c) => {
    const { list, id } = c.req.valid('param');
    const r = await settings.deletePicklistValue(c.get('ctx'), c.get('actor'), list, id);
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
}
