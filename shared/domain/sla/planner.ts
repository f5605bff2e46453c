/**
 * The deadline planner: keeps `complaint.deadlines` and `nextDueAt` in step with the lifecycle.
 * Pure — `(previous, next, now) → deadlines` — and called by the lifecycle after every transition
 * (see `DeadlinePlanner` in `lifecycle.ts`), by `markDeadline` after an SLA check, and by the
 * escalation consumer when it records `leaders_notified`.
 *
 * How it works: the events a transition appended start, meet, pause, resume or extend clocks
 * (table below); then every clock that still runs is re-planned from its *original* start with the
 * complaint's current severity, unit calendar, extension and paused time, so a severity raise
 * (二次催促 → urgent) shortens the limits from the original start, as SPEC "Escalation" expects.
 *
 * | milestone          | starts at                              | met by                                  |
 * |--------------------|----------------------------------------|-----------------------------------------|
 * | `leaders_notified` | classification / raise to major-urgent | `leaders_notified` (escalation consumer) |
 * | `leaders_confirm`  | each `leaders_notified` (round = its seq) | `notice_confirmed` of everyone told     |
 * | `dispatch`         | intake                                 | `dispatched`                            |
 * | `first_contact`    | dispatch / re-dispatch (per round)     | first `contacted`                       |
 * | `reply`            | dispatch / re-dispatch (per round)     | `replied`                               |
 * | `callback`         | `replied` (per round)                  | `callback_recorded`/`_waived`/`closed`  |
 * | `appeal_risk`      | intake (seed 001: 7 days, warn day 5)  | `replied`                               |
 * | `rectification`    | `rectification_noticed` (quality's monthly notice, decision 058) | `rectification_filed`; a `rectification_returned` record runs on from the notice |
 * | `claim_ack`        | `compensation_claimed`, from its `receivedAt` (decision 059) | the claim command itself (recording it acknowledges it) |
 * | `claim_settle`     | `compensation_claimed`, from `receivedAt` (30 / 60 calendar days international) | `compensation_agreed` |
 * | `claim_pay`        | `compensation_agreed` (7 working days)  | `compensation_paid` at its `paidAt` |
 *
 * The rectification and claim clocks (`AFTER_CLOSE_MILESTONES`) run on after the case is closed,
 * suspended or withdrawn: 办结 ends the handling, not 三不放过 nor a claim.
 * | `sign`             | every dispatch (`dispatchCount` = its round) | `signed` (explicit or implied), `returned` |
 * | `dispatch` (again) | `returned` (the centre's ruling, round ≥ 1) | `return_decided`                       |
 *
 * While a return waits for the centre (`returned`), the unit's first-contact and reply clocks of the
 * round are paused and resume on the ruling; the 7-day appeal risk runs on (decision 047).
 * | `next_contact`     | `replied` unresolved, due at its promise | follow-up `contacted`; cancelled by closure, re-dispatch, 暂结, withdrawal |
 * | `assist:<taskId>`  | `assist_requested` (协办, decision 048) | `assist_replied`; dropped when cancelled |
 *
 * Calendars (seed 000; `docs/decisions/003-working-calendar.md`): the handling unit owns
 * first contact, reply and rectification (its own calendar, `everyDay` for most units); the
 * customer-service centre owns dispatch, callback, the leaders notice and the appeal risk
 * (organisation calendar). The quality escalation (breach + 1 working day) counts on the
 * organisation calendar: the quality manager works office days.
 *
 * States: `pending` → `met`, or `breached` (kept even when met later — `metAt` records it — so
 * reports can compute the on-time rate); `paused` while the complaint is suspended (暂结) or its
 * clock is paused waiting for the complainant; a closed or withdrawn complaint keeps its states but
 * has no `nextDueAt` (its clocks stopped). See `docs/decisions/004-sla-timers.md`.
 */
