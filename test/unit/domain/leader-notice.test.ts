/**
 * The major/urgent leaders' notice as seed 000 五3 says (decision 049): who is told, the one-purpose
 * confirm token, the 30-minute confirmation clock, re-notice on a move, media → quality at once.
 */
import { describe, expect, it } from 'vitest';
import { directory } from '#config/index.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import { decide } from '#domain/lifecycle.ts';
import {
  LEADERS_CONFIRM,
  NOTICE_LINK_TTL_MS,
  confirmationEvent,
  leaderNoticeSms,
  mediaNoticesFor,
  noticeIdOf,
  noticeRecipients,
  signNoticeToken,
  unitNoticesFor,
  verifyNoticeToken,
} from '#domain/leader-notice.ts';
import type { Complaint } from '#domain/model.ts';
import { markDuePoints } from '#domain/sla/mark.ts';
import { smsLength } from '#app/complainant-sms.ts';
import { actors } from '#test/support/fixtures.ts';
import { act, assignTianhe, deadline, local, newComplaint, sh, slaContext } from '#test/support/sla.ts';

const { planner, ctx } = slaContext();
const KEY = 'test-notice-key-0123456789abcdef';

const notice = (over: Partial<EscalationMessage> = {}): EscalationMessage => ({
  complaintId: 'C0000000000000001',
  milestone: 'major_notice',
  round: 0,
  level: 'leaders',
  severity: 'major',
  overdueMillis: 0,
  decidedAt: sh('2026-03-02 10:00').toISOString(),
  ...over,
});

/** What the escalation consumer appends once a notice went out (planner starts the confirm clock). */
function notified(c: Complaint, m: EscalationMessage, at: string): Complaint {
  const people = noticeRecipients(m, directory).map((r) => r.person.id);
  const next: Complaint = {
    ...c,
    version: c.version + 1,
    history: [
      ...c.history,
      {
        seq: c.history.length + 1,
        type: 'leaders_notified',
        at: sh(at).toISOString(),
        actor: { id: 'escalation', role: 'system' },
        data: { milestone: m.milestone, round: m.round, notice: noticeIdOf(m), people },
      },
    ],
  };
  return { ...next, ...planner.plan(c, next, sh(at)) };
}

function confirmed(c: Complaint, recipientId: string, noticeId: string, at: string): Complaint {
  const e = confirmationEvent(c, recipientId, noticeId, 'link', sh(at));
  if (!e) return c;
  const next: Complaint = { ...c, version: c.version + 1, history: [...c.history, { ...e, seq: c.history.length + 1 }] };
  return { ...next, ...planner.plan(c, next, sh(at)) };
}

describe('who is told', () => {
  it('tells only the operations director while the case is not dispatched (the unit is told on dispatch)', () => {
    const people = noticeRecipients(notice(), directory);
    expect(people.map((p) => [p.person.id, p.role])).toEqual([['dir-zhou', 'operations_director']]);
  });

  it('tells the dispatched unit’s leader and the operations director once the case is with a unit — not the suggested unit', () => {
    const people = noticeRecipients(notice({ unitId: 'gz-yuexiu' }), directory);
    expect(people.map((p) => [p.person.id, p.role])).toEqual([
      ['yx-leader', 'unit_leader'],
      ['dir-zhou', 'operations_director'],
    ]);
  });

  it('tells only the new unit’s leader when a major case moves (the director knows already)', () => {
    expect(noticeRecipients(notice({ milestone: 'unit_notice', round: 9, unitId: 'gz-hub' }), directory).map((p) => p.person.id)).toEqual(['hub-leader']);
  });

  it('gives every leader, director and quality manager a mobile for the SMS', () => {
    const staff = [...directory.organisation.operationsDirectors, ...directory.organisation.qualityManagers, ...directory.units.flatMap((u) => u.leaders)];
    for (const p of staff) expect(p.mobile, p.id).toMatch(/^\+861[3-9]\d{9}$/);
  });

  it('writes a staff SMS from 【邮政客服】 in one part (link aside) that names the case and asks for confirmation', () => {
    const c = newComplaint(ctx, '2026-03-02 10:00', { keyAccount: true });
    const text = leaderNoticeSms(c, '天河揽投部', 'https://ts.example.cn/notices/confirm?t=abc');
    expect(text.startsWith('【邮政客服】')).toBe(true);
    expect(text).toContain(c.id);
    expect(smsLength(text.replace(/https?:\S+$/, ''))).toBeLessThanOrEqual(70);
    expect(text).toMatch(/确认收到/);
    expect(text).not.toMatch(/张三|13800138000/);
  });
});

