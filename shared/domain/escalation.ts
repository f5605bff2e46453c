/**
 * The escalation message that travels on SQS from the SLA check (and from rule-driven notices)
 * to the escalation consumer, which e-mails managers once per (complaint, milestone, round, level).
 * SPEC "Escalation": warning → handler; breach → unit leader + operations director;
 * breach + 1 working day → quality manager; major/urgent → leaders at once (seed 000, 30 min).
 */
import * as z from './zod.ts';

/** The notice kind of an involuntary withdrawal, sent to the quality manager (decision 046). */
export const WITHDRAWAL_CONTESTED = 'withdrawal_contested';

export const ESCALATION_LEVELS = ['warning', 'breach', 'quality', 'leaders', 'complainant'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const EscalationMessage = z.strictObject({
  complaintId: z.string().check(z.minLength(1)),
  /** An SLA milestone (`reply`, `dispatch` …) or a notice kind (`major_notice`, `progress_update`). */
  milestone: z.string().check(z.minLength(1)),
  round: z.number().check(z.int()).check(z.nonnegative()),
  level: z.enum(ESCALATION_LEVELS),
  severity: z.enum(['minor', 'general', 'major', 'urgent']),
  unitId: z.optional(z.string()),
  dueAt: z.optional(z.iso.datetime({ offset: true })),
  /** How late at the moment of the check (0 for warnings and notices). */
  overdueMillis: z._default(z.number().check(z.int()).check(z.nonnegative()), 0),
  decidedAt: z.iso.datetime({ offset: true }),
  reason: z.optional(z.string().check(z.maxLength(500))),
});
export type EscalationMessage = z.infer<typeof EscalationMessage>;

/** The once-only key: one e-mail per (complaint, milestone, round, level), however often a check runs. */
export const escalationDedupeKey = (m: Pick<EscalationMessage, 'complaintId' | 'milestone' | 'round' | 'level'>) =>
  `${m.complaintId}#${m.milestone}#r${m.round}#${m.level}`;