import { ASSIST_MILESTONE, assistMilestone, assistTaskOf, deadlineUnitOf, isAssistMilestone } from '#domain/assist.ts';
import { calendarFor, localDate, type WorkCalendar } from '#domain/calendar/calendar.ts';
import { CN_WORK_CALENDAR } from '#domain/calendar/holidays.ts';
import { findUnit, type UnitDirectory } from '#domain/directory.ts';
import { LEADERS_CONFIRM, applyConfirmation, noticeOfEvent, withNotice } from '#domain/leader-notice.ts';
import type { DeadlinePlanner } from '#domain/lifecycle.ts';
import { AFTER_CLOSE_MILESTONES, isMajorOrUrgent, isOpen, type Complaint, type ComplaintEvent, type Deadline, type Severity } from '#domain/model.ts';
import { profileOf } from '#domain/kind.ts';
import { cancelNextContact, ENDS_NEXT_CONTACT, NEXT_CONTACT, nextContactDue } from './next-contact.ts';
import { clockPauseOf } from './pause.ts';
import {
  DEFAULT_POLICY,
  addDuration,
  computeDue,
  isWorkingUnit,
  qualityEscalationAt,
  type Due,
  type Milestone,
  type ProfileName,
  type SlaPolicy,
} from './policy.ts';

/** Re-exported: callers that plan import it from here. */
export { clockPauseOf };

/**
 * One instant at which an SLA check has something to decide:
 * `leaders` — tell the leaders of a major/urgent complaint now (seed 000: within 30 min);
 * `warn` — 80 % of the limit (held until working time for minor/general complaints);
 * `due` — the limit itself (breach); `quality` — still open one working day after the breach.
 */
export type PointKind = 'leaders' | 'warn' | 'due' | 'quality';

export interface DuePoint {
  milestone: string;
  round: number;
  point: PointKind;
  at: Date;
}

/** A planner that can also say which check points of a complaint are still ahead. */
export interface PointPlanner extends DeadlinePlanner {
  points(complaint: Complaint): DuePoint[];
}

export interface SlaPlannerOptions {
  directory: UnitDirectory;
  policy?: SlaPolicy;
  /** The organisation's office calendar (the centre's); default: mainland China, 08:30–18:30. */
  calendar?: WorkCalendar;
  /** Which policy profile a complaint uses (e.g. `administrative_efficiency`); default `default`. */
  profileFor?: (complaint: Complaint) => ProfileName;
  /**
   * Limits of a priority round (re-dispatch after a dissatisfied callback, or a reopen: round ≥ 2)
   * for first contact and reply. `major_urgent` (default): seed 000 “要求重新优先处理” — the only
   * priority limits the seeds define are those of 重大、紧急 complaints, so a re-handled complaint
   * gets them without being reclassified (no leaders notice, reports keep its severity).
   * `severity`: the round uses the complaint's own severity like round 1.
   */
  priorityRounds?: 'major_urgent' | 'severity';
}

/** Milestones that restart in every handling round. */
const ROUND_SCOPED = new Set<string>(['first_contact', 'reply', 'callback', NEXT_CONTACT]);
/** Milestones whose clock is the handling unit's. */
const UNIT_OWNED = new Set<string>(['first_contact', 'reply', 'rectification', 'sign', NEXT_CONTACT]);
/**
 * Not stopped by a pause for the complainant's documents: the leaders notice is internal, the
 * 7-day appeal right (seed 001 第九条) runs whatever the unit waits for, and so do the rectification
 * record and the claim's legal clocks (decisions 058, 059).
 */
const IGNORES_CLOCK_PAUSE = new Set<string>(['leaders_notified', LEADERS_CONFIRM, 'appeal_risk', 'sign', ...AFTER_CLOSE_MILESTONES]);
/** The unit's clocks of a round that stop while its return waits for the centre (decision 047). */
const RETURN_PAUSES = new Set<string>(['first_contact', 'reply']);
/** Round-scoped milestones that a priority round plans with the priority limits. */
const PRIORITY_MILESTONES = new Set<string>(['first_contact', 'reply']);

export class SlaPlanner implements PointPlanner {
  private readonly policy: SlaPolicy;
  private readonly office: WorkCalendar;
  private readonly unitCalendars = new Map<string, WorkCalendar>();

  constructor(private readonly opts: SlaPlannerOptions) {
    this.policy = opts.policy ?? DEFAULT_POLICY;
    this.office = opts.calendar ?? CN_WORK_CALENDAR;
  }

