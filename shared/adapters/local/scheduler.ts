/**
 * The local stack's stand-in for EventBridge Scheduler: in-process named timers in a binary heap
 * (`timer-heap.ts`, O(log n) per arm/disarm, lazy deletion by name) that fire the real SLA-check
 * handler (`functions/sla-check/handler.ts`) when the injected clock reaches a timer.
 *
 * Same contract as the AWS adapter: `arm` creates the named timer or moves it in place (one per
 * complaint, decision 053), a fired timer deletes itself, `disarm` of a missing name is fine. A
 * failed invocation is retried a few times one simulated minute apart, like the schedule's
 * retry policy — unless the check re-armed the timer meanwhile.
 *
 * Driving it:
 * - real or scaled clock (`speed` > 0): one `setTimeout` for the earliest timer, in real time
 *   divided by the clock's speed (re-armed in chunks below Node's 24.8-day timer limit);
 * - manual clock (`speed` 0): nothing fires by itself; tests call {@link LocalScheduler.advanceTo},
 *   which moves the clock from timer to timer and fires each one at its own instant.
 */
import type { Logger, ArmOptions, Clock, Scheduler, SlaCheckPayload, TimerSpec } from '#app/ports.ts';
import { TimerHeap } from './timer-heap.ts';

export interface LocalSchedulerOptions {
  clock: Clock & { readonly speed?: number; set?(instant: Date): void };
  /** The target: the SLA-check Lambda handler. */
  fire: (payload: SlaCheckPayload) => Promise<unknown>;
  logger?: Logger;
  /** Attempts per timer before it is given up (default 3, one simulated minute apart). */
  maxAttempts?: number;
}

export interface FiredTimer {
  name: string;
  at: string;
  firedAt: string;
  payload: SlaCheckPayload;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Node's setTimeout limit is 2^31 − 1 ms; longer waits are re-armed. */
const MAX_DELAY_MS = 2_147_000_000;
const RETRY_DELAY_MS = 60_000;

interface Entry {
  timer: TimerSpec;
  attempt: number;
}

export class LocalScheduler implements Scheduler {
  /** Every firing, in order: for tests, the bench and the demo. */
  readonly fired: FiredTimer[] = [];
  private readonly timers = new TimerHeap<Entry>();
  private handle: NodeJS.Timeout | undefined;
  /** The instant the real-time timeout is set for (not re-set while the earliest timer stays). */
  private handleAt: number | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: LocalSchedulerOptions) {}

  private get speed(): number {
    return this.opts.clock.speed ?? 1;
  }

  /** Creates the named timer or moves it; no guess needed here (`exists` is ignored: one map lookup). */
  async arm(timer: TimerSpec, _opts?: ArmOptions): Promise<void> {
    if (this.closed) return;
    this.timers.set(timer.name, timer.at.getTime(), { timer, attempt: 0 });
    this.wake();
  }

  async disarm(name: string): Promise<void> {
    if (this.timers.delete(name)) this.wake();
  }

  /** Timers not yet fired, earliest first. */
  pending(): TimerSpec[] {
    return [...this.timers.values()].map((e) => e.timer).sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /**
   * Moves the clock forward to `instant`, firing every timer due on the way at its own instant —
   * including timers those firings create (a breach plans its quality escalation).
   * @throws Error when the clock cannot be set (use a `ManualClock` or `ScaledClock`).
   */
  async advanceTo(instant: Date | string): Promise<FiredTimer[]> {
    const target = new Date(instant);
    const { clock } = this.opts;
    if (!clock.set) throw new Error('advanceTo needs a settable clock (ManualClock or ScaledClock)');
    const start = this.fired.length;
    await this.idle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.timer.at.getTime() > target.getTime()) break;
      if (next.timer.at.getTime() > clock.now().getTime()) clock.set(next.timer.at);
      await this.enqueue(() => this.fireOne(next));
    }
    if (target.getTime() > clock.now().getTime()) clock.set(target);
    return this.fired.slice(start);
  }

  /** Fires what is due at the clock's current time. */
  async runDue(): Promise<void> {
    await this.enqueue(async () => {
      const now = this.opts.clock.now().getTime();
      for (let next = this.earliest(); next && next.timer.at.getTime() <= now; next = this.earliest()) await this.fireOne(next);
    });
    this.wake();
  }

  /** Resolves when no timer is being fired. */
  idle(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.closed = true;
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    this.handleAt = undefined;
    this.timers.clear();
  }

  private earliest(): Entry | undefined {
    return this.timers.peek()?.value;
  }

  /** Firings run one after another, like a single-concurrency target. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async fireOne(entry: Entry): Promise<void> {
    const { timer } = entry;
    if (this.timers.get(timer.name) !== entry) return;
    this.timers.delete(timer.name);
    const firedAt = this.opts.clock.now();
    try {
      const result = await this.opts.fire(timer.payload);
      this.fired.push({ name: timer.name, at: timer.at.toISOString(), firedAt: firedAt.toISOString(), payload: timer.payload, ok: true, result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.fired.push({ name: timer.name, at: timer.at.toISOString(), firedAt: firedAt.toISOString(), payload: timer.payload, ok: false, error: message });
      const attempt = entry.attempt + 1;
      const retry = attempt < (this.opts.maxAttempts ?? 3) && !this.closed && !this.timers.has(timer.name);
      this.opts.logger?.error('SLA timer failed', { name: timer.name, attempt, retry, error: message });
      if (retry) {
        const at = new Date(firedAt.getTime() + RETRY_DELAY_MS);
        this.timers.set(timer.name, at.getTime(), { timer: { ...timer, at }, attempt });
      }
    }
  }

  /** One real-time timeout for the earliest timer (not with a manual clock). */
  private wake(): void {
    if (this.closed || this.speed <= 0) return;
    const next = this.earliest();
    const at = next?.timer.at.getTime();
    if (this.handle && at === this.handleAt) return;
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    this.handleAt = at;
    if (!next || at === undefined) return;
    const delay = Math.max(0, (at - this.opts.clock.now().getTime()) / this.speed);
    this.handle = setTimeout(
      () => {
        this.handle = undefined;
        this.handleAt = undefined;
        this.runDue().catch((error: unknown) => this.opts.logger?.error('local scheduler failed', { error: String(error) }));
      },
      Math.min(Math.ceil(delay), MAX_DELAY_MS),
    );
    // Timers never keep the process (or a test worker) alive.
    this.handle.unref();
  }
}