describe('the confirm token', () => {
  const claims = { complaintId: 'C0000000000000001', recipientId: 'th-leader', noticeId: 'major_notice.r0' };
  const now = sh('2026-03-02 10:00');

  it('accepts its own token and reads back who confirms what', () => {
    const t = signNoticeToken(claims, KEY, now);
    expect(verifyNoticeToken(t, [KEY], sh('2026-03-02 10:05'))).toEqual({
      ok: true,
      claims: { ...claims, expiresAt: new Date(now.getTime() + NOTICE_LINK_TTL_MS).toISOString() },
    });
  });

  it('accepts a token signed with the previous key during a rotation', () => {
    const t = signNoticeToken(claims, 'old-notice-key-0123456789abcdef', now);
    expect(verifyNoticeToken(t, [KEY, 'old-notice-key-0123456789abcdef'], now).ok).toBe(true);
  });

  it('refuses a forged token: another recipient under the same signature, another key, garbage', () => {
    const t = signNoticeToken(claims, KEY, now);
    const [payload, sig] = t.split('.');
    const other = Buffer.from(Buffer.from(payload!, 'base64url').toString('utf8').replace('th-leader', 'yx-leader')).toString('base64url');
    expect(verifyNoticeToken(`${other}.${sig}`, [KEY], now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyNoticeToken(signNoticeToken(claims, 'attacker-key-0123456789abcdefgh', now), [KEY], now)).toEqual({ ok: false, reason: 'mismatch' });
    for (const junk of ['', 'abc', 'a.b.c', '..', `${payload}.`, '%%%.***']) expect(verifyNoticeToken(junk, [KEY], now).ok, junk).toBe(false);
  });

  it('refuses an expired token', () => {
    const t = signNoticeToken(claims, KEY, now);
    expect(verifyNoticeToken(t, [KEY], new Date(now.getTime() + NOTICE_LINK_TTL_MS + 1))).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('the confirmation clock (要确认已收到)', () => {
  const major = () => newComplaint(ctx, '2026-03-02 10:00', { keyAccount: true });

  it('starts a 30-minute confirm clock awaiting every person told when the notice is recorded, with no 80 % warning', () => {
    const c = notified(act(ctx, major(), assignTianhe, '2026-03-02 10:01'), notice({ unitId: 'gz-tianhe' }), '2026-03-02 10:02');
    const d = c.deadlines.find((x) => x.milestone === LEADERS_CONFIRM);
    expect(d).toMatchObject({
      state: 'pending',
      notice: { id: 'major_notice.r0', recipients: ['th-leader', 'dir-zhou'], awaiting: ['th-leader', 'dir-zhou'] },
    });
    expect(local(d?.dueAt)).toBe('2026-03-02 10:32');
    expect(
      planner
        .points(c)
        .filter((p) => p.milestone === LEADERS_CONFIRM)
        .map((p) => p.point),
    ).toEqual(['due']);
  });

  it('is met only when every person told has confirmed; a second confirmation by the same person records nothing', () => {
    let c = notified(act(ctx, major(), assignTianhe, '2026-03-02 10:01'), notice({ unitId: 'gz-tianhe' }), '2026-03-02 10:02');
    const round = deadline(c, LEADERS_CONFIRM).round;
    c = confirmed(c, 'th-leader', 'major_notice.r0', '2026-03-02 10:10');
    expect(deadline(c, LEADERS_CONFIRM, round)).toMatchObject({ state: 'pending', notice: { awaiting: ['dir-zhou'] } });
    expect(confirmationEvent(c, 'TH-LEADER', 'major_notice.r0', 'link', sh('2026-03-02 10:11'))).toBeUndefined();
    c = confirmed(c, 'dir-zhou', 'major_notice.r0', '2026-03-02 10:20');
    expect(deadline(c, LEADERS_CONFIRM, round)).toMatchObject({ state: 'met', notice: { awaiting: [] } });
  });

  it('refuses a confirmation by someone the notice did not go to', () => {
    const c = notified(act(ctx, major(), assignTianhe, '2026-03-02 10:01'), notice({ unitId: 'gz-tianhe' }), '2026-03-02 10:02');
    expect(() => confirmationEvent(c, 'yx-leader', 'major_notice.r0', 'link', sh('2026-03-02 10:05'))).toThrow(/not sent to/);
    expect(() => confirmationEvent(c, 'th-leader', 'unit_notice.r99', 'link', sh('2026-03-02 10:05'))).toThrow(/No notice/);
  });

  it('tells the quality manager (not the leaders) when the notice is unconfirmed at 30 minutes, once, naming who did not confirm', () => {
    let c = notified(act(ctx, major(), assignTianhe, '2026-03-02 10:01'), notice({ unitId: 'gz-tianhe' }), '2026-03-02 10:02');
    c = confirmed(c, 'dir-zhou', 'major_notice.r0', '2026-03-02 10:05');
    expect(markDuePoints(c, sh('2026-03-02 10:31'), planner, (p) => p.milestone === LEADERS_CONFIRM)).toBeUndefined();
    const result = markDuePoints(c, sh('2026-03-02 10:32'), planner, (p) => p.milestone === LEADERS_CONFIRM);
    expect(result?.messages).toEqual([expect.objectContaining({ milestone: LEADERS_CONFIRM, level: 'quality' })]);
    expect(result?.messages[0]?.reason).toContain('th-leader');
    expect(result?.messages[0]?.reason).not.toContain('dir-zhou');
    const after = result!.transition.complaint;
    // No second quality e-mail a working day later: the breach itself went to quality.
    expect(planner.points(after).filter((p) => p.milestone === LEADERS_CONFIRM)).toEqual([]);
  });
});

describe('re-notice when the case moves', () => {
  it('notifies the new unit’s leaders when a major case is moved to another unit, with its own notice id', () => {
    const before = act(ctx, newComplaint(ctx, '2026-03-02 10:00', { keyAccount: true }), assignTianhe, '2026-03-02 10:05');
    const t = decide(
      before,
      { type: 'assign', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', reason: '责任单位为越秀' },
      actors.agent,
      sh('2026-03-02 10:20'),
      ctx,
    );
    const messages = unitNoticesFor(before, t, sh('2026-03-02 10:20'));
    expect(messages).toEqual([expect.objectContaining({ milestone: 'unit_notice', level: 'leaders', unitId: 'gz-yuexiu', round: t.events[0]!.seq })]);
  });

  it('notifies the unit’s leaders at the first dispatch of a case that was already major', () => {
    const before = newComplaint(ctx, '2026-03-02 10:00', { keyAccount: true });
    const t = decide(before, { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, actors.agent, sh('2026-03-02 10:05'), ctx);
    expect(unitNoticesFor(before, t, sh('2026-03-02 10:05')).map((m) => m.unitId)).toEqual(['gz-tianhe']);
  });

  it('sends no unit notice for a general case, nor for a new handler in the same unit', () => {
    const general = newComplaint(ctx, '2026-03-02 10:00');
    expect(
      unitNoticesFor(
        general,
        decide(general, { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, actors.agent, sh('2026-03-02 10:05'), ctx),
        sh('2026-03-02 10:05'),
      ),
    ).toEqual([]);
    const major = act(ctx, newComplaint(ctx, '2026-03-02 10:00', { keyAccount: true }), assignTianhe, '2026-03-02 10:05');
    const same = decide(major, { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-2', reason: '换人' }, actors.agent, sh('2026-03-02 10:06'), ctx);
    expect(unitNoticesFor(major, same, sh('2026-03-02 10:06'))).toEqual([]);
  });
});

describe('every raise to major/urgent starts the leaders’ notice', () => {
  const dispatched = () => act(ctx, newComplaint(ctx, '2026-03-02 10:00'), assignTianhe, '2026-03-02 10:05');
  const leadersDueNow = (c: Complaint) =>
    planner
      .points(c)
      .filter((p) => p.milestone === 'leaders_notified' && p.point === 'leaders')
      .map((p) => local(p.at));

  it.each([
    ['the centre’s severity command', { type: 'severity', severity: 'major', reason: '重要客户，要求领导督办' }],
    ['投诉升级 in a chase (a regulator threat)', { type: 'chase', via: 'phone', note: '客户说已经打了12315投诉' }],
  ] as const)('%s', (_name, command) => {
    const c = act(ctx, dispatched(), command, '2026-03-02 11:00');
    expect(leadersDueNow(c)).toEqual(['2026-03-02 11:00']);
  });

  it('the second chase (二次催促) of a general complaint', () => {
    let c = act(ctx, dispatched(), { type: 'chase', via: 'phone' }, '2026-03-02 11:00');
    expect(leadersDueNow(c)).toEqual([]);
    c = act(ctx, c, { type: 'chase', via: 'phone' }, '2026-03-02 12:00');
    expect(c.severity).toBe('urgent');
    expect(leadersDueNow(c)).toEqual(['2026-03-02 12:00']);
  });
});

describe('media involvement → quality at once', () => {
  it('tells the quality manager of a complaint that threatens the media at intake', () => {
    const c = newComplaint(ctx, '2026-03-02 10:00', { content: '再不处理我就找记者曝光，发到网上！' });
    expect(mediaNoticesFor(undefined, { complaint: c, events: c.history }, sh('2026-03-02 10:00'))).toEqual([
      expect.objectContaining({ milestone: 'media_notice', round: 0, level: 'quality', reason: expect.stringMatching(/记者|曝光/) }),
    ]);
  });

  it('tells the quality manager when a chase brings the media in later', () => {
    const c = act(ctx, newComplaint(ctx, '2026-03-02 10:00'), assignTianhe, '2026-03-02 10:05');
    const t = decide(c, { type: 'chase', via: 'phone', note: '客户说要找电视台曝光' }, actors.agent, sh('2026-03-02 11:00'), ctx);
    expect(mediaNoticesFor(c, t, sh('2026-03-02 11:00')).map((m) => m.milestone)).toEqual(['media_notice']);
  });

  it('says nothing of a complaint without media cues, nor of a regulator threat alone', () => {
    const c = newComplaint(ctx, '2026-03-02 10:00', { content: '再不处理我就打12315投诉' });
    expect(mediaNoticesFor(undefined, { complaint: c, events: c.history }, sh('2026-03-02 10:00'))).toEqual([]);
  });
});
