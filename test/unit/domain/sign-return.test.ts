/**
 * 签收 and 退回 as pure rules with the real SLA planner on fixed instants (SPEC "Dispatch"; seed
 * 000_a1eb924360c3e548.txt: units check the system every 20 minutes, 08:30–18:30, weekends included).
 */
import { describe, expect, it } from 'vitest';
import { recipientsFor } from '#app/escalation.ts';
import { directory } from '#config/index.ts';
import { authorizeComplaint, listItemView } from '#domain/access.ts';
import { Conflict, Forbidden, InvalidTransition, NotFound, Unprocessable } from '#domain/errors.ts';
import type { Command } from '#domain/lifecycle.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { publicView } from '#domain/public-view.ts';
import { ReturnRequest } from '#domain/schemas.ts';
import { vagueReturnReason } from '#domain/sign-return.ts';
import { DEFAULT_POLICY, parseSlaPolicy } from '#domain/sla/policy.ts';
import { actors } from '#test/support/fixtures.ts';
import { act, assignBranch, assignTianhe, contact, deadline, local, newComplaint, replyAt, sh, slaContext } from '#test/support/sla.ts';

const { ctx, planner } = slaContext();
const at = (c: Complaint, command: Command, when: string, actor: Actor = actors.handler) => act(ctx, c, command, when, actor);
const branchHandler = { id: 'br-handler-1', role: 'handler', unitId: 'gz-branch' } as const;
const signCmd: Command = { type: 'sign' };
const reason = '收件地址为越秀区东风中路，属越秀揽投部投递段';
const returnCmd: Command = { type: 'return', reason, suggestedUnitId: 'gz-yuexiu' };
const redispatch: Command = { type: 'return_decision', decision: 'redispatch', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1' };
const reject: Command = { type: 'return_decision', decision: 'reject', reason: '地址属天河区，由天河揽投部处理' };

const dispatchedAt = (when: string, command: Command = assignTianhe) => act(ctx, newComplaint(ctx, when), command, when, actors.agent);
const errorOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};
const sign = (c: Complaint) => deadline(c, 'sign', c.dispatchCount);

