/**
 * The timer observer: after every committed transition, keeps one one-time timer per check point
 * of the complaint's running clocks (`PointPlanner.points`) — creates the new ones, deletes the
 * ones the transition made obsolete (met, re-planned, closed) and runs a point that is already
 * due (a major complaint's leaders notice) at once instead of waiting for a timer.
 *
 * Timer names are deterministic and carry the planned instant, so a retried transition re-creates
 * nothing (same name → ConflictException → kept) and a re-planned deadline gets a new timer while
 * the old one is deleted. Anything lost on the way (a crash between the write and the scheduler
 * call) is caught by the sweep over `nextDueAt` (`sla-sweep.ts`).
 */
import { createHash } from 'node:crypto';
import type { Transition } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { DUE_TOLERANCE_MS } from '#domain/sla/mark.ts';
import type { DuePoint, PointKind, PointPlanner } from '#domain/sla/planner.ts';
import type { Logger, TransitionObserver } from './complaints.ts';
import type { Clock, Scheduler, SlaCheckPayload, TimerSpec } from './ports.ts';

const POINT_CODE: Record<PointKind, string> = { leaders: 'l', warn: 'w', due: 'd', quality: 'q' };
/** EventBridge Scheduler: 1–64 characters of `[0-9a-zA-Z-_.]`. */
const MAX_NAME = 64;

/**
 * `sla-<id>-<milestone>-r<round>-<w|d|q|l>-<instant in base-36 seconds>`, e.g.
 * `sla-C3M9Q2W7X1B4K8D0F-reply-r1-w-tj1z5c` (≤ 64 characters, `[0-9a-zA-Z-_.]` only). Longer
 * combinations (custom milestones) keep a readable prefix and a hash of the full name.
 */
export function timerName(complaintId: string, p: Pick<DuePoint, 'milestone' | 'round' | 'point' | 'at'>): string {
  const instant = Math.ceil(p.at.getTime() / 1000).toString(36);
  const full = `sla-${complaintId}-${p.milestone}-r${p.round}-${POINT_CODE[p.point]}-${instant}`.replace(/[^0-9a-zA-Z_.-]/g, '-');
  if (full.length <= MAX_NAME) return full;
  const hash = createHash('sha1').update(full).digest('hex').slice(0, 12);
  return `${full.slice(0, MAX_NAME - hash.length - 1)}-${hash}`;
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

  constructor(private readonly deps: SlaTimersDeps) {}

  /** Wires the in-process check (set once by the composition root; absent → due points are scheduled). */
  setRunner(runner: CheckRunner | undefined): void {
    this.runNow = runner;
  }

  async afterTransition(before: Complaint | undefined, transition: Transition): Promise<void> {
    await this.sync(before, transition.complaint, { direct: true });
  }

  /** The timers `complaint` needs now, one per check point. */
  timersOf(complaint: Complaint): TimerSpec[] {
    return this.deps.planner.points(complaint).map((p) => this.timerFor(complaint, p));
  }

  timerFor(complaint: Complaint, p: DuePoint): TimerSpec {
    const payload: SlaCheckPayload = { complaintId: complaint.id, milestone: p.milestone, round: p.round, point: p.point, version: complaint.version };
    return { name: timerName(complaint.id, p), at: p.at, payload };
  }

  /**
   * Brings the timers from what `before` needed to what `after` needs. Obsolete timers in the past
   * have fired (and deleted themselves); only future ones are deleted. `direct`: run a point that
   * is already due in this process rather than scheduling it (not from inside a check).
   */
  async sync(before: Complaint | undefined, after: Complaint, opts: { direct: boolean }): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const want = this.timersOf(after);
    const had = before ? this.timersOf(before) : [];
    const wantNames = new Set(want.map((t) => t.name));
    const hadNames = new Set(had.map((t) => t.name));

    const obsolete = had.filter((t) => !wantNames.has(t.name) && t.at.getTime() > now).map((t) => t.name);
    const fresh = want.filter((t) => !hadNames.has(t.name));
    const dueNow = opts.direct && this.runNow ? fresh.filter((t) => t.at.getTime() <= now + DUE_TOLERANCE_MS) : [];
    const toSchedule = fresh.filter((t) => !dueNow.includes(t));

    const results = await Promise.allSettled([
      ...(obsolete.length > 0 ? [this.deps.scheduler.cancel(obsolete)] : []),
      ...toSchedule.map((t) => this.deps.scheduler.schedule(t)),
    ]);
    this.report(after.id, results);
    // One check decides every point due on the complaint: run it once.
    const first = dueNow[0];
    if (first && this.runNow) await this.runNow(first.payload);
  }

  /** Makes sure the timer of one still-planned point exists (same name → kept). */
  async ensure(complaint: Complaint, p: DuePoint): Promise<void> {
    await this.deps.scheduler.schedule(this.timerFor(complaint, p));
  }

  private report(complaintId: string, results: PromiseSettledResult<unknown>[]): void {
    for (const r of results) {
      if (r.status === 'rejected') {
        // Not rethrown: the transition is committed and the sweep re-runs any check whose timer is missing.
        this.deps.logger.error('SLA timer not scheduled; the sweep will catch it', {
          complaintId,
          error: r.reason instanceof Error ? r.reason.message : String(r.reason),
        });
      }
    }
  }
}