  plan(previous: Complaint | undefined, next: Complaint, _now: Date): Pick<Complaint, 'deadlines' | 'nextDueAt' | 'signDueAt' | 'firstContactEstimate'> {
    const events = next.history.slice(previous?.history.length ?? 0);
    let deadlines: Deadline[] = next.deadlines.map((d) => ({ ...d }));
    for (const e of events) deadlines = this.apply(deadlines, e, previous, next);
    deadlines = this.signClock(deadlines, previous, next);
    deadlines = deadlines.flatMap((d) => this.refresh(d, next));
    const planned = { ...next, deadlines };
    const nextDue = earliest(this.points(planned));
    const sign = deadlines.find((d) => d.milestone === 'sign' && d.round === next.dispatchCount && d.state === 'pending');
    return { deadlines, nextDueAt: nextDue?.toISOString(), signDueAt: sign?.dueAt, firstContactEstimate: this.firstContactEstimate(planned) };
  }

  /**
   * What the receipt promises before dispatch (SPEC intake; issue 9 item 8): the first contact the
   * planner would set if the centre dispatched to the suggested unit at the dispatch deadline — the
   * unit's own limit and calendar, so an office-hours unit's promise does not fall on its weekend.
   */
  private firstContactEstimate(c: Complaint): string | undefined {
    if (c.unitId !== undefined || c.deadlines.some((d) => d.milestone === 'first_contact')) return undefined;
    const dispatch = c.deadlines.find((d) => d.milestone === 'dispatch' && d.state === 'pending');
    if (!dispatch || c.suggestedUnitId === undefined) return undefined;
    const at = { ...c, unitId: c.suggestedUnitId };
    const due = this.compute(at, {
      milestone: 'first_contact',
      round: Math.max(1, c.round),
      startedAt: dispatch.dueAt,
      extended: undefined,
      pausedMillis: undefined,
    });
    return due?.dueAt.toISOString();
  }

  /**
   * A new dispatch (`dispatchCount` grew) starts its 签收 clock on the unit's calendar, numbered by the
   * count, with the end of its return window (decision 047). The clock of an earlier dispatch still
   * running belongs to a unit that no longer has the case: it no longer applies and is dropped.
   */
  private signClock(ds: Deadline[], previous: Complaint | undefined, c: Complaint): Deadline[] {
    const n = c.dispatchCount ?? 0;
    if (n === 0 || n === (previous?.dispatchCount ?? 0) || has(ds, 'sign', n)) return ds;
    const kept = ds.filter((d) => d.milestone !== 'sign' || (d.state !== 'pending' && d.state !== 'paused'));
    const started = this.start(kept, c, 'sign', n, c.updatedAt);
    const window = this.policy.returnWindow ?? DEFAULT_POLICY.returnWindow;
    if (!window) return started;
    const returnUntil = addDuration(this.calendarOf(c, 'sign'), new Date(c.updatedAt), window).toISOString();
    return started.map((d) => (d.milestone === 'sign' && d.round === n ? { ...d, returnUntil } : d));
  }

  /** The check points still ahead (or overdue and not yet decided), in no particular order. */
  points(c: Complaint): DuePoint[] {
    const open = isOpen(c.status);
    const out: DuePoint[] = [];
    for (const d of c.deadlines) {
      // An ended case keeps only the clocks that outlive it (rectification, the claim's).
      if (!open && !AFTER_CLOSE_MILESTONES.has(d.milestone)) continue;
      // A rectification clock from before the monthly notice existed was shown only, never escalated.
      if (d.milestone === 'rectification' && !c.rectification) continue;
      // The 签收 clock of an earlier dispatch belongs to a unit that no longer has the case (decision 047).
      if (d.milestone === 'sign' && d.round !== c.dispatchCount) continue;
      const base = { milestone: d.milestone, round: d.round };
      const dueAt = new Date(d.dueAt);
      if (d.state === 'pending') {
        if (d.milestone === 'leaders_notified') {
          // The notice goes at once; the escalation consumer records `leaders_notified` when sent.
          if (!d.escalatedAt) out.push({ ...base, point: 'leaders', at: new Date(d.startedAt) });
        } else if (!d.warnedAt && Date.parse(d.warnAt) < dueAt.getTime()) {
          out.push({ ...base, point: 'warn', at: this.effectiveWarnAt(c, d) });
        }
        out.push({ ...base, point: 'due', at: dueAt });
      } else if (d.state === 'breached' && !d.metAt && !d.escalatedAt) {
        out.push({ ...base, point: 'quality', at: qualityEscalationAt(this.policy, this.office, dueAt) });
      }
    }
    return out;
  }

