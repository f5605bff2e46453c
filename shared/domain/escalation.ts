/**
 * The escalation message that travels on SQS from the SLA check (and from rule-driven notices)
 * to the escalation consumer, which e-mails managers once per (complaint, milestone, round, level).
 * SPEC "Escalation": warning → handler; breach → unit leader + operations director;
 * breach + 1 working day → quality manager; major/urgent → leaders at once (seed 000, 30 min).
 */
import * as z from 'zod';

export const ESCALATION_LEVELS = ['warning', 'breach', 'quality', 'leaders', 'complainant'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const EscalationMessage = z.strictObject({
  complaintId: z.string().min(1),
  /** An SLA milestone (`reply`, `dispatch` …) or a notice kind (`major_notice`, `progress_update`). */
  milestone: z.string().min(1),
  round: z.number().int().nonnegative(),
  level: z.enum(ESCALATION_LEVELS),
  severity: z.enum(['minor', 'general', 'major', 'urgent']),
  unitId: z.string().optional(),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  /** How late at the moment of the check (0 for warnings and notices). */
  overdueMillis: z.number().int().nonnegative().default(0),
  decidedAt: z.iso.datetime({ offset: true }),
  reason: z.string().max(500).optional(),
});
export type EscalationMessage = z.infer<typeof EscalationMessage>;

/** The once-only key: one e-mail per (complaint, milestone, round, level), however often a check runs. */
export const escalationDedupeKey = (m: Pick<EscalationMessage, 'complaintId' | 'milestone' | 'round' | 'level'>) =>
  `${m.complaintId}#${m.milestone}#r${m.round}#${m.level}`;
