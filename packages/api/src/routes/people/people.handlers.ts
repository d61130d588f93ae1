import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import * as people from '../../services/people.service.js';
import { createDepartmentRoute, createUserRoute, listDepartmentsRoute, listUsersRoute } from './people.routes.js';

export function registerPeopleRoutes(app: App): void {
  app.openapi(listUsersRoute, async (c) => c.json({ items: await people.listUsers(c.get('ctx')) }, 200));
  app.openapi(createUserRoute, async (c) => {
    const r = await people.createUser(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(listDepartmentsRoute, async (c) => c.json({ items: await people.listDepartments(c.get('ctx')) }, 200));
  app.openapi(createDepartmentRoute, async (c) => {
    const r = await people.createDepartment(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
}
