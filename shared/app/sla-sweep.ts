/**
 * The safety net (EventBridge rule, every 15 minutes): runs the SLA check for every open complaint
 * whose `nextDueAt` has passed — a timer lost to a crash between the write and the scheduler call,
 * a schedule the DLQ swallowed, a point due while the scheduler was unreachable. Reads the GSI2
 * open-by-due shards page by page (`store.dueBefore`), never a Scan, and stops at `maxItems` so
 * one invocation stays bounded; the next one carries on. Before the checks it redrives escalations
 * that were queued but never sent (decision 037).
 */
import type { Logger, Clock, ComplaintStore } from './ports.ts';
import { recordOutboxAge } from './metrics.ts';
import type { DurableEscalationQueue } from './escalation-outbox.ts';
import type { SlaCheck } from './sla-check.ts';
import type { SlaTimers } from './sla-timers.ts';

export interface SlaSweepOptions {
  /** Items per GSI2 page (per shard). */
  pageSize?: number;
  /** Checks per invocation at most (a check is ~2 DynamoDB calls, a few ms each). */
  maxItems?: number;
  /** Checks run at once. */
  concurrency?: number;
}

export interface SlaSweepRun {
  /**
   * Start-up of a process whose queue and timers lived in memory (the local stack): redrive every
   * escalation queued but not sent, whatever its age (decision 037).
   */
  startup?: boolean;
}

export interface SlaSweepResult {
  /** Escalations queued but never sent, put back on the queue. */
  redriven: number;
  checked: number;
  marked: number;
  failed: number;
  /** True when it stopped at `maxItems` with more due. */
  more: boolean;
  /** Complaints whose owed side effects were carried out again first (the outbox, decision 051), when the sweep handler ran them. */
  effects?: { dispatched: number; failed: number; more: boolean };
}

export class SlaSweep {
  constructor(
    private readonly deps: { store: ComplaintStore; clock: Clock; check: SlaCheck; logger: Logger; outbox?: DurableEscalationQueue; timers?: SlaTimers },
    private readonly opts: SlaSweepOptions = {},
  ) {}

  async run(run: SlaSweepRun = {}): Promise<SlaSweepResult> {
    const pageSize = this.opts.pageSize ?? 100;
    const maxItems = this.opts.maxItems ?? 1_000;
    const concurrency = this.opts.concurrency ?? 8;
    const until = this.deps.clock.now().toISOString();
    const errors: unknown[] = [];
    // Redrive first: what the checks below queue now is in flight and must not be sent twice.
    let redriven = 0;
    if (this.deps.outbox) {
      try {
        const redrive = await this.deps.outbox.redrive({ all: run.startup === true, maxItems });
        redriven = redrive.redriven;
        recordOutboxAge(redrive.oldestMillis);
      } catch (error) {
        errors.push(error);
      }
    }
    let checked = 0;
    let marked = 0;
    let after: string | undefined;
    let more = false;
    for (;;) {
      const want = Math.min(pageSize, maxItems - checked);
      const page = await this.deps.store.dueBefore(until, want, after);
      for (let i = 0; i < page.length; i += concurrency) {
        const results = await Promise.allSettled(page.slice(i, i + concurrency).map((item) => this.deps.check.run({ complaintId: item.id })));
        for (const r of results) {
          if (r.status === 'fulfilled') marked += r.value.outcome === 'marked' ? 1 : 0;
          else errors.push(r.reason);
        }
      }
      checked += page.length;
      const last = page[page.length - 1];
      if (!last || page.length < want) break;
      if (checked >= maxItems) {
        more = true;
        break;
      }
      after = `${last.nextDueAt}#${last.id}`;
    }
    const result = { redriven, checked, marked, failed: errors.length, more };
    this.deps.logger.info('SLA sweep', { ...result, until });
    if (errors.length > 0) {
      // Every item was tried; failing the invocation makes the failures visible (alarm, DLQ).
      throw new AggregateError(errors, `${errors.length} of ${checked} SLA checks (or the redrive) failed in the sweep`);
    }
    return result;
  }

  /**
   * Re-arms the one timer of every open complaint with a pending clock, from the GSI2 open-by-due
   * index (never a Scan): for a scheduler whose timers lived in memory (the local stack after a
   * restart). Same name → an existing timer is moved, never doubled. Returns how many complaints.
   */
  async restoreTimers(): Promise<number> {
    const { store, timers } = this.deps;
    if (!timers) return 0;
    let restored = 0;
    let after: string | undefined;
    for (;;) {
      const page = await store.dueBefore('9999-12-31T23:59:59.999Z', 100, after);
      await Promise.all(
        page.map(async ({ id }) => {
          const complaint = await store.get(id);
          if (complaint) await timers.sync(undefined, complaint, { direct: false });
        }),
      );
      restored += page.length;
      const last = page[page.length - 1];
      if (!last || page.length < 100) return restored;
      after = `${last.nextDueAt}#${last.id}`;
    }
  }
}
