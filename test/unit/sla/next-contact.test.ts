/**
 * The promised next contact (seed 000 五1(1): “向客户明确再次联系回复的时限”; issue 9 item 6): an unresolved
 * reply starts a `next_contact` clock due at the promised instant, met by the unit's follow-up contact,
 * ended (cancelled) by closure or re-dispatch.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { publicView } from '#domain/public-view.ts';
import { markDuePoints } from '#domain/sla/mark.ts';
import { actors } from '#test/support/fixtures.ts';
import { act, assignTianhe, contact, deadline, local, newComplaint, replyAt, sh, slaContext, view } from '#test/support/sla.ts';

const { planner, ctx } = slaContext();

/** Dispatched Monday 10:00, replied unresolved Monday 15:00 promising Tuesday 10:00. */
function unresolved(promise = '2026-03-03 10:00'): Complaint {
  const c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 10:00');
  return act(
    ctx,
    c,
    replyAt('2026-03-02 14:30', {
      result: {
        resolved: false,
        complainantAccepted: true,
        summary: '已向寄达地发查询单，结果明天上午电话告知投诉人。',
        nextContactAt: sh(promise).toISOString(),
      },
    }),
    '2026-03-02 15:00',
  );
}

const followUp = { type: 'contact', method: 'phone', note: '按约定电话告知投诉人查询结果：邮件已找到，今日投递' } as const;

describe('the next-contact clock', () => {
  it('starts at an unresolved reply, due at the promised instant, warned at 80 % of the wait', () => {
    const c = unresolved();
    // 15:00 → 10:00 next day is 19 h; 80 % is 15.2 h → 06:12, held for working hours to 08:30 (general complaint).
    expect(view(deadline(c, 'next_contact', 1))).toEqual({ state: 'pending', dueAt: '2026-03-03 10:00', warnAt: '2026-03-03 06:12' });
    const points = planner
      .points(c)
      .filter((p) => p.milestone === 'next_contact')
      .map((p) => `${p.point} ${local(p.at)}`);
    expect(points).toEqual(['warn 2026-03-03 08:30', 'due 2026-03-03 10:00']);
  });

  it('starts no clock for a resolved reply', () => {
    const c = act(ctx, act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 10:00'), replyAt('2026-03-02 14:30'), '2026-03-02 15:00');
    expect(c.deadlines.some((d) => d.milestone === 'next_contact')).toBe(false);
  });

  it('is met by the follow-up contact recorded after the reply, which leaves the case waiting for its callback', () => {
    const c = act(ctx, unresolved(), followUp, '2026-03-03 09:40');
    expect(c.status).toBe('replied');
    expect(deadline(c, 'next_contact', 1)).toMatchObject({ state: 'met', metAt: sh('2026-03-03 09:40').toISOString() });
    expect(c.history.at(-1)).toMatchObject({ type: 'contacted', data: { followUp: true, first: false } });
    // The callback clock keeps running: the follow-up is not the centre's callback.
    expect(deadline(c, 'callback', 1).state).toBe('pending');
  });

  it('breaches at the promised instant when nobody called, and a late follow-up still counts as late', () => {
    const c = unresolved();
    const marked = markDuePoints(c, sh('2026-03-03 10:00'), planner);
    expect(marked?.messages.filter((m) => m.milestone === 'next_contact').map((m) => m.level)).toEqual(['breach']);
    const breached = marked!.transition.complaint;
    expect(deadline(breached, 'next_contact', 1).state).toBe('breached');
    const late = act(ctx, breached, followUp, '2026-03-03 11:00');
    expect(deadline(late, 'next_contact', 1)).toMatchObject({ state: 'breached', metAt: sh('2026-03-03 11:00').toISOString() });
  });

  it('is cancelled when the case closes before the promised time, and no check point is left', () => {
    const closed = act(ctx, unresolved(), { type: 'callback', outcome: 'reached', attitude: 'accepted', handlingQuality: 'consistent' }, '2026-03-02 16:00');
    expect(closed.status).toBe('closed');
    expect(deadline(closed, 'next_contact', 1)).toMatchObject({ state: 'cancelled', cancelledAt: sh('2026-03-02 16:00').toISOString() });
    expect(planner.points(closed)).toEqual([]);
  });

  it('is cancelled by a re-dispatch: the new round has its own clocks', () => {
    const again = act(
      ctx,
      unresolved(),
      { type: 'callback', outcome: 'reached', attitude: 'dissatisfied', handlingQuality: 'consistent', dissatisfactionCause: 'poor_handling' },
      '2026-03-02 16:00',
    );
    expect(again.status).toBe('dispatched');
    expect(deadline(again, 'next_contact', 1).state).toBe('cancelled');
    expect(planner.points(again).some((p) => p.milestone === 'next_contact')).toBe(false);
    expect(deadline(again, 'reply', 2).state).toBe('pending');
  });

  it('is cancelled by 暂结 and by a withdrawal', () => {
    const suspended = act(ctx, unresolved(), { type: 'suspend', reason: 'customer_schedule', note: '投诉人出差' }, '2026-03-02 16:00');
    expect(deadline(suspended, 'next_contact', 1).state).toBe('cancelled');
    const withdrawn = act(ctx, unresolved(), { type: 'withdraw', voluntary: true, confirmedVia: 'phone', note: '投诉人来电撤诉' }, '2026-03-02 16:00');
    expect(deadline(withdrawn, 'next_contact', 1).state).toBe('cancelled');
  });

  it('refuses a follow-up contact before any reply as a first contact still, and a contact on a closed case', () => {
    const dispatched = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 10:00');
    const first = act(ctx, dispatched, contact, '2026-03-02 10:30');
    expect(first.history.at(-1)).toMatchObject({ type: 'contacted', data: { first: true } });
    expect(first.history.at(-1)?.data?.['followUp']).toBeUndefined();
    const closed = act(ctx, unresolved(), { type: 'callback', outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' }, '2026-03-02 16:00');
    expect(() => decide(closed, followUp, actors.handler, sh('2026-03-02 17:00'), ctx)).toThrow(/contact/);
  });

  it('is shown to the complainant as 再次联系您 while it runs', () => {
    const page = publicView(unresolved(), sh('2026-03-02 15:05'));
    expect(page.deadlines.find((d) => d.milestone === 'next_contact')).toMatchObject({ label: '再次联系您', state: 'pending' });
  });
});
