/** 延期申请 as pure rules with the real SLA planner (decision 069): who may ask and decide, one at a time, the maximum, cancellation. */
import { describe, expect, it } from 'vitest';
import { Unprocessable } from '#domain/errors.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { actors } from '#test/support/fixtures.ts';
import { act, assignTianhe, deadline, local, newComplaint, replyAt, sh, slaContext } from '#test/support/sla.ts';

const { ctx } = slaContext();
const yuexiu: Actor = { id: 'yx-handler-1', role: 'handler', unitId: 'gz-yuexiu' };
const leader = actors.leader;
const dispatched = (at = '2026-03-02 09:00'): Complaint => act(ctx, newComplaint(ctx, at), assignTianhe, at, actors.agent);
const ask = (c: Complaint, requested: string, at = '2026-03-02 10:00', who: Actor = actors.handler, reason = '需调取分拣中心3月1日监控录像核实') =>
  act(ctx, c, { type: 'request_extension', reason, requestedDueAt: sh(requested).toISOString() }, at, who);
const decideIt = (c: Complaint, approve: boolean, at = '2026-03-02 11:00', who: Actor = leader) =>
  act(ctx, c, { type: 'extension_decision', approve, reason: approve ? '同意延期，须调取监控' : '不同意：监控无需三天' }, at, who);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof Unprocessable ? error.code : String(error);
  }
  throw new Error('expected a throw');
};

describe('asking for an extension', () => {
  it('records the request and its history event without moving the deadline', () => {
    const c = dispatched();
    const due = deadline(c, 'reply').dueAt;
    const asked = ask(c, '2026-03-12 18:30');
    expect(asked.extensionRequest).toMatchObject({ status: 'open', by: 'th-handler-1', previousDueAt: due });
    expect(deadline(asked, 'reply').dueAt).toBe(due);
    expect(asked.history.at(-1)).toMatchObject({ type: 'extension_requested', actor: { id: 'th-handler-1' } });
  });

  it('refuses a second open request, a vague reason, another unit, a time not later, and more than the maximum', () => {
    const c = dispatched();
    expect(code(() => ask(ask(c, '2026-03-12 18:30'), '2026-03-13 18:30', '2026-03-02 10:30'))).toBe('extension-already-requested');
    expect(code(() => ask(c, '2026-03-12 18:30', '2026-03-02 10:00', actors.handler, '已处理。'))).toBe('vague-reason');
    expect(code(() => ask(c, '2026-03-12 18:30', '2026-03-02 10:00', yuexiu))).toBe('not-the-unit');
    expect(code(() => ask(c, '2026-03-02 12:00'))).toBe('requested-not-later');
    expect(code(() => ask(c, '2026-05-30 18:30'))).toBe('extension-too-long');
  });

  it('allows a major complaint at most 48 h beyond its reply time (SPEC special case)', () => {
    const major = act(ctx, dispatched(), { type: 'severity', severity: 'major', reason: '重要客户' }, '2026-03-02 09:30', actors.agent);
    const due = Date.parse(deadline(major, 'reply').dueAt);
    const iso = (ms: number) => String(local(new Date(due + ms).toISOString()));
    expect(code(() => ask(major, iso(48 * 3_600_000 + 60_000)))).toBe('extension-too-long');
    expect(ask(major, iso(48 * 3_600_000)).extensionRequest?.status).toBe('open');
  });
});

describe('deciding an extension', () => {
  it('approval extends the reply limit in the same transition and records both events', () => {
    const c = ask(dispatched(), '2026-03-12 18:30');
    const before = deadline(c, 'reply').dueAt;
    const approved = decideIt(c, true);
    expect(approved.extensionRequest).toMatchObject({ status: 'approved', decision: { by: leader.id } });
    expect(deadline(approved, 'reply').extended).toMatchObject({ approverId: leader.id, previousDueAt: before });
    expect(Date.parse(deadline(approved, 'reply').dueAt)).toBeGreaterThan(Date.parse(before));
    expect(approved.history.slice(-2).map((e) => e.type)).toEqual(['deadline_extended', 'extension_decided']);
    expect(approved.version).toBe(c.version + 1);
  });

  it('refusal keeps the deadline, records the reason, and a new request may follow', () => {
    const c = ask(dispatched(), '2026-03-12 18:30');
    const refused = decideIt(c, false);
    expect(refused.extensionRequest?.status).toBe('refused');
    expect(deadline(refused, 'reply').dueAt).toBe(deadline(c, 'reply').dueAt);
    expect(refused.history.at(-1)).toMatchObject({ type: 'extension_decided', data: { approved: false } });
    expect(ask(refused, '2026-03-11 18:30', '2026-03-02 12:00').extensionRequest?.status).toBe('open');
  });

  it('only a leader of the unit decides, and only an open request', () => {
    const c = ask(dispatched(), '2026-03-12 18:30');
    expect(code(() => decideIt(c, true, '2026-03-02 11:00', actors.handler))).toBe('not-the-leader');
    expect(code(() => decideIt(c, true, '2026-03-02 11:00', { id: 'yx-leader', role: 'leader', unitId: 'gz-yuexiu' }))).toBe('not-the-leader');
    expect(code(() => decideIt(dispatched(), true))).toBe('no-open-request');
    expect(code(() => decideIt(decideIt(c, false), true, '2026-03-02 11:30'))).toBe('no-open-request');
  });

  it('a reply cancels the open request (rules event)', () => {
    const c = ask(dispatched(), '2026-03-12 18:30');
    const replied = act(ctx, c, replyAt('2026-03-02 14:00'), '2026-03-02 15:00', actors.handler);
    expect(replied.extensionRequest?.status).toBe('cancelled');
    expect(replied.history.at(-1)).toMatchObject({ type: 'extension_cancelled', actor: { role: 'system' } });
  });
});
