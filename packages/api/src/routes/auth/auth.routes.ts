import { createRoute } from '@hono/zod-openapi';
import { LoginRequest, LoginResponse, User } from '@telecrm/core';
import { jsonBody, jsonContent, problemResponses } from '../../http/respond.js';

const tags = ['Auth'];

export const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  operationId: 'login',
  summary: 'Exchange a username and password for a bearer token',
  tags,
  request: { body: jsonBody(LoginRequest) },
  responses: { 200: jsonContent(LoginResponse, 'Logged in'), ...problemResponses(400, 401, 403, 413, 429) },
});

export const logoutRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  operationId: 'logout',
  summary: 'Revoke the token of this request',
  tags,
  security: [{ bearer: [] }],
  responses: { 204: { description: 'Revoked' }, ...problemResponses(401) },
});

export const getMeRoute = createRoute({
  method: 'get',
  path: '/api/v1/me',
  operationId: 'getMe',
  summary: 'The logged-in user',
  tags,
  security: [{ bearer: [] }],
  responses: { 200: jsonContent(User, 'The caller'), ...problemResponses(401) },
});
