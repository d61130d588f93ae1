import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServiceContext } from '../services/context.js';
import type { JobRow } from '../store/database.js';
import { claimNextJob, renewJobLease } from '../store/job.repo.js';

/** A job's hold on its lease, as the code running the job sees it. */
export interface JobLease {
  readonly nodeId: string;
  /** The lease end to write with each committed step. */
  until(): string;
  /** The server is stopping, or the lease was lost (the job was cancelled or taken over). */
  stopped(): boolean;
  /** Throws when stopped, so a long job ends between two steps instead of inside one. */
  throwIfStopped(): void;
}

export class JobStopped extends Error {
  constructor() {
    super('job stopped');
  }
}

export type JobHandler = (ctx: ServiceContext, job: JobRow, lease: JobLease) => Promise<void>;

export interface JobRunnerOptions {
  leaseMs: number;
  /** How often to look for work nobody announced (a job queued by another server, a lease that ran out). */
  pollMs?: number;
  nodeId?: string;
}

/**
 * Runs queued jobs in this process, one at a time: takes the oldest runnable job with a lease,
 * renews the lease while it works (a heartbeat, and with each committed step), and hands it back on
 * stop so another server, or this one restarted, continues at once. Jobs whose lease ran out (their
 * server died) are taken over at the next look.
 */
export class JobRunner {
  readonly nodeId: string;
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private stopping = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly ctx: ServiceContext,
    private readonly handlers: Readonly<Record<string, JobHandler>>,
    private readonly options: JobRunnerOptions,
  ) {
    this.nodeId = options.nodeId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.pollMs = options.pollMs ?? Math.min(5000, Math.max(250, options.leaseMs / 2));
  }

  start(): void {
    this.started = true;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for work now (a runner that was not started, on a server with jobs off, never does). */
  wake(): void {
    if (!this.started || this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((e) => console.error('job runner failed:', e))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      });
  }

  /** Resolves when the runner has no job left that it can take now (tests wait on it). */
  async idle(): Promise<void> {
    this.wake();
    if (!this.running) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ends the job in hand at its next step boundary and gives its lease back. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async drain(): Promise<void> {
    while (!this.stopping) {
      this.again = false;
      const now = this.ctx.runtime.now();
      const job = await claimNextJob(this.ctx.store.db, this.ctx.store.dialect, this.nodeId, now.toISOString(), this.leaseEnd(now));
      if (!job) return;
      await this.run(job);
    }
  }

  private leaseEnd(from: Date = this.ctx.runtime.now()): string {
    return new Date(from.getTime() + this.options.leaseMs).toISOString();
  }

  private async run(job: JobRow): Promise<void> {
    const handler = this.handlers[job.kind];
    if (!handler) return;
    let lost = false;
    const lease: JobLease = {
      nodeId: this.nodeId,
      until: () => this.leaseEnd(),
      stopped: () => lost || this.stopping,
      throwIfStopped: () => {
        if (lost || this.stopping) throw new JobStopped();
      },
    };
    const heartbeat = setInterval(() => {
      renewJobLease(this.ctx.store.db, job.id, this.nodeId, this.leaseEnd())
        .then((held) => {
          if (!held) lost = true;
        })
        .catch(() => undefined);
    }, this.options.leaseMs / 3);
    heartbeat.unref();
    try {
      await handler(this.ctx, job, lease);
    } catch (e) {
      if (!(e instanceof JobStopped)) console.error(`job ${job.kind} ${job.id} failed:`, e);
    } finally {
      clearInterval(heartbeat);
      if (this.stopping) await this.releaseLease(job.id);
    }
  }

  /** Hands a job back untouched: its next runner need not wait for the lease to run out. */
  private async releaseLease(id: string): Promise<void> {
    await this.ctx.store.db
      .updateTable('jobs')
      .set({ locked_by: null, locked_until: null })
      .where('id', '=', id)
      .where('locked_by', '=', this.nodeId)
      .execute()
      .catch(() => undefined);
  }
}
