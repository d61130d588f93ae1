import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { CrmEvent } from '@telecrm/core';
import type { App } from '../../http/app-env.js';
import { jsonContent, problemResponses } from '../../http/respond.js';

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Telemarketing CRM API',
    version: '1.0.0',
    description:
      'The engine behind telemarketing teams: customers, views, pools, imports and dialling. ' +
      'Errors are application/problem+json with a stable `code`; lists use keyset pagination (`limit`, `cursor`). ' +
      'Events: a WebSocket at `/api/v1/events?token=...` (or an Authorization header) carrying CrmEvent messages; ' +
      'reconnect with `since=<last event id>` to resume. Send `Accept-Language: zh-CN` for Chinese messages.',
  },
};

const eventsRoute = createRoute({
  method: 'get',
  path: '/api/v1/events',
  operationId: 'streamEvents',
  summary: 'The event stream (WebSocket upgrade)',
  description:
    'Upgrade to a WebSocket. Each message is a CrmEvent `{ id, type, at, data }`, only about customers the caller may see. ' +
    'Query `since=<event id>` resumes after that event. A client that leaves more than 4 MB unread is closed with code 4008 ' +
    '(too far behind) and resumes the same way. Without an upgrade this answers 426.',
  tags: ['Events'],
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      token: z.string().optional().meta({ description: 'The bearer token, for clients that cannot set headers' }),
      since: z.string().optional().meta({ description: 'Resume after this event id' }),
    }),
  },
  responses: {
    101: { description: 'Switching to the WebSocket protocol' },
    426: jsonContent(z.object({ message: z.string(), example: CrmEvent }).meta({ id: 'UpgradeRequired' }), 'Not a WebSocket request'),
    ...problemResponses(401),
  },
});

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Telemarketing CRM API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>`;

const INIT_JS = `window.ui = SwaggerUIBundle({
  url: '/openapi.json', dom_id: '#docs', deepLinking: true, persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout'
});`;

/** The OpenAPI document, the interactive reference (served from the installed package, no CDN), health. */
export function registerSystemRoutes(app: App): void {
  app.doc31('/openapi.json', OPENAPI_INFO);
  app.openapi(eventsRoute, (c) =>
    c.json({ message: 'Connect with a WebSocket client', example: { id: '…', type: 'customer.created', at: '…', data: {} } as never }, 426),
  );
  app.get('/docs', (c) => c.html(DOCS_HTML));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (file === 'init.js') return c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    const type = ASSETS[file];
    if (!type) return c.notFound();
    const body = await readFile(join(swaggerDir, file));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));
}
