import { describe, expect, it } from 'vitest';
import { decide } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { publicView } from '#domain/public-view.ts';
import { earliest } from '#domain/sla/planner.ts';
import { actors } from '#test/support/fixtures.ts';
import { act, assignBranch, assignTianhe, contact, deadline, local, newComplaint, replyAt, sh, signFor, slaContext, view } from '#test/support/sla.ts';

const { planner, ctx } = slaContext();
const points = (c: Complaint) =>
  planner
    .points(c)
    .map((p) => `${p.milestone}#${p.round} ${p.point} ${local(p.at)}`)
    .sort();

describe('clocks started at intake', () => {
  it('starts dispatch (2 working hours) and the 7-day appeal risk (warned on day 5) for a general complaint, no leaders clock', () => {
    const c = newComplaint(ctx, '2026-03-02 10:00');
    expect(c.severity).toBe('general');
    expect(c.deadlines.map((d) => d.milestone)).toEqual(['dispatch', 'appeal_risk']);
    expect(view(deadline(c, 'dispatch'))).toEqual({ state: 'pending', dueAt: '2026-03-02 12:00', warnAt: '2026-03-02 11:36' });
    expect(view(deadline(c, 'appeal_risk'))).toEqual({ state: 'pending', dueAt: '2026-03-09 10:00', warnAt: '2026-03-07 10:00' });
    expect(local(c.nextDueAt)).toBe('2026-03-02 11:36');
  });

  it('puts the dispatch of a complaint received Wednesday 2026-09-30 17:00 on Thursday 2026-10-08 09:00, after the National Day holiday', () => {
    const c = newComplaint(ctx, '2026-09-30 17:00');
    // 17:00–18:30 on 09-30 is 1.5 h; 10-01…10-07 are holidays; the last 0.5 h is on 10-08.
    expect(view(deadline(c, 'dispatch'))).toEqual({ state: 'pending', dueAt: '2026-10-08 09:00', warnAt: '2026-10-08 08:36' });
    // The appeal risk counts calendar days (seed 001): the holiday does not stop it.
    expect(view(deadline(c, 'appeal_risk'))).toEqual({ state: 'pending', dueAt: '2026-10-07 17:00', warnAt: '2026-10-05 17:00' });
  });

  it('puts the dispatch of a complaint received Friday 2026-09-18 17:00 on the make-up working Sunday 2026-09-20 09:00', () => {
    const c = newComplaint(ctx, '2026-09-18 17:00');
    expect(local(deadline(c, 'dispatch').dueAt)).toBe('2026-09-20 09:00');
  });

  it('starts the 30-minute leaders clock of a major complaint with a notice due at once, and dispatch within 30 min', () => {
    const c = newComplaint(ctx, '2026-03-02 22:00', { keyAccount: true });
    expect(c.severity).toBe('major');
    expect(view(deadline(c, 'leaders_notified'))).toEqual({ state: 'pending', dueAt: '2026-03-02 22:30', warnAt: '2026-03-02 22:24' });
    expect(view(deadline(c, 'dispatch'))).toEqual({ state: 'pending', dueAt: '2026-03-02 22:30', warnAt: '2026-03-02 22:24' });
    expect(points(c)).toContain('leaders_notified#0 leaders 2026-03-02 22:00');
    expect(points(c)).not.toContain('leaders_notified#0 warn 2026-03-02 22:24');
    expect(local(c.nextDueAt)).toBe('2026-03-02 22:00');
  });

  it('meets the leaders clock when the escalation consumer records leaders_notified', () => {
    const c = newComplaint(ctx, '2026-03-02 10:00', { keyAccount: true });
    const next: Complaint = {
      ...c,
      version: c.version + 1,
      history: [
        ...c.history,
        { seq: c.history.length + 1, type: 'leaders_notified', at: sh('2026-03-02 10:03').toISOString(), actor: { id: 'escalation', role: 'system' } },
      ],
    };
    const planned = planner.plan(c, next, sh('2026-03-02 10:03'));
    expect(planned.deadlines.find((d) => d.milestone === 'leaders_notified')).toMatchObject({ state: 'met', metAt: sh('2026-03-02 10:03').toISOString() });
  });
});

