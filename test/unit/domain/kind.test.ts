/**
 * 受理类型 (issue 9 item 11): complaint / inquiry / feedback recorded at intake on every channel, each
 * with its own SLA profile, and the same loop and chase rule for all three (seed 000 三来处理系统).
 */
import { describe, expect, it } from 'vitest';
import { listItemView } from '#domain/access.ts';
import { parseIvrWebhook, resolveIvrMenuPath } from '#domain/channels/ivr-inbound.ts';
import { detectKind } from '#domain/channels/sms-text.ts';
import { profileOf } from '#domain/kind.ts';
import { KIND_LABELS } from '#domain/model.ts';
import { publicView } from '#domain/public-view.ts';
import { IntakePublic, IntakeRequest } from '#domain/schemas.ts';
import { DEFAULT_POLICY } from '#domain/sla/policy.ts';
import { progressUpdateSms, receiptSms, smsLength } from '#app/complainant-sms.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { act, assignTianhe, deadline, newComplaint, replyAt, sh, slaContext, view } from '#test/support/sla.ts';

const { ctx } = slaContext();

describe('the kind at intake', () => {
  it('defaults to complaint when the form does not say', () => {
    // Prepare / Act
    const parsed = IntakePublic.parse(intakeBody());
    // Assess
    expect(parsed.kind).toBe('complaint');
  });

  it('accepts inquiry and feedback on the public form and the staff door, and names the field for anything else', () => {
    expect(IntakePublic.parse(intakeBody({ kind: 'inquiry' })).kind).toBe('inquiry');
    expect(IntakeRequest.parse(intakeBody({ kind: 'feedback' })).kind).toBe('feedback');
    const bad = IntakePublic.safeParse(intakeBody({ kind: 'praise' }));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['kind']);
  });

  it('is recorded on the complaint, its intake event, its list row and its public page label', () => {
    const c = newComplaint(ctx, '2026-03-02 10:00', { kind: 'inquiry' });
    expect(c.kind).toBe('inquiry');
    expect(c.history[0]?.data).toMatchObject({ kind: 'inquiry' });
    expect(listItemView(c).kind).toBe('inquiry');
    const page = publicView(c, sh('2026-03-02 10:05'));
    expect([page.kind, page.kindLabel]).toEqual(['inquiry', '查询']);
    expect(KIND_LABELS).toEqual({ complaint: '投诉', inquiry: '查询', feedback: '意见反映' });
  });

  it('reads a complaint stored before kinds existed as a complaint', () => {
    const { kind: _kind, ...old } = newComplaint(ctx, '2026-03-02 10:00');
    expect(listItemView(old).kind).toBe('complaint');
    expect(publicView(old, sh('2026-03-02 10:05')).kindLabel).toBe('投诉');
  });
});

describe('SMS keywords → kind', () => {
  const table: [string, 'complaint' | 'inquiry' | 'feedback'][] = [
    ['查询一下EA123456785CN到哪了', 'inquiry'],
    ['查件 EA123456785CN 什么时候能到', 'inquiry'],
    ['请问我寄往北京的邮件现在到哪里了', 'inquiry'],
    ['咨询一下寄到香港的资费怎么算', 'inquiry'],
    ['查詢一下我的包裹', 'inquiry'], // traditional 查詢
    ['Where is my parcel EA123456785CN?', 'inquiry'],
    ['建议你们周末也能投递上门', 'feedback'],
    ['提个意见：营业厅排队太久，希望多开一个窗口', 'feedback'],
    ['意见反映：网点营业时间太短', 'feedback'],
    ['Suggestion: please add more lockers', 'feedback'],
    ['我的快递丢了，查询了好几次都没结果', 'complaint'], // 丢了 names the problem
    ['邮件破损了，请查询一下怎么赔', 'complaint'],
    ['投诉：快递员态度恶劣', 'complaint'],
    ['我对你们的服务很有意见', 'complaint'], // 有意见 is a complaint, not a suggestion
    ['建议你们处理一下，不然我就打12345', 'complaint'], // a regulator threat
    ['EA123456785CN 十天了还没到', 'complaint'],
    ['', 'complaint'],
  ];
  it.each(table)('“%s” → %s', (text, kind) => {
    expect(detectKind(text)).toBe(kind);
  });
});

