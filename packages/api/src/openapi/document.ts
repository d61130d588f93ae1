import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-env.js';
import { registerRoutes } from '../routes/register.js';
import { OPENAPI_INFO } from '../routes/system/system.handlers.js';

/** The OpenAPI 3.1 document, built from the routes' schemas alone (no database needed). */
export function openApiDocument(): ReturnType<OpenAPIHono['getOpenAPI31Document']> {
  const app = new OpenAPIHono<AppEnv>();
  registerRoutes(app);
  return app.getOpenAPI31Document(OPENAPI_INFO);
}

/** The committed file's text: stable key order and a final newline, so diffs stay readable. */
export const openApiText = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;