describe('clocks of a handling round', () => {
  it('meets dispatch and starts first contact (24 h) and reply (5 working days) on the unit’s own calendar', () => {
    const received = newComplaint(ctx, '2026-09-30 17:00');
    const branch = act(ctx, received, assignBranch, '2026-09-30 17:30');
    expect(deadline(branch, 'dispatch')).toMatchObject({ state: 'met', metAt: sh('2026-09-30 17:30').toISOString() });
    // The branch keeps office hours: 24 h would end on the National Day holiday, so it ends when the branch reopens.
    expect(view(deadline(branch, 'first_contact', 1))).toEqual({ state: 'pending', dueAt: '2026-10-08 08:30', warnAt: '2026-10-01 12:42' });
    // An office-hours branch: 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
    expect(view(deadline(branch, 'reply', 1))).toEqual({ state: 'pending', dueAt: '2026-10-13 18:30', warnAt: '2026-10-12 18:18' });
    // A delivery station works every day (seed 000): five days are five days, holiday or not.
    const tianhe = act(ctx, received, assignTianhe, '2026-09-30 17:30');
    // An every-day unit keeps the wall-clock 24 h, holiday or not.
    expect(view(deadline(tianhe, 'first_contact', 1))).toMatchObject({ dueAt: '2026-10-01 17:30' });
    expect(view(deadline(tianhe, 'reply', 1))).toEqual({ state: 'pending', dueAt: '2026-10-05 18:30', warnAt: '2026-10-04 18:18' });
  });

  it('meets first contact at the first contact, and reply plus appeal risk at the reply; starts the callback clock', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(ctx, c, contact, '2026-03-02 11:00');
    expect(deadline(c, 'first_contact', 1)).toMatchObject({ state: 'met', metAt: sh('2026-03-02 11:00').toISOString() });
    c = act(ctx, c, replyAt('2026-03-03 10:00', { justified: false }), '2026-03-03 10:30');
    expect(deadline(c, 'reply', 1).state).toBe('met');
    expect(deadline(c, 'appeal_risk').state).toBe('met');
    expect(view(deadline(c, 'callback', 1))).toEqual({ state: 'pending', dueAt: '2026-03-04 10:30', warnAt: '2026-03-04 05:42' });
    expect(c.deadlines.some((d) => d.milestone === 'rectification')).toBe(false);
  });

  it('starts no rectification clock on a reply the unit proposes as justified: the monthly notice starts it (decision 058)', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(ctx, c, replyAt('2026-03-02 15:00', { justified: true }), '2026-03-02 16:00');
    expect(c.deadlines.some((d) => d.milestone === 'rectification')).toBe(false);
    expect(points(c).some((p) => p.startsWith('rectification'))).toBe(false);
  });

  it('meets the callback clock at the callback and leaves a closed complaint without a next due instant', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(ctx, c, replyAt('2026-03-02 15:00'), '2026-03-02 16:00');
    c = act(ctx, c, { type: 'callback', outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' }, '2026-03-03 09:00');
    expect(c.status).toBe('closed');
    expect(deadline(c, 'callback', 1).state).toBe('met');
    expect(c.nextDueAt).toBeUndefined();
    expect(planner.points(c)).toEqual([]);
  });

  it('records a milestone met after its deadline as breached (breachedAt = the deadline) with metAt, even when no check ran', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(ctx, c, contact, '2026-03-03 12:00'); // 24 h limit: 03-03 09:30
    expect(deadline(c, 'first_contact', 1)).toMatchObject({
      state: 'breached',
      breachedAt: sh('2026-03-03 09:30').toISOString(),
      metAt: sh('2026-03-03 12:00').toISOString(),
    });
  });

  it('keeps a deadline breached by the check breached when it is met later, recording metAt and stopping the quality escalation', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    const breachedAt = sh('2026-03-03 09:31').toISOString();
    c = { ...c, deadlines: c.deadlines.map((d) => (d.milestone === 'first_contact' ? { ...d, state: 'breached' as const, breachedAt } : d)) };
    expect(points(c)).toContain('first_contact#1 quality 2026-03-04 18:30');
    c = act(ctx, c, contact, '2026-03-03 12:00');
    expect(deadline(c, 'first_contact', 1)).toMatchObject({ state: 'breached', breachedAt, metAt: sh('2026-03-03 12:00').toISOString() });
    expect(points(c).some((p) => p.startsWith('first_contact'))).toBe(false);
  });
});

