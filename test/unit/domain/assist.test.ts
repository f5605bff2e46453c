/** 协办 as pure rules on a fake clock (decision 048): tasks, their deadlines, visibility, and how they end. */
import { describe, expect, it } from 'vitest';
import { authorizeComplaint, staffView } from '#domain/access.ts';
import { Forbidden, InvalidTransition, NotFound, Unprocessable } from '#domain/errors.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { markDuePoints } from '#domain/sla/mark.ts';
import { actors } from '#test/support/fixtures.ts';
import { act, assignTianhe, contact, deadline, local, newComplaint, replyAt, sh, slaContext, view } from '#test/support/sla.ts';

const { ctx, planner } = slaContext();
const yuexiu: Actor = { id: 'yx-handler-1', role: 'handler', unitId: 'gz-yuexiu' };
const hub: Actor = { id: 'hub-handler-1', role: 'handler', unitId: 'gz-hub' };
const branch: Actor = { id: 'br-handler-1', role: 'handler', unitId: 'gz-branch' };
const lead = actors.handler;

function leading(at = '2026-03-02 09:00'): Complaint {
  return act(ctx, newComplaint(ctx, at), assignTianhe, at);
}
const ask = (c: Complaint, at: string, body: { unitId: string; task?: string; dueAt?: string }, who: Actor = lead) =>
  act(ctx, c, { type: 'assist', task: '请核实投递记录', ...body }, at, who);
const answer = (c: Complaint, taskId: string, at: string, who: Actor = yuexiu, findings = '2026-03-01 15:20 投递至物业收发室，王五代签') =>
  act(ctx, c, { type: 'assist_reply', taskId, findings }, at, who);
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('asking for assistance', () => {
  it('opens a task with its own id and a deadline of 1 working day of the assisting unit, and several at once', () => {
    let c = ask(leading(), '2026-03-02 10:00', { unitId: 'gz-yuexiu' });
    c = ask(c, '2026-03-02 10:05', { unitId: 'gz-hub', task: '请核实封发记录' });
    expect(c.assists?.map((t) => [t.id, t.unitId, t.status, t.requestedBy])).toEqual([
      ['A1', 'gz-yuexiu', 'open', 'th-handler-1'],
      ['A2', 'gz-hub', 'open', 'th-handler-1'],
    ]);
    // Civil Code count on the every-day delivery office: Tuesday 18:30; warned at 80 % of its working time.
    expect(view(deadline(c, 'assist:A1'))).toEqual({ state: 'pending', dueAt: '2026-03-03 18:30', warnAt: '2026-03-03 14:48' });
    expect(c.history.at(-1)).toMatchObject({ type: 'assist_requested', actor: { id: 'th-handler-1' }, data: { taskId: 'A2', unitId: 'gz-hub' } });
  });

  it('runs a task for an office-days unit on its own calendar: asked Friday, due Monday 18:30', () => {
    const c = ask(leading('2026-03-06 10:00'), '2026-03-06 10:00', { unitId: 'gz-branch' });
    expect(local(deadline(c, 'assist:A1').dueAt)).toBe('2026-03-09 18:30');
  });

  it('gives a major complaint’s task 4 working hours', () => {
    const major = act(ctx, leading(), { type: 'severity', severity: 'major', reason: '重要客户' }, '2026-03-02 09:30');
    expect(local(ask(major, '2026-03-02 10:00', { unitId: 'gz-yuexiu' }).deadlines.find((d) => d.milestone === 'assist:A1')?.dueAt)).toBe('2026-03-02 14:00');
  });

  it('lets an explicit dueAt shorten the deadline but not lengthen it', () => {
    const c = leading();
    expect(local(deadline(ask(c, '2026-03-02 10:00', { unitId: 'gz-yuexiu', dueAt: sh('2026-03-02 15:00').toISOString() }), 'assist:A1').dueAt)).toBe(
      '2026-03-02 15:00',
    );
    expect(local(deadline(ask(c, '2026-03-02 10:00', { unitId: 'gz-yuexiu', dueAt: sh('2026-03-10 15:00').toISOString() }), 'assist:A1').dueAt)).toBe(
      '2026-03-03 18:30',
    );
  });

  it('refuses the lead unit itself, an unknown unit and a deadline in the past, naming the field', () => {
    const c = leading();
    for (const [body, code, path] of [
      [{ unitId: 'gz-tianhe' }, 'assist-self', 'unitId'],
      [{ unitId: 'gz-nowhere' }, 'unknown-unit', 'unitId'],
      [{ unitId: 'gz-hub', dueAt: sh('2026-03-02 09:59').toISOString() }, 'due-in-past', 'dueAt'],
    ] as const) {
      const error = thrown(() => ask(c, '2026-03-02 10:00', body));
      expect(error).toBeInstanceOf(Unprocessable);
      expect(error).toMatchObject({ code, issues: [{ path }] });
    }
  });

  it('is not asked before dispatch', () => {
    expect(thrown(() => ask(newComplaint(ctx, '2026-03-02 09:00'), '2026-03-02 10:00', { unitId: 'gz-hub' }))).toBeInstanceOf(InvalidTransition);
  });
});

