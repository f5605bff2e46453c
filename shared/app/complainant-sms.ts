/**
 * SMS texts to the complainant (知情权), as pure functions. No staff identities (seed 001 art. 15),
 * no internal notes; the tracking code is the complainant's own and lets them follow progress.
 *
 * Every text opens with the one sender name and fits one SMS part (70 characters) unless it cannot:
 * where optional detail (a waybill number, the result's summary) would make it longer, the shorter
 * wording is sent (`fitOne`). Decision 046.
 */
import { maskFreeText } from '#domain/masking.ts';
import { profileOf } from '#domain/kind.ts';
import { isMajorOrUrgent, kindOf, type Complaint, type Kind, type Status, type SuspensionReason } from '#domain/model.ts';
import { NEXT_CONTACT } from '#domain/sla/next-contact.ts';
import { DEFAULT_POLICY, ruleFor } from '#domain/sla/policy.ts';
import { shanghaiMonthDay } from '#domain/shanghai-time.ts';

/** Mainland mobiles only: landlines and foreign numbers get no SMS (one definition, the channel normaliser's). */
export { isMobile } from '#domain/channels/normalize.ts';

/**
 * The one sender name (短信签名) every SMS opens with, complainant texts and channel replies alike. It is
 * the signature registered with the SMS provider, so it is a constant rather than the directory's
 * organisation name (which is longer and would cost a second part).
 */
export const SMS_SIGNATURE = '【邮政客服】';

/** One part of a UCS-2 (Chinese) SMS. Longer texts are split and billed per part. */
export const SMS_PART_CHARS = 70;

/** Characters as the SMS counts them (code points; no text here has astral characters). */
export const smsLength = (text: string): number => Array.from(text).length;

/** The first candidate that fits one part, else the last (the shortest wording there is). */
export function fitOne(...candidates: string[]): string {
  return candidates.find((t) => smsLength(t) <= SMS_PART_CHARS) ?? (candidates.at(-1) as string);
}

/** The SMS port's idempotency key of the intake receipt, whichever path sends it. */
export const receiptDedupeKey = (complaintId: string): string => `receipt#${complaintId}`;

const HOUR = 3_600_000;

/** How a text names the case to the complainant, by 受理类型 (“您的查询已受理”): same length for every kind. */
export const KIND_NOUNS: Record<Kind, string> = { complaint: '投诉', inquiry: '查询', feedback: '意见' };
const noun = (c: { kind?: Kind | undefined }): string => KIND_NOUNS[kindOf(c)];

/**
 * When first contact is due, as planned: the first-contact clock starts at dispatch (SPEC SLA table),
 * so before dispatch it is the dispatch deadline plus the first-contact limit (24 h, 2 h for
 * major/urgent: seeds 002, 004). Undefined when neither deadline is planned, or when the limit is in
 * working time (an organisation's override), which needs the unit's calendar.
 */
export function firstContactBy(c: Pick<Complaint, 'deadlines' | 'severity' | 'round' | 'kind' | 'slaProfile' | 'firstContactEstimate'>): Date | undefined {
  const planned = c.deadlines.find((d) => d.milestone === 'first_contact' && d.round === Math.max(1, c.round));
  if (planned) return new Date(planned.dueAt);
  // Before dispatch, the planner's estimate on the suggested unit's calendar (decision 046).
  if (c.firstContactEstimate !== undefined) return new Date(c.firstContactEstimate);
  const dispatch = c.deadlines.find((d) => d.milestone === 'dispatch');
  // The kind's own limit (an inquiry: 2 h, decision 050).
  const rule = ruleFor(DEFAULT_POLICY, 'first_contact', profileOf(c, DEFAULT_POLICY));
  const limit = isMajorOrUrgent(c.severity) ? (rule?.majorUrgent ?? rule?.general) : rule?.general;
  if (!dispatch || !limit) return undefined;
  const hours =
    limit.unit === 'minutes'
      ? limit.amount / 60
      : limit.unit === 'calendar_hours'
        ? limit.amount
        : limit.unit === 'calendar_days'
          ? limit.amount * 24
          : undefined;
  return hours === undefined ? undefined : new Date(Date.parse(dispatch.dueAt) + hours * HOUR);
}

/** `于12月2日10:30前` from the planned deadlines, else the SPEC limit in words (`在24小时内`). */
export function firstContactPromise(c: Pick<Complaint, 'deadlines' | 'severity' | 'round' | 'kind' | 'slaProfile' | 'firstContactEstimate'>): string {
  const by = firstContactBy(c);
  if (by) return `于${shanghaiMonthDay(by)}前`;
  return `在${isMajorOrUrgent(c.severity) ? '2小时' : '24小时'}内`;
}

