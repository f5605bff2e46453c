/**
 * The major/urgent leaders' notice as seed 000_a1eb924360c3e548.txt 五3 says, as pure functions
 * (decision 049):
 * - 五3(1) “下单后30分钟内电话或短信通知处理单位的分管领导和业务运行总监(要确认已收到)”: who is told
 *   ({@link noticeRecipients}), by e-mail and SMS, each with a one-purpose confirm link
 *   ({@link signNoticeToken}); the `leaders_confirm` clock (30 min) awaits every person told and goes
 *   to the quality manager when it runs out ({@link QUALITY_AT_DUE});
 * - a major case moved to another unit: the new unit's leaders are told ({@link unitNoticesFor});
 * - 五3(3) media involvement → the quality manager at once, once per case ({@link mediaNoticesFor}).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from './zod.ts';
import { findUnit, type Person, type UnitDirectory } from './directory.ts';
import { Forbidden, NotFound } from './errors.ts';
import type { EscalationMessage } from './escalation.ts';
import { sameStaff } from './ids.ts';
import type { Transition } from './lifecycle.ts';
import { isMajorOrUrgent, type Actor, type Complaint, type ComplaintEvent, type Deadline } from './model.ts';
import { findSeverityCues } from './severity.ts';

/** The milestone of the confirmation clock: one per notice, its round the `leaders_notified` event's seq. */
export const LEADERS_CONFIRM = 'leaders_confirm';

/** Milestones whose breach goes straight to the quality manager (and only there, once). */
export const QUALITY_AT_DUE: ReadonlySet<string> = new Set([LEADERS_CONFIRM]);

/** The notice kind sent when a major case reaches a (new) unit: that unit's leaders only. */
export const UNIT_NOTICE = 'unit_notice';

/** The quality manager's notice of media involvement (seed 000 五3(3)), once per case. */
export const MEDIA_NOTICE = 'media_notice';

/**
 * How long a confirm link works. Long enough for a leader who reads the SMS the next morning to
 * confirm late (the lateness stays on record: the clock shows `breached` + `metAt`); short enough
 * that an old e-mail is no standing key.
 */
export const NOTICE_LINK_TTL_MS = 72 * 3_600_000;

/** The id of one notice inside its complaint: the message's once-only identity (`major_notice.r0`, `unit_notice.r7`). */
export const noticeIdOf = (m: Pick<EscalationMessage, 'milestone' | 'round'>): string => `${m.milestone}.r${m.round}`;

export type NoticeRole = 'unit_leader' | 'operations_director';

export interface NoticeRecipient {
  person: Person;
  role: NoticeRole;
  unitId?: string;
}

/**
 * Who a leaders' notice goes to. The unit is the one the case was with when the notice was decided
 * (`m.unitId`), never the routing suggestion: before dispatch only the operations directors are told,
 * and the unit's leaders when it is dispatched (a major case is dispatched within 30 minutes anyway,
 * SPEC SLA table). A {@link UNIT_NOTICE} goes to the unit's leaders only: the directors know already.
 */
