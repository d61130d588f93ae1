import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, dialects, type Harness } from '../test-support/harness.js';
import { openApiDocument, openApiText } from './document.js';

const committed = join(dirname(fileURLToPath(import.meta.url)), '../../../../openapi/openapi.json');

describe('the OpenAPI document', () => {
  it('is committed and up to date (run `npm run openapi` after changing a route)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(openApiText());
  });

  it('is OpenAPI 3.1 with a stable operationId on every operation', () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    const ids = Object.values(doc.paths ?? {}).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>).map((op) => op.operationId),
    );
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const required of ['login', 'listCustomers', 'getCustomer', 'createCustomer', 'updateCustomer', 'deleteCustomer', 'restoreCustomer', 'mergeCustomers', 'listViews', 'createView']) {
      expect(ids).toContain(required);
    }
  });

  it('declares problem+json answers for the errors each route can give', () => {
    const doc = openApiDocument();
    const create = (doc.paths?.['/api/v1/customers'] as Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>).post!;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '409', '413']));
    expect(create.responses['409']!.content).toHaveProperty('application/problem+json');
  });
});

describe.each(dialects)('served documents on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves /openapi.json and an interactive reference at /docs without a CDN', async () => {
    const doc = await h.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const page = await h.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)/);
    const bundle = await h.application.app.request('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await h.application.app.request('/docs/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await h.request('GET', '/api/v1/events', { token: h.adminToken })).status).toBe(426);
  });

  it('keeps CORS off by default', async () => {
    const res = await h.application.app.request('/api/v1/customers', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
