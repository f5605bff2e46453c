/**
 * What an SLA check decides, as pure functions: `(complaint, point, now) → transition + notices`.
 * The use case (`shared/app/sla-check.ts`) reads the complaint, calls {@link markDuePoints}, sends
 * the notices and writes the transition with ONE version-guarded UpdateItem.
 *
 * Idempotent by construction: a point is decided only while the planner still lists it
 * (`PointPlanner.points`) and it is due; deciding it records a marker on the deadline
 * (`warnedAt`, `state: breached`, `escalatedAt`) that removes it from the list. A stale timer —
 * the milestone was met, the deadline re-planned, the complaint closed — finds nothing to do.
 */
import { assistLabel, deadlineUnitOf } from '#domain/assist.ts';
import type { EscalationLevel, EscalationMessage } from '#domain/escalation.ts';
import type { Transition } from '#domain/lifecycle.ts';
import { laterInstant, lastSeq, SEVERITY_LABELS, type Actor, type Complaint, type ComplaintEvent, type Deadline, type EventType } from '#domain/model.ts';
import { QUALITY_AT_DUE } from '#domain/leader-notice.ts';
import { MILESTONE_LABELS } from '#domain/public-view.ts';
import type { DuePoint, PointKind, PointPlanner } from './planner.ts';
import { durationZh, shanghaiTime, type DurationStyle } from '#domain/shanghai-time.ts';

/** The actor of every event an SLA check writes. */
export const SLA_ACTOR: Actor = { id: 'sla-check', role: 'system' };

/**
 * EventBridge Scheduler fires within the minute after its `at()`, never before; our own timer wheel
 * may fire a few ms early. A point this close to `now` counts as due rather than being re-scheduled.
 */
export const DUE_TOLERANCE_MS = 1_000;

export interface MarkResult {
  transition: Transition;
  /** What to put on the escalation queue, one per decided point. */
  messages: EscalationMessage[];
  decided: DuePoint[];
}

const LEVEL: Record<PointKind, EscalationLevel> = { leaders: 'leaders', warn: 'warning', due: 'breach', quality: 'quality' };
/** An unconfirmed leaders' notice goes to the quality manager at its due point (decision 049). */
const levelOf = (point: PointKind, milestone: string): EscalationLevel => (point === 'due' && QUALITY_AT_DUE.has(milestone) ? 'quality' : LEVEL[point]);
/**
 * The history event of a decision. The leaders notice and the quality escalation are recorded by
 * the escalation consumer when the e-mail has gone out (`escalated`, `leaders_notified`); the
 * check only marks the deadline (`escalatedAt`), so the history says "sent", not "queued", once.
 */
const EVENT: Record<PointKind, EventType | undefined> = { leaders: undefined, warn: 'deadline_warned', due: 'deadline_breached', quality: undefined };

/**
 * Decides one check point of one deadline, when it is still planned and due at `now`.
 * Returns `undefined` when there is nothing to do (met, re-planned later, already decided, closed).
 */
export function markDeadline(
  complaint: Complaint,
  milestone: string,
  round: number,
  point: PointKind,
  now: Date,
  planner: PointPlanner,
): MarkResult | undefined {
  return markDuePoints(complaint, now, planner, (p) => p.milestone === milestone && p.round === round && p.point === point);
}

/**
 * Decides every check point of the complaint that is due at `now` (optionally only those `which`
 * selects), in time order, as one transition. When a deadline's breach is due, its warning is
 * skipped: a late warning next to a breach notice is noise.
 */