export function noticeRecipients(m: Pick<EscalationMessage, 'milestone' | 'unitId'>, directory: UnitDirectory): NoticeRecipient[] {
  const unit = findUnit(directory, m.unitId);
  const leaders: NoticeRecipient[] = (unit?.leaders ?? []).map((person) => ({ person, role: 'unit_leader', unitId: unit?.id as string }));
  const directors: NoticeRecipient[] =
    m.milestone === UNIT_NOTICE ? [] : directory.organisation.operationsDirectors.map((person) => ({ person, role: 'operations_director' }));
  const seen = new Set<string>();
  return [...leaders, ...directors].filter((r) => {
    const key = r.person.id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The staff SMS of a notice: sender first, no complainant data, the link last (it cannot fit one part by itself). */
export function leaderNoticeSms(c: Pick<Complaint, 'id' | 'severity'>, unitName: string | undefined, confirmUrl: string): string {
  const severity = c.severity === 'urgent' ? '紧急' : '重大';
  return `【邮政客服】${severity}投诉${c.id}${unitName ? `（${unitName}）` : ''}请即督办，点链接确认收到：${confirmUrl}`;
}

/** What a confirm token vouches for. */
export interface NoticeClaims {
  complaintId: string;
  recipientId: string;
  noticeId: string;
}

const TokenPayload = z.strictObject({
  c: z.string().check(z.minLength(1)).check(z.maxLength(40)),
  r: z.string().check(z.minLength(1)).check(z.maxLength(80)),
  n: z.string().check(z.minLength(1)).check(z.maxLength(80)),
  e: z.number().check(z.int()).check(z.positive()),
});

/** Domain separation: this key signs confirm links and nothing else. */
const PURPOSE = 'notice-confirm/v1';

/** HMAC-SHA256 truncated to 128 bits (RFC 2104 §5 allows ≥ half the output): the link is in an SMS. */
const mac = (key: string, payload: string): Buffer => createHmac('sha256', key).update(`${PURPOSE}\n${payload}`).digest().subarray(0, 16);

/**
 * A confirm token: base64url(JSON claims + expiry) `.` base64url(HMAC-SHA256/128). One purpose (the
 * HMAC covers a purpose tag), one complaint, one recipient, one notice, an expiry.
 */
export function signNoticeToken(claims: NoticeClaims, key: string, now: Date, ttlMillis = NOTICE_LINK_TTL_MS): string {
  const payload = Buffer.from(
    JSON.stringify({ c: claims.complaintId, r: claims.recipientId, n: claims.noticeId, e: Math.floor((now.getTime() + ttlMillis) / 1000) }),
  ).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

export type TokenVerdict = { ok: true; claims: NoticeClaims & { expiresAt: string } } | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' };

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Checks a confirm token against every accepted key (newest first), in constant time per key. */
export function verifyNoticeToken(token: string, keys: readonly string[], now: Date): TokenVerdict {
  if (keys.length === 0 || keys.some((k) => k.length === 0)) throw new Error('verifyNoticeToken: no notice key configured');
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0 || !B64URL.test(payload) || !B64URL.test(signature)) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  let matched = false;
  for (const key of keys) {
    const expected = mac(key, payload);
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'mismatch' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = TokenPayload.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.e * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: { complaintId: parsed.data.c, recipientId: parsed.data.r, noticeId: parsed.data.n, expiresAt: new Date(parsed.data.e * 1000).toISOString() },
  };
}

/** The notice a `leaders_notified` event recorded (absent on events written before decision 049). */
export function noticeOfEvent(e: ComplaintEvent): { id: string; recipients: string[] } | undefined {
  const id = e.data?.['notice'];
  const people = e.data?.['people'];
  if (typeof id !== 'string' || !Array.isArray(people)) return undefined;
  const recipients = people.filter((p): p is string => typeof p === 'string');
  return recipients.length > 0 ? { id, recipients } : undefined;
}

/** The confirm clock's notice record on its deadline: everyone told, and who has not confirmed yet. */
export const withNotice = (ds: Deadline[], round: number, notice: { id: string; recipients: string[] }): Deadline[] =>
  ds.map((d) =>
    d.milestone === LEADERS_CONFIRM && d.round === round && !d.notice
      ? { ...d, notice: { id: notice.id, recipients: notice.recipients, awaiting: notice.recipients } }
      : d,
  );

/**
 * Applies a `notice_confirmed` event to the deadlines: the person leaves `awaiting`. Returns the
 * round of a notice that nobody awaits any more (to be met), if this confirmation completed it.
 */
export function applyConfirmation(ds: Deadline[], e: ComplaintEvent): { deadlines: Deadline[]; completed?: number } {
  const noticeId = e.data?.['notice'];
  const recipientId = e.data?.['recipientId'];
  if (typeof noticeId !== 'string' || typeof recipientId !== 'string') return { deadlines: ds };
  let completed: number | undefined;
  const deadlines = ds.map((d) => {
    if (d.milestone !== LEADERS_CONFIRM || d.notice?.id !== noticeId) return d;
    const awaiting = d.notice.awaiting.filter((p) => !sameStaff(p, recipientId));
    if (awaiting.length === 0 && d.notice.awaiting.length > 0) completed = d.round;
    return { ...d, notice: { ...d.notice, awaiting } };
  });
  return { deadlines, ...(completed !== undefined && { completed }) };
}

/** The confirm clock of a notice. */
export const noticeDeadline = (c: Pick<Complaint, 'deadlines'>, noticeId: string): Deadline | undefined =>
  c.deadlines.find((d) => d.milestone === LEADERS_CONFIRM && d.notice?.id === noticeId);

/** The notices of the complaint that still await this person's confirmation, oldest first. */
export const noticesAwaiting = (c: Pick<Complaint, 'deadlines'>, personId: string): Deadline[] =>
  c.deadlines.filter((d) => d.milestone === LEADERS_CONFIRM && d.notice?.awaiting.some((p) => sameStaff(p, personId)));

/** Whether this person was told by any notice of the complaint. */
export const wasNotified = (c: Pick<Complaint, 'deadlines'>, personId: string): boolean =>
  c.deadlines.some((d) => d.milestone === LEADERS_CONFIRM && d.notice?.recipients.some((p) => sameStaff(p, personId)));

export type ConfirmVia = 'link' | 'console';

/** The actor of a confirmation by link: nobody is signed in; the token names who (`data.recipientId`). */
export const LINK_ACTOR: Actor = { id: 'notice-link', role: 'system' };

/**
 * The `notice_confirmed` event for one person and one notice — undefined when they confirmed it
 * already (confirming twice records once). Its key makes a concurrent double-submit collide in the
 * store too. Throws NotFound for an unknown notice, Forbidden for someone it did not go to.
 */
export function confirmationEvent(
  c: Complaint,
  recipientId: string,
  noticeId: string,
  via: ConfirmVia,
  now: Date,
  actor: Actor = LINK_ACTOR,
): Omit<ComplaintEvent, 'seq'> | undefined {
  const d = noticeDeadline(c, noticeId);
  if (!d?.notice) throw new NotFound(`No notice ${noticeId} on complaint ${c.id}`, { noticeId });
  const person = d.notice.recipients.find((p) => sameStaff(p, recipientId));
  if (!person) throw new Forbidden(`Notice ${noticeId} was not sent to ${recipientId}`, { noticeId });
  if (!d.notice.awaiting.some((p) => sameStaff(p, person))) return undefined;
  const at = now.toISOString();
  return {
    type: 'notice_confirmed',
    at,
    actor: { id: actor.id, role: actor.role, ...(actor.unitId !== undefined && { unitId: actor.unitId }) },
    key: `notice:${noticeId}:${person.toLowerCase()}`,
    data: { notice: noticeId, recipientId: person, via, round: d.round, late: now.getTime() > Date.parse(d.dueAt) },
  };
}

const base = (c: Complaint, now: Date) => ({
  complaintId: c.id,
  severity: c.severity,
  overdueMillis: 0,
  decidedAt: now.toISOString(),
});

/**
 * The unit notices a transition calls for: a case that was major/urgent before it and reached a unit
 * it was not with (first dispatch, or a move). A case raised in the same transition (the cluster rule
 * rides on the assignment) is told by the leaders notice of the raise, which already names the unit.
 */
export function unitNoticesFor(before: Complaint | undefined, { complaint, events }: Transition, now: Date): EscalationMessage[] {
  if (!before || !isMajorOrUrgent(before.severity)) return [];
  return events
    .filter((e) => e.type === 'dispatched' && typeof e.data?.['unitId'] === 'string' && e.data['unitId'] !== before.unitId)
    .map((e) => ({
      ...base(complaint, now),
      milestone: UNIT_NOTICE,
      // The dispatch event's seq: every move is its own notice, a retried command none more.
      round: e.seq,
      level: 'leaders' as const,
      unitId: String(e.data?.['unitId']),
      reason: `${complaint.severity === 'urgent' ? '紧急' : '重大'}投诉转至${String(e.data?.['unitName'] ?? e.data?.['unitId'])}，须在30分钟内通知该单位分管领导`,
    }));
}

/** The media keywords of a reason line such as `media: 扬言曝光/媒体介入（记者、曝光）`. */
function mediaKeywordsOf(text: string): string[] {
  return findSeverityCues(text)
    .filter((c) => c.kind === 'media')
    .map((c) => c.keyword);
}

/**
 * Seed 000 五3(3): media involvement goes to the quality manager at once. Found in what this transition
 * recorded — the intake classification, a 投诉升级 (chase, repeat, transfer), a severity change's
 * reason. Round 0: the ledger sends it once per case, however often the media come up.
 */
export function mediaNoticesFor(_before: Complaint | undefined, { complaint, events }: Transition, now: Date): EscalationMessage[] {
  const cues = new Set<string>();
  for (const e of events) {
    const d = e.data ?? {};
    if (e.type === 'classified' && Array.isArray(d['reasons'])) {
      for (const r of d['reasons']) if (typeof r === 'string' && r.startsWith('media:')) for (const k of mediaKeywordsOf(r.slice(r.indexOf('（')))) cues.add(k);
    }
    if (e.type === 'complaint_escalated' && Array.isArray(d['cues'])) {
      for (const k of d['cues']) if (typeof k === 'string' && mediaKeywordsOf(k).length > 0) cues.add(k);
    }
    if (e.type === 'severity_changed' && typeof d['reason'] === 'string' && e.actor.role !== 'system')
      for (const k of mediaKeywordsOf(d['reason'])) cues.add(k);
  }
  if (cues.size === 0) return [];
  return [
    {
      ...base(complaint, now),
      milestone: MEDIA_NOTICE,
      round: 0,
      level: 'quality',
      ...(complaint.unitId !== undefined && { unitId: complaint.unitId }),
      reason: `媒体介入：${[...cues].join('、')}`,
    },
  ];
}
