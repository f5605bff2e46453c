/**
 * Re-planning a complaint after a State Council notice was loaded (decision 055). Pure: the planner
 * in `ctx` already works on the calendar with the notice; this re-plans every running clock from its
 * original start, and when a due time moved (or lost its 预计 mark) records it as one system event,
 * `deadlines_replanned`, naming each moved deadline. Written through the normal transition path
 * (`ComplaintTransitions.systemTransition`): a system write, so it never fails a person's command
 * (decision 036), and its observers re-set the timers and tell the complainant of a slip.
 */
import type { LifecycleContext, Transition } from './lifecycle.ts';
import { isOpen, laterInstant, lastSeq, type Actor, type Complaint, type ComplaintEvent } from './model.ts';

/** Who re-plans: the system, on behalf of the admin who loaded the notice. */
export const CALENDAR_ACTOR: Actor = { id: 'calendar', role: 'system' };

/** One deadline a notice moved. */
export interface MovedDeadline {
  complaintId: string;
  milestone: string;
  round: number;
  from: string;
  to: string;
}

/** The notice a re-plan is for. */
export interface NoticeRef {
  year: number;
  version: number;
  number: string;
}

/** The idempotency key of a re-plan: once per complaint and notice version. */
export const replanKey = (n: Pick<NoticeRef, 'year' | 'version'>) => `calendar:${n.year}:v${n.version}`;

/**
 * The re-plan of `c` for notice `n`, or undefined when nothing changes: the complaint is not open,
 * was already re-planned for this version, or no deadline's due time or provisional mark differs.
 */
export function replanForNotice(
  c: Complaint,
  n: NoticeRef,
  now: Date,
  ctx: LifecycleContext,
): { transition: Transition; moved: MovedDeadline[]; cleared: number } | undefined {
  if (!isOpen(c.status)) return undefined;
  const key = replanKey(n);
  if (c.history.some((e) => e.key === key)) return undefined;
  const at = now.toISOString();
  const base: ComplaintEvent = { seq: lastSeq(c) + 1, type: 'deadlines_replanned', at, actor: { id: CALENDAR_ACTOR.id, role: CALENDAR_ACTOR.role }, key };
  const next: Complaint = { ...c, version: c.version + 1, updatedAt: laterInstant(at, c.updatedAt), history: [...c.history, base] };
  const planned = ctx.deadlines.plan(c, next, now);
  const moved: MovedDeadline[] = [];
  let cleared = 0;
  for (const after of planned.deadlines) {
    const before = c.deadlines.find((d) => d.milestone === after.milestone && d.round === after.round);
    if (!before) continue;
    if (before.dueAt !== after.dueAt) moved.push({ complaintId: c.id, milestone: after.milestone, round: after.round, from: before.dueAt, to: after.dueAt });
    if (before.provisional && !after.provisional) cleared++;
  }
  if (moved.length === 0 && cleared === 0) return undefined;
  const event: ComplaintEvent = {
    ...base,
    data: {
      year: n.year,
      version: n.version,
      notice: n.number,
      moved: moved.map(({ complaintId: _id, ...m }) => m),
      ...(cleared > 0 && { provisionalCleared: cleared }),
    },
  };
  const complaint: Complaint = { ...next, history: [...c.history, event], ...planned };
  if (complaint.nextDueAt === undefined) delete complaint.nextDueAt;
  return { transition: { complaint, events: [event] }, moved, cleared };
}