describe('the administrative-efficiency profile (seed 001 宝山 art. 17)', () => {
  it('gives a complaint filed with slaProfile administrative_efficiency 10 working days to reply, and 30 with an extension', () => {
    const received = newComplaint(ctx, '2026-03-02 10:00', { slaProfile: 'administrative_efficiency' }, actors.agent);
    const dispatched = act(ctx, received, assignBranch, '2026-03-02 10:00');
    // 10 working days: 03-03 … 03-06, 03-09 … 03-13, 03-16.
    expect(view(deadline(dispatched, 'reply', 1)).dueAt).toBe('2026-03-16 18:30');
    const extended = act(ctx, dispatched, { type: 'extend', milestone: 'reply', reason: '需调取监控录像核实' }, '2026-03-05 10:00');
    // 30 working days, skipping Qingming Monday 2026-04-06.
    expect(view(deadline(extended, 'reply', 1)).dueAt).toBe('2026-04-14 18:30');
    // The default profile for comparison: 5 working days.
    const plain = act(ctx, newComplaint(ctx, '2026-03-02 10:00'), assignBranch, '2026-03-02 10:00');
    expect(view(deadline(plain, 'reply', 1)).dueAt).toBe('2026-03-09 18:30');
  });
});

describe('severity changes re-plan running clocks from their original start', () => {
  it('shortens the limits of a general complaint chased twice (now urgent) and starts the leaders clock', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignBranch, '2026-03-02 09:30');
    expect(local(deadline(c, 'reply', 1).dueAt)).toBe('2026-03-09 18:30');
    c = act(ctx, c, { type: 'chase', via: 'phone' }, '2026-03-02 14:00');
    c = act(ctx, c, { type: 'chase', via: 'phone' }, '2026-03-02 15:00');
    expect(c.severity).toBe('urgent');
    // 1 working day from the original start (seed 004), not from the chase.
    expect(view(deadline(c, 'reply', 1))).toEqual({ state: 'pending', dueAt: '2026-03-03 18:30', warnAt: '2026-03-03 14:42' });
    expect(view(deadline(c, 'first_contact', 1))).toEqual({ state: 'pending', dueAt: '2026-03-02 11:30', warnAt: '2026-03-02 11:06' });
    expect(deadline(c, 'leaders_notified')).toMatchObject({ state: 'pending', startedAt: sh('2026-03-02 15:00').toISOString() });
  });

  it('drops the leaders clock when a major complaint is lowered to general before the notice', () => {
    let c = newComplaint(ctx, '2026-03-02 09:00', { keyAccount: true });
    c = act(ctx, c, { type: 'severity', severity: 'general', reason: '核实后非重要客户' }, '2026-03-02 09:05');
    expect(c.deadlines.some((d) => d.milestone === 'leaders_notified')).toBe(false);
    expect(local(deadline(c, 'dispatch').dueAt)).toBe('2026-03-02 11:00');
  });
});

