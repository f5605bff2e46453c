/**
 * What the complainant is told without asking (知情权), as pure decisions (`effects.ts` records them in the
 * transition's write; the outbox dispatcher carries them out, decision 051):
 * - the intake receipt by SMS (SPEC intake: "send the receipt (SMS where a phone is known)");
 * - a progress update when the complaint is chased repeatedly or overdue (seed 000 投诉跟进回复:
 *   "对规定处理时间内客户多次催促，或超过规定处理时间仍未有明确处理结果的，要主动将阶段情况回复客户1-2次").
 * Why the receipt goes direct and the updates go by the queue: docs/decisions/005-escalation-delivery.md.
 */
import type { EscalationMessage } from '#domain/escalation.ts';
import { isOpen, type Complaint, type ComplaintEvent } from '#domain/model.ts';
import { isMobile } from './complainant-sms.ts';

/** Seed 000: tell the complainant how things stand 1–2 times — never more. */
export const MAX_PROGRESS_UPDATES = 2;

/** Counted on the item's events and the history pages' summary, so paging never resets the cap. */
export const progressUpdatesSent = (c: Complaint): number =>
  (c.historySealed?.counts.progress_update_sent ?? 0) +
  c.history.filter((e) => e.type === 'progress_update_sent' && e.seq > (c.historySealed?.through ?? 0)).length;

/**
 * Deadlines whose slip the complainant is told of: every clock they wait on, the centre's own
 * (dispatch, callback) included. Not the internal notices (leaders, rectification).
 */
export const PUBLIC_DEADLINE_MILESTONES: readonly string[] = [
  'dispatch',
  'first_contact',
  'reply',
  'callback',
  'appeal_risk',
  'claim_ack',
  'claim_settle',
  'claim_pay',
  'next_contact',
];

/** Chases from this one on trigger an update (seed 000: 多次催促; the second chase also makes it urgent). */
export const CHASES_BEFORE_UPDATE = 2;

/**
 * The progress update a transition (or a breach notice, see `EscalationService`) calls for, if any. Pure. The round is the update's ordinal (1 or 2),
 * so the once-only ledger keeps it to one SMS per ordinal and never more than two in all, however
 * many chases or breaches come in before the first one is delivered.
 */
export function progressUpdateFor(complaint: Complaint, events: ComplaintEvent[], now: Date): EscalationMessage | undefined {
  if (!isOpen(complaint.status) || !isMobile(complaint.complainant.phone)) return undefined;
  const sent = progressUpdatesSent(complaint);
  if (sent >= MAX_PROGRESS_UPDATES) return undefined;
  const reason = events
    .map((e) => {
      if (e.type === 'chased' && Number(e.data?.['chaseCount'] ?? 0) >= CHASES_BEFORE_UPDATE) return `chased ${String(e.data?.['chaseCount'])} times`;
      const milestone = e.data?.['milestone'];
      if (e.type === 'deadline_breached' && typeof milestone === 'string' && PUBLIC_DEADLINE_MILESTONES.includes(milestone))
        return `deadline ${milestone} breached`;
      // A loaded holiday notice moved a deadline the complainant waits on later: a slip too (decision 055).
      if (e.type === 'deadlines_replanned') return slippedByNotice(e);
      return undefined;
    })
    .find((r) => r !== undefined);
  if (!reason) return undefined;
  return {
    complaintId: complaint.id,
    milestone: 'progress_update',
    round: sent + 1,
    level: 'complainant',
    severity: complaint.severity,
    ...(complaint.unitId !== undefined && { unitId: complaint.unitId }),
    overdueMillis: 0,
    decidedAt: now.toISOString(),
    reason,
  };
}

/** The first public deadline a notice re-plan moved later, as an update reason. */
function slippedByNotice(e: ComplaintEvent): string | undefined {
  const moved = Array.isArray(e.data?.['moved']) ? (e.data['moved'] as Array<Record<string, unknown>>) : [];
  const later = moved.find(
    (m) => typeof m['milestone'] === 'string' && PUBLIC_DEADLINE_MILESTONES.includes(m['milestone']) && String(m['to']) > String(m['from']),
  );
  return later ? `deadline ${String(later['milestone'])} moved later by the ${String(e.data?.['year'])} holiday notice` : undefined;
}

/** The notice kinds told to the complainant once the case has ended (the escalation consumer sends them). */
export const CLOSURE_NOTICES = { closed: 'result', suspended: 'suspension' } as const;

/**
 * The result on closure and the reason on 暂结 (seed 004: 暂结原因告知顾客), by SMS. Pure. The round is the
 * event's sequence number: a case reopened and closed again is told again, a retried command not.
 */
export function closureNoticesFor(complaint: Complaint, events: ComplaintEvent[], now: Date): EscalationMessage[] {
  if (!isMobile(complaint.complainant.phone)) return [];
  return events.flatMap((e) =>
    e.type === 'closed' || e.type === 'suspended'
      ? [
          {
            complaintId: complaint.id,
            milestone: CLOSURE_NOTICES[e.type],
            round: e.seq,
            level: 'complainant' as const,
            severity: complaint.severity,
            ...(complaint.unitId !== undefined && { unitId: complaint.unitId }),
            overdueMillis: 0,
            decidedAt: now.toISOString(),
            reason: e.type === 'closed' ? 'closed: the result is told' : 'suspended: the reason is told',
          },
        ]
      : [],
  );
}
