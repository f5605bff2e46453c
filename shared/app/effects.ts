/**
 * The transactional outbox's one decision (docs/decisions/051-transactional-outbox.md): which side
 * effects a committed transition owes. Pure — no port, no I/O — so the request can record them in the
 * very write that commits the transition, and the dispatcher (`outbox-dispatcher.ts`) carries them
 * out afterwards, off the request path. This is what the transition observers used to decide and do
 * in the request:
 * - the intake receipt and a public repeat's notice, straight to the SMS guard (SPEC intake; decision 030);
 * - progress updates, the result / 暂结 reason, a contested withdrawal's notice, the leaders' unit and
 *   media notices (decision 049): messages for the
 *   durable escalation queue (ledger, once per complaint/milestone/round/level — decision 037);
 * - the SLA timers: brought in step with the complaint's deadlines (`SlaTimers.sync`), from what the
 *   state before the transition needed.
 */
import { escalationDedupeKey, type EscalationMessage } from '#domain/escalation.ts';
import { mediaNoticesFor, unitNoticesFor } from '#domain/leader-notice.ts';
import type { Transition } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { isMobile, receiptDedupeKey, receiptSms, repeatNoticeSms } from './complainant-sms.ts';
import { contestedWithdrawalNotices } from './contested-withdrawal.ts';
import type { SmsMessage } from './ports.ts';
import { closureNoticesFor, progressUpdateFor } from './progress-updates.ts';

/** What a committed transition still owes; its `id` is the dedupe key, stable across retries of the same transition. */
export type Effect =
  /** A text sent directly through the SMS guard: the intake receipt, a public repeat's notice. */
  | { id: string; kind: 'sms'; sms: SmsMessage }
  /** One message for the durable escalation queue (progress update, result, notices to staff). */
  | { id: string; kind: 'escalation'; message: EscalationMessage }
  /**
   * The SLA timers: from what `before` needed to what the complaint needs when the effect is carried
   * out (its current state), so two transitions owed at once both end at the newest timers, and the
   * obsolete ones of either are cancelled.
   */
  | { id: string; kind: 'timers'; before?: TimerBasis };

/** What the check points of a complaint depend on (`PointPlanner.points`, the timer payload): kept small, no history. */
export type TimerBasis = Pick<Complaint, 'version' | 'status' | 'severity' | 'deadlines'> & { unitId?: string };

/**
 * How long a committed transition's effects may stay owed before the sweep carries them out: the
 * stream (or the local feed) delivers within seconds, so anything older was lost on the way.
 */
export const EFFECT_GRACE_MILLIS = 5 * 60_000;

/** The id of the timers effect of the transition from `version` (0: intake). */
export const timersEffectId = (version: number) => `timers#v${version}`;

/** An effect as the item records it: the effect plus the dispatcher's bookkeeping. */
export type PendingEffect = Effect & {
  /** When the transition that owes it was committed. */
  at: string;
  /** Deliveries started (claims); a crash mid-delivery shows as `sending` with an expired lease. */
  attempts: number;
  /** `pending`: nobody is on it; `sending`: a dispatcher claimed it until `leaseUntil` and may be calling the provider. */
  state: 'pending' | 'sending';
  leaseUntil?: string;
  lastError?: string;
};

/**
 * The effects `transition` owes, given the state `before` it (undefined for intake). Deterministic
 * ids (the SMS and escalation dedupe keys), so a retried or re-decided transition owes the same
 * effects again, never new ones.
 */
export function effectsOf(before: Complaint | undefined, transition: Transition, now: Date): Effect[] {
  const { complaint, events } = transition;
  const effects: Effect[] = [];
  const phone = complaint.complainant.phone;
  if (phone !== undefined && isMobile(phone)) {
    if (before === undefined && events.some((e) => e.type === 'received')) {
      const dedupeKey = receiptDedupeKey(complaint.id);
      effects.push({ id: dedupeKey, kind: 'sms', sms: { to: phone, text: receiptSms(complaint), dedupeKey, purpose: 'receipt' } });
    }
    // A public (unverified) repeat: the case's tracking code goes only to the phone on file, once a
    // day at most (the first unverified repeat of the day is the counted one). Decision 030.
    const repeat = events.find((e) => e.type === 'repeat_linked' && e.data?.['verified'] === false && e.data['counted'] === true);
    if (before !== undefined && repeat) {
      const dedupeKey = `repeat#${complaint.id}#${repeat.seq}`;
      effects.push({ id: dedupeKey, kind: 'sms', sms: { to: phone, text: repeatNoticeSms(complaint), dedupeKey, purpose: 'receipt' } });
    }
  }
  const progress = progressUpdateFor(complaint, events, now);
  const messages = [
    ...(progress ? [progress] : []),
    ...closureNoticesFor(complaint, events, now),
    ...contestedWithdrawalNotices(transition, now),
    // A major/urgent case reaching a (new) unit tells its leaders; media involvement tells quality at once (decision 049).
    ...unitNoticesFor(before, transition, now),
    ...mediaNoticesFor(before, transition, now),
  ];
  for (const message of messages) effects.push({ id: `esc#${escalationDedupeKey(message)}`, kind: 'escalation', message });
  if (timersMayChange(before, complaint))
    effects.push({ id: timersEffectId(before?.version ?? 0), kind: 'timers', ...(before && { before: timerBasis(before) }) });
  return effects;
}

/**
 * The check points (`PointPlanner.points`) depend on the status, the deadlines and the unit whose
 * working hours hold a warning: a transition that changes none of them (a note, a chase that raises
 * nothing) needs no timer call.
 */
function timersMayChange(before: Complaint | undefined, after: Complaint): boolean {
  if (before === undefined) return true;
  return (
    before.status !== after.status ||
    before.severity !== after.severity ||
    before.unitId !== after.unitId ||
    before.nextDueAt !== after.nextDueAt ||
    JSON.stringify(before.deadlines) !== JSON.stringify(after.deadlines)
  );
}

function timerBasis(c: Complaint): TimerBasis {
  return { version: c.version, status: c.status, severity: c.severity, deadlines: c.deadlines, ...(c.unitId !== undefined && { unitId: c.unitId }) };
}