describe('re-dispatch and priority rounds', () => {
  const redispatched = (opts = ctx) => {
    let c = act(opts, newComplaint(opts, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(opts, c, replyAt('2026-03-02 15:00'), '2026-03-02 16:00');
    return act(
      opts,
      c,
      { type: 'callback', outcome: 'reached', attitude: 'dissatisfied', handlingQuality: 'inconsistent', dissatisfactionCause: 'poor_handling' },
      '2026-03-03 10:00',
    );
  };

  it('starts round 2 with the major/urgent limits (seed 000 “重新优先处理”) and keeps round 1 met', () => {
    const c = redispatched();
    expect(c).toMatchObject({ status: 'dispatched', round: 2, priority: true, severity: 'general' });
    expect(deadline(c, 'reply', 1).state).toBe('met');
    expect(deadline(c, 'callback', 1).state).toBe('met');
    expect(view(deadline(c, 'first_contact', 2))).toEqual({ state: 'pending', dueAt: '2026-03-03 12:00', warnAt: '2026-03-03 11:36' });
    expect(view(deadline(c, 'reply', 2))).toMatchObject({ state: 'pending', dueAt: '2026-03-04 18:30' });
  });

  it('plans round 2 with the complaint’s own severity when the organisation chooses priorityRounds: severity', () => {
    const own = slaContext({ priorityRounds: 'severity' });
    const c = redispatched(own.ctx);
    expect(local(deadline(c, 'first_contact', 2).dueAt)).toBe('2026-03-04 10:00');
    expect(local(deadline(c, 'reply', 2).dueAt)).toBe('2026-03-08 18:30');
  });

  it('shows the complainant the deadlines of the current round only', () => {
    const view = publicView(redispatched(), sh('2026-03-03 10:00'));
    expect(view.deadlines.map((d) => d.milestone).sort()).toEqual(['first_contact', 'reply']);
  });
});

describe('stopping the clocks', () => {
  it('pauses the running clocks of a suspended complaint (暂结) and plans nothing while it is suspended', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(ctx, c, { type: 'suspend', reason: 'litigation', note: '投诉人已向法院起诉' }, '2026-03-03 09:30');
    // The unsigned 签收 clock stops too (decision 047).
    expect(
      c.deadlines
        .filter((d) => d.state === 'paused')
        .map((d) => d.milestone)
        .sort(),
    ).toEqual(['appeal_risk', 'first_contact', 'reply', 'sign']);
    expect(deadline(c, 'reply', 1).pausedAt).toBe(sh('2026-03-03 09:30').toISOString());
    expect(c.nextDueAt).toBeUndefined();
  });

  it('resumes the paused clocks on reopen in the same round, adding the paused time', () => {
    let c = newComplaint(ctx, '2026-03-02 09:00');
    c = act(ctx, c, { type: 'suspend', reason: 'solution_refused', note: '投诉人拒绝合理方案' }, '2026-03-02 10:00');
    c = act(ctx, c, { type: 'reopen', reason: '投诉人提供新证据' }, '2026-03-03 10:00');
    expect(c.status).toBe('received');
    // 2 working hours from 09:00, of which 1 h ran before the suspension: due 1 working hour after 03-03 10:00.
    expect(deadline(c, 'dispatch')).toMatchObject({ state: 'pending', pausedMillis: 10 * 3_600_000 });
    expect(local(deadline(c, 'dispatch').dueAt)).toBe('2026-03-03 11:00');
    expect(local(deadline(c, 'appeal_risk').dueAt)).toBe('2026-03-10 09:00');
  });

  it('freezes the old round’s clocks when a reopen starts a new round, and starts the new round’s', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(ctx, c, { type: 'suspend', reason: 'litigation', note: '已起诉' }, '2026-03-02 12:00');
    c = act(ctx, c, { type: 'reopen', reason: '诉讼撤回' }, '2026-03-10 09:00');
    expect(c.round).toBe(2);
    expect(deadline(c, 'reply', 1).state).toBe('paused');
    expect(deadline(c, 'reply', 2)).toMatchObject({ state: 'pending', startedAt: sh('2026-03-10 09:00').toISOString() });
    expect(points(c).some((p) => p.includes('#1 '))).toBe(false);
  });

  it('keeps the states of a withdrawn complaint but plans nothing', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(ctx, c, { type: 'withdraw', voluntary: true, confirmedVia: 'phone', note: '本人确认自愿撤诉' }, '2026-03-02 10:00');
    expect(deadline(c, 'reply', 1).state).toBe('pending');
    expect(c.nextDueAt).toBeUndefined();
  });
});

