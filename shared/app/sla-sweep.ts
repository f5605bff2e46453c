/**
 * The safety net (EventBridge rule, every 15 minutes): runs the SLA check for every open complaint
 * whose `nextDueAt` has passed — a timer lost to a crash between the write and the scheduler call,
 * a schedule the DLQ swallowed, a point due while the scheduler was unreachable. Reads the GSI2
 * open-by-due shards page by page (`store.dueBefore`), never a Scan, and stops at `maxItems` so
 * one invocation stays bounded; the next one carries on.
 */
import type { Logger } from './complaints.ts';
import type { Clock, ComplaintStore } from './ports.ts';
import type { SlaCheck } from './sla-check.ts';

export interface SlaSweepOptions {
  /** Items per GSI2 page (per shard). */
  pageSize?: number;
  /** Checks per invocation at most (a check is ~2 DynamoDB calls, a few ms each). */
  maxItems?: number;
  /** Checks run at once. */
  concurrency?: number;
}

export interface SlaSweepResult {
  checked: number;
  marked: number;
  failed: number;
  /** True when it stopped at `maxItems` with more due. */
  more: boolean;
}

export class SlaSweep {
  constructor(
    private readonly deps: { store: ComplaintStore; clock: Clock; check: SlaCheck; logger: Logger },
    private readonly opts: SlaSweepOptions = {},
  ) {}

  async run(): Promise<SlaSweepResult> {
    const pageSize = this.opts.pageSize ?? 100;
    const maxItems = this.opts.maxItems ?? 1_000;
    const concurrency = this.opts.concurrency ?? 8;
    const until = this.deps.clock.now().toISOString();
    const errors: unknown[] = [];
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
    const result = { checked, marked, failed: errors.length, more };
    this.deps.logger.info('SLA sweep', { ...result, until });
    if (errors.length > 0) {
      // Every item was tried; failing the invocation makes the failures visible (alarm, DLQ).
      throw new AggregateError(errors, `${errors.length} of ${checked} SLA checks failed in the sweep`);
    }
    return result;
  }
}
