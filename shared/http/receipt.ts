/** The intake answers: what a web form, an SMS gateway or an agent needs at once. */
import type { SubmitResult } from '#app/complaints.ts';
import { isMobile } from '#app/complainant-sms.ts';
import { kindOf } from '#domain/model.ts';

/**
 * The public (web form) answer: the same status and shape whether the submission opened a case or
 * joined one, so that a stranger who read the parcel label learns nothing of an existing case — no
 * id, tracking code or status of it (decision 030). For a repeat, `id` and `trackingCode` are the
 * receipt's own; the case's code goes by SMS to the phone on file.
 */
export function publicReceipt({ complaint, receipt }: SubmitResult) {
  const trackingCode = receipt?.trackingCode ?? complaint.trackingCode;
  const phone = receipt ? receipt.phone : complaint.complainant.phone;
  return {
    id: receipt?.id ?? complaint.id,
    trackingCode,
    outcome: 'received' as const,
    createdAt: receipt?.createdAt ?? complaint.createdAt,
    /** Where the SMS goes, as the complainant can recognise it (mobiles only). */
    ...(isMobile(phone) && { smsTo: `尾号${phone.slice(-4)}` }),
    trackUrl: `/track/${trackingCode}`,
  };
}

/** The staff (and integrator) answer: the complaint itself, repeats included. */
export function intakeReceipt({ outcome, complaint }: SubmitResult) {
  return {
    id: complaint.id,
    trackingCode: complaint.trackingCode,
    status: complaint.status,
    severity: complaint.severity,
    kind: kindOf(complaint),
    category: complaint.category,
    createdAt: complaint.createdAt,
    /** `repeat`: linked to the open complaint of the same phone and waybill (重复投诉), counted as a chase. */
    outcome,
    repeatCount: complaint.repeatCount,
    deadlines: complaint.deadlines
      .filter((d) => d.state === 'pending')
      .map((d) => ({ milestone: d.milestone, dueAt: d.dueAt, ...(d.provisional && { provisional: true as const }) })),
    trackUrl: `/track/${complaint.trackingCode}`,
  };
}
