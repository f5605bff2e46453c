/**
 * Withdrawal under pressure (seed 004, 邮储 art. 19: 撤诉须经投诉人本人确认系自愿). When the complainant
 * says a withdrawal was not voluntary, the lifecycle records `withdrawal_contested` and keeps the case
 * as it is; the outbox asks the quality manager to investigate, by the escalation queue (ledger,
 * retries, DLQ, once per contest). Decision 046.
 */
import type { Transition } from '#domain/lifecycle.ts';
import { WITHDRAWAL_CONTESTED, type EscalationMessage } from '#domain/escalation.ts';

/** The quality manager's notice for each contested withdrawal among the transition's events. Pure. */
export function contestedWithdrawalNotices({ complaint, events }: Transition, now: Date): EscalationMessage[] {
  return events
    .filter((e) => e.type === 'withdrawal_contested')
    .map((e) => ({
      complaintId: complaint.id,
      milestone: WITHDRAWAL_CONTESTED,
      // The event's sequence number: each contest is its own notice, a retried command none more.
      round: e.seq,
      level: 'quality' as const,
      severity: complaint.severity,
      ...(complaint.unitId !== undefined && { unitId: complaint.unitId }),
      overdueMillis: 0,
      decidedAt: now.toISOString(),
      reason: `撤诉申请经${String(e.data?.['confirmedVia'] ?? '—')}核实：投诉人表示并非自愿`,
    }));
}
