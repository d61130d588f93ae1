import { createRoute, z } from '@hono/zod-openapi';
import { View, ViewCreate, ViewUpdate } from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['Views'];
const ViewList = z.object({ items: z.array(View) }).meta({ id: 'ViewList' });

export const listViewsRoute = createRoute({
  method: 'get',
  path: '/api/v1/views',
  operationId: 'listViews',
  ...requires('views.view'),
  summary: "Built-in views, shared views and the caller's own",
  tags,
  security,
  responses: { 200: jsonContent(ViewList, 'The views'), ...problemResponses(401) },
});

export const createViewRoute = createRoute({
  method: 'post',
  path: '/api/v1/views',
  operationId: 'createView',
  ...requires('views.create'),
  summary: 'Save a view: a filter tree, columns and a sort, personal or shared',
  tags,
  security,
  request: { body: jsonBody(ViewCreate) },
  responses: { 201: jsonContent(View, 'Saved'), ...problemResponses(400, 401, 403, 413) },
});

export const getViewRoute = createRoute({
  method: 'get',
  path: '/api/v1/views/{id}',
  operationId: 'getView',
  ...requires('views.view'),
  summary: 'One view',
  tags,
  security,
  request: { params: IdParam },
  responses: { 200: jsonContent(View, 'The view'), ...problemResponses(401, 404) },
});

export const updateViewRoute = createRoute({
  method: 'patch',
  path: '/api/v1/views/{id}',
  operationId: 'updateView',
  ...requires('views.edit'),
  summary: 'Change a view, or make any visible view the caller\'s default',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(ViewUpdate) },
  responses: { 200: jsonContent(View, 'Updated'), ...problemResponses(400, 401, 403, 404) },
});

export const deleteViewRoute = createRoute({
  method: 'delete',
  path: '/api/v1/views/{id}',
  operationId: 'deleteView',
  ...requires('views.delete'),
  summary: 'Delete a saved view',
  tags,
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
});
