import { createRoute, z } from '@hono/zod-openapi';
import { PoolRules, PoolRulesOverride, PoolRulesSet, PublicPool, PublicPoolCreate, PublicPoolUpdate } from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['Pools'];

export const getPoolRulesRoute = createRoute({
  method: 'get',
  path: '/api/v1/pool-rules',
  operationId: 'getPoolRules',
  ...requires('customers.view'),
  summary: 'The pool rules (客户池规则): the company’s and each department’s overrides',
  tags,
  security,
  responses: { 200: jsonContent(PoolRulesSet, 'The rules'), ...problemResponses(401, 403) },
});

export const setCompanyPoolRulesRoute = createRoute({
  method: 'put',
  path: '/api/v1/pool-rules',
  operationId: 'setCompanyPoolRules',
  ...requires('settings.edit'),
  summary: 'Set the company’s pool rules: holding and daily claim limits, protection, return rules, cooldown, who may claim',
  tags,
  security,
  request: { body: jsonBody(PoolRules) },
  responses: { 200: jsonContent(PoolRules, 'The rules in force'), ...problemResponses(400, 401, 403) },
});

export const setDepartmentPoolRulesRoute = createRoute({
  method: 'put',
  path: '/api/v1/pool-rules/departments/{id}',
  operationId: 'setDepartmentPoolRules',
  ...requires('settings.edit'),
  summary: 'Set what a department (and the ones below it) changes of the company’s rules; {} removes the override',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(PoolRulesOverride) },
  responses: { 200: jsonContent(PoolRulesOverride, 'The override'), ...problemResponses(400, 401, 403, 404) },
});

const PublicPoolList = z.object({ items: z.array(PublicPool) }).meta({ id: 'PublicPoolList' });

export const listPublicPoolsRoute = createRoute({
  method: 'get',
  path: '/api/v1/public-pools',
  operationId: 'listPublicPools',
  ...requires('customers.view'),
  summary: 'The public pools (公海), the default first',
  tags,
  security,
  responses: { 200: jsonContent(PublicPoolList, 'The pools'), ...problemResponses(401, 403) },
});

export const createPublicPoolRoute = createRoute({
  method: 'post',
  path: '/api/v1/public-pools',
  operationId: 'createPublicPool',
  ...requires('settings.edit'),
  summary: 'Add a public pool, e.g. one per department, with its members and claim rules',
  tags,
  security,
  request: { body: jsonBody(PublicPoolCreate) },
  responses: { 201: jsonContent(PublicPool, 'Created'), ...problemResponses(400, 401, 403, 409) },
});

export const updatePublicPoolRoute = createRoute({
  method: 'patch',
  path: '/api/v1/public-pools/{id}',
  operationId: 'updatePublicPool',
  ...requires('settings.edit'),
  summary: 'Rename a public pool, change its members or rules, or make it the default',
  tags,
  security,
  request: { params: IdParam, body: jsonBody(PublicPoolUpdate) },
  responses: { 200: jsonContent(PublicPool, 'Updated'), ...problemResponses(400, 401, 403, 404, 409) },
});

export const deletePublicPoolRoute = createRoute({
  method: 'delete',
  path: '/api/v1/public-pools/{id}',
  operationId: 'deletePublicPool',
  ...requires('settings.edit'),
  summary: 'Delete an empty public pool that is not the default',
  tags,
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
});
