/**
 * The local stack's change feed: what DynamoDB Streams is in AWS (decision 051). The complaint store
 * publishes each committed write; every subscriber gets the records in batches, after the writer has
 * moved on (never inside the request), and a subscriber that throws gets the batch again after a delay,
 * up to `maxAttempts` — like a stream's event source mapping retrying a failed batch. What is still owed
 * after that is found by the sweep (and by the next start-up) from the table itself, so the feed can
 * live in memory.
 *
 * **It yields to requests** (decision 070). In AWS the stream's consumers are other Lambdas; here they share
 * the HTTP server's one thread, and a dispatch started the moment a write commits ran beside the rest of
 * that request (its answer, and an in-process client reading it). While a {@link LocalChangeFeed.hold} is
 * open — the local stack takes one per request being served — nothing is delivered; the last release
 * delivers what waits. Records never wait longer than `maxHoldMs` however busy the server is, so a steady
 * stream of requests cannot starve the consumers (like a stream's batching window).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, ChangeFeed, ChangeRecord, ChangeSubscriber } from '#app/ports.ts';

export interface LocalChangeFeedOptions {
  /** Deliveries of one batch before it is given up (default 4). */
  maxAttempts?: number;
  /** Wait before a failed batch is delivered again, doubled per attempt (default 50 ms). */
  retryDelayMs?: number;
  /** Records per batch at most (default 100, a stream's default batch size). */
  batchSize?: number;
  /** The longest a record waits for the holds to be released before it is delivered anyway (default 50 ms). */
  maxHoldMs?: number;
  /**
   * Which request published a record (the local gateway's request scope). A batch holds the records of one
   * request and is delivered in the async context it was published in, so the consumers' writes and log
   * lines carry that request's id however late the hold lets them run — as a stream consumer's logs name the
   * record that caused them.
   */
  contextOf?: () => unknown;
  logger?: Logger;
}

/** A published record, with where it came from. */
interface Entry {
  record: ChangeRecord;
  context: unknown;
  /** Runs a function in the async context of the publication. */
  within: <R>(fn: () => R) => R;
}

/** Records of one request, delivered together in its async context. */
interface Batch {
  records: ChangeRecord[];
  within: Entry['within'];
}

interface Subscription {
  subscriber: ChangeSubscriber;
  pending: Entry[];
  running: boolean;
}