describe('answering and cancelling', () => {
  it('records the assisting unit’s findings and meets the task’s deadline', () => {
    const c = answer(ask(leading(), '2026-03-02 10:00', { unitId: 'gz-yuexiu' }), 'A1', '2026-03-02 16:00');
    expect(c.assists?.[0]).toMatchObject({ status: 'answered', reply: { by: 'yx-handler-1', at: sh('2026-03-02 16:00').toISOString() } });
    expect(deadline(c, 'assist:A1').state).toBe('met');
    expect(c.history.at(-1)).toMatchObject({ type: 'assist_replied', actor: { id: 'yx-handler-1' } });
  });

  it('refuses findings that say only 已处理, a reply by another unit, a second answer and an unknown task', () => {
    const c = ask(leading(), '2026-03-02 10:00', { unitId: 'gz-yuexiu' });
    expect(thrown(() => answer(c, 'A1', '2026-03-02 11:00', yuexiu, '已处理'))).toMatchObject({ code: 'vague-findings' });
    expect(thrown(() => answer(c, 'A1', '2026-03-02 11:00', lead))).toBeInstanceOf(Forbidden);
    expect(thrown(() => answer(answer(c, 'A1', '2026-03-02 11:00'), 'A1', '2026-03-02 12:00'))).toBeInstanceOf(InvalidTransition);
    expect(thrown(() => answer(c, 'A9', '2026-03-02 11:00'))).toBeInstanceOf(NotFound);
  });

  it('lets the lead unit cancel an open task with a reason: its clock stops and nothing escalates', () => {
    const c = act(
      ctx,
      ask(leading(), '2026-03-02 10:00', { unitId: 'gz-yuexiu' }),
      { type: 'assist_cancel', taskId: 'A1', reason: '已由本单位查明' },
      '2026-03-02 11:00',
      lead,
    );
    expect(c.assists?.[0]).toMatchObject({ status: 'cancelled', cancellation: { reason: '已由本单位查明', by: 'th-handler-1' } });
    expect(c.deadlines.some((d) => d.milestone === 'assist:A1')).toBe(false);
    expect(markDuePoints(c, sh('2026-03-04 09:00'), planner)?.messages.filter((m) => m.milestone.startsWith('assist'))).toEqual([]);
  });

  it('keeps tasks open through an unresolved reply and ends them with a resolved one (the lead unit stays responsible)', () => {
    const c = ask(act(ctx, leading(), contact, '2026-03-02 09:30'), '2026-03-02 10:00', { unitId: 'gz-yuexiu' });
    const interim = act(
      ctx,
      c,
      replyAt('2026-03-02 09:30', {
        result: { resolved: false, complainantAccepted: false, summary: '正在协调投递部核查，明日再联系', nextContactAt: sh('2026-03-03 10:00').toISOString() },
      }),
      '2026-03-02 11:00',
    );
    expect(interim.assists?.[0]?.status).toBe('open');
    expect(answer(interim, 'A1', '2026-03-02 15:00').assists?.[0]?.status).toBe('answered');

    const resolved = act(ctx, c, replyAt('2026-03-02 09:30'), '2026-03-02 11:00');
    expect(resolved.assists?.[0]).toMatchObject({ status: 'cancelled', cancellation: { by: 'rules', auto: true } });
    expect(resolved.history.slice(-1)[0]).toMatchObject({ type: 'assist_cancelled', actor: { role: 'system' } });
  });
});

