import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as roles from '../../services/role.service.js';
import { createRoleRoute, deleteRoleRoute, getRoleRoute, listRolesRoute, updateRoleRoute } from './roles.routes.js';

export function registerRoleRoutes(app: App): void {
  app.openapi(listRolesRoute, async (c) => c.json({ items: await roles.listRoles(c.get('ctx')) }, 200));
  app.openapi(getRoleRoute, async (c) => {
    const r = await roles.getRole(c.get('ctx'), c.req.valid('param').id);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(createRoleRoute, async (c) => {
    const r = await roles.createRole(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(updateRoleRoute, async (c) => {
    const r = await roles.updateRole(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(deleteRoleRoute, async (c) => {
    const r = await roles.deleteRole(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
}
