import { createRoute, z } from '@hono/zod-openapi';
import { Department, DepartmentCreate, User, UserCreate } from '@telecrm/core';
import { jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['People'];

export const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/v1/users',
  operationId: 'listUsers',
  summary: 'The users of the company',
  tags,
  security,
  responses: { 200: jsonContent(z.object({ items: z.array(User) }).meta({ id: 'UserList' }), 'The users'), ...problemResponses(401) },
});

export const createUserRoute = createRoute({
  method: 'post',
  path: '/api/v1/users',
  operationId: 'createUser',
  summary: 'Add a user (admins)',
  tags,
  security,
  request: { body: jsonBody(UserCreate) },
  responses: { 201: jsonContent(User, 'Added'), ...problemResponses(400, 401, 403, 404, 409) },
});

export const listDepartmentsRoute = createRoute({
  method: 'get',
  path: '/api/v1/departments',
  operationId: 'listDepartments',
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
  summary: 'Add a department (admins)',
  tags,
  security,
  request: { body: jsonBody(DepartmentCreate) },
  responses: { 201: jsonContent(Department, 'Added'), ...problemResponses(400, 401, 403, 404) },
});
