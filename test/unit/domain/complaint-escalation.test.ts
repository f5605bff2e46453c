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
    expect(twice).toMatchObject({ severity: 'urgent', externalRefs: ['12305-A', '12345-B'], complaintEscalations: 2, escalatedAt: later(10).toISOString() });
    expect(twice.history.filter((e) => e.type === 'severity_changed')).toHaveLength(0);
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
