import { parseArgs } from 'node:util';
import { ImportOptions } from '@telecrm/core';
import { loadEnv } from '../../env.js';
import { buildApplication } from '../../server.js';
import { authenticate, login } from '../../services/auth.service.js';
import { startImport } from '../../services/import.service.js';
import { plainInsert } from './plain-insert.js';

// One import in a process of its own, so that its peak memory is the import's alone: the job is
// started the way startImport does it (file checks, stored with the job) and run to the end by the
// job runner. Prints one JSON line. Run by import.bench.ts.

const ADMIN_PASSWORD = 'bench-admin-password';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      file: { type: 'string' },
      name: { type: 'string' },
      batch: { type: 'string', default: '5000' },
      plain: { type: 'boolean', default: false },
    },
  });
  if (!values.db || !values.file || !values.name) throw new Error('usage: import.child --db URL --file PATH --name FILE_NAME [--batch N]');
  const env = loadEnv({ CRM_DB: values.db, CRM_ADMIN_PASSWORD: ADMIN_PASSWORD, CRM_PASSWORD_COST: '10', CRM_JOBS: 'off', CRM_IMPORT_BATCH_ROWS: values.batch });
  const application = await buildApplication(env);
  if (values.plain) {
    // The schema is made; the floor writes into it with a connection of its own.
    await application.close();
    const seconds = await plainInsert(values.db, values.file, Number(values.batch));
    console.log(JSON.stringify({ state: 'done', seconds, counts: {}, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  try {
    const ctx = application.ctx;
    const session = await login(ctx, 'admin', ADMIN_PASSWORD);
    if (!session.ok) throw new Error(`login failed: ${session.error.code}`);
    const auth = await authenticate(ctx, session.value.token);
    if (!auth.ok) throw new Error(`authenticate failed: ${auth.error.code}`);
    const started = process.hrtime.bigint();
    const job = await startImport(ctx, auth.value.actor, ImportOptions.parse({ fileName: values.name, pool: 'public' }), values.file);
    if (!job.ok) throw new Error(`startImport failed: ${job.error.code} ${JSON.stringify(job.error.params)}`);
    application.jobs.start();
    await application.jobs.idle();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const done = await application.store.db.selectFrom('jobs').select(['state', 'progress']).where('id', '=', job.value.id).executeTakeFirstOrThrow();
    const progress = typeof done.progress === 'string' ? JSON.parse(done.progress) : done.progress;
    console.log(JSON.stringify({ state: done.state, seconds, counts: progress.counts, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    await application.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
