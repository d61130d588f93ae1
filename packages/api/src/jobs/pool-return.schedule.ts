import { runPoolReturns } from '../services/pool-returns.service.js';
import type { ServiceContext } from '../services/context.js';

/**
 * Runs the return rules every `minutes` on this server. A round that is still going when the next is
 * due is not doubled; on PostgreSQL, servers that find another one running skip their round (an
 * advisory lock in runPoolReturns).
 */
export class PoolReturnSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly minutes: number,
  ) {}

  start(): void {
    if (this.minutes <= 0) return;
    this.timer = setInterval(() => this.round(), this.minutes * 60_000);
    this.timer.unref();
  }

  private round(): void {
    if (this.running) return;
    this.running = runPoolReturns(this.ctx, { dryRun: false, skipIfRunning: true })
      .then((run) => {
        if (!run.ok) console.error('pool returns refused:', run.error.code);
      })
      .catch((e) => console.error('pool returns failed:', e))
      .finally(() => {
        this.running = undefined;
      });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
