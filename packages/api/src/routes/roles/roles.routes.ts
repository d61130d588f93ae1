import { createRoute, z } from '@hono/zod-openapi';
import { Role, RoleCreate, RoleUpdate } from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['People'];

export const listRolesRoute = createRoute({
  method: 'get',
  path: '/api/v1/roles',
  operationId: 'listRoles',
  ...requires('users.view'),
  summary: 'The role tree, as a flat list with parent ids',
  tags,
  security,
  responses: { 200: jsonContent(z.object({ items: z.array(Role) }).meta({ id: 'RoleList' }), 'The roles'), ...problemResponses(401, 403) },
});

export const getRoleRoute = createRoute({
  method: 'get',
  path: '/api/v1/roles/{id}',
  operationId: 'getRole',
  ...requires('users.view'),
  summary: 'One role: its grants, data scope and field permissions',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(Role, 'The role'), ...problemResponses(401, 403, 404) },
});

export const createRoleRoute = createRoute({
  method: 'post',
  path: '/api/v1/roles',
  operationId: 'createRole',
  ...requires('settings.edit'),
  summary: 'Add a role under a superior role',
  tags,
  security,
  request: { body: jsonBody(RoleCreate) },
  responses: { 201: jsonContent(Role, 'Added'), ...problemResponses(400, 401, 403, 404) },
});

export const updateRoleRoute = createRoute({
  method: 'patch',
  path: '/api/v1/roles/{id}',
  operationId: 'updateRole',
  ...requires('settings.edit'),
  summary: 'Rename, move, or change the grants, scope and field permissions of a role',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(RoleUpdate) },
  responses: { 200: jsonContent(Role, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});

export const deleteRoleRoute = createRoute({
  method: 'delete',
  path: '/api/v1/roles/{id}',
  operationId: 'deleteRole',
  ...requires('settings.edit'),
  summary: 'Delete a role nobody holds and no role reports to',
  tags,
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
});
