import { describe, expect, it } from 'vitest';
import { EscalationMessage, escalationDedupeKey } from '#domain/escalation.ts';
import type { Complaint } from '#domain/model.ts';
import { markDeadline, markDuePoints } from '#domain/sla/mark.ts';
import { durationZh } from '#domain/shanghai-time.ts';
import { act, assignTianhe, deadline, local, newComplaint, sh, signFor, slaContext } from '#test/support/sla.ts';

const { planner, ctx } = slaContext();

/** Dispatched Monday 2026-03-02 09:30 to a unit that works every day: first contact due 03-03 09:30 (warn 04:42, held to 08:30). */
/** Dispatched and signed for (签收) at once: these tests are about the other clocks. */
const dispatched = (): Complaint => act(ctx, act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30'), signFor, '2026-03-02 09:30');
const apply = (c: Complaint, r: ReturnType<typeof markDeadline>) => r?.transition.complaint ?? c;

describe('markDeadline', () => {
  it('marks the warning once: warnedAt, a deadline_warned event by the SLA check, one warning message', () => {
    const c = dispatched();
    const r = markDeadline(c, 'first_contact', 1, 'warn', sh('2026-03-03 08:30'), planner);
    expect(r).toBeDefined();
    const after = apply(c, r);
    expect(deadline(after, 'first_contact', 1)).toMatchObject({ state: 'pending', warnedAt: sh('2026-03-03 08:30').toISOString() });
    expect(r?.transition.events).toEqual([
      expect.objectContaining({
        seq: c.history.length + 1,
        type: 'deadline_warned',
        actor: { id: 'sla-check', role: 'system' },
        data: expect.objectContaining({ milestone: 'first_contact', round: 1, level: 'warning' }),
      }),
    ]);
    expect(r?.messages).toEqual([
      expect.objectContaining({
        complaintId: c.id,
        milestone: 'first_contact',
        round: 1,
        level: 'warning',
        severity: 'general',
        unitId: 'gz-tianhe',
        overdueMillis: 0,
      }),
    ]);
    expect(after.version).toBe(c.version + 1);
    expect(markDeadline(after, 'first_contact', 1, 'warn', sh('2026-03-03 08:31'), planner)).toBeUndefined();
  });

  it('marks the breach at the deadline: state breached, breachedAt, overdue time, a Chinese reason; never twice', () => {
    const c = dispatched();
    const r = markDeadline(c, 'first_contact', 1, 'due', sh('2026-03-03 11:45'), planner);
    const after = apply(c, r);
    expect(deadline(after, 'first_contact', 1)).toMatchObject({ state: 'breached', breachedAt: sh('2026-03-03 11:45').toISOString() });
    expect(r?.transition.events.map((e) => e.type)).toEqual(['deadline_breached']);
    const [m] = r?.messages ?? [];
    expect(m).toMatchObject({ level: 'breach', overdueMillis: 2.25 * 3_600_000, dueAt: sh('2026-03-03 09:30').toISOString() });
    expect(m?.reason).toBe('“首次联系您”已超时 2小时15分钟，截止 2026-03-03 09:30');
    expect(EscalationMessage.parse(m)).toEqual(m);
    expect(markDeadline(after, 'first_contact', 1, 'due', sh('2026-03-03 12:00'), planner)).toBeUndefined();
  });

  it('does nothing for a point that is not due yet (a stale or early timer)', () => {
    expect(markDeadline(dispatched(), 'first_contact', 1, 'due', sh('2026-03-03 09:29'), planner)).toBeUndefined();
  });

  it('does nothing when the milestone was met before the timer fired', () => {
    const c = act(ctx, dispatched(), { type: 'contact', method: 'phone', note: '已电话联系' }, '2026-03-02 10:00');
    expect(markDeadline(c, 'first_contact', 1, 'due', sh('2026-03-03 09:30'), planner)).toBeUndefined();
  });

  it('does nothing for a closed, suspended or withdrawn complaint', () => {
    const c = act(ctx, dispatched(), { type: 'suspend', reason: 'litigation', note: '已起诉' }, '2026-03-02 12:00');
    expect(markDuePoints(c, sh('2026-04-30 12:00'), planner)).toBeUndefined();
  });

  it('does nothing when the deadline was re-planned later (an extension) and the old timer fires', () => {
    let c = dispatched();
    c = act(ctx, c, { type: 'extend', milestone: 'reply', reason: '需调取外省监控录像' }, '2026-03-05 10:00');
    // Reply was due 03-07 18:30 (5 days, unit works every day); now 15 days.
    expect(local(deadline(c, 'reply', 1).dueAt)).toBe('2026-03-17 18:30');
    expect(markDeadline(c, 'reply', 1, 'due', sh('2026-03-07 18:30'), planner)).toBeUndefined();
  });

  it('escalates to the quality manager one working day after the breach (18:30 of the next working day, Civil Code), once, without writing a history event', () => {
    const breached = apply(dispatched(), markDeadline(dispatched(), 'first_contact', 1, 'due', sh('2026-03-03 09:30'), planner));
    expect(markDeadline(breached, 'first_contact', 1, 'quality', sh('2026-03-04 18:29'), planner)).toBeUndefined();
    const r = markDeadline(breached, 'first_contact', 1, 'quality', sh('2026-03-04 18:30'), planner);
    expect(r?.messages).toEqual([expect.objectContaining({ level: 'quality', milestone: 'first_contact', overdueMillis: 33 * 3_600_000 })]);
    // The consumer records `escalated` when the e-mail has gone; the check marks the deadline.
    expect(r?.transition.events).toEqual([]);
    const after = apply(breached, r);
    expect(deadline(after, 'first_contact', 1).escalatedAt).toBe(sh('2026-03-04 18:30').toISOString());
    expect(markDeadline(after, 'first_contact', 1, 'quality', sh('2026-03-04 19:00'), planner)).toBeUndefined();
  });

  it('sends the leaders notice of a major complaint as major_notice, once', () => {
    const c = newComplaint(ctx, '2026-03-02 22:00', { keyAccount: true });
    const r = markDeadline(c, 'leaders_notified', 0, 'leaders', sh('2026-03-02 22:00'), planner);
    expect(r?.messages).toEqual([expect.objectContaining({ milestone: 'major_notice', level: 'leaders', severity: 'major', round: 0 })]);
    expect(r?.messages[0]?.reason).toContain('重大投诉，须在30分钟内通知分管领导和业务运行总监');
    const after = apply(c, r);
    expect(deadline(after, 'leaders_notified')).toMatchObject({ state: 'pending', escalatedAt: sh('2026-03-02 22:00').toISOString() });
    expect(markDeadline(after, 'leaders_notified', 0, 'leaders', sh('2026-03-02 22:01'), planner)).toBeUndefined();
  });
});

describe('markDuePoints (the sweep decides everything due at once)', () => {
  it('sends only the breach when a late check finds both the warning and the deadline past', () => {
    const c = dispatched();
    const r = markDuePoints(c, sh('2026-03-03 10:00'), planner);
    expect(r?.decided.map((p) => `${p.milestone} ${p.point}`)).toEqual(['first_contact due']);
    expect(r?.messages.map((m) => m.level)).toEqual(['breach']);
  });

  it('decides the points of several milestones in time order in one transition (one version)', () => {
    const c = newComplaint(ctx, '2026-09-30 17:00');
    const r = markDuePoints(c, sh('2026-10-08 09:30'), planner);
    expect(r?.decided.map((p) => `${p.milestone} ${p.point}`)).toEqual(['appeal_risk due', 'dispatch due']);
    expect(r?.transition.complaint.version).toBe(c.version + 1);
    expect(r?.transition.events.map((e) => e.seq)).toEqual([c.history.length + 1, c.history.length + 2]);
    expect(new Set(r?.messages.map(escalationDedupeKey)).size).toBe(2);
    // Next: the quality escalation of the appeal risk, one working day after its breach on the
    // holiday 10-07 17:00 — the breach day does not count, so the close of the first working day 10-08.
    expect(local(r?.transition.complaint.nextDueAt)).toBe('2026-10-08 18:30');
  });

  it('writes Chinese durations', () => {
    const duration = (ms: number) => durationZh(ms, { minutesAfterHours: '分钟', underAMinute: '0分钟' });
    expect([duration(45 * 60_000), duration(2 * 3_600_000), duration(26.5 * 3_600_000), duration(125 * 60_000), duration(-5)]).toEqual([
      '45分钟',
      '2小时',
      '1天2小时',
      '2小时5分钟',
      '0分钟',
    ]);
  });
});
