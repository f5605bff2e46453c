/**
 * 投诉升级 and repeats after reply or closure (SPEC "Intake", issue 9 items 2 and 3, decision 043),
 * through the real local stack on a fake clock: intake over HTTP, the timer wheel, the escalation
 * consumer and its .eml outbox.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '#adapters/local/clock.ts';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { LOCAL_CHANNEL_SECRET } from '#http/channel.ts';
import { signatureHeaders } from '#http/signature.ts';
import type { Complaint } from '#domain/model.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { stacksOnFakeClock, type Api } from '#test/support/local.ts';

const stackAt = stacksOnFakeClock();

const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EB${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `rep-${crypto.randomUUID()}`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const publicIntake = (a: Api, body: Record<string, unknown>) =>
  a.request('POST', '/complaints', { body: intakeBody(body), headers: { 'idempotency-key': key() } });
const staffIntake = (a: Api, body: Record<string, unknown>) =>
  a.request('POST', '/staff/complaints', { token: a.tokens.agent, body: intakeBody(body), headers: { 'idempotency-key': key() } });
const read = async (a: Api, id: string) => (await a.request('GET', `/complaints/${id}`, { token: a.tokens.agent })).body as Complaint;
const post = async (a: Api, path: string, body: unknown, token: string) => {
  const res = await a.request('POST', path, { token, body, headers: { 'idempotency-key': key() } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Complaint;
};
/** The case's steps, without the consumer's record that a result SMS went out (it lands whenever the queue drains). */
const steps = (c: Complaint) => c.history.filter((e) => e.type !== 'complainant_informed');
const types = (c: Complaint) => steps(c).map((e) => e.type);

/** A case filed on the public form by `phone` about `waybillNo`, taken through to the reply. */
async function repliedCase(a: Api, clock: ManualClock, phone: string, waybillNo: string): Promise<string> {
  const filed = await publicIntake(a, { phone, waybillNo });
  expect(filed.status).toBe(201);
  const id = filed.body.id as string;
  await post(a, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, a.tokens.agent);
  await post(a, `/complaints/${id}/contact`, { method: 'phone', note: '已电话联系投诉人，说明正在核查' }, a.tokens.handler);
  await post(a, `/complaints/${id}/replies`, replyBody({ process: { ...replyBody().process, contactedAt: clock.now().toISOString() } }), a.tokens.handler);
  return id;
}

