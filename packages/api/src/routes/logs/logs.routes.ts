import { createRoute, z } from '@hono/zod-openapi';
import { AuditEntry, LoginEntry } from '@telecrm/core';
import { requires } from '../../http/permissions.js';
import { jsonContent, problemResponses } from '../../http/respond.js';

const security = [{ bearer: [] }];
const tags = ['Logs'];
const page = {
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(2000).optional(),
};

export const listAuditLogRoute = createRoute({
  method: 'get',
  path: '/api/v1/audit',
  operationId: 'listAuditLog',
  ...requires('logs.view'),
  summary: 'Every write: who, when, via a token or a key, what, and the changed fields before and after',
  tags,
  security,
  request: {
    query: z.object({
      entity: z.string().max(40).optional().meta({ example: 'customer' }),
      entityId: z.string().max(64).optional(),
      actorId: z.string().max(64).optional(),
      ...page,
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }).meta({ id: 'AuditPage' }), 'One page, newest first'),
    ...problemResponses(400, 401, 403),
  },
});

export const listLoginsRoute = createRoute({
  method: 'get',
  path: '/api/v1/logins',
  operationId: 'listLogins',
  ...requires('logs.view'),
  summary: 'Every login attempt, successful or not, with the address and client',
  tags,
  security,
  request: {
    query: z.object({
      username: z.string().max(40).optional(),
      success: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
      ...page,
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(LoginEntry), nextCursor: z.string().nullable() }).meta({ id: 'LoginPage' }), 'One page, newest first'),
    ...problemResponses(400, 401, 403),
  },
});