  /** The calendar whose working time governs this milestone of this complaint. */
  calendarOf(c: Complaint, milestone: string): WorkCalendar {
    // An assist task runs on the assisting unit's calendar (decision 048).
    const unitId = isAssistMilestone(milestone) ? deadlineUnitOf(c, milestone) : UNIT_OWNED.has(milestone) ? c.unitId : undefined;
    if (!unitId) return this.office;
    let cal = this.unitCalendars.get(unitId);
    if (!cal) {
      const unit = findUnit(this.opts.directory, unitId);
      // The unit's own adjustments (admin-managed, decision 056), then its every-day flag.
      cal = unit ? calendarFor(this.office, unit.calendar, { everyDay: unit.everyDay }) : this.office;
      this.unitCalendars.set(unitId, cal);
    }
    return cal;
  }

  /**
   * Warnings of minor/general complaints wait for the owner's working time (a handler is not
   * e-mailed at 02:00 about a deadline days away); major/urgent and priority rounds go at once.
   * A warning is due on its own day (the appeal-risk warning "at day 5"): it is held only until
   * working hours start that same day, and never past the deadline it warns of. Otherwise it goes
   * on time — the day-5 warning of a Monday complaint falls on Saturday, and held to Monday 08:30
   * it would arrive minutes before the 7-day breach. Decision 044.
   */
  private effectiveWarnAt(c: Complaint, d: Deadline): Date {
    const warnAt = new Date(d.warnAt);
    if (isMajorOrUrgent(this.severityFor(c, d))) return warnAt;
    const held = this.calendarOf(c, d.milestone).nextWorkingInstant(warnAt);
    return localDate(held) === localDate(warnAt) && held.getTime() < Date.parse(d.dueAt) ? held : warnAt;
  }

  /** Whether the milestone's clock belongs to a unit that keeps office hours (not every day). */
  private keepsOfficeHours(c: Complaint, milestone: string): boolean {
    const owned = isAssistMilestone(milestone) || (UNIT_OWNED.has(milestone) && c.unitId !== undefined);
    return owned && !this.calendarOf(c, milestone).config.everyDay;
  }

  private severityFor(c: Complaint, d: Pick<Deadline, 'milestone' | 'round'>): Severity {
    const priority = (this.opts.priorityRounds ?? 'major_urgent') === 'major_urgent' && d.round >= 2 && PRIORITY_MILESTONES.has(d.milestone);
    return priority && !isMajorOrUrgent(c.severity) ? 'urgent' : c.severity;
  }

  private compute(c: Complaint, d: Pick<Deadline, 'milestone' | 'round' | 'startedAt' | 'extended' | 'pausedMillis'>): Due | undefined {
    if (d.milestone === NEXT_CONTACT) {
      // Due at the instant promised to the complainant, not after a policy limit (decision 050).
      const due = nextContactDue(c, d, this.policy.warnAtFraction);
      return (
        due && { ...due, duration: { amount: (due.dueAt.getTime() - Date.parse(d.startedAt)) / 60_000, unit: 'minutes' }, basis: 'general', capped: false }
      );
    }
    const due = this.computePolicy(c, d);
    const requested = isAssistMilestone(d.milestone) ? assistTaskOf(c, d.milestone)?.requestedDueAt : undefined;
    if (!due || requested === undefined || Date.parse(requested) >= due.dueAt.getTime()) return due;
    // The lead unit asked for an earlier answer (decision 048): its instant, warned at the same fraction.
    const start = Date.parse(d.startedAt);
    const dueAt = new Date(requested);
    const warnAt = new Date(start + Math.round(this.policy.warnAtFraction * (dueAt.getTime() - start)));
    return { ...due, dueAt, warnAt, capped: true };
  }

  private computePolicy(c: Complaint, d: Pick<Deadline, 'milestone' | 'round' | 'startedAt' | 'extended' | 'pausedMillis'>): Due | undefined {
    return computeDue(this.policy, this.calendarOf(c, d.milestone), {
      milestone: (isAssistMilestone(d.milestone) ? ASSIST_MILESTONE : d.milestone) as Milestone,
      startedAt: new Date(d.startedAt),
      severity: this.severityFor(c, d),
      source: c.source,
      profile: this.opts.profileFor?.(c) ?? profileOf(c, this.policy),
      extended: d.extended !== undefined,
      officeHours: this.keepsOfficeHours(c, d.milestone),
      ...(d.pausedMillis !== undefined && { pausedMillis: d.pausedMillis }),
      ...(d.milestone === 'claim_settle' && c.claim?.international === true && { international: true }),
    });
  }

