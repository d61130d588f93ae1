import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as views from '../../services/view.service.js';
import { createViewRoute, deleteViewRoute, getViewRoute, listViewsRoute, updateViewRoute } from './views.routes.js';

export function registerViewRoutes(app: App): void {
  app.openapi(listViewsRoute, async (c) => c.json({ items: await views.listViews(c.get('ctx'), c.get('actor'), c.get('lang')) }, 200));
  app.openapi(createViewRoute, async (c) => {
    const r = await views.createView(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(getViewRoute, async (c) => {
    const r = await views.findView(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.get('lang'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(updateViewRoute, async (c) => {
    const r = await views.updateView(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'), c.get('lang'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(deleteViewRoute, async (c) => {
    const r = await views.deleteView(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
}