export function markDuePoints(complaint: Complaint, now: Date, planner: PointPlanner, which: (p: DuePoint) => boolean = () => true): MarkResult | undefined {
  const due = duePoints(complaint, now, planner).filter(which);
  if (due.length === 0) return undefined;
  const at = now.toISOString();
  const breachDue = new Set(due.filter((p) => p.point === 'due').map((p) => key(p)));
  const decided = due.filter((p) => !(p.point === 'warn' && breachDue.has(key(p))));

  let deadlines = complaint.deadlines;
  const events: ComplaintEvent[] = [];
  const messages: EscalationMessage[] = [];
  for (const p of decided) {
    const d = deadlines.find((x) => x.milestone === p.milestone && x.round === p.round);
    if (!d) continue;
    const marked = mark(d, p.point, at);
    deadlines = deadlines.map((x) => (x === d ? marked : x));
    const overdueMillis = p.point === 'due' || p.point === 'quality' ? Math.max(0, now.getTime() - Date.parse(d.dueAt)) : 0;
    const type = EVENT[p.point];
    const level = levelOf(p.point, p.milestone);
    if (type) {
      events.push({
        seq: lastSeq(complaint) + events.length + 1,
        type,
        at,
        actor: { ...SLA_ACTOR },
        data: { milestone: p.milestone, round: p.round, level, dueAt: d.dueAt, ...(overdueMillis > 0 && { overdueMillis }) },
      });
    }
    messages.push(message(complaint, d, p.point, now, overdueMillis));
  }
  if (messages.length === 0) return undefined;
  const next: Complaint = {
    ...complaint,
    deadlines,
    version: complaint.version + 1,
    updatedAt: laterInstant(at, complaint.updatedAt),
    history: [...complaint.history, ...events],
  };
  const planned = planner.plan(complaint, next, now);
  const complaintOut: Complaint = { ...next, ...planned };
  if (planned.nextDueAt === undefined) delete complaintOut.nextDueAt;
  return { transition: { complaint: complaintOut, events }, messages, decided };
}

/** The points of `complaint` that are due at `now`, earliest first. */
export function duePoints(complaint: Complaint, now: Date, planner: PointPlanner): DuePoint[] {
  const limit = now.getTime() + DUE_TOLERANCE_MS;
  return planner
    .points(complaint)
    .filter((p) => p.at.getTime() <= limit)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || POINT_ORDER[a.point] - POINT_ORDER[b.point]);
}

const POINT_ORDER: Record<PointKind, number> = { leaders: 0, warn: 1, due: 2, quality: 3 };
const key = (p: Pick<DuePoint, 'milestone' | 'round'>) => `${p.milestone}#${p.round}`;

function mark(d: Deadline, point: PointKind, at: string): Deadline {
  switch (point) {
    case 'warn':
      return { ...d, warnedAt: at };
    case 'due':
      // The breach of a quality-at-due clock is its quality escalation: none a working day later.
      return { ...d, state: 'breached', breachedAt: at, ...(QUALITY_AT_DUE.has(d.milestone) && { escalatedAt: at }) };
    case 'leaders':
    case 'quality':
      return { ...d, escalatedAt: at };
  }
}

function message(c: Complaint, d: Deadline, point: PointKind, now: Date, overdueMillis: number): EscalationMessage {
  const label = assistLabel(c, d.milestone) ?? MILESTONE_LABELS[d.milestone] ?? d.milestone;
  // An assist task's warning and breach go to the assisting unit (decision 048).
  const unitId = point === 'leaders' ? c.unitId : deadlineUnitOf(c, d.milestone);
  const severity = SEVERITY_LABELS[c.severity];
  const reason =
    point === 'leaders'
      ? `${severity}投诉，须在30分钟内通知分管领导和业务运行总监（${c.severityReasons.slice(0, 3).join('；') || '人工定级'}）`
      : point === 'warn'
        ? `“${label}”时限将至（80%），截止 ${shanghaiTime(d.dueAt)}`
        : point === 'due' && d.notice
          ? `重大紧急投诉通报超过30分钟未确认收到：${d.notice.awaiting.join('、')}`
          : point === 'due'
            ? `“${label}”已超时 ${duration(overdueMillis)}，截止 ${shanghaiTime(d.dueAt)}`
            : `“${label}”超时后一个工作日仍未办结，已超时 ${duration(overdueMillis)}`;
  return {
    complaintId: c.id,
    milestone: point === 'leaders' ? 'major_notice' : d.milestone,
    round: d.round,
    level: levelOf(point, d.milestone),
    severity: c.severity,
    ...(unitId !== undefined && { unitId }),
    dueAt: d.dueAt,
    overdueMillis: Math.round(overdueMillis),
    decidedAt: now.toISOString(),
    reason: Array.from(reason).slice(0, 500).join(''),
  };
}

/** The history's wording of a duration: `2小时5分钟`, `3天4小时`, `0分钟`. */
const MARK_DURATION: DurationStyle = { minutesAfterHours: '分钟', underAMinute: '0分钟' };
const duration = (ms: number): string => durationZh(ms, MARK_DURATION);