  /** Re-plans a running clock from its original start; drops one that no longer applies. */
  private refresh(d: Deadline, c: Complaint): Deadline[] {
    if (d.state !== 'pending' && d.state !== 'paused') return [d];
    const due = this.compute(c, d);
    // e.g. `leaders_notified` after a major complaint was lowered to general before the notice.
    if (!due) return [];
    return [this.marked(c, { ...d, dueAt: due.dueAt.toISOString(), warnAt: due.warnAt.toISOString() })];
  }

  /** `provisional: true` exactly when the milestone's calendar is not official somewhere from start to due. */
  private marked(c: Complaint, d: Deadline): Deadline {
    const { provisional: _previous, ...rest } = d;
    return this.calendarOf(c, d.milestone).provisionalBetween(new Date(d.startedAt), new Date(d.dueAt)) ? { ...rest, provisional: true } : rest;
  }

  private apply(ds0: Deadline[], e: ComplaintEvent, previous: Complaint | undefined, c: Complaint): Deadline[] {
    const data = e.data ?? {};
    // Nothing is promised any more once the case closes or goes round again (decision 050).
    const ds = ENDS_NEXT_CONTACT.has(e.type) ? cancelNextContact(ds0, e.at) : ds0;
    const round = typeof data['round'] === 'number' ? data['round'] : c.round;
    const start = (milestone: string, r: number) => this.start(ds, c, milestone, r, e.at);
    switch (e.type) {
      case 'received':
        return this.start(start('dispatch', c.round), c, 'appeal_risk', c.round, e.at);
      case 'classified':
        return isMajorOrUrgent(severityOf(data['severity']) ?? c.severity) ? start('leaders_notified', c.round) : ds;
      case 'severity_changed': {
        const to = severityOf(data['to']);
        // Leaders are told once per complaint (seed 000 五.3(1)); re-raising does not repeat it.
        if (to && isMajorOrUrgent(to) && !ds.some((d) => d.milestone === 'leaders_notified')) return start('leaders_notified', c.round);
        return ds;
      }
      case 'dispatched':
        return this.startRound(
          meet(ds, (d) => d.milestone === 'dispatch', e.at),
          c,
          round,
          e.at,
        );
      case 'redispatched':
        return this.startRound(ds, c, round, e.at);
      case 'contacted':
        if (data['followUp']) return meet(ds, (d) => d.milestone === NEXT_CONTACT && d.round === round, e.at);
        return data['first'] ? meet(ds, (d) => d.milestone === 'first_contact' && d.round === c.round, e.at) : ds;
      case 'replied': {
        let next = this.autoResume(ds, c, previous, e.at);
        next = meet(next, (d) => (d.milestone === 'reply' && d.round === round) || d.milestone === 'appeal_risk', e.at);
        return this.start(this.start(next, c, 'callback', round, e.at), c, NEXT_CONTACT, round, e.at);
      }
      case 'callback_recorded':
      case 'callback_waived':
      case 'closed':
        return meet(ds, (d) => d.milestone === 'callback' && d.round === round, e.at);
      case 'suspended':
        return pause(this.autoResume(ds, c, previous, e.at), (d) => !AFTER_CLOSE_MILESTONES.has(d.milestone), e.at);
      case 'withdrawn':
        return this.autoResume(ds, c, previous, e.at);
      case 'reopened': {
        // Clocks of an earlier round stay frozen: the new round starts its own (below).
        const resumed = this.resume(ds, c, (d) => !(ROUND_SCOPED.has(d.milestone) && d.round < c.round), e.at);
        return data['to'] === 'dispatched' ? this.startRound(resumed, c, c.round, e.at) : resumed;
      }
      case 'deadline_paused':
        // An assist task is between units: waiting for the complainant's documents does not stop it.
        return pause(ds, (d) => !IGNORES_CLOCK_PAUSE.has(d.milestone) && !isAssistMilestone(d.milestone), e.at);
      case 'deadline_resumed':
        // `auto`: already resumed where the suspension/reply/withdrawal event was applied.
        return data['auto'] === true || typeof data['pausedAt'] !== 'string' ? ds : this.resume(ds, c, (d) => d.pausedAt === data['pausedAt'], e.at);
      case 'deadline_extended':
        return ds.map((d) =>
          d.milestone === data['milestone'] && d.round === round && !d.extended
            ? {
                ...d,
                extended: { approverId: String(data['approverId'] ?? e.actor.id), reason: String(data['reason'] ?? ''), at: e.at, previousDueAt: d.dueAt },
              }
            : d,
        );
      case 'leaders_notified': {
        const met = meet(ds, (d) => d.milestone === 'leaders_notified', e.at);
        // Decision 049: each notice starts its own confirmation clock, keyed by the event's seq.
        const notice = noticeOfEvent(e);
        return notice ? withNotice(this.start(met, c, LEADERS_CONFIRM, e.seq, e.at), e.seq, notice) : met;
      }
      case 'notice_confirmed': {
        const { deadlines, completed } = applyConfirmation(ds, e);
        return completed === undefined ? deadlines : meet(deadlines, (d) => d.milestone === LEADERS_CONFIRM && d.round === completed, e.at);
      }
      case 'signed':
        return meet(ds, (d) => d.milestone === 'sign' && d.round === data['dispatchNo'], e.at);
      case 'returned': {
        // A return answers the dispatch (the sign clock is met); the centre's clock starts, the unit's stop.
        const answered = meet(ds, (d) => d.milestone === 'sign' && d.round === data['dispatchNo'], e.at);
        return this.start(
          pause(answered, (d) => RETURN_PAUSES.has(d.milestone) && d.round === round, e.at),
          c,
          'dispatch',
          round,
          e.at,
        );
      }
      case 'return_decided': {
        const returnedAt = typeof data['returnedAt'] === 'string' ? data['returnedAt'] : undefined;
        const resumed = this.resume(ds, c, (d) => RETURN_PAUSES.has(d.milestone) && d.pausedAt === returnedAt, e.at);
        return meet(resumed, (d) => d.milestone === 'dispatch' && d.round === round, e.at);
      }
      case 'assist_requested':
        return typeof data['taskId'] === 'string' ? start(assistMilestone(data['taskId']), round) : ds;
      case 'assist_replied':
        return typeof data['taskId'] === 'string' ? meet(ds, (d) => d.milestone === assistMilestone(String(data['taskId'])), e.at) : ds;
      case 'assist_cancelled':
        return typeof data['taskId'] === 'string' ? cancel(ds, assistMilestone(data['taskId']), e.at) : ds;
      // 分析整改 (decision 058): one record per complaint, round 1; the clock runs from the notice.
      case 'rectification_noticed':
        return this.start(ds, c, 'rectification', 1, e.at);
      case 'rectification_filed':
        return meet(ds, (d) => d.milestone === 'rectification', e.at);
      case 'rectification_returned':
        // Returned: the record is owed again, against the same deadline (it keeps running from the notice).
        return ds.map((d) => (d.milestone === 'rectification' ? reopenClock(d) : d));
      // 赔偿申请 (decision 059): recording the claim acknowledges it; both clocks count from its arrival.
      case 'compensation_claimed': {
        const receivedAt = typeof data['receivedAt'] === 'string' ? data['receivedAt'] : e.at;
        const acked = meet(this.start(ds, c, 'claim_ack', 1, receivedAt), (d) => d.milestone === 'claim_ack', e.at);
        return this.start(acked, c, 'claim_settle', 1, receivedAt);
      }
      case 'compensation_agreed':
        return this.start(
          meet(ds, (d) => d.milestone === 'claim_settle', e.at),
          c,
          'claim_pay',
          1,
          e.at,
        );
      case 'compensation_paid':
        return meet(ds, (d) => d.milestone === 'claim_pay', typeof data['paidAt'] === 'string' ? data['paidAt'] : e.at);
      default:
        return ds;
    }
  }

