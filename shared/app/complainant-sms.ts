/**
 * SMS texts to the complainant (知情权), as pure functions. No staff identities (seed 001 art. 15),
 * no internal notes; the tracking code is the complainant's own and lets them follow progress.
 */
import type { UnitDirectory } from '#domain/directory.ts';
import { isMajorOrUrgent, type Complaint, type Status } from '#domain/model.ts';

/** Mainland mobiles only: landlines and foreign numbers get no SMS (one definition, the channel normaliser's). */
export { isMobile } from '#domain/channels/normalize.ts';

/** The SMS port's idempotency key of the intake receipt, whichever path sends it. */
export const receiptDedupeKey = (complaintId: string): string => `receipt#${complaintId}`;

/** The signature every Chinese SMS must open with: 【organisation】. */
export const smsSignature = (directory: UnitDirectory): string => `【${directory.organisation.name}】`;

/**
 * The receipt at intake (SPEC intake: "send the receipt (SMS where a phone is known)").
 * First contact is promised within the SPEC time limit: 24 h, 2 h for major/urgent (seed 002, 004).
 */
export function receiptSms(c: Pick<Complaint, 'trackingCode' | 'severity'>, directory: UnitDirectory): string {
  const within = isMajorOrUrgent(c.severity) ? '2小时' : '24小时';
  return `${smsSignature(directory)}您的投诉已受理，查询码 ${c.trackingCode}，我们将在${within}内与您联系。`;
}

/**
 * To the phone on file after a repeat submitted on the web form (where the phone is only typed in):
 * the case's tracking code reaches its owner, never the submitter's screen (decision 030).
 */
export function repeatNoticeSms(c: Pick<Complaint, 'trackingCode' | 'waybillNo'>, directory: UnitDirectory): string {
  const about = c.waybillNo ? `邮件 ${c.waybillNo} 的` : '';
  return `${smsSignature(directory)}已收到对您${about}投诉的再次反映，投诉正在处理中，查询码 ${c.trackingCode}。如非本人提交，请忽略本短信。`;
}

const PROGRESS: Record<Status, string> = {
  received: '已受理，正在安排责任单位处理',
  dispatched: '已转交责任单位处理，我们已督促其加快办理',
  contacted: '正在处理中，我们已督促责任单位加快办理',
  replied: '责任单位已给出处理意见，客服中心将尽快回访您',
  closed: '已办结',
  suspended: '已暂结',
  withdrawn: '已撤销',
};

/**
 * Seed 000 投诉跟进回复: chased repeatedly, or past the time limit without a clear result → tell the
 * complainant how things stand, 1–2 times, to keep the complaint from escalating.
 */
export function progressUpdateSms(c: Pick<Complaint, 'trackingCode' | 'status'>, directory: UnitDirectory): string {
  return `${smsSignature(directory)}您的投诉（查询码 ${c.trackingCode}）${PROGRESS[c.status]}。给您带来不便，敬请谅解，我们将尽快给您答复。`;
}