describe('签收 clock: 20 working minutes on the handling unit’s calendar', () => {
  it('carries the clock of an every-day unit dispatched at 18:25 over the night to 08:45', () => {
    const c = dispatchedAt('2026-03-03 18:25');
    expect(c.dispatchCount).toBe(1);
    expect(local(sign(c).dueAt)).toBe('2026-03-04 08:45');
    // 80 % of the 20 working minutes: 16 — 5 before the close, 11 in the morning.
    expect(local(sign(c).warnAt)).toBe('2026-03-04 08:41');
    expect(c.signDueAt).toBe(sign(c).dueAt);
  });

  it('runs at a weekend for an every-day unit, and waits for Monday at an office-hours unit', () => {
    expect(local(sign(dispatchedAt('2026-03-07 10:00')).dueAt)).toBe('2026-03-07 10:20');
    expect(local(sign(dispatchedAt('2026-03-07 10:00', assignBranch)).dueAt)).toBe('2026-03-09 08:50');
  });

  it('carries an office-hours unit’s clock over the National Day holiday; the every-day unit signs on 10-01', () => {
    expect(local(sign(dispatchedAt('2026-09-30 18:20', assignBranch)).dueAt)).toBe('2026-10-08 08:40');
    expect(local(sign(dispatchedAt('2026-09-30 18:20')).dueAt)).toBe('2026-10-01 08:40');
  });

  it('has the same 20 working minutes for a major complaint (SPEC table) and is in the policy', () => {
    const major = act(
      ctx,
      newComplaint(ctx, '2026-03-03 10:00', { content: '邮件丢失，再不处理我就打12315投诉你们' }),
      assignTianhe,
      '2026-03-03 10:05',
      actors.agent,
    );
    expect(major.severity).toMatch(/major|urgent/);
    expect(local(sign(major).dueAt)).toBe('2026-03-03 10:25');
    expect(DEFAULT_POLICY.profiles.default.sign).toEqual({ general: { amount: 20, unit: 'working_minutes' } });
    expect(() => parseSlaPolicy(DEFAULT_POLICY)).not.toThrow();
  });

  it('meets the clock when the unit signs in time and records who and when', () => {
    const c = at(dispatchedAt('2026-03-03 10:00'), signCmd, '2026-03-03 10:12');
    expect(c.signedAt).toBe(sh('2026-03-03 10:12').toISOString());
    expect(sign(c)).toMatchObject({ state: 'met', metAt: sh('2026-03-03 10:12').toISOString() });
    expect(c.history.at(-1)).toMatchObject({
      type: 'signed',
      actor: { id: 'th-handler-1', role: 'handler' },
      data: { dispatchNo: 1, unitId: 'gz-tianhe', onTime: true },
    });
    expect(c.signDueAt).toBeUndefined();
    expect(planner.points(c).some((p) => p.milestone === 'sign')).toBe(false);
  });

  it('records a late sign as breached, and refuses a second sign with a conflict', () => {
    const late = at(dispatchedAt('2026-03-03 10:00'), signCmd, '2026-03-03 10:21');
    expect(sign(late)).toMatchObject({ state: 'breached', metAt: sh('2026-03-03 10:21').toISOString() });
    expect(late.history.at(-1)?.data).toMatchObject({ onTime: false });
    expect(errorOf(() => at(late, signCmd, '2026-03-03 10:30', actors.leader))).toMatchObject({ code: 'already-signed' });
    expect(errorOf(() => at(late, signCmd, '2026-03-03 10:30', actors.leader))).toBeInstanceOf(Conflict);
  });

  it('plans the warning and the breach as check points, so the SLA check escalates an unsigned dispatch', () => {
    const c = dispatchedAt('2026-03-03 10:00');
    const points = planner
      .points(c)
      .filter((p) => p.milestone === 'sign')
      .map((p) => `${p.point} ${local(p.at)}`);
    expect(points).toEqual(['warn 2026-03-03 10:16', 'due 2026-03-03 10:20']);
  });

  it('takes a contact or reply before signing as an implicit sign, met or breached honestly', () => {
    const contacted = at(dispatchedAt('2026-03-03 10:00'), contact, '2026-03-03 10:30');
    expect(contacted.history.map((e) => e.type).slice(-2)).toEqual(['signed', 'contacted']);
    expect(contacted.history.at(-2)?.data).toMatchObject({ implicit: true, via: 'contact', onTime: false });
    expect(sign(contacted)).toMatchObject({ state: 'breached', metAt: sh('2026-03-03 10:30').toISOString() });

    const replied = at(dispatchedAt('2026-03-03 10:00'), replyAt('2026-03-03 10:05'), '2026-03-03 10:10');
    expect(replied.history.find((e) => e.type === 'signed')).toMatchObject({ data: { implicit: true, via: 'reply', onTime: true } });
    expect(sign(replied).state).toBe('met');
  });

  it('starts a new clock for every dispatch: a move to another unit and a 重处理 round', () => {
    const signed = at(dispatchedAt('2026-03-03 10:00'), signCmd, '2026-03-03 10:05');
    const moved = act(
      ctx,
      signed,
      { type: 'assign', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', reason: '地址属越秀区' },
      '2026-03-03 11:00',
      actors.agent,
    );
    expect(moved.dispatchCount).toBe(2);
    expect(moved.signedAt).toBeUndefined();
    expect(local(deadline(moved, 'sign', 2).dueAt)).toBe('2026-03-03 11:20');
    expect(deadline(moved, 'sign', 1).state).toBe('met');

    const yx = actors.foreignHandler;
    const replied = act(ctx, act(ctx, moved, signCmd, '2026-03-03 11:05', yx), replyAt('2026-03-03 12:00'), '2026-03-03 12:00', yx);
    const redone = act(
      ctx,
      replied,
      { type: 'callback', outcome: 'reached', attitude: 'dissatisfied', handlingQuality: 'consistent', dissatisfactionCause: 'poor_handling' },
      '2026-03-04 09:00',
      actors.agent,
    );
    expect(redone).toMatchObject({ status: 'dispatched', round: 2, dispatchCount: 3 });
    expect(local(deadline(redone, 'sign', 3).dueAt)).toBe('2026-03-04 09:20');
  });

  it('escalates a breached clock no further once the case has moved to another unit', () => {
    const c = dispatchedAt('2026-03-03 10:00');
    const breached = { ...c, deadlines: c.deadlines.map((d) => (d.milestone === 'sign' ? { ...d, state: 'breached' as const, breachedAt: d.dueAt } : d)) };
    expect(
      planner
        .points(breached)
        .filter((p) => p.milestone === 'sign')
        .map((p) => p.point),
    ).toEqual(['quality']);
    const moved = act(
      ctx,
      breached,
      { type: 'assign', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', reason: '地址属越秀区' },
      '2026-03-03 10:30',
      actors.agent,
    );
    expect(deadline(moved, 'sign', 1).state).toBe('breached');
    expect(
      planner
        .points(moved)
        .filter((p) => p.milestone === 'sign')
        .map((p) => `${p.round} ${p.point}`),
    ).toEqual(['2 warn', '2 due']);
  });

  it('drops the running clock of a unit the case was moved away from before it signed', () => {
    const moved = act(
      ctx,
      dispatchedAt('2026-03-03 10:00'),
      { type: 'assign', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', reason: '地址属越秀区' },
      '2026-03-03 10:10',
      actors.agent,
    );
    expect(moved.deadlines.filter((d) => d.milestone === 'sign').map((d) => d.round)).toEqual([2]);
  });
});

describe('退回: once, with a reason, within 2 working hours and before contact', () => {
  it('accepts a return at 1 h 59 working minutes and refuses it at 2 h 01, across the close of an office-hours unit', () => {
    // Dispatched 17:30: one working hour today, the second tomorrow from 08:30 → window until 09:30.
    const c = dispatchedAt('2026-03-03 17:30', assignBranch);
    expect(local(sign(c).returnUntil)).toBe('2026-03-04 09:30');
    const ok = at(c, returnCmd, '2026-03-04 09:29', branchHandler);
    expect(ok.status).toBe('returned');
    const late = errorOf(() => at(c, returnCmd, '2026-03-04 09:31', branchHandler));
    expect(late).toBeInstanceOf(Unprocessable);
    expect(late).toMatchObject({ code: 'return-window-closed', context: { returnUntil: sh('2026-03-04 09:30').toISOString() } });
  });

  it('records the return, meets the sign clock, stops the unit’s clocks and starts the centre’s', () => {
    const c = at(dispatchedAt('2026-03-03 10:00'), returnCmd, '2026-03-03 10:30');
    expect(c).toMatchObject({
      status: 'returned',
      returnCount: 1,
      unitReturn: { unitId: 'gz-tianhe', by: 'th-handler-1', reason, suggestedUnitId: 'gz-yuexiu', round: 1 },
    });
    expect(c.history.at(-1)).toMatchObject({ type: 'returned', data: { unitId: 'gz-tianhe', dispatchNo: 1, reason } });
    expect(sign(c)).toMatchObject({ state: 'breached' }); // 10 minutes late: answered, but not in time
    expect(deadline(c, 'first_contact', 1)).toMatchObject({ state: 'paused', pausedAt: sh('2026-03-03 10:30').toISOString() });
    expect(deadline(c, 'reply', 1).state).toBe('paused');
    // The complainant's 7-day appeal clock runs on; the centre has the dispatch limit to rule.
    expect(deadline(c, 'appeal_risk').state).toBe('pending');
    expect(deadline(c, 'dispatch', 1)).toMatchObject({ state: 'pending', startedAt: sh('2026-03-03 10:30').toISOString() });
    expect(local(deadline(c, 'dispatch', 1).dueAt)).toBe('2026-03-03 12:30');
  });

  it('refuses a second return of the same complaint', () => {
    const back = at(at(dispatchedAt('2026-03-03 10:00'), returnCmd, '2026-03-03 10:10'), reject, '2026-03-03 10:40', actors.agent);
    const again = errorOf(() => at(back, returnCmd, '2026-03-03 10:50'));
    expect(again).toBeInstanceOf(Conflict);
    expect(again).toMatchObject({ code: 'already-returned' });
  });

  it('refuses a return after the unit contacted the complainant, and after the reply', () => {
    const contacted = at(dispatchedAt('2026-03-03 10:00'), contact, '2026-03-03 10:05');
    expect(errorOf(() => at(contacted, returnCmd, '2026-03-03 10:10'))).toMatchObject({ code: 'return-after-contact' });
    const replied = at(dispatchedAt('2026-03-03 10:00'), replyAt('2026-03-03 10:05'), '2026-03-03 10:06');
    expect(errorOf(() => at(replied, returnCmd, '2026-03-03 10:10'))).toBeInstanceOf(InvalidTransition);
  });

  it('refuses a reason that only says “not ours”, naming the field', () => {
    expect(errorOf(() => at(dispatchedAt('2026-03-03 10:00'), { type: 'return', reason: '不是我们单位的，派错了' }, '2026-03-03 10:10'))).toMatchObject({
      code: 'return-reason-vague',
      issues: [{ path: 'reason' }],
    });
    expect(vagueReturnReason('非本单位辖区，请改派')).toBe(true);
    expect(vagueReturnReason(reason)).toBe(false);
    expect(ReturnRequest.safeParse({ reason: '错了' }).success).toBe(false);
    expect(errorOf(() => at(dispatchedAt('2026-03-03 10:00'), { type: 'return', reason, suggestedUnitId: 'gz-tianhe' }, '2026-03-03 10:10'))).toMatchObject({
      code: 'bad-suggested-unit',
    });
  });

  it('lets only the dispatched unit sign or return: not a stranger unit, not the person complained about, not the centre', () => {
    const c = { ...dispatchedAt('2026-03-03 10:00'), subjectStaffIds: ['th-handler-2'] };
    for (const action of ['sign', 'return'] as const) {
      expect(() => authorizeComplaint(actors.handler, action, c)).not.toThrow();
      expect(() => authorizeComplaint(actors.leader, action, c)).not.toThrow();
      expect(errorOf(() => authorizeComplaint(actors.foreignHandler, action, c))).toBeInstanceOf(NotFound);
      expect(errorOf(() => authorizeComplaint(actors.otherHandler, action, c))).toBeInstanceOf(NotFound);
      expect(errorOf(() => authorizeComplaint(actors.agent, action, c))).toBeInstanceOf(Forbidden);
      expect(errorOf(() => authorizeComplaint(actors.quality, action, c))).toBeInstanceOf(Forbidden);
    }
    expect(() => authorizeComplaint(actors.agent, 'return_decision', c)).not.toThrow();
    expect(errorOf(() => authorizeComplaint(actors.leader, 'return_decision', c))).toBeInstanceOf(Forbidden);
  });
});

describe('the centre’s ruling on a return', () => {
  const returned = () => at(dispatchedAt('2026-03-03 10:00'), returnCmd, '2026-03-03 10:10');

  it('re-dispatches to another unit: a new 签收 clock there, the unit’s clocks resume without the waiting time', () => {
    const before = deadline(returned(), 'first_contact', 1);
    const c = at(returned(), redispatch, '2026-03-03 11:10', actors.agent);
    expect(c).toMatchObject({ status: 'dispatched', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', dispatchCount: 2, returnCount: 1 });
    expect(c.unitReturn?.decision).toMatchObject({ outcome: 'redispatch', by: 'agent-lin', unitId: 'gz-yuexiu', reason });
    expect(c.history.slice(-2).map((e) => e.type)).toEqual(['return_decided', 'dispatched']);
    expect(local(deadline(c, 'sign', 2).dueAt)).toBe('2026-03-03 11:30');
    expect(deadline(c, 'dispatch', 1)).toMatchObject({ state: 'met', metAt: sh('2026-03-03 11:10').toISOString() });
    // An hour waited for the centre: first contact (24 h from 10:00) is due an hour later.
    const fc = deadline(c, 'first_contact', 1);
    expect(fc).toMatchObject({ state: 'pending', pausedMillis: 3_600_000 });
    expect(Date.parse(fc.dueAt) - Date.parse(before.dueAt)).toBe(3_600_000);
  });

  it('sends it back to the same unit with the centre’s reason: the unit signs again and must handle it', () => {
    const c = at(returned(), reject, '2026-03-03 10:40', actors.agent);
    expect(c).toMatchObject({ status: 'dispatched', unitId: 'gz-tianhe', handlerId: 'th-handler-1', dispatchCount: 2 });
    expect(c.history.at(-1)).toMatchObject({
      type: 'return_decided',
      data: { decision: 'reject', reason: reject.type === 'return_decision' ? reject.reason : '' },
    });
    expect(c.signedAt).toBeUndefined();
    expect(local(deadline(c, 'sign', 2).dueAt)).toBe('2026-03-03 11:00');
    expect(deadline(c, 'reply', 1).state).toBe('pending');
    // The handler can now contact and reply as usual.
    expect(at(c, contact, '2026-03-03 10:50').status).toBe('contacted');
  });

  it('refuses a re-dispatch to the unit that returned it', () => {
    expect(
      errorOf(() => at(returned(), { ...redispatch, unitId: 'gz-tianhe', handlerId: 'th-handler-2' } as Command, '2026-03-03 10:40', actors.agent)),
    ).toMatchObject({ code: 'redispatch-to-returning-unit' });
  });

  it('e-mails the centre’s own ruling clock to the operations director, not to the returning unit', () => {
    const c = returned();
    const to = (level: 'warning' | 'breach') => recipientsFor({ level, milestone: 'dispatch', unitId: 'gz-tianhe' }, c, directory).to.map((p) => p.email);
    expect(to('warning')).toEqual(['ops-director@example.cn']);
    expect(to('breach')).toEqual(['ops-director@example.cn']);
    expect(recipientsFor({ level: 'breach', milestone: 'sign', unitId: 'gz-tianhe' }, c, directory).to.map((p) => p.email)).toEqual([
      'tianhe-leader@example.cn',
    ]);
  });

  it('keeps contact and reply closed while the return waits', () => {
    expect(errorOf(() => at(returned(), contact, '2026-03-03 10:20'))).toBeInstanceOf(InvalidTransition);
    expect(
      errorOf(() => at(returned(), { type: 'assign', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', reason: '改派' }, '2026-03-03 10:20', actors.agent)),
    ).toBeInstanceOf(InvalidTransition);
  });
});

describe('what the worklist and the complainant see', () => {
  it('shows on the unit’s worklist whether the dispatch is signed and its sign deadline', () => {
    const open = listItemView(dispatchedAt('2026-03-03 18:25'));
    expect(open).toMatchObject({ signed: false, signDueAt: sh('2026-03-04 08:45').toISOString() });
    const signed = listItemView(at(dispatchedAt('2026-03-03 10:00'), signCmd, '2026-03-03 10:05'));
    expect(signed).toMatchObject({ signed: true, signedAt: sh('2026-03-03 10:05').toISOString() });
    expect(signed.signDueAt).toBeUndefined();
  });

  it('tells the complainant a returned complaint is in progress, never 退回', () => {
    const c = at(dispatchedAt('2026-03-03 10:00'), returnCmd, '2026-03-03 10:10');
    const view = publicView(c, sh('2026-03-03 10:20'));
    expect(view).toMatchObject({ status: 'dispatched', statusLabel: '处理中' });
    expect(JSON.stringify(view)).not.toMatch(/退回|returned|越秀/);
  });
});
