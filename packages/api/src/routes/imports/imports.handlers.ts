import type { App } from '../../http/app-env.js';
import { problem } from '../../http/respond.js';
import { receiveUpload } from '../../http/upload.js';
import { sendDownload } from '../../export/download.js';
import { failureReport } from '../../import/failure-report.js';
import * as imports from '../../services/import.service.js';
import {
  cancelImportRoute,
  getImportFailuresRoute,
  getImportRoute,
  listImportsRoute,
  revertImportRoute,
  startImportRoute,
} from './imports.routes.js';

export function registerImportRoutes(app: App): void {
  app.openapi(startImportRoute, async (c) => {
    const ctx = c.get('ctx');
    const upload = await receiveUpload(c.req.raw, ctx.settings.imports.tmpDir, ctx.settings.imports.maxUploadBytes);
    if (!upload.ok) return problem(c, upload.error);
    try {
      const r = await imports.startImport(ctx, c.get('actor'), c.req.valid('query'), upload.value.path, c.get('lang'));
      if (!r.ok) return problem(c, r.error);
      c.header('location', `/api/v1/imports/${r.value.id}`);
      return c.json(r.value, 202);
    } finally {
      await upload.value.discard();
    }
  });
  app.openapi(listImportsRoute, async (c) => {
    const r = await imports.listImports(c.get('ctx'), c.get('actor'), c.req.valid('query'), c.get('lang'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(getImportRoute, async (c) => {
    const r = await imports.getImport(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.get('lang'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(cancelImportRoute, async (c) => {
    const r = await imports.cancelImport(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.get('lang'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(revertImportRoute, async (c) => {
    const r = await imports.revertImport(c.get('ctx'), c.get('actor'), c.req.valid('param').id, c.get('lang'));
    return r.ok ? c.json(r.value, 200) : problem(c, r.error);
  });
  app.openapi(getImportFailuresRoute, async (c) => {
    const ctx = c.get('ctx');
    const lang = c.get('lang');
    const r = await imports.importForReport(ctx, c.get('actor'), c.req.valid('param').id, lang);
    if (!r.ok) return problem(c, r.error);
    return sendDownload(await failureReport(ctx, r.value.job, r.value.mapping, c.req.valid('query').format ?? 'xlsx', lang));
  });
}