  private start(ds: Deadline[], c: Complaint, milestone: string, round: number, at: string): Deadline[] {
    if (has(ds, milestone, round)) return ds;
    const due = this.compute(c, { milestone, round, startedAt: at, extended: undefined, pausedMillis: undefined });
    if (!due) return ds;
    const started = this.marked(c, { milestone, round, startedAt: at, dueAt: due.dueAt.toISOString(), warnAt: due.warnAt.toISOString(), state: 'pending' });
    // Raised to major while suspended: the leaders clock starts when the complaint is reopened.
    return [...ds, c.status === 'suspended' && !AFTER_CLOSE_MILESTONES.has(milestone) ? { ...started, state: 'paused', pausedAt: at } : started];
  }

  /** A handling round's own clocks: first contact and reply (seed 002, seed 004). */
  private startRound(ds: Deadline[], c: Complaint, round: number, at: string): Deadline[] {
    return this.start(this.start(ds, c, 'first_contact', round, at), c, 'reply', round, at);
  }

  /** Restarts the clocks a clock pause stopped, when a reply, suspension or withdrawal ends the pause. */
  private autoResume(ds: Deadline[], c: Complaint, previous: Complaint | undefined, at: string): Deadline[] {
    const paused = previous ? clockPauseOf(previous) : undefined;
    return paused ? this.resume(ds, c, (d) => d.pausedAt === paused.at, at) : ds;
  }

