import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import { hashToken } from '../../services/auth.service.js';
import * as people from '../../services/people.service.js';
import {
  changePasswordRoute,
  createDepartmentRoute,
  createUserRoute,
  deleteDepartmentRoute,
  deleteUserRoute,
  getUserRoute,
  listDepartmentsRoute,
  listUsersRoute,
  updateDepartmentRoute,
  updateUserRoute,
} from './people.routes.js';

export function registerPeopleRoutes(app: App): void {
  app.openapi(listUsersRoute, async (c) => c.json({ items: await people.listUsers(c.get('ctx')) }, 200));
  app.openapi(createUserRoute, async (c) => {
    const r = await people.createUser(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(getUserRoute, async (c) => {
    const r = await people.getUserDetail(c.get('ctx'), c.req.valid('param').id);
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(updateUserRoute, async (c) => {
    const r = await people.updateUser(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(changePasswordRoute, async (c) => {
    const r = await people.changePassword(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'), hashToken(c.get('token')));
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
  app.openapi(deleteUserRoute, async (c) => {
    const r = await people.deleteUser(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
  app.openapi(listDepartmentsRoute, async (c) => c.json({ items: await people.listDepartments(c.get('ctx')) }, 200));
  app.openapi(createDepartmentRoute, async (c) => {
    const r = await people.createDepartment(c.get('ctx'), c.get('actor'), c.req.valid('json'));
    return r.ok ? c.json(r.value, 201) : problem(c, r.error);
  });
  app.openapi(updateDepartmentRoute, async (c) => {
    const r = await people.updateDepartment(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(deleteDepartmentRoute, async (c) => {
    const r = await people.deleteDepartment(c.get('ctx'), c.get('actor'), c.req.valid('param').id);
    return r.ok ? c.body(null, 204) : problem(c, r.error);
  });
}