/** The receipt at intake (SPEC intake: "send the receipt (SMS where a phone is known)"), with the planned first contact. */
export function receiptSms(c: Pick<Complaint, 'trackingCode' | 'severity' | 'deadlines' | 'round' | 'kind' | 'slaProfile' | 'firstContactEstimate'>): string {
  return `${SMS_SIGNATURE}您的${noun(c)}已受理，查询码${c.trackingCode}，我们将${firstContactPromise(c)}与您联系。`;
}

/**
 * To the phone on file after a repeat submitted on the web form (where the phone is only typed in):
 * the case's tracking code reaches its owner, never the submitter's screen (decision 030).
 */
export function repeatNoticeSms(c: Pick<Complaint, 'trackingCode' | 'waybillNo'>): string {
  const tail = `已收到再次反映，正在处理中，查询码${c.trackingCode}。非本人提交请忽略。`;
  return fitOne(...(c.waybillNo ? [`${SMS_SIGNATURE}您对邮件${c.waybillNo}的投诉${tail}`] : []), `${SMS_SIGNATURE}您的投诉${tail}`);
}

const PROGRESS: Record<Status, string> = {
  received: '正在安排责任单位处理',
  dispatched: '已转责任单位，我们已督促其加快办理',
  contacted: '正在处理，我们已督促责任单位加快办理',
  replied: '已有处理意见，客服中心将尽快回访您',
  closed: '已办结',
  suspended: '已暂结',
  withdrawn: '已撤销',
  // Waiting for the centre's ruling on a unit's return: the complainant hears "in progress", never 退回 (decision 047).
  returned: '正在处理，我们已督促加快办理',
};

/**
 * Seed 000 投诉跟进回复: chased repeatedly, or past the time limit without a clear result → tell the
 * complainant how things stand, 1–2 times, to keep the complaint from escalating.
 */
export function progressUpdateSms(c: Pick<Complaint, 'trackingCode' | 'status' | 'kind'> & Partial<Pick<Complaint, 'deadlines'>>): string {
  // The promised next contact slipped (decision 050): say that, not “waiting for the callback”.
  const promiseBroken =
    c.status === 'replied' && (c.deadlines ?? []).some((d) => d.milestone === NEXT_CONTACT && d.state === 'breached' && d.metAt === undefined);
  const progress = promiseBroken ? '处理单位未按约定时间联系您，我们已督促其尽快联系' : PROGRESS[c.status];
  return `${SMS_SIGNATURE}您的${noun(c)}（查询码${c.trackingCode}）${progress}。给您带来不便，敬请谅解。`;
}

/** The reasons of 暂结 as the complainant is told them (seed 004: 暂结原因告知顾客). */
export const SUSPENSION_REASONS_TOLD: Record<SuspensionReason, string> = {
  solution_refused: '您未接受我们提出的解决方案',
  litigation: '已转入司法程序',
  customer_schedule: '需按您的时间安排再处理',
};

/** Seed 004 暂结: the complainant is told the progress and the reason; a new development reopens it. */
export function suspensionSms(c: Pick<Complaint, 'trackingCode' | 'suspension' | 'kind'>): string {
  const reason = c.suspension ? SUSPENSION_REASONS_TOLD[c.suspension.reason] : undefined;
  return `${SMS_SIGNATURE}您的${noun(c)}（查询码${c.trackingCode}）已暂结${reason ? `，原因：${reason}` : ''}。如有新情况请来电，我们将重新处理。`;
}

/**
 * The result on closure (知情权). The reply's summary, masked as on the tracking page, goes in when it
 * fits one part; otherwise the complainant is pointed at the tracking page, which shows it in full.
 */
export function resultSms(c: Pick<Complaint, 'trackingCode' | 'reply' | 'complainant' | 'kind'>): string {
  const head = `${SMS_SIGNATURE}您的${noun(c)}（查询码${c.trackingCode}）已办结`;
  const summary = c.reply ? maskFreeText(c.reply.result.summary, c.complainant).replace(/\s+/g, ' ').trim() : '';
  const state = c.reply ? (c.reply.result.resolved ? '，问题已解决' : '') : '';
  return fitOne(...(summary ? [`${head}：${summary}`] : []), `${head}${state}。处理结果可凭查询码在网上查看。`, `${head}${state}。`);
}
