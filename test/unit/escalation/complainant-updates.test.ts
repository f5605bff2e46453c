import { describe, expect, it } from 'vitest';
import { isMobile, progressUpdateSms, receiptSms } from '#app/complainant-sms.ts';
import { recipientsFor } from '#app/escalation.ts';
import { effectsOf } from '#app/effects.ts';
import { progressUpdateFor } from '#app/progress-updates.ts';
import { directory } from '#config/index.ts';
import { complaint, ev, t0 } from '#test/support/complaint.ts';

const now = new Date('2026-11-25T12:00:00.000Z');
const chased = (count: number) => ev(10, 'chased', { chaseCount: count, via: 'phone' });
const sent = (n: number) => Array.from({ length: n }, (_, i) => ev(20 + i, 'progress_update_sent', { ordinal: i + 1 }, { id: 'escalation', role: 'system' }));

describe('when the complainant is told how things stand (seed 000: 1–2 times)', () => {
  it('not at the first chase', () => {
    expect(progressUpdateFor(complaint(), [chased(1)], now)).toBeUndefined();
  });

  it('at the second chase: the first update', () => {
    expect(progressUpdateFor(complaint(), [chased(2)], now)).toEqual({
      complaintId: 'C8KXQ2M4N6P8R0T2V',
      milestone: 'progress_update',
      round: 1,
      level: 'complainant',
      severity: 'major',
      unitId: 'gz-tianhe',
      overdueMillis: 0,
      decidedAt: now.toISOString(),
      reason: 'chased 2 times',
    });
  });

  it('when a deadline the complainant waits on is breached', () => {
    expect(progressUpdateFor(complaint(), [ev(10, 'deadline_breached', { milestone: 'reply', round: 1 })], now)?.reason).toBe('deadline reply breached');
  });

  it('when the centre’s own deadline slips too (dispatch), but not for internal notices', () => {
    expect(progressUpdateFor(complaint(), [ev(10, 'deadline_breached', { milestone: 'dispatch', round: 0 })], now)?.reason).toBe('deadline dispatch breached');
    expect(progressUpdateFor(complaint(), [ev(10, 'deadline_breached', { milestone: 'leaders_notified', round: 0 })], now)).toBeUndefined();
    expect(progressUpdateFor(complaint(), [ev(10, 'deadline_breached', { milestone: 'rectification', round: 1 })], now)).toBeUndefined();
  });

  it('numbers the updates by what was sent, and stops after two', () => {
    const base = complaint();
    expect(progressUpdateFor({ ...base, history: [...base.history, ...sent(1)] }, [chased(3)], now)?.round).toBe(2);
    expect(progressUpdateFor({ ...base, history: [...base.history, ...sent(2)] }, [chased(4)], now)).toBeUndefined();
  });

  it('not for a closed complaint, nor without a mobile number', () => {
    expect(progressUpdateFor(complaint({ status: 'closed' }), [chased(2)], now)).toBeUndefined();
    expect(progressUpdateFor(complaint({ complainant: { anonymous: false, phone: '+862087654321' } }), [chased(2)], now)).toBeUndefined();
    expect(progressUpdateFor(complaint({ complainant: { anonymous: true } }), [chased(2)], now)).toBeUndefined();
  });

  it('the transition owes the update as one escalation effect, for the durable queue', () => {
    const c = complaint();
    const owed = effectsOf(c, { complaint: c, events: [chased(2)] }, now);
    expect(owed.map((e) => (e.kind === 'escalation' ? `${e.id} ${e.message.milestone}#${e.message.round}#${e.message.level}` : e.id))).toEqual([
      'esc#C8KXQ2M4N6P8R0T2V#progress_update#r1#complainant progress_update#1#complainant',
    ]);
  });
});

