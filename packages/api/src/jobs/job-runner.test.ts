import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../services/context.js';
import { claimNextJob } from '../store/job.repo.js';
import { createHarness, dialects, type Harness } from '../test-support/harness.js';
import { JobRunner, type JobHandler } from './job-runner.js';

const LEASE_MS = 30_000;

describe.each(dialects)('the job runner on $name', (dialect) => {
  let h: Harness;
  let ctx: ServiceContext;
  let runs: { node: string; id: string }[];
  const runners: JobRunner[] = [];
  beforeEach(async () => {
    h = await createHarness(dialect, { env: { CRM_JOBS: 'off' } });
    ctx = h.application.ctx;
    runs = [];
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await h.close();
  });

  /** A runner of `test` jobs that records each run and ends the job. */
  const runner = (nodeId: string, handler?: JobHandler) => {
    const r = new JobRunner(
      ctx,
      {
        test:
          handler ??
          (async (c, job) => {
            runs.push({ node: nodeId, id: job.id });
            await c.store.db.updateTable('jobs').set({ state: 'done', locked_by: null, locked_until: null }).where('id', '=', job.id).execute();
          }),
      },
      { leaseMs: LEASE_MS, nodeId, pollMs: 60_000 },
    );
    runners.push(r);
    return r;
  };
  const queue = async (id: string) => {
    const now = ctx.runtime.now().toISOString();
    await ctx.store.db
      .insertInto('jobs')
      .values({ id, kind: 'test', state: 'queued', created_by: 'u', created_at: now, updated_at: now, params: '{}', progress: '{}' })
      .execute();
  };
  const stateOf = async (id: string) => ctx.store.db.selectFrom('jobs').select(['state', 'locked_by']).where('id', '=', id).executeTakeFirstOrThrow();

  it('never runs a job on a server whose runner was not started', async () => {
    await queue('j1');
    const idle = runner('a');
    idle.wake();
    await idle.idle();
    expect(runs).toEqual([]);
    expect(await stateOf('j1')).toEqual({ state: 'queued', locked_by: null });
  });

  it('runs queued jobs oldest first, each once', async () => {
    await queue('j1');
    h.clock.advance(1000);
    await queue('j2');
    const a = runner('a');
    a.start();
    await a.idle();
    expect(runs).toEqual([{ node: 'a', id: 'j1' }, { node: 'a', id: 'j2' }]);
  });

  it('takes over a job whose server died once its lease runs out, not before', async () => {
    await queue('j1');
    const now = ctx.runtime.now();
    const held = await claimNextJob(ctx.store.db, ctx.store.dialect, 'dead', now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString());
    expect(held?.id).toBe('j1');
    const b = runner('b');
    b.start();
    await b.idle();
    expect(runs).toEqual([]);
    h.clock.advance(LEASE_MS + 1);
    await b.idle();
    expect(runs).toEqual([{ node: 'b', id: 'j1' }]);
  });

  it('hands a job back on stop, so the next server continues at once', async () => {
    await queue('j1');
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      const a = runner('a', async (_c, _job, lease) => {
        resolve();
        await new Promise<void>((r) => (release = r));
        lease.throwIfStopped();
      });
      a.start();
    });
    await started;
    expect(await stateOf('j1')).toEqual({ state: 'running', locked_by: 'a' });
    const stopping = runners[0]!.stop();
    release();
    await stopping;
    expect(await stateOf('j1')).toEqual({ state: 'running', locked_by: null });
    const b = runner('b');
    b.start();
    await b.idle();
    expect(runs).toEqual([{ node: 'b', id: 'j1' }]);
  });
});