export class LocalChangeFeed implements ChangeFeed {
  private readonly subscriptions = new Set<Subscription>();
  private readonly idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  private closed = false;
  /** Open holds: requests being served, during which nothing is delivered. */
  private holds = 0;
  /** Subscriptions with records waiting for the holds to be released. */
  private readonly held = new Set<Subscription>();
  /** Delivers the held records anyway once they waited `maxHoldMs`. */
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LocalChangeFeedOptions = {}) {}

  subscribe(subscriber: ChangeSubscriber): () => void {
    const subscription: Subscription = { subscriber, pending: [], running: false };
    this.subscriptions.add(subscription);
    return () => this.subscriptions.delete(subscription);
  }

  publish(record: ChangeRecord): void {
    if (this.closed) return;
    const entry: Entry = { record, context: this.opts.contextOf?.(), within: AsyncLocalStorage.snapshot() };
    for (const s of this.subscriptions) {
      s.pending.push(entry);
      this.kick(s);
    }
  }

  /**
   * Defers delivery until the returned release is called (at most `maxHoldMs` for any record): the local
   * stack holds the feed while it serves a request, so a write's consumers run after its answer. Releasing
   * twice is harmless.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      // One more turn of the loop (its poll phase) before the consumers start: the answer just handed
      // to the socket is read first by a client in this process (the tests, the bench).
      if (this.holds === 0) setImmediate(() => this.holds === 0 && this.releaseHeld());
    };
  }

  /** Resolves once every record published so far has been delivered (or given up). */
  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops delivering: records not yet handed to a subscriber are dropped (the table still holds what they
   * owe; the next start-up drains it). Resolves once the batches in flight have returned.
   */
  close(): Promise<void> {
    this.closed = true;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.held.clear();
    for (const s of this.subscriptions) s.pending.length = 0;
    this.settle();
    return this.drain();
  }

  /** Nothing published is waiting or being delivered. */
  isIdle(): boolean {
    return this.idle();
  }

  private idle(): boolean {
    return this.inFlight === 0 && [...this.subscriptions].every((s) => s.pending.length === 0 && !s.running);
  }

  private releaseHeld(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const waiting = [...this.held];
    this.held.clear();
    for (const s of waiting) this.kick(s, true);
  }

  /** `force`: deliver although a hold is open (it lasted `maxHoldMs`). */
  private kick(s: Subscription, force = false): void {
    if (s.running) return;
    if (this.holds > 0 && !force && !this.closed) {
      this.held.add(s);
      this.holdTimer ??= setTimeout(() => this.releaseHeld(), this.opts.maxHoldMs ?? 50).unref();
      return;
    }
    s.running = true;
    this.inFlight++;
    // After the writer's own continuation: the request answers first, the effects come after.
    setImmediate(() => {
      void this.run(s).finally(() => {
        s.running = false;
        this.inFlight--;
        if (s.pending.length > 0 && !this.closed) this.kick(s);
        else this.settle();
      });
    });
  }

  private async run(s: Subscription): Promise<void> {
    // Every record that waited when the kick decided it may run, and further ones only while nothing holds
    // the feed: a delivery forced after `maxHoldMs` carries the whole backlog, or a server never idle would
    // let it grow by one batch per wait.
    for (let owed = s.pending.length; s.pending.length > 0 && !this.closed && (owed > 0 || this.holds === 0); ) {
      const wave = this.nextWave(s);
      owed -= wave.reduce((n, b) => n + b.records.length, 0);
      await Promise.all(wave.map((b) => this.deliver(s, b)));
    }
  }

  /**
   * The next batches to deliver side by side: one per request (its records, in its async context), as
   * many consecutive ones as touch disjoint items. A batch that touches an item of an earlier one waits for
   * the next wave, so one item's records are still delivered in order — as a stream's shard keeps them.
   */
  private nextWave(s: Subscription): Batch[] {
    const batchSize = this.opts.batchSize ?? 100;
    const wave: Batch[] = [];
    const touched = new Set<string>();
    while (s.pending.length > 0 && wave.length < batchSize) {
      const first = s.pending[0] as Entry;
      const size = s.pending.findIndex((e, i) => i >= batchSize || e.context !== first.context);
      const entries = s.pending.slice(0, size < 0 ? s.pending.length : size);
      const keys = entries.map((e) => `${e.record.keys.PK}|${e.record.keys.SK}`);
      if (wave.length > 0 && keys.some((k) => touched.has(k))) break;
      s.pending.splice(0, entries.length);
      for (const k of keys) touched.add(k);
      wave.push({ records: entries.map((e) => e.record), within: first.within });
    }
    return wave;
  }

  private async deliver(s: Subscription, batch: Batch): Promise<void> {
    const maxAttempts = this.opts.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        await batch.within(() => s.subscriber(batch.records));
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (attempt >= maxAttempts || this.closed) {
          // Not lost: the effects stay recorded on the items, and the sweep carries them out.
          this.opts.logger?.error('change feed gave up on a batch; the sweep will re-drive it', {
            records: batch.records.length,
            attempts: attempt,
            error: message,
          });
          return;
        }
        this.opts.logger?.warn('change feed subscriber failed; the batch is delivered again', { records: batch.records.length, attempt, error: message });
        await new Promise((resolve) => setTimeout(resolve, (this.opts.retryDelayMs ?? 50) * 2 ** (attempt - 1)));
      }
    }
  }

  private settle(): void {
    if (!this.idle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
