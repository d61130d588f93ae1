import { createRoute, z } from '@hono/zod-openapi';
import { ApiKey, ApiKeyCreate, ApiKeyCreated } from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { IdParam, jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['API keys'];
const ApiKeyList = z.object({ items: z.array(ApiKey) }).meta({ id: 'ApiKeyList' });
const UserIdQuery = z.object({
  userId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ param: { name: 'userId', in: 'query' }, description: 'Another user (admins; for listing, holders of keys.manage too)' }),
});

export const createApiKeyRoute = createRoute({
  method: 'post',
  path: '/api/v1/keys',
  operationId: 'createApiKey',
  ...requires('keys.create'),
  summary: 'Make an API key for scripts and third parties; the secret is shown once, in this answer only',
  description:
    'The key is for the caller, or with `userId` (admins) for another user. Its permissions must be held by its user; ' +
    "without a list it gets all of them as they are now. A request made with an API key cannot make keys. Send the secret as " +
    '`Authorization: Bearer crm_...` or `X-API-Key: crm_...`.',
  tags,
  security,
  request: { query: UserIdQuery, body: jsonBody(ApiKeyCreate) },
  responses: { 201: jsonContent(ApiKeyCreated, 'Made: keep the secret, it cannot be shown again'), ...problemResponses(400, 401, 403, 404, 413) },
});

export const listApiKeysRoute = createRoute({
  method: 'get',
  path: '/api/v1/keys',
  operationId: 'listApiKeys',
  summary: "The caller's API keys, revoked ones included, without secrets; admins and holders of keys.manage see everybody's",
  tags,
  security,
  request: { query: UserIdQuery },
  responses: { 200: jsonContent(ApiKeyList, 'The keys, newest first'), ...problemResponses(400, 401, 403) },
});

export const revokeApiKeyRoute = createRoute({
  method: 'delete',
  path: '/api/v1/keys/{id}',
  operationId: 'revokeApiKey',
  summary: 'Revoke an API key: the next request made with it is refused',
  tags,
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked (or already revoked)' }, ...problemResponses(401, 404) },
});
