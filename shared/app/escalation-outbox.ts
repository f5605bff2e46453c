/**
 * "Marked" means "durably queued" (decision 037). Every producer of escalation messages (SLA check,
 * transition observers, the consumer's follow-up) talks to this queue: it records each message in the
 * once-only ledger as `queued` — with its body — before handing it to the real queue (SQS, or the
 * in-process queue locally). The SLA check marks the complaint only after that, so a process killed
 * after the mark, or a message that died in a DLQ, leaves a `queued` marker the sweep finds again.
 *
 * The sweep calls {@link DurableEscalationQueue.redrive}: markers queued but not sent within the grace
 * period go back on the queue (the consumer's ledger sends each dedupe key once), and their next
 * redrive moves out with a doubling back-off, so a message that can never be delivered is retried
 * rarely rather than never.
 */
import type { EscalationMessage } from '#domain/escalation.ts';
import { escalationDedupeKey } from '#domain/escalation.ts';
import type { Logger, Clock, EscalationLedger, EscalationQueue } from './ports.ts';

/**
 * How long a queued message may take before the sweep puts it back on the queue. SQS hands a
 * message to the consumer within seconds; a redrive meeting a delivery still in progress is a
 * duplicate the ledger absorbs, so the grace only has to be long enough not to be wasteful.
 */
export const REDRIVE_GRACE_MILLIS = 15 * 60_000;
/** The longest wait between two redrives of one message. */
const MAX_REDRIVE_BACKOFF_MILLIS = 24 * 3_600_000;
/** The end of time for a sort key comparison: every marker's redrive time is before it. */
const ANY_TIME = '9999-12-31T23:59:59.999Z';

export interface RedriveOptions {
  /**
   * Every unsent marker, whatever its redrive time: at the start of a process whose queue lived in
   * memory (the local stack), nothing queued before is still in flight.
   */
  all?: boolean;
  /** Markers per invocation at most (default 1,000). */
  maxItems?: number;
}

export interface RedriveResult {
  redriven: number;
  more: boolean;
  /** Age of the oldest message put back (since its decision), 0 when none: the outbox-age metric. */
  oldestMillis: number;
}

export interface DurableQueueDeps {
  ledger: EscalationLedger;
  /** The transport: SQS in AWS, the in-process queue locally. */
  queue: EscalationQueue;
  clock: Clock;
  logger: Logger;
  graceMillis?: number;
}

export class DurableEscalationQueue implements EscalationQueue {
  constructor(private readonly deps: DurableQueueDeps) {}

  private get grace(): number {
    return this.deps.graceMillis ?? REDRIVE_GRACE_MILLIS;
  }

  /** Ledger first (`queued`, durable), then the transport: a crash in between leaves a marker to redrive. */
  async send(messages: EscalationMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const now = this.deps.clock.now();
    await this.deps.ledger.recordQueued(messages, now, new Date(now.getTime() + this.grace));
    await this.deps.queue.send(messages);
  }

  /** Puts markers that were queued but never sent back on the queue. Query by index, never a Scan. */
  async redrive(opts: RedriveOptions = {}): Promise<RedriveResult> {
    const { ledger, queue, clock, logger } = this.deps;
    const now = clock.now();
    const until = opts.all ? ANY_TIME : now.toISOString();
    const maxItems = opts.maxItems ?? 1_000;
    // A deferred marker moves further down the index; with `all` the paging could meet it again.
    const seen = new Set<string>();
    let redriven = 0;
    let oldestMillis = 0;
    let after: string | undefined;
    for (;;) {
      const want = Math.min(100, maxItems - seen.size);
      if (want <= 0) return { redriven, more: true, oldestMillis };
      const page = await ledger.redriveDue(until, want, after);
      const batch: { message: EscalationMessage; redrives: number }[] = [];
      for (const { key } of page) {
        const dedupeKey = escalationDedupeKey(key);
        if (seen.has(dedupeKey)) continue;
        seen.add(dedupeKey);
        const record = await ledger.get(key);
        if (!record || record.status === 'sent' || record.status === 'skipped') continue;
        if (!record.message) {
          logger.error('unsent escalation marker without its message: cannot redrive', { dedupeKey, status: record.status });
          continue;
        }
        batch.push({ message: record.message, redrives: record.redrives ?? 0 });
        oldestMillis = Math.max(oldestMillis, now.getTime() - Date.parse(record.message.decidedAt));
      }
      if (batch.length > 0) {
        await queue.send(batch.map((b) => b.message));
        await Promise.all(
          batch.map((b) => {
            const backoff = Math.min(this.grace * 2 ** b.redrives, MAX_REDRIVE_BACKOFF_MILLIS);
            return ledger.deferRedrive(b.message, new Date(now.getTime() + backoff), b.redrives + 1);
          }),
        );
        redriven += batch.length;
        logger.warn('escalations queued but not sent were put back on the queue', {
          count: batch.length,
          keys: batch.map((b) => escalationDedupeKey(b.message)).slice(0, 20),
        });
      }
      const last = page[page.length - 1];
      if (!last || page.length < want) return { redriven, more: false, oldestMillis };
      after = last.cursor;
    }
  }
}
