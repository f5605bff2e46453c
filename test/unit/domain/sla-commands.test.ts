import { describe, expect, it } from 'vitest';
import { authorizeComplaint } from '#domain/access.ts';
import { Forbidden, InvalidTransition, Unprocessable } from '#domain/errors.ts';
import { ALLOWED_FROM, decide } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { publicView } from '#domain/public-view.ts';
import { ExtensionRequest, PauseRequest, ResumeRequest } from '#domain/schemas.ts';
import { clockPauseOf } from '#domain/sla/planner.ts';
import { actors } from '#test/support/fixtures.ts';
import { act, assignBranch, assignTianhe, deadline, local, newComplaint, replyAt, sh, slaContext } from '#test/support/sla.ts';

const { ctx } = slaContext();
/** Dispatched to the office-hours branch Monday 2026-03-02 09:30: reply due Monday 03-09 18:30 (Civil Code: close of the 5th working day). */
const dispatched = (c = ctx): Complaint => act(c, newComplaint(c, '2026-03-02 09:00'), assignBranch, '2026-03-02 09:30');
const extend = { type: 'extend', milestone: 'reply', reason: '需调取外省处理中心监控录像，预计10个工作日' } as const;
const catchError = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('extend (延期): a leader approves, with a reason shown to the complainant', () => {
  it('moves the reply limit to 15 working days from the original start and records approver, reason and previous limit', () => {
    const c = act(ctx, dispatched(), extend, '2026-03-05 10:00', actors.leader);
    const d = deadline(c, 'reply', 1);
    expect(local(d.dueAt)).toBe('2026-03-23 18:30');
    expect(d.extended).toEqual({
      approverId: 'th-leader',
      reason: extend.reason,
      at: sh('2026-03-05 10:00').toISOString(),
      previousDueAt: sh('2026-03-09 18:30').toISOString(),
    });
    expect(c.history.at(-1)).toMatchObject({
      type: 'deadline_extended',
      actor: { id: 'th-leader', role: 'leader' },
      data: { milestone: 'reply', round: 1, reason: extend.reason, approverId: 'th-leader' },
    });
  });

  it('shows the extension and its reason on the public tracking page', () => {
    const view = publicView(act(ctx, dispatched(), extend, '2026-03-05 10:00', actors.leader), sh('2026-03-05 10:00'));
    expect(view.milestones.at(-1)).toMatchObject({ type: 'deadline_extended', label: '处理期限已延长', note: extend.reason });
    expect(view.deadlines.find((d) => d.milestone === 'reply')).toMatchObject({
      dueAt: sh('2026-03-23 18:30').toISOString(),
      extended: { reason: extend.reason },
    });
  });

  it('uses the administrative-efficiency profile: 10 working days, at most 30 with approval (seed 001 宝山 art. 17)', () => {
    const admin = slaContext({ profileFor: () => 'administrative_efficiency' });
    const c = dispatched(admin.ctx);
    expect(local(deadline(c, 'reply', 1).dueAt)).toBe('2026-03-16 18:30');
    expect(local(deadline(act(admin.ctx, c, extend, '2026-03-05 10:00', actors.leader), 'reply', 1).dueAt)).toBe('2026-04-14 18:30');
  });

  it('refuses a second extension in the same round', () => {
    const once = act(ctx, dispatched(), extend, '2026-03-05 10:00', actors.leader);
    expect(catchError(() => act(ctx, once, extend, '2026-03-06 10:00', actors.leader))).toMatchObject({ code: 'already-extended' });
  });

  it('refuses an extension once the limit has passed, even before the check marked the breach', () => {
    expect(catchError(() => act(ctx, dispatched(), extend, '2026-03-09 18:31', actors.leader))).toMatchObject({ code: 'deadline-breached' });
  });

  it('refuses an approver other than the caller', () => {
    const err = catchError(() => act(ctx, dispatched(), { ...extend, approverId: 'someone-else' }, '2026-03-05 10:00', actors.leader));
    expect(err).toBeInstanceOf(Unprocessable);
    expect(err).toMatchObject({ code: 'approver-mismatch', issues: [{ path: 'approverId' }] });
  });

  it('is not possible once replied (InvalidTransition) and is only for the reply limit', () => {
    const replied = act(ctx, dispatched(), replyAt('2026-03-03 10:00'), '2026-03-03 11:00');
    expect(catchError(() => act(ctx, replied, extend, '2026-03-04 10:00', actors.leader))).toBeInstanceOf(InvalidTransition);
    expect(ExtensionRequest.safeParse({ milestone: 'first_contact', reason: '延期' }).success).toBe(false);
    expect(ExtensionRequest.parse({ reason: '需要更多时间核查' }).milestone).toBe('reply');
  });

  it('may be approved only by a leader or an admin', () => {
    const c = dispatched();
    expect(catchError(() => authorizeComplaint(actors.handler, 'extend', c))).toBeInstanceOf(Forbidden);
    expect(catchError(() => authorizeComplaint(actors.agent, 'extend', c))).toBeInstanceOf(Forbidden);
    expect(() => authorizeComplaint({ id: 'br-leader', role: 'leader', unitId: 'gz-branch' }, 'extend', c)).not.toThrow();
  });
});