describe('the intake receipt SMS', () => {
  const received = () => {
    // Dispatch due 11-24 18:30 Beijing: first contact is promised 24 h after it.
    const c = complaint({
      status: 'received',
      severity: 'general',
      round: 0,
      deadlines: [{ milestone: 'dispatch', round: 0, startedAt: t0, dueAt: '2026-11-24T10:30:00.000Z', warnAt: '2026-11-24T10:00:00.000Z', state: 'pending' }],
      history: [ev(1, 'received'), ev(2, 'classified')],
    });
    return { complaint: c, events: c.history };
  };
  const texts = (before: Parameters<typeof effectsOf>[0], transition: Parameters<typeof effectsOf>[1]) =>
    effectsOf(before, transition, now).flatMap((e) => (e.kind === 'sms' ? [e.sms] : []));

  it('is owed, with the tracking code, by the write that creates the complaint (with its timers)', () => {
    expect(effectsOf(undefined, received(), now).map((e) => e.kind)).toEqual(['sms', 'timers']);
    expect(texts(undefined, received())).toEqual([
      {
        to: '+8613800138000',
        text: '【邮政客服】您的投诉已受理，查询码ABCDEFGHJK12，我们将于11月25日18:30前与您联系。',
        dedupeKey: 'receipt#C8KXQ2M4N6P8R0T2V',
        purpose: 'receipt',
      },
    ]);
  });

  it('is owed by no later transition, nor to a landline', () => {
    const r = received();
    expect(texts(r.complaint, { complaint: r.complaint, events: [chased(1)] })).toEqual([]);
    const landline = complaint({ complainant: { anonymous: false, phone: '+862087654321' } });
    expect(texts(undefined, { complaint: landline, events: [ev(1, 'received')] })).toEqual([]);
  });

  it('owes no timer call to a transition that changes no deadline, status or unit (a first chase)', () => {
    const c = complaint();
    expect(effectsOf(c, { complaint: c, events: [chased(1)] }, now)).toEqual([]);
  });

  it('promises the planned first contact: dispatch due plus 2 hours for a major complaint', () => {
    const dispatchDue = {
      milestone: 'dispatch',
      round: 0,
      startedAt: t0,
      dueAt: '2026-11-24T02:30:00.000Z',
      warnAt: '2026-11-24T02:24:00.000Z',
      state: 'pending' as const,
    };
    expect(receiptSms({ trackingCode: 'ABCDEFGHJK12', severity: 'urgent', round: 0, deadlines: [dispatchDue] })).toContain('我们将于11月24日12:30前与您联系');
  });

  it('promises the first-contact deadline itself once it is planned (after dispatch)', () => {
    expect(
      receiptSms(
        complaint({
          deadlines: [
            { milestone: 'first_contact', round: 1, startedAt: t0, dueAt: '2026-11-24T04:00:00.000Z', warnAt: '2026-11-24T03:36:00.000Z', state: 'pending' },
          ],
        }),
      ),
    ).toContain('于11月24日12:00前');
  });

  it('falls back to the SPEC limit in words when nothing is planned', () => {
    expect(receiptSms({ trackingCode: 'ABCDEFGHJK12', severity: 'urgent', round: 0, deadlines: [] })).toContain('在2小时内');
    expect(receiptSms({ trackingCode: 'ABCDEFGHJK12', severity: 'general', round: 0, deadlines: [] })).toContain('在24小时内');
  });

  it('words progress by status, without staff names', () => {
    const text = progressUpdateSms(complaint());
    expect(text).toBe('【邮政客服】您的投诉（查询码ABCDEFGHJK12）正在处理，我们已督促责任单位加快办理。给您带来不便，敬请谅解。');
    expect(text).not.toContain('王芳');
  });

  it('knows a mobile from a landline', () => {
    expect(isMobile('+8613800138000')).toBe(true);
    expect(isMobile('+862087654321')).toBe(false);
    expect(isMobile(undefined)).toBe(false);
  });
});

describe('who is told, by level', () => {
  const emails = (r: { to: { email: string }[]; cc: { email: string }[] }) => ({ to: r.to.map((p) => p.email), cc: r.cc.map((p) => p.email) });

  it('warning → the assigned handler', () => {
    expect(emails(recipientsFor({ level: 'warning' }, complaint(), directory))).toEqual({ to: ['tianhe-h1@example.cn'], cc: [] });
  });

  it('warning without a handler → the unit’s handlers; before dispatch → the operations directors', () => {
    expect(emails(recipientsFor({ level: 'warning' }, complaint({ handlerId: undefined }), directory)).to).toEqual([
      'tianhe-h1@example.cn',
      'tianhe-h2@example.cn',
    ]);
    expect(emails(recipientsFor({ level: 'warning' }, complaint({ handlerId: undefined, unitId: undefined }), directory)).to).toEqual([
      'ops-director@example.cn',
    ]);
  });

  it('breach → the unit leader, copied to the operations director', () => {
    expect(emails(recipientsFor({ level: 'breach' }, complaint(), directory))).toEqual({ to: ['tianhe-leader@example.cn'], cc: ['ops-director@example.cn'] });
  });

  it('quality → the quality manager', () => {
    expect(emails(recipientsFor({ level: 'quality' }, complaint(), directory))).toEqual({ to: ['quality@example.cn'], cc: [] });
  });

  it('leaders → the dispatched unit’s leaders and the operations directors; before dispatch the directors only, never the suggested unit', () => {
    expect(emails(recipientsFor({ level: 'leaders', unitId: 'gz-tianhe' }, complaint(), directory)).to).toEqual([
      'tianhe-leader@example.cn',
      'ops-director@example.cn',
    ]);
    expect(emails(recipientsFor({ level: 'leaders' }, complaint({ unitId: undefined, suggestedUnitId: 'gz-hub' }), directory)).to).toEqual([
      'ops-director@example.cn',
    ]);
  });

  it('the message’s unit wins over the complaint’s', () => {
    expect(emails(recipientsFor({ level: 'breach', unitId: 'gz-yuexiu' }, complaint(), directory)).to).toEqual(['yuexiu-leader@example.cn']);
  });
});
