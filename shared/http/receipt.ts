/** The intake answer: what a web form, an SMS gateway or an agent needs at once. */
import type { SubmitResult } from '#app/complaints.ts';

export function intakeReceipt({ outcome, complaint }: SubmitResult) {
  return {
    id: complaint.id,
    trackingCode: complaint.trackingCode,
    status: complaint.status,
    severity: complaint.severity,
    category: complaint.category,
    createdAt: complaint.createdAt,
    /** `repeat`: linked to the open complaint of the same phone and waybill (重复投诉), counted as a chase. */
    outcome,
    repeatCount: complaint.repeatCount,
    deadlines: complaint.deadlines.filter((d) => d.state === 'pending').map((d) => ({ milestone: d.milestone, dueAt: d.dueAt, ...(d.provisional && { provisional: true as const }) })),
    trackUrl: `/track/${complaint.trackingCode}`,
  };
}
