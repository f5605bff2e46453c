/**
 * The receipt of a public submission that was linked to an existing case (重复投诉 from the web form).
 * The public caller only typed the phone in, so they may be a stranger who read the parcel label: the
 * answer and this record say nothing of the case (id, tracking code, status). The case's own
 * tracking code goes by SMS to the phone on file. See docs/decisions/030-public-intake-reveals-nothing.md.
 */
import { maskName, maskPhone } from './ids.ts';
import { CATEGORY_LABELS, type Category, type Channel } from './model.ts';

/** One stored receipt (`RCPT#<id>`): the submission, and — for staff only — which case it joined. */
export interface Receipt {
  /** Same format as a complaint id (`C` + 16 base32), so that the public answer has one shape. */
  id: string;
  trackingCode: string;
  /** The case the submission was linked to; never shown to the public. */
  complaintId: string;
  channel: Channel;
  category: Category;
  waybillNo?: string;
  name?: string;
  /** Canonical phone as typed in. */
  phone?: string;
  createdAt: string;
}

/** What `GET /track/{code}` shows for a receipt: the submission was recorded; progress goes by SMS. */
export function receiptView(r: Receipt) {
  return {
    trackingCode: r.trackingCode,
    status: 'received' as const,
    statusLabel: '已记录',
    category: r.category,
    categoryLabel: CATEGORY_LABELS[r.category],
    waybillNo: r.waybillNo,
    complainant: { name: maskName(r.name), phone: maskPhone(r.phone) },
    createdAt: r.createdAt,
    updatedAt: r.createdAt,
    milestones: [{ type: 'received' as const, label: '您的反映已记录；处理进度将以短信告知投诉登记的手机号码', at: r.createdAt }],
    deadlines: [] as const,
    result: undefined,
  };
}
export type ReceiptView = ReturnType<typeof receiptView>;