async function closedCase(a: Api, clock: ManualClock, phone: string, waybillNo: string): Promise<string> {
  const id = await repliedCase(a, clock, phone, waybillNo);
  const closed = await post(a, `/complaints/${id}/callbacks`, { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' }, a.tokens.agent);
  expect(closed.status).toBe('closed');
  return id;
}

describe('投诉升级: a transfer or a threat about an open case', () => {
  it('makes an open case external on a 12345 transfer: every reference kept, raised to major, leaders e-mailed, callback limit 2 h', async () => {
    // Prepare: a plain web complaint, dispatched and being handled.
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const filed = await publicIntake(api, { phone, waybillNo });
    const id = filed.body.id as string;
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    expect((await read(api, id)).severity).toBe('general');

    // Act: the centre files the 12345 transfer, then a 12305 one, about the same waybill.
    clock.advance(HOUR);
    const transfer = await staffIntake(api, {
      phone,
      waybillNo,
      channel: 'transfer',
      source: 'external',
      externalRef: '12345-2026-0301',
      content: '市民热线转办：邮件延误未处理。',
    });
    clock.advance(HOUR);
    await staffIntake(api, {
      phone,
      waybillNo,
      channel: 'transfer',
      source: 'external',
      externalRef: '12305-2026-0777',
      content: '邮政管理局转办：同一邮件延误。',
    });
    await api.stack.timers.advanceTo(new Date(clock.now().getTime() + 60_000));
    await api.stack.queue.drain();

    // Assess: the same case, upgraded and counted; the leaders' notice went out.
    expect(transfer.status).toBe(200);
    expect(transfer.body).toMatchObject({ id, outcome: 'repeat' });
    const upgraded = await read(api, id);
    expect(upgraded).toMatchObject({
      source: 'external',
      externalRefs: ['12345-2026-0301', '12305-2026-0777'],
      severity: 'major',
      complaintEscalations: 2,
      repeatCount: 2,
    });
    expect(upgraded.severityReasons[0]).toMatch(/^complaint_escalated: /);
    expect(types(upgraded).filter((t) => t === 'complaint_escalated')).toHaveLength(2);
    expect(types(upgraded)).toContain('leaders_notified');
    const mails = (await readdir(api.stack.outboxDir)).filter((f) => f.includes(id) && f.endsWith('.eml'));
    const leaders = await Promise.all(mails.map((f) => readFile(join(api.stack.outboxDir, f), 'utf8')));
    expect(leaders.some((m) => /^To: tianhe-leader@example\.cn/m.test(m))).toBe(true);

    // The external callback limit: 2 hours from the unit's reply.
    await post(api, `/complaints/${id}/contact`, { method: 'phone', note: '已电话联系投诉人' }, api.tokens.handler);
    const replied = await post(
      api,
      `/complaints/${id}/replies`,
      replyBody({ process: { ...replyBody().process, contactedAt: clock.now().toISOString() } }),
      api.tokens.handler,
    );
    const callback = replied.deadlines.find((d) => d.milestone === 'callback');
    expect(Date.parse(callback?.dueAt ?? '') - Date.parse(callback?.startedAt ?? '')).toBe(2 * HOUR);
  });

  it('does not let a stranger’s public repeat that names 12345 escalate the case', async () => {
    // Prepare: an open case; someone who read the parcel label knows phone and waybill.
    const { api } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const id = (await publicIntake(api, { phone, waybillNo })).body.id as string;

    // Act
    const res = await publicIntake(api, { phone, waybillNo, content: '再不处理我就打12345市长热线投诉，还要发到网上曝光！' });

    // Assess: recorded as a repeat, nothing upgraded.
    expect(res.status).toBe(201);
    const after = await read(api, id);
    expect(after).toMatchObject({ source: 'customer', severity: 'general', repeatCount: 1 });
    expect(after.complaintEscalations).toBeUndefined();
    expect(types(after)).not.toContain('complaint_escalated');
  });

  it('escalates on a signed SMS from the complainant’s own phone that says they will call 12345', async () => {
    // Prepare: a web complaint; the SMS integrator signs what the operator delivered from that phone.
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const phone = mobile();
    const id = (await publicIntake(api, { phone, waybillNo: 'EA123456785CN' })).body.id as string;
    const raw = JSON.stringify({
      messageId: `msg-${crypto.randomUUID()}`,
      from: `+86${phone}`,
      to: '95580',
      text: '邮件EA123456785CN还没到，明天我就打12345投诉',
      receivedAt: clock.now().toISOString(),
    });

    // Act
    const res = await api.request('POST', '/channels/sms', {
      rawBody: raw,
      headers: { 'content-type': 'application/json', ...signatureHeaders(LOCAL_CHANNEL_SECRET, clock.now(), raw) },
    });

    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await read(api, id);
    expect(after).toMatchObject({ source: 'external', severity: 'major', complaintEscalations: 1, chaseCount: 1 });
    expect(after.history.find((e) => e.type === 'complaint_escalated')?.data).toMatchObject({ via: 'threat', cues: ['12345'] });
  });

  it('escalates on a staff-taken repeat in which the complainant says they have gone to the provincial company', async () => {
    const { api } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const id = (await publicIntake(api, { phone, waybillNo })).body.id as string;

    await staffIntake(api, { phone, waybillNo, channel: 'phone', content: '客户来电称已经向省公司投诉了，邮件仍未到。' });

    const after = await read(api, id);
    expect(after).toMatchObject({ source: 'external', severity: 'major', complaintEscalations: 1 });
    expect(after.externalRefs).toBeUndefined();
    expect(after.history.find((e) => e.type === 'complaint_escalated')?.data).toMatchObject({ via: 'threat', cues: ['省公司'] });
  });
});

describe('repeats after reply or closure', () => {
  it('reopens a case closed 10 days ago as round 2 with priority, counting the repeat', async () => {
    // Prepare
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const id = await closedCase(api, clock, phone, waybillNo);

    const smsWithCode = async (code: string) => (await readSmsOutbox(api.stack.outboxDir)).filter((t) => t.text.includes(code)).length;
    const code = (await read(api, id)).trackingCode;
    // The result SMS of the closure (it carries the code too) is delivered before counting.
    await api.stack.queue.drain();
    const before = await smsWithCode(code);

    // Act
    clock.advance(10 * DAY);
    const res = await publicIntake(api, { phone, waybillNo, content: '上次说投递了，其实还是没收到。' });

    // Assess: the same case, reopened by the system; the public answer is still a plain receipt.
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(id);
    const reopened = await read(api, id);
    expect(reopened).toMatchObject({ status: 'dispatched', round: 2, priority: true, repeatCount: 1 });
    expect(reopened.closedAt).toBeUndefined();
    expect(types(reopened).slice(-2)).toEqual(['reopened', 'repeat_linked']);
    expect(steps(reopened).at(-2)?.actor).toMatchObject({ role: 'system' });
    expect(reopened.deadlines.some((d) => d.milestone === 'reply' && d.round === 2 && d.state === 'pending')).toBe(true);
    // The case's own code went by SMS to the phone on file only (decision 030).
    expect(await smsWithCode(code)).toBe(before + 1);
  });

  it('reopens once for two concurrent repeats and for a retried one, counting each repeat', async () => {
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const id = await closedCase(api, clock, phone, waybillNo);
    clock.advance(3 * DAY);
    const retried = key();

    const results = await Promise.all([
      staffIntake(api, { phone, waybillNo, channel: 'phone', content: '第一次来电：还是没收到。' }),
      staffIntake(api, { phone, waybillNo, channel: 'walk_in', content: '到营业厅：还是没收到。' }),
    ]);
    const body = intakeBody({ phone, waybillNo, channel: 'phone', content: '重试的来电' });
    const first = await api.request('POST', '/staff/complaints', { token: api.tokens.agent, body, headers: { 'idempotency-key': retried } });
    const again = await api.request('POST', '/staff/complaints', { token: api.tokens.agent, body, headers: { 'idempotency-key': retried } });

    expect([...results, first, again].map((r) => [r.status, r.body.id])).toEqual([200, 200, 200, 200].map((s) => [s, id]));
    const after = await read(api, id);
    expect(types(after).filter((t) => t === 'reopened')).toHaveLength(1);
    expect(after).toMatchObject({ status: 'dispatched', round: 2, repeatCount: 3 });
  });

  it('opens a new case linked to the old one 40 days after closure, and the old one records the link', async () => {
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const oldId = await closedCase(api, clock, phone, waybillNo);

    clock.advance(40 * DAY);
    const res = await staffIntake(api, { phone, waybillNo, channel: 'phone', content: '同一邮件的问题又出现了。' });

    expect(res.status).toBe(201);
    const fresh = await read(api, res.body.id as string);
    expect(fresh.id).not.toBe(oldId);
    expect(fresh).toMatchObject({ status: 'received', previousCaseId: oldId, repeatCount: 1 });
    expect(fresh.history[0]?.data).toMatchObject({ previousCaseId: oldId, repeat: true });
    const old = await read(api, oldId);
    expect(old).toMatchObject({ status: 'closed', linkedCaseIds: [fresh.id] });
    expect(types(old).at(-1)).toBe('case_linked');
  });

  it('opens a new linked case after a withdrawal, however recent', async () => {
    const { api } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const oldId = (await publicIntake(api, { phone, waybillNo })).body.id as string;
    await post(api, `/complaints/${oldId}/withdrawal`, { voluntary: true, confirmedVia: 'phone', note: '本人确认自愿撤诉' }, api.tokens.agent);

    const res = await staffIntake(api, { phone, waybillNo, channel: 'phone', content: '撤诉后邮件仍未到，再次投诉。' });

    expect(res.status).toBe(201);
    expect(await read(api, res.body.id as string)).toMatchObject({ previousCaseId: oldId, repeatCount: 1 });
    expect((await read(api, oldId)).linkedCaseIds).toEqual([res.body.id]);
  });

  it('reopens a suspended (暂结) case on a repeat', async () => {
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const id = await repliedCase(api, clock, phone, waybillNo);
    await post(api, `/complaints/${id}/suspension`, { reason: 'solution_refused', note: '已提出合理赔偿方案，客户拒绝' }, api.tokens.agent);

    clock.advance(50 * DAY);
    await staffIntake(api, { phone, waybillNo, channel: 'phone', content: '还是要求解决。' });

    expect(await read(api, id)).toMatchObject({ status: 'dispatched', round: 2, priority: true, repeatCount: 1 });
  });

  it('upgrades a case it reopens when the repeat is a transfer', async () => {
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const [phone, waybillNo] = [mobile(), waybill()];
    const id = await closedCase(api, clock, phone, waybillNo);

    clock.advance(5 * DAY);
    await staffIntake(api, { phone, waybillNo, channel: 'transfer', source: 'external', externalRef: '12305-2026-1234', content: '邮政管理局转办。' });

    expect(await read(api, id)).toMatchObject({
      status: 'dispatched',
      round: 2,
      source: 'external',
      externalRefs: ['12305-2026-1234'],
      severity: 'major',
      complaintEscalations: 1,
    });
  });
});