describe('deadlines and escalation of a task', () => {
  it('warns the assisting unit and breaches to it, not to the lead unit', () => {
    const c = ask(leading(), '2026-03-02 10:00', { unitId: 'gz-yuexiu' });
    const warned = markDuePoints(c, sh('2026-03-03 14:49'), planner);
    const assist = (m: { milestone: string }) => m.milestone.startsWith('assist');
    expect(warned?.messages.filter(assist).map((m) => [m.milestone, m.level, m.unitId])).toEqual([['assist:A1', 'warning', 'gz-yuexiu']]);
    const breached = markDuePoints(warned!.transition.complaint, sh('2026-03-03 18:31'), planner);
    expect(breached?.messages.filter(assist).map((m) => [m.milestone, m.level, m.unitId, m.reason])).toEqual([
      ['assist:A1', 'breach', 'gz-yuexiu', expect.stringContaining('协办（')],
    ]);
  });

  it('does not stop a task while the lead unit waits for the complainant’s documents', () => {
    const c = act(
      ctx,
      ask(leading(), '2026-03-02 10:00', { unitId: 'gz-yuexiu' }),
      { type: 'pause', reason: '等待投诉人提供价值证明' },
      '2026-03-02 11:00',
      lead,
    );
    expect(deadline(c, 'assist:A1').state).toBe('pending');
    expect(deadline(c, 'reply').state).toBe('paused');
  });
});

describe('what the assisting unit sees', () => {
  it('reads the complaint masked while its task exists, may not write anything else, and a stranger unit sees nothing', () => {
    const c = ask(leading(), '2026-03-02 10:00', { unitId: 'gz-yuexiu' });
    expect(() => authorizeComplaint(yuexiu, 'read', c)).not.toThrow();
    expect(() => authorizeComplaint(yuexiu, 'assist_reply', c)).not.toThrow();
    expect(thrown(() => authorizeComplaint(yuexiu, 'contact', c))).toBeInstanceOf(Forbidden);
    expect(thrown(() => authorizeComplaint(yuexiu, 'assist', c))).toBeInstanceOf(Forbidden);
    expect(thrown(() => authorizeComplaint(hub, 'read', c))).toBeInstanceOf(NotFound);
    const seen = staffView(yuexiu, c);
    expect(seen.complainant.phone).toMatch(/\*{4}/);
    expect(seen.complainant.name).not.toBe(c.complainant.name);
  });

  it('keeps the subject rule (seed 001 art. 15) for the assisting unit’s staff', () => {
    const c = ask(
      act(ctx, newComplaint(ctx, '2026-03-02 09:00', { subjectStaffIds: ['YX-HANDLER-1'] }), assignTianhe, '2026-03-02 09:00'),
      '2026-03-02 10:00',
      { unitId: 'gz-yuexiu' },
    );
    expect(thrown(() => authorizeComplaint(yuexiu, 'read', c))).toBeInstanceOf(NotFound);
  });

  it('loses sight of the complaint once its task is cancelled', () => {
    const c = act(
      ctx,
      ask(leading(), '2026-03-02 10:00', { unitId: 'gz-branch' }),
      { type: 'assist_cancel', taskId: 'A1', reason: '不再需要' },
      '2026-03-02 11:00',
      lead,
    );
    expect(thrown(() => authorizeComplaint(branch, 'read', c))).toBeInstanceOf(NotFound);
  });
});
