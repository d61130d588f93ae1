import type { Actor, CrmEvent } from '@telecrm/core';
import type pg from 'pg';
import type { ServiceContext } from '../services/context.js';
import { letOthersRun } from '../shared/turns.js';
import { customersVisibleTo } from '../store/customer.repo.js';
import { OUTBOX_CHANNEL } from './outbox.js';

interface Subscriber {
  actor: Actor;
  /** The last outbox sequence number this subscriber has been sent (or skipped as not visible). */
  cursor: number;
  send(event: CrmEvent): void;
}

const BATCH = 500;
// On PostgreSQL, sequence numbers are taken at insert and become visible at commit, so a later number
// can commit first. A gap is waited for this long before it is taken for a rolled-back transaction.
const GAP_WAIT_MS = 3000;
const POLL_MS = 1000;

/**
 * Reads the outbox in order and pushes each event to the subscribers allowed to see it. Subscribers
 * resume from the last event id they saw; delivery is at least once, in order, per subscriber.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  private running = false;
  private again = false;
  private gapSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private listener: pg.PoolClient | undefined;

  constructor(private readonly ctx: ServiceContext) {}

  async start(): Promise<void> {
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    if (this.ctx.store.pgPool) {
      this.listener = await this.ctx.store.pgPool.connect();
      this.listener.on('notification', () => this.wake());
      await this.listener.query(`listen ${OUTBOX_CHANNEL}`);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.subscribers.clear();
    if (this.listener) {
      await this.listener.query(`unlisten ${OUTBOX_CHANNEL}`).catch(() => undefined);
      this.listener.release();
    }
  }

  /** The sequence number of an event id, to resume after it; undefined when unknown. */
  async sequenceOf(eventId: string): Promise<number | undefined> {
    const row = await this.ctx.store.db.selectFrom('outbox').select('seq').where('id', '=', eventId).executeTakeFirst();
    return row ? Number(row.seq) : undefined;
  }

  async latestSequence(): Promise<number> {
    const row = await this.ctx.store.db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  subscribe(actor: Actor, cursor: number, send: (event: CrmEvent) => void): () => void {
    const subscriber: Subscriber = { actor, cursor, send };
    this.subscribers.add(subscriber);
    this.wake();
    return () => this.subscribers.delete(subscriber);
  }

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.dispatch()
      .catch((e) => console.error('event dispatch failed:', e))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async dispatch(): Promise<void> {
    for (;;) {
      if (this.subscribers.size === 0) return;
      const from = Math.min(...[...this.subscribers].map((s) => s.cursor));
      const rows = await this.ctx.store.db.selectFrom('outbox').selectAll().where('seq', '>', from).orderBy('seq').limit(BATCH).execute();
      const deliverable = this.contiguous(rows.map((r) => ({ ...r, seq: Number(r.seq) })), from);
      if (deliverable.length === 0) return;
      await Promise.all([...this.subscribers].map((s) => this.deliver(s, deliverable)));
      if (rows.length < BATCH) return;
      // A move of 100,000 customers is 200 batches: the server answers others between them.
      await letOthersRun();
    }
  }

  private contiguous<T extends { seq: number }>(rows: T[], from: number): T[] {
    let expected = from + 1;
    const out: T[] = [];
    for (const row of rows) {
      if (row.seq !== expected) {
        const now = Date.now();
        this.gapSince ??= now;
        if (now - this.gapSince < GAP_WAIT_MS) {
          setTimeout(() => this.wake(), 200).unref();
          break;
        }
      }
      this.gapSince = undefined;
      out.push(row);
      expected = row.seq + 1;
    }
    return out;
  }

  private async deliver(
    subscriber: Subscriber,
    rows: { seq: number; id: string; type: string; at: string; customer_id: string | null; recipient_id: string | null; data: string }[],
  ): Promise<void> {
    const pending = rows.filter((r) => r.seq > subscriber.cursor);
    if (pending.length === 0) return;
    const visible = await this.visibleCustomerIds(subscriber.actor, pending.map((r) => r.customer_id).filter((id): id is string => id !== null));
    for (const row of pending) {
      const addressed = row.recipient_id === null || row.recipient_id === subscriber.actor.userId;
      if (addressed && (row.customer_id === null || visible.has(row.customer_id))) {
        subscriber.send({ id: row.id, at: row.at, type: row.type, data: JSON.parse(row.data) } as CrmEvent);
      }
      subscriber.cursor = row.seq;
    }
  }

  /** The same visibility rule as every customer read: an event goes only to those who may see its customer. */
  private async visibleCustomerIds(actor: Actor, ids: string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    // Admins and the `all` scope see everything, including customers purged since the event was written.
    if (actor.isAdmin || actor.dataScope === 'all' || unique.length === 0) return new Set(unique);
    const rows = await customersVisibleTo(this.ctx.store.db, actor).select('customers.id').where('customers.id', 'in', unique).execute();
    return new Set(rows.map((r) => r.id));
  }
}
