/**
 * What the complainant sees on the tracking page (知情权): progress and result, masked personal
 * data — in the texts shown too (`masking.ts`) — no staff identities (seed 001 art. 15), no internal notes.
 */
import { maskName, maskPhone } from './ids.ts';
import { maskFreeText } from './masking.ts';
import { CATEGORY_LABELS, isOpen, KIND_LABELS, kindOf, STATUS_LABELS, type Complaint, type EventType, type Status } from './model.ts';

/** Milestones shown to the public, with their Chinese wording. */
export const PUBLIC_MILESTONES: Partial<Record<EventType, string>> = {
  received: '投诉已受理',
  dispatched: '已转交责任单位处理',
  contacted: '处理单位已与您联系',
  replied: '处理单位已答复',
  redispatched: '已安排重新处理',
  callback_recorded: '客服中心已回访',
  callback_waived: '投诉已办结',
  closed: '投诉已办结',
  suspended: '投诉暂结',
  reopened: '投诉已重新受理',
  withdrawn: '投诉已撤销',
  withdrawal_contested: '您表示并非自愿撤诉，投诉继续处理',
  chased: '已收到您的催办',
  deadline_extended: '处理期限已延长',
  compensation_claimed: '已收到您的赔偿申请',
  compensation_agreed: '赔偿金额已与您协商一致',
  compensation_paid: '赔偿款已支付',
};

export const MILESTONE_LABELS: Record<string, string> = {
  leaders_notified: '通报领导',
  dispatch: '转发处理单位',
  first_contact: '首次联系您',
  reply: '答复处理意见',
  callback: '回访',
  appeal_risk: '七日内答复',
  rectification: '整改',
  claim_ack: '受理您的赔偿申请',
  claim_settle: '赔偿处理完毕',
  claim_pay: '支付赔偿款',
  leaders_confirm: '领导确认收到',
  sign: '处理单位签收',
  next_contact: '再次联系您',
};

/**
 * The status as the complainant is told it. A return waiting for the centre's ruling is internal:
 * the complaint is simply in progress (处理中), never 退回 (decision 047).
 */
export function publicStatus(status: Status): { status: Status; label: string } {
  return status === 'returned' ? { status: 'dispatched', label: '处理中' } : { status, label: STATUS_LABELS[status] };
}

/** Milestones whose deadlines the complainant is told about. */
const PUBLIC_DEADLINES = new Set(['first_contact', 'reply', 'callback', 'next_contact']);
/** A claim's clocks are the complainant's whatever the case's status (decision 059); rectification is internal. */
const CLAIM_DEADLINES = new Set(['claim_ack', 'claim_settle', 'claim_pay']);

/** Seed 001 (邮政业消费者申诉处理办法 第六条、第九条): the regulator's appeal line, 7 days after a complaint with no answer. */
export const APPEAL_HOTLINE = '12305';
const APPEAL_AFTER_MS = 7 * 24 * 3_600_000;

/**
 * Since when the complainant may appeal to the regulator (12305), if they may: no answer (reply) 7
 * days after the complaint (the `appeal_risk` deadline, else intake + 7 days), and the case neither
 * closed nor withdrawn.
 */
export function appealOpenSince(c: Complaint, now: Date): string | undefined {
  if (c.reply || c.status === 'closed' || c.status === 'withdrawn' || c.status === 'replied') return undefined;
  const due = c.deadlines.find((d) => d.milestone === 'appeal_risk')?.dueAt ?? new Date(Date.parse(c.createdAt) + APPEAL_AFTER_MS).toISOString();
  return now.getTime() >= Date.parse(due) ? due : undefined;
}

/**
 * The tracking page's data at `now`. An ended case (closed, 暂结, withdrawn) shows only the deadlines
 * that were met: nothing is pending any more.
 */
export function publicView(c: Complaint, now: Date) {
  const appealSince = appealOpenSince(c, now);
  const shown = publicStatus(c.status);
  return {
    trackingCode: c.trackingCode,
    status: shown.status,
    statusLabel: shown.label,
    kind: kindOf(c),
    kindLabel: KIND_LABELS[kindOf(c)],
    category: c.category,
    categoryLabel: CATEGORY_LABELS[c.category],
    waybillNo: c.waybillNo,
    complainant: { name: maskName(c.complainant.name), phone: maskPhone(c.complainant.phone) },
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    milestones: c.history
      .filter((e) => PUBLIC_MILESTONES[e.type] !== undefined)
      .map((e) => ({
        type: e.type,
        label: PUBLIC_MILESTONES[e.type] as string,
        at: e.at,
        // Anyone holding the code reads this page: staff-written texts are masked like the rest.
        ...(e.type === 'deadline_extended' && typeof e.data?.['reason'] === 'string' && { note: maskFreeText(e.data['reason'], c.complainant) }),
      })),
    deadlines: c.deadlines
      .filter(
        (d) =>
          (PUBLIC_DEADLINES.has(d.milestone) && d.round === Math.max(1, c.round) && (isOpen(c.status) || d.state === 'met')) ||
          CLAIM_DEADLINES.has(d.milestone),
      )
      .map((d) => ({
        milestone: d.milestone,
        // 预计: the date rests on a holiday arrangement not yet published (decision 041).
        label: `${MILESTONE_LABELS[d.milestone] ?? d.milestone}${d.provisional ? '（预计）' : ''}`,
        dueAt: d.dueAt,
        state: d.state,
        ...(d.provisional && { provisional: true as const }),
        ...(d.extended && { extended: { reason: maskFreeText(d.extended.reason, c.complainant) } }),
      })),
    result:
      c.reply && (c.status === 'replied' || c.status === 'closed')
        ? { summary: maskFreeText(c.reply.result.summary, c.complainant), resolved: c.reply.result.resolved, at: c.reply.at }
        : undefined,
    ...(c.claim && { compensation: claimView(c) }),
    ...(appealSince !== undefined && { appeal: { hotline: APPEAL_HOTLINE, since: appealSince } }),
  };
}
export type PublicView = ReturnType<typeof publicView>;

/** The claim as the complainant is told it: plain Chinese, amounts in yuan, no staff (decision 059). */
function claimView(c: Complaint) {
  const claim = c.claim;
  if (!claim) return undefined;
  const yuan = (fen: number) => `${(fen / 100).toFixed(2)}元`;
  const status = claim.payment
    ? `赔偿款${yuan(claim.payment.amountFen)}已于${claim.payment.paidAt.slice(0, 10)}支付`
    : claim.agreement
      ? `已协商赔偿${yuan(claim.agreement.amountFen)}，将在7个工作日内支付`
      : `已受理您的赔偿申请（申请金额${yuan(claim.amountClaimedFen)}），将在${claim.international ? 60 : 30}个日历日内处理完毕`;
  return { receivedAt: claim.receivedAt, status };
}