  /** Paused → pending; the pause is added to `pausedMillis` in the milestone's own clock. */
  private resume(ds: Deadline[], c: Complaint, which: (d: Deadline) => boolean, at: string): Deadline[] {
    return ds.map((d) => {
      if (d.state !== 'paused' || !d.pausedAt || !which(d)) return d;
      const { pausedAt, ...rest } = d;
      const unit = this.compute(c, d)?.duration.unit;
      const from = new Date(Math.max(Date.parse(pausedAt), Date.parse(d.startedAt)));
      const to = new Date(at);
      const ms = unit !== undefined && isWorkingUnit(unit) ? this.calendarOf(c, d.milestone).workingMillisBetween(from, to) : to.getTime() - from.getTime();
      const resumed: Deadline = { ...rest, state: 'pending', pausedMillis: (d.pausedMillis ?? 0) + Math.max(0, ms) };
      // Re-planned at once: an event later in the same transition (the reply) may meet it.
      return this.refresh(resumed, c)[0] ?? resumed;
    });
  }
}

/** The earliest instant of `points`, if any. */
export function earliest(points: readonly DuePoint[]): Date | undefined {
  let min: Date | undefined;
  for (const p of points) if (!min || p.at.getTime() < min.getTime()) min = p.at;
  return min;
}

const has = (ds: readonly Deadline[], milestone: string, round: number) => ds.some((d) => d.milestone === milestone && d.round === round);

const severityOf = (v: unknown): Severity | undefined => (v === 'minor' || v === 'general' || v === 'major' || v === 'urgent' ? v : undefined);

/**
 * Stops the matching running clocks at `at`. Met late → `breached` (with `breachedAt` = the
 * deadline, when no check had marked it) plus `metAt`: a late answer still counts as late.
 */
function meet(ds: Deadline[], which: (d: Deadline) => boolean, at: string): Deadline[] {
  return ds.map((d) => {
    if (!which(d)) return d;
    if (d.state === 'breached') return d.metAt ? d : { ...d, metAt: at };
    if (d.state === 'met' || d.state === 'cancelled') return d;
    const { pausedAt, ...rest } = d;
    const stoppedAt = pausedAt ?? at;
    if (Date.parse(stoppedAt) > Date.parse(d.dueAt)) return { ...rest, state: 'breached', breachedAt: d.dueAt, metAt: at };
    return { ...rest, state: 'met', metAt: at };
  });
}

/**
 * A cancelled assist task's clock: a running one is dropped (nothing was due any more; the history
 * keeps the task and its cancellation), a breached one stays breached and is closed with `metAt`, so
 * the quality escalation of a task nobody waits for is not sent.
 */
function cancel(ds: Deadline[], milestone: string, at: string): Deadline[] {
  return ds.flatMap((d) => {
    if (d.milestone !== milestone) return [d];
    if (d.state === 'breached') return [d.metAt ? d : { ...d, metAt: at }];
    return d.state === 'met' ? [d] : [];
  });
}

/**
 * A clock whose answer was sent back (a returned 分析整改表): pending again against its original due
 * time — already past, it is breached at the next check and escalates like any breach. A breach
 * already recorded stays, and its quality escalation is owed again unless it was sent.
 */
function reopenClock(d: Deadline): Deadline {
  const { metAt: _metAt, ...rest } = d;
  if (d.state === 'met') return { ...rest, state: 'pending' };
  return d.state === 'breached' ? rest : d;
}

function pause(ds: Deadline[], which: (d: Deadline) => boolean, at: string): Deadline[] {
  return ds.map((d) => (d.state === 'pending' && which(d) ? { ...d, state: 'paused', pausedAt: at } : d));
}
