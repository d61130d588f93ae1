import { createRoute, z } from '@hono/zod-openapi';
import { Department, DepartmentCreate, DepartmentUpdate, PasswordChange, User, UserCreate, UserDelete, UserUpdate } from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['People'];

export const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/v1/users',
  operationId: 'listUsers',
  ...requires('users.view'),
  summary: 'The users of the company',
  tags,
  security,
  responses: { 200: jsonContent(z.object({ items: z.array(User) }).meta({ id: 'UserList' }), 'The users'), ...problemResponses(401) },
});

export const createUserRoute = createRoute({
  method: 'post',
  path: '/api/v1/users',
  operationId: 'createUser',
  ...requires('users.create'),
  summary: 'Add a user (admins)',
  tags,
  security,
  request: { body: jsonBody(UserCreate) },
  responses: { 201: jsonContent(User, 'Added'), ...problemResponses(400, 401, 403, 404, 409) },
});

const Quota = z.number().int().nullable();

export const UserDetail = User.extend({
  quotaCalls: Quota.meta({ description: 'Daily calls; null: no quota' }),
  quotaMinutes: Quota.meta({ description: 'Daily talk minutes; null: no quota' }),
}).meta({ id: 'UserDetail', description: 'A user with the settings an admin manages' });

export const getUserRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/{id}',
  operationId: 'getUser',
  ...requires('users.view'),
  summary: 'One user, with daily quotas',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(UserDetail, 'The user'), ...problemResponses(401, 404) },
});

export const updateUserRoute = createRoute({
  method: 'patch',
  path: '/api/v1/users/{id}',
  operationId: 'updateUser',
  ...requires('users.edit'),
  summary: 'Change a user: name, department, role, admin flag, status, quotas (admins); disabling ends their sessions and keys',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(UserUpdate) },
  responses: { 200: jsonContent(UserDetail, 'Updated'), ...problemResponses(400, 401, 403, 404, 409) },
});

export const changePasswordRoute = createRoute({
  method: 'post',
  path: '/api/v1/users/{id}/password',
  operationId: 'changePassword',
  summary: "Set a password: one's own with the current one, anyone's as an admin; the user's other sessions end",
  tags,
  security,
  request: { params: IdParam, body: jsonBody(PasswordChange) },
  responses: { 204: { description: 'Changed' }, ...problemResponses(400, 401, 403, 404) },
});

export const deleteUserRoute = createRoute({
  method: 'delete',
  path: '/api/v1/users/{id}',
  operationId: 'deleteUser',
  ...requires('users.delete'),
  summary: 'Delete a user, handing their customers, collaborations and shares over to another (admins)',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(UserDelete) },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409) },
});

export const listDepartmentsRoute = createRoute({
  method: 'get',
  path: '/api/v1/departments',
  operationId: 'listDepartments',
  ...requires('users.view'),
  summary: 'The department tree, as a flat list with parent ids',
  tags,
  security,
  responses: {
    200: jsonContent(z.object({ items: z.array(Department) }).meta({ id: 'DepartmentList' }), 'The departments'),
    ...problemResponses(401),
  },
});

export const createDepartmentRoute = createRoute({
  method: 'post',
  path: '/api/v1/departments',
  operationId: 'createDepartment',
  ...requires('users.create'),
  summary: 'Add a department (admins)',
  tags,
  security,
  request: { body: jsonBody(DepartmentCreate) },
  responses: { 201: jsonContent(Department, 'Added'), ...problemResponses(400, 401, 403, 404) },
});

export const updateDepartmentRoute = createRoute({
  method: 'patch',
  path: '/api/v1/departments/{id}',
  operationId: 'updateDepartment',
  ...requires('users.edit'),
  summary: 'Rename a department or move it, with its sub-departments, under another (admins)',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(DepartmentUpdate) },
  responses: { 200: jsonContent(Department, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});

export const deleteDepartmentRoute = createRoute({
  method: 'delete',
  path: '/api/v1/departments/{id}',
  operationId: 'deleteDepartment',
  ...requires('users.delete'),
  summary: 'Delete a department without users or sub-departments (admins)',
  tags,
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
});