describe('IVR menu → kind', () => {
  it('maps the inquiry and feedback branches, and keeps every complaint branch a complaint', () => {
    expect(resolveIvrMenuPath(['5'])).toMatchObject({ matched: true, kind: 'inquiry', labels: ['邮件查询'] });
    expect(resolveIvrMenuPath(['6'])).toMatchObject({ matched: true, kind: 'feedback', labels: ['意见建议'] });
    expect(resolveIvrMenuPath(['1', '2'])).toMatchObject({ kind: 'complaint', category: 'delay' });
    expect(resolveIvrMenuPath(['0'])).toMatchObject({ kind: 'complaint', agentRequested: true });
    expect(resolveIvrMenuPath(['9'])).toMatchObject({ kind: 'complaint', matched: false });
  });

  it('puts the kind on the parsed call', () => {
    const parsed = parseIvrWebhook({ callId: 'c-1', callerNumber: '+8613800138000', menuPath: ['5'], startedAt: '2026-03-02T10:00:00+08:00' });
    expect(parsed.ok && parsed.value.kind).toBe('inquiry');
  });
});

describe('SLA defaults by kind', () => {
  it('picks the kind’s profile unless the centre chose one, and falls back to default for a policy without it', () => {
    expect(profileOf({ kind: 'inquiry' }, DEFAULT_POLICY)).toBe('inquiry');
    expect(profileOf({ kind: 'feedback' }, DEFAULT_POLICY)).toBe('feedback');
    expect(profileOf({ kind: 'complaint' }, DEFAULT_POLICY)).toBe('default');
    expect(profileOf({}, DEFAULT_POLICY)).toBe('default');
    expect(profileOf({ kind: 'inquiry', slaProfile: 'administrative_efficiency' }, DEFAULT_POLICY)).toBe('administrative_efficiency');
    expect(profileOf({ kind: 'inquiry' }, { ...DEFAULT_POLICY, profiles: { default: DEFAULT_POLICY.profiles.default } })).toBe('default');
  });

  it('answers an inquiry within 2 hours of dispatch and replies within 24 hours (seed 001), dispatch as for complaints', () => {
    const c = act(ctx, newComplaint(ctx, '2026-03-02 10:00', { kind: 'inquiry' }), assignTianhe, '2026-03-02 10:30');
    expect(view(deadline(c, 'dispatch')).state).toBe('met');
    expect(view(deadline(c, 'first_contact'))).toMatchObject({ state: 'pending', dueAt: '2026-03-02 12:30' });
    expect(view(deadline(c, 'reply'))).toMatchObject({ state: 'pending', dueAt: '2026-03-03 10:30' });
  });

  it('gives feedback the complaint limits for contact and reply, and a timed callback only once it is major or urgent', () => {
    const fb = act(ctx, newComplaint(ctx, '2026-03-02 10:00', { kind: 'feedback' }), assignTianhe, '2026-03-02 10:30');
    expect(view(deadline(fb, 'first_contact')).dueAt).toBe('2026-03-03 10:30');
    // gz-tianhe works every day (seed 000): 5 days after Monday end Saturday 18:30 (Civil Code, decision 044).
    expect(view(deadline(fb, 'reply')).dueAt).toBe('2026-03-07 18:30');
    const replied = act(ctx, fb, replyAt('2026-03-03 09:00'), '2026-03-03 09:00');
    expect(replied.status).toBe('replied');
    expect(replied.deadlines.some((d) => d.milestone === 'callback')).toBe(false);
  });

  it('makes an inquiry or feedback urgent at the second chase, like a complaint (seed 000)', () => {
    for (const kind of ['inquiry', 'feedback'] as const) {
      let c = act(ctx, newComplaint(ctx, '2026-03-02 10:00', { kind }), assignTianhe, '2026-03-02 10:30');
      c = act(ctx, c, { type: 'chase', via: 'phone' }, '2026-03-02 11:00');
      c = act(ctx, c, { type: 'chase', via: 'phone' }, '2026-03-02 11:10');
      expect([kind, c.severity]).toEqual([kind, 'urgent']);
    }
  });
});

describe('what the complainant is told, by kind', () => {
  it('names the kind in the receipt and progress SMS, in one part', () => {
    const inquiry = newComplaint(ctx, '2026-03-02 10:00', { kind: 'inquiry' });
    const feedback = newComplaint(ctx, '2026-03-02 10:00', { kind: 'feedback' });
    const complaint = newComplaint(ctx, '2026-03-02 10:00');
    expect(receiptSms(inquiry)).toMatch(/^【邮政客服】您的查询已受理，查询码T\d+，我们将于3月2日14:00前与您联系。$/);
    expect(receiptSms(feedback)).toMatch(/^【邮政客服】您的意见已受理/);
    expect(receiptSms(complaint)).toMatch(/^【邮政客服】您的投诉已受理/);
    expect(progressUpdateSms(inquiry)).toMatch(/^【邮政客服】您的查询（查询码/);
    for (const c of [inquiry, feedback, complaint]) {
      expect(smsLength(receiptSms(c))).toBeLessThanOrEqual(70);
      expect(smsLength(progressUpdateSms(c))).toBeLessThanOrEqual(70);
    }
  });
});