describe('pause and resume: the unit waits for the complainant’s documents', () => {
  const pause = { type: 'pause', reason: '等待投诉人提供物品价值证明' } as const;

  it('pauses the unit’s running clocks but not the 7-day appeal risk', () => {
    const c = act(ctx, dispatched(), pause, '2026-03-03 10:00', actors.handler);
    expect(c.history.at(-1)).toMatchObject({ type: 'deadline_paused', data: { reason: pause.reason } });
    expect(deadline(c, 'reply', 1)).toMatchObject({ state: 'paused', pausedAt: sh('2026-03-03 10:00').toISOString() });
    expect(deadline(c, 'first_contact', 1).state).toBe('paused');
    expect(deadline(c, 'appeal_risk').state).toBe('pending');
    expect(clockPauseOf(c)).toEqual({ at: sh('2026-03-03 10:00').toISOString(), reason: pause.reason });
  });

  it('resumes with the paused working time added to the limit', () => {
    let c = act(ctx, dispatched(), pause, '2026-03-03 10:00', actors.handler);
    c = act(ctx, c, { type: 'resume', note: '已收到发票照片' }, '2026-03-04 10:00', actors.handler);
    expect(c.history.at(-1)).toMatchObject({
      type: 'deadline_resumed',
      data: { pausedAt: sh('2026-03-03 10:00').toISOString(), pausedMillis: 86_400_000, note: '已收到发票照片' },
    });
    // 10 working hours paused on the branch's office calendar: 03-09 18:30 → 03-10 18:30.
    expect(deadline(c, 'reply', 1)).toMatchObject({ state: 'pending', pausedMillis: 10 * 3_600_000 });
    expect(local(deadline(c, 'reply', 1).dueAt)).toBe('2026-03-10 18:30');
    expect(clockPauseOf(c)).toBeUndefined();
  });

  it('refuses to pause twice and to resume a clock that runs', () => {
    const paused = act(ctx, dispatched(), pause, '2026-03-03 10:00', actors.handler);
    expect(catchError(() => act(ctx, paused, pause, '2026-03-03 11:00', actors.handler))).toMatchObject({ code: 'clock-already-paused' });
    expect(catchError(() => act(ctx, dispatched(), { type: 'resume' }, '2026-03-03 11:00', actors.handler))).toMatchObject({ code: 'clock-not-paused' });
  });

  it('ends the pause with the reply: the reply meets its limit and the rules record the resume', () => {
    let c = act(ctx, dispatched(), pause, '2026-03-03 10:00', actors.handler);
    c = act(ctx, c, replyAt('2026-03-12 10:00'), '2026-03-12 11:00');
    expect(deadline(c, 'reply', 1).state).toBe('met');
    expect(c.history.map((e) => e.type).slice(-2)).toEqual(['replied', 'deadline_resumed']);
    expect(c.history.at(-1)).toMatchObject({ actor: { id: 'rules', role: 'system' }, data: { auto: true } });
    expect(clockPauseOf(c)).toBeUndefined();
  });

  it('hands a paused clock over to a suspension (暂结), which a reopen resumes', () => {
    let c = act(ctx, dispatched(), pause, '2026-03-03 10:00', actors.handler);
    c = act(ctx, c, { type: 'suspend', reason: 'litigation', note: '投诉人已起诉' }, '2026-03-04 10:00');
    expect(deadline(c, 'reply', 1)).toMatchObject({ state: 'paused', pausedAt: sh('2026-03-04 10:00').toISOString(), pausedMillis: 10 * 3_600_000 });
    expect(clockPauseOf(c)).toBeUndefined();
  });

  it('is allowed only while the unit handles the complaint', () => {
    expect(ALLOWED_FROM.pause).toEqual(['dispatched', 'contacted']);
    expect(catchError(() => decide(newComplaint(ctx, '2026-03-02 09:00'), pause, actors.agent, sh('2026-03-02 10:00'), ctx))).toBeInstanceOf(InvalidTransition);
    expect(PauseRequest.safeParse({ reason: '' }).success).toBe(false);
    expect(ResumeRequest.safeParse({ extra: 1 }).success).toBe(false);
  });

  it('lets the unit, the centre and admins pause, but not the quality manager', () => {
    const c = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    for (const actor of [actors.handler, actors.leader, actors.agent, actors.admin]) expect(() => authorizeComplaint(actor, 'pause', c)).not.toThrow();
    expect(catchError(() => authorizeComplaint(actors.quality, 'pause', c))).toBeInstanceOf(Forbidden);
  });
});
