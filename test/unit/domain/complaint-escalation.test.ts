/** 投诉升级 in the pure core: what counts as one, and what it does to an open case (decision 043). */
import { describe, expect, it } from 'vitest';
import { directory, routing } from '#config/index.ts';
import { escalationSignal } from '#domain/complaint-escalation.ts';
import { decide, intake, linkSuccessor, type Command, type LifecycleContext } from '#domain/lifecycle.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { actors, intakeInput } from '#test/support/fixtures.ts';

const ctx: LifecycleContext = { directory, routing, deadlines: { plan: () => ({ deadlines: [], nextDueAt: undefined }) } };
const t0 = new Date('2026-11-26T01:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const received = (overrides = {}) => intake(intakeInput(overrides), actors.agent, t0, ctx, { id: 'C0000000000000001', trackingCode: 'ABCDEFGHJK12' }).complaint;
const step = (c: Complaint, command: Command, actor: Actor = actors.agent, at = later(10)) => decide(c, command, actor, at, ctx).complaint;
const repeat = { channel: 'phone', excerpt: '再次投诉', verified: true };

describe('what is a 投诉升级', () => {
  it.each([
    ['a transfer channel', { channel: 'transfer' as const, text: '转办' }, 'transfer'],
    ['an external source', { source: 'external' as const, text: '转办' }, 'transfer'],
    ['a 12345 threat', { text: '再不处理我就打12345' }, 'threat'],
    ['having gone to the group company', { text: '我已经向集团公司反映了' }, 'threat'],
    ['a media threat', { text: '我要发到网上曝光你们' }, 'threat'],
  ])('recognises %s', (_name, input, via) => {
    expect(escalationSignal(input)?.via).toBe(via);
  });

  it.each([
    ['the police (a threat, but no upper level)', '我要报警'],
    ['a fee of 110 yuan', '运费110元太贵了'],
    ['a waybill containing 12345', '邮件号 1123456789 一直没动'],
  ])('does not count %s', (_name, text) => {
    expect(escalationSignal({ text })).toBeUndefined();
  });
});

describe('escalating an open case', () => {
  it('escalates on a staff chase whose note says the complainant has called 12345', () => {
    const c = step(received(), { type: 'chase', via: 'phone', note: '客户称已经打了12345市长热线' });
    expect(c).toMatchObject({ source: 'external', severity: 'major', complaintEscalations: 1, chaseCount: 1 });
    expect(c.history.slice(-3).map((e) => e.type)).toEqual(['chased', 'complaint_escalated', 'severity_changed']);
  });

  it('keeps every external reference once and never lowers an urgent case', () => {
    const urgent = received({ content: '身份证在里面，急用！', source: 'external', externalRef: '12305-A' });
    expect(urgent.severity).toBe('urgent');
    const signal = (externalRef: string) => ({ via: 'transfer' as const, cues: [], externalRef });
    const once = step(urgent, { type: 'chase', via: 'phone', repeat, escalation: signal('12345-B') });
    const twice = step(once, { type: 'chase', via: 'phone', repeat, escalation: signal('12305-A') });
    // The second transfer names a body the case already has (12305-A came with it): nothing new to escalate.
    expect(twice).toMatchObject({ severity: 'urgent', externalRefs: ['12305-A', '12345-B'], complaintEscalations: 1, escalatedAt: later(10).toISOString() });
    expect(twice.history.filter((e) => e.type === 'complaint_escalated')).toHaveLength(1);
    expect(twice.history.filter((e) => e.type === 'severity_changed')).toHaveLength(0);
  });

  it('records a threat said again once: only a new body, reference or the media escalate an escalated case again', () => {
    const threat = (note: string) => ({ type: 'chase' as const, via: 'phone' as const, note });
    const once = step(received(), threat('客户称再不处理就打12345'));
    // The same words on every later call (a flood of 2,000 chases said it 2,000 times): the chase is the record.
    const again = step(step(once, threat('客户又来电，称再不处理就打12345'), actors.agent, later(20)), threat('再不处理就打12345'), actors.agent, later(30));
    expect(again).toMatchObject({ complaintEscalations: 1, chaseCount: 3, severity: 'major' });
    expect(again.history.filter((e) => e.type === 'complaint_escalated')).toHaveLength(1);
    // A new body is new: the media must reach quality at once (seed 000 五3(3)).
    const media = step(again, threat('客户说要找记者曝光'), actors.agent, later(40));
    expect(media.complaintEscalations).toBe(2);
    expect(media.history.filter((e) => e.type === 'complaint_escalated').at(-1)?.data).toMatchObject({ via: 'threat', fromSource: 'external' });
    expect(media.escalationCues).toEqual(expect.arrayContaining(['12345']));
    expect(media.escalationCues?.length).toBeGreaterThan(1);
  });

  it('counts a repeat that reopens a closed case and records it', () => {
    const closed = { ...received(), status: 'closed' as const, closedAt: t0.toISOString(), unitId: 'gz-tianhe', round: 1 };
    const c = step(closed, { type: 'reopen', reason: '重复投诉', repeat }, { id: 'rules', role: 'system' });
    expect(c).toMatchObject({ status: 'dispatched', round: 2, priority: true, repeatCount: 1 });
    expect(c.closedAt).toBeUndefined();
  });

  it('links a successor to an ended case once', () => {
    const closed = { ...received(), status: 'closed' as const };
    const linked = linkSuccessor(closed, 'C0000000000000002', { id: 'rules', role: 'system' }, later(60), ctx).complaint;
    expect(linked).toMatchObject({ status: 'closed', linkedCaseIds: ['C0000000000000002'], version: closed.version + 1 });
    expect(linkSuccessor(linked, 'C0000000000000002', { id: 'rules', role: 'system' }, later(61), ctx).events).toEqual([]);
  });
});
