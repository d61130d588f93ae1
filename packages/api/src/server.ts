import type { AddressInfo } from 'node:net';
import { loadEnv, type Env } from './env.js';
import { EventHub } from './events/event-hub.js';
import { runImportJob } from './import/import.job.js';
import { IMPORT_JOB_KIND } from './import/import.params.js';
import { JobRunner } from './jobs/job-runner.js';
import { PoolReturnSchedule } from './jobs/pool-return.schedule.js';
import { attachEventSocket } from './events/event-socket.js';
import { createApp } from './http/app.js';
import { listen } from './http/listen.js';
import { registerRoutes } from './routes/register.js';
import { ensureDefaultRoles } from './services/access.service.js';
import { bootstrapCompany, type BootstrapResult } from './services/company.service.js';
import type { ServiceContext } from './services/context.js';
import { systemRuntime, type Runtime } from './shared/runtime.js';
import { openStore, type Store } from './store/connect.js';
import { migrateToLatest } from './store/migrate.js';

export interface Application {
  app: ReturnType<typeof createApp>;
  ctx: ServiceContext;
  hub: EventHub;
  jobs: JobRunner;
  store: Store;
  bootstrap: BootstrapResult;
  close(): Promise<void>;
}

/**
 * Opens and migrates the database, sets up the company on first start and builds the app: what the
 * server runs and what API tests drive through `app.request()`.
 */
export async function buildApplication(env: Env, runtime: Runtime = systemRuntime): Promise<Application> {
  const store = await openStore(env.CRM_DB);
  try {
    await migrateToLatest(store);
    let hub: EventHub | undefined;
    let jobs: JobRunner | undefined;
    const ctx: ServiceContext = {
      store,
      runtime,
      onEventsCommitted: () => hub?.wake(),
      onJobsChanged: () => jobs?.wake(),
      settings: {
        maxPageSize: env.CRM_MAX_PAGE_SIZE,
        tokenTtlHours: env.CRM_TOKEN_TTL_HOURS,
        passwordCost: env.CRM_PASSWORD_COST,
        jobLeaseMs: env.CRM_JOB_LEASE_SECONDS * 1000,
        imports: {
          maxUploadBytes: env.CRM_MAX_UPLOAD_BYTES,
          maxUnpackedBytes: env.CRM_IMPORT_MAX_UNPACKED_BYTES,
          batchRows: env.CRM_IMPORT_BATCH_ROWS,
          soffice: env.CRM_SOFFICE === 'off' ? null : env.CRM_SOFFICE,
          tmpDir: env.CRM_TMP_DIR,
        },
      },
    };
    hub = new EventHub(ctx);
    jobs = new JobRunner(ctx, { [IMPORT_JOB_KIND]: runImportJob }, { leaseMs: ctx.settings.jobLeaseMs });
    const bootstrap = await bootstrapCompany(ctx, {
      companyName: env.CRM_COMPANY_NAME,
      timeZone: env.CRM_TIME_ZONE,
      adminPassword: env.CRM_ADMIN_PASSWORD,
      passwordCost: env.CRM_PASSWORD_COST,
    });
    await ensureDefaultRoles(ctx);
    const app = createApp(ctx, {
      maxBodyBytes: env.CRM_MAX_BODY_BYTES,
      corsOrigins: env.CRM_CORS_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean),
    });
    registerRoutes(app);
    await hub.start();
    const returns = new PoolReturnSchedule(ctx, env.CRM_POOL_RETURN_MINUTES);
    if (env.CRM_JOBS === 'on') {
      jobs.start();
      returns.start();
    }
    const started = { hub, jobs };
    return {
      app,
      ctx,
      ...started,
      store,
      bootstrap,
      close: async () => {
        await returns.stop();
        await started.jobs.stop();
        await started.hub.stop();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

export interface ServerOptions {
  port?: number;
  host?: string;
  db?: string;
  adminPassword?: string;
}

/** Starts the HTTP server and the event stream. Prints the generated admin password on first start. */
export async function startServer(opts: ServerOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const base = loadEnv();
  const env: Env = {
    ...base,
    ...(opts.db ? { CRM_DB: opts.db } : {}),
    ...(opts.port !== undefined ? { PORT: opts.port } : {}),
    ...(opts.host ? { HOST: opts.host } : {}),
    ...(opts.adminPassword ? { CRM_ADMIN_PASSWORD: opts.adminPassword } : {}),
  };
  const application = await buildApplication(env);
  if (application.bootstrap.generatedAdminPassword) {
    console.error(`First start: created user "admin" with password ${application.bootstrap.generatedAdminPassword} (shown once; set CRM_ADMIN_PASSWORD to choose it)`);
  }
  const server = await listen(application.app.fetch, env.PORT, env.HOST);
  const detachEvents = attachEventSocket(server, application.ctx, application.hub);
  const { port } = server.address() as AddressInfo;
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      await detachEvents();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      await application.close();
    },
  };
}