describe('warnings wait for working time; breaches do not', () => {
  it('holds the warning of a general complaint until working hours start the same day', () => {
    const c = newComplaint(ctx, '2026-03-06 17:00'); // Friday; dispatch warn Monday 08:36 anyway
    const early = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30'); // first contact warns 03-03 04:42
    expect(points(c)).toContain('dispatch#0 warn 2026-03-09 08:36');
    expect(points(early)).toContain('first_contact#1 warn 2026-03-03 08:30');
  });

  it.each([
    ['2026-03-02 09:07', '2026-03-07 09:07', 'a Monday complaint: day 5 is Saturday, not Monday 08:30 (37 min before the 7-day breach)'],
    ['2026-03-02 18:00', '2026-03-07 18:00', 'a Monday evening complaint: Saturday 18:00, not Monday 08:30'],
    ['2026-02-11 10:00', '2026-02-16 10:00', 'day 5 is 除夕, inside the Spring Festival break'],
  ])('releases the appeal-risk warning of a complaint received %s at once, on %s (%s)', (received, expected) => {
    expect(points(newComplaint(ctx, received))).toContain(`appeal_risk#0 warn ${expected}`);
  });

  it('sends the warning of a major complaint when it falls due, night or not', () => {
    const c = act(ctx, newComplaint(ctx, '2026-03-02 09:00', { keyAccount: true }), assignTianhe, '2026-03-02 17:00');
    expect(points(c)).toContain('first_contact#1 warn 2026-03-02 18:36');
    expect(points(c)).toContain('appeal_risk#0 warn 2026-03-07 09:00');
  });

  it('sends a held warning on time rather than after its own deadline (appeal risk on day 5 of the National Day holiday)', () => {
    const c = newComplaint(ctx, '2026-09-30 17:00');
    expect(points(c)).toContain('appeal_risk#0 warn 2026-10-05 17:00');
  });

  it('sets nextDueAt to the earliest point', () => {
    const unsigned = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    // Unsigned, the 签收 warning (16 of its 20 working minutes) comes first.
    expect(local(unsigned.nextDueAt)).toBe('2026-03-02 09:46');
    const c = act(ctx, unsigned, signFor, '2026-03-02 09:35');
    expect(c.nextDueAt).toBe(earliest(planner.points(c))?.toISOString());
    // First contact warns at 04:42 (80 % of 24 h); held until the unit's 08:30.
    expect(local(c.nextDueAt)).toBe('2026-03-03 08:30');
  });
});

describe('the planner inside the lifecycle', () => {
  it('is pure: the same transition planned twice gives the same deadlines', () => {
    const c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    const again = decide(c, { type: 'chase', via: 'phone' }, actors.agent, sh('2026-03-02 10:00'), ctx).complaint;
    const twice = decide(c, { type: 'chase', via: 'phone' }, actors.agent, sh('2026-03-02 10:00'), ctx).complaint;
    expect(twice.deadlines).toEqual(again.deadlines);
    expect(again.deadlines).toEqual(c.deadlines);
  });
});

describe('a severity raise while suspended', () => {
  it('starts the leaders clock paused, so the reopen starts the 30 minutes instead of breaching at once', () => {
    let c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    c = act(ctx, c, { type: 'suspend', reason: 'litigation', note: '已起诉' }, '2026-03-02 12:00');
    c = act(ctx, c, { type: 'severity', severity: 'major', reason: '媒体已介入' }, '2026-03-03 10:00');
    expect(deadline(c, 'leaders_notified').state).toBe('paused');
    c = act(ctx, c, { type: 'reopen', reason: '诉讼撤回' }, '2026-03-10 09:00');
    expect(view(deadline(c, 'leaders_notified'))).toMatchObject({ state: 'pending', dueAt: '2026-03-10 09:30' });
    expect(points(c)).toContain('leaders_notified#1 leaders 2026-03-03 10:00');
  });
});
