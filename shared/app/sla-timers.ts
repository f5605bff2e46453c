/**
 * The timer observer: keeps ONE timer per complaint (`sla-<complaintId>`), armed at the complaint's
 * earliest pending check point (`PointPlanner.points`: warn, due, quality, leaders of any running
 * milestone). After every committed transition it compares the earliest point before and after:
 * unchanged → no call at all (most transitions); moved → the timer is updated in place; none left
 * → the timer is removed. A point that is already due (a major complaint's leaders notice) is run
 * in-process at once instead of waiting for a timer. When the timer fires, the SLA check decides
 * every point due on the complaint and calls `sync` again, which re-arms the timer at the next one.
 *
 * The payload carries only the complaint id and the instant, so a retried or late firing re-reads
 * the complaint and decides on its current state. Anything lost on the way (a crash between the
 * write and the scheduler call, two transitions whose scheduler calls arrive out of order) is
 * caught by the SLA check's re-arm on a stale firing and by the sweep over `nextDueAt`
 * (`sla-sweep.ts`). Decision 053.
 */
import type { Transition } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { DUE_TOLERANCE_MS } from '#domain/sla/mark.ts';
import { earliest, type PointPlanner } from '#domain/sla/planner.ts';
import type { Logger, TransitionObserver, Clock, Scheduler, SlaCheckPayload, TimerSpec } from './ports.ts';

/**
 * `sla-<complaintId>`, e.g. `sla-C3M9Q2W7X1B4K8D0F` — the same name for the complaint's whole life
 * (EventBridge Scheduler: 1–64 characters of `[0-9a-zA-Z-_.]`; a complaint id is 17).
 */
export function timerName(complaintId: string): string {
  return `sla-${complaintId}`;
}

export interface SlaTimersDeps {
  scheduler: Scheduler;
  planner: PointPlanner;
  clock: Clock;
  logger: Logger;
}

/** Runs the SLA check in this process (for points already due when they are planned). */
export type CheckRunner = (payload: SlaCheckPayload) => Promise<unknown>;

export class SlaTimers implements TransitionObserver {
  private runNow: CheckRunner | undefined;
  /**
   * Complaints whose timer still waits for an older point while their due point is checked in
   * process: the check's own re-arm then moves that timer (update) instead of trying a create.
   */
  private readonly waiting = new Set<string>();

  constructor(private readonly deps: SlaTimersDeps) {}

  /** Wires the in-process check (set once by the composition root; absent → due points are scheduled). */
  setRunner(runner: CheckRunner | undefined): void {
    this.runNow = runner;
  }

  async afterTransition(before: Complaint | undefined, transition: Transition): Promise<void> {
    await this.sync(before, transition.complaint, { direct: true });
  }

  /** The instant the complaint's timer should fire: its earliest pending check point, if any. */
  nextAt(complaint: Complaint): Date | undefined {
    return earliest(this.deps.planner.points(complaint));
  }

  /** The complaint's one timer, armed for `at`. */
  timerFor(complaintId: string, at: Date): TimerSpec {
    return { name: timerName(complaintId), at, payload: { complaintId, at: at.toISOString() } };
  }

  /**
   * Brings the complaint's timer from what `before` needed to what `after` needs. No call when the
   * earliest point did not move. A timer whose instant has passed has fired and deleted itself, so
   * it is created anew; one still ahead is updated in place. `direct`: run a point that is already
   * due in this process rather than scheduling it (not from inside a check). Never throws: the
   * transition is committed, and the sweep re-runs any check whose timer is missing.
   */
  async sync(before: Complaint | undefined, after: Complaint, opts: { direct: boolean }): Promise<void> {
    const want = this.nextAt(after);
    const had = before ? this.nextAt(before) : undefined;
    if (want?.getTime() === had?.getTime()) return;
    const now = this.deps.clock.now().getTime();
    const exists = (had !== undefined && had.getTime() > now) || this.waiting.has(after.id);
    const name = timerName(after.id);
    try {
      if (!want) {
        if (exists) await this.deps.scheduler.disarm(name);
        return;
      }
      const timer = this.timerFor(after.id, want);
      if (opts.direct && this.runNow && want.getTime() <= now + DUE_TOLERANCE_MS) {
        // One check decides every point due on the complaint and re-arms the timer at the next one.
        if (await this.runInProcess(timer, exists)) return;
      }
      await this.deps.scheduler.arm(timer, { exists });
    } catch (error) {
      this.deps.logger.error('SLA timer not scheduled; the sweep will catch it', { complaintId: after.id, error: message(error) });
    }
  }

  /**
   * After a firing that found nothing due (stale: the timer was moved after it went off, or a
   * duplicate delivery): the fired timer deleted itself, so arm it again at the complaint's next
   * point. Returns that point. Never throws (the sweep catches a timer that is missing).
   */
  async rearm(complaint: Complaint): Promise<Date | undefined> {
    const next = this.nextAt(complaint);
    if (!next || next.getTime() <= this.deps.clock.now().getTime()) return next;
    try {
      await this.deps.scheduler.arm(this.timerFor(complaint.id, next), { exists: false });
    } catch (error) {
      this.deps.logger.error('SLA timer not re-armed; the sweep will catch it', { complaintId: complaint.id, error: message(error) });
    }
    return next;
  }

  private async runInProcess(timer: TimerSpec, timerWaits: boolean): Promise<boolean> {
    const id = timer.payload.complaintId;
    if (timerWaits) this.waiting.add(id);
    try {
      await this.runNow?.(timer.payload);
      return true;
    } catch (error) {
      // Not lost: the timer (moved to the next minute by the adapter) retries it.
      this.deps.logger.error('SLA check in process failed; scheduling it instead', { complaintId: id, error: message(error) });
      return false;
    } finally {
      this.waiting.delete(id);
    }
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
