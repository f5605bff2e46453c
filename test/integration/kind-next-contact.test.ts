/**
 * 受理类型 and the promised next contact (issue 9 items 11 and 6) over HTTP on the local stack with a
 * fake clock: the SMS outbox and the .eml files are what the providers would have sent.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import type { Complaint } from '#domain/model.ts';
import { LOCAL_CHANNEL_SECRET } from '#http/channel.ts';
import { signatureHeaders } from '#http/signature.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { parseEml } from '#test/support/mime.ts';
import { local, sh } from '#test/support/sla.ts';

let api: Api;
// Monday 2026-03-02 09:00 Beijing, an ordinary working day.
const clock = new ManualClock(sh('2026-03-02 09:00'));
const sent: EscalationMessage[] = [];
/** While set, messages are kept here instead of reaching the queue (a consumer running late). */
let held: EscalationMessage[] | undefined;
let send: (messages: EscalationMessage[]) => Promise<void>;
beforeAll(async () => {
  api = await startApi({ clock, rateLimit: false });
  send = api.stack.queue.send.bind(api.stack.queue);
  api.stack.queue.send = async (messages: EscalationMessage[]) => {
    sent.push(...messages);
    if (held) held.push(...messages);
    else await send(messages);
  };
});
afterAll(async () => {
  await api.stack.close();
});

const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `kind-${crypto.randomUUID()}`;
const post = async (path: string, body: unknown, token: string) => {
  const res = await api.request('POST', path, { token, body, headers: { 'idempotency-key': key() } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Complaint;
};
const read = async (id: string) => (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body as Complaint;
const due = (c: Complaint, milestone: string) => c.deadlines.find((d) => d.milestone === milestone);
const smsTo = async (phone: string) => (await readSmsOutbox(api.stack.outboxDir)).filter((l) => l.to === `+86${phone}`);
const mailsAbout = async (prefix: string) =>
  (
    await Promise.all(
      (await readdir(api.stack.outboxDir)).filter((f) => f.endsWith('.eml')).map(async (f) => parseEml(await readFile(join(api.stack.outboxDir, f), 'utf8'))),
    )
  ).filter((m) => m.headers.get('x-dedupe-key')?.startsWith(prefix));
const assign = (id: string) => post(`/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);

/** Filed Monday 09:00, dispatched 09:30, replied at 15:00 unresolved with a promise for Tuesday 10:00. */
async function unresolvedCase() {
  clock.set(sh('2026-03-02 09:00'));
  const phone = mobile();
  const filed = await api.request('POST', '/complaints', { body: intakeBody({ phone, waybillNo: waybill() }), headers: { 'idempotency-key': key() } });
  expect(filed.status).toBe(201);
  const id = filed.body.id as string;
  clock.set(sh('2026-03-02 09:30'));
  await assign(id);
  clock.set(sh('2026-03-02 15:00'));
  const replied = await post(
    `/complaints/${id}/replies`,
    replyBody({
      process: { ...replyBody().process, contactedAt: sh('2026-03-02 14:40').toISOString() },
      result: {
        resolved: false,
        complainantAccepted: true,
        summary: '已向北京发查询单核实邮件下落，明天上午10点前电话告知投诉人结果。',
        nextContactAt: sh('2026-03-03 10:00').toISOString(),
      },
    }),
    api.tokens.handler,
  );
  expect(replied.status).toBe('replied');
  return { id, phone, replied };
}

describe('受理类型 over every door', () => {
  it('files an SMS that asks 查询 as an inquiry with the inquiry limits, told 您的查询已受理, counted by kind in the unit list', async () => {
    // Prepare
    clock.set(sh('2026-03-02 09:00'));
    const phone = mobile();
    const raw = JSON.stringify({
      messageId: `m-${crypto.randomUUID()}`,
      from: phone,
      to: '95580',
      text: '查询一下我寄往北京的邮件现在到哪了',
      receivedAt: clock.now().toISOString(),
    });
    // Act
    const res = await api.request('POST', '/channels/sms', {
      rawBody: raw,
      headers: { 'content-type': 'application/json', ...signatureHeaders(LOCAL_CHANNEL_SECRET, clock.now(), raw) },
    });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const id = res.body.complaintId as string;
    const filed = await read(id);
    expect(filed.kind).toBe('inquiry');
    // Dispatch 2 working hours (11:00) + the inquiry's 2 h first contact (seed 001).
    const receipt = (await smsTo(phone)).filter((l) => l.dedupeKey === `receipt#${id}`).map((l) => l.text);
    expect(receipt).toEqual([`【邮政客服】您的查询已受理，查询码${filed.trackingCode}，我们将于3月2日13:00前与您联系。`]);

    clock.set(sh('2026-03-02 09:20'));
    const dispatched = await assign(id);
    expect([local(due(dispatched, 'first_contact')?.dueAt), local(due(dispatched, 'reply')?.dueAt)]).toEqual(['2026-03-02 11:20', '2026-03-03 09:20']);
    const list = await api.request('GET', '/complaints?unitId=gz-tianhe&status=dispatched&limit=100', { token: api.tokens.agent });
    expect(list.body.items.find((i: { id: string }) => i.id === id)).toMatchObject({ kind: 'inquiry' });
    const track = await api.request('GET', `/track/${filed.trackingCode}`);
    expect([track.body.kind, track.body.kindLabel]).toEqual(['inquiry', '查询']);
  });

  it('takes the kind from the web form and from the IVR menu (6 意见建议 → feedback)', async () => {
    clock.set(sh('2026-03-02 09:00'));
    const web = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: mobile(), waybillNo: waybill(), kind: 'feedback', content: '建议营业厅周末延长营业时间' }),
      headers: { 'idempotency-key': key() },
    });
    expect(web.status).toBe(201);
    expect((await read(web.body.id)).kind).toBe('feedback');

    const raw = JSON.stringify({
      callId: `call-${crypto.randomUUID()}`,
      callerNumber: `+86${mobile()}`,
      menuPath: ['6'],
      transcript: '希望网点多开一个窗口',
      startedAt: clock.now().toISOString(),
    });
    const ivr = await api.request('POST', '/channels/ivr', {
      rawBody: raw,
      headers: { 'content-type': 'application/json', ...signatureHeaders(LOCAL_CHANNEL_SECRET, clock.now(), raw) },
    });
    expect(ivr.status, JSON.stringify(ivr.body)).toBe(200);
    expect((await read(ivr.body.complaintId)).kind).toBe('feedback');
    expect(ivr.body.speech).toMatch(/^您的意见已受理/);
  });
});

describe('the promised next contact', () => {
  it('with no follow-up by the promised Tuesday 10:00: a breach e-mail to the unit’s leaders and a progress SMS to the complainant', async () => {
    // Prepare
    const { id, phone, replied } = await unresolvedCase();
    expect(local(due(replied, 'next_contact')?.dueAt)).toBe('2026-03-03 10:00');
    // Act
    await api.stack.timers.advanceTo(sh('2026-03-03 10:01'));
    await api.stack.queue.drain();
    // Assess
    expect(sent.filter((m) => m.complaintId === id && m.milestone === 'next_contact').map((m) => m.level)).toEqual(['warning', 'breach']);
    const breach = await mailsAbout(`${id}#next_contact#r1#breach`);
    expect(breach).toHaveLength(1);
    expect(breach[0]?.subject).toMatch(/再次联系您 已超时/);
    expect([breach[0]?.headers.get('to'), breach[0]?.headers.get('cc')]).toEqual(['tianhe-leader@example.cn', 'ops-director@example.cn']);
    const progress = (await smsTo(phone)).filter((l) => l.dedupeKey.startsWith(`${id}#progress_update#`));
    expect(progress.map((l) => l.text)).toEqual([expect.stringContaining('处理单位未按约定时间联系您，我们已督促其尽快联系')]);
    expect(Array.from(progress[0]?.text ?? '').length).toBeLessThanOrEqual(70);
    expect(due(await read(id), 'next_contact')?.state).toBe('breached');
  });

  it('a follow-up contact before the promised time meets it: no breach, the case waits for its callback', async () => {
    // Prepare
    const { id } = await unresolvedCase();
    // Act
    clock.set(sh('2026-03-03 09:30'));
    const followed = await post(`/complaints/${id}/contact`, { method: 'phone', note: '按约定电话告知投诉人：邮件已在北京找到，今日投递' }, api.tokens.handler);
    await api.stack.timers.advanceTo(sh('2026-03-03 10:30'));
    await api.stack.queue.drain();
    // Assess
    expect(followed.status).toBe('replied');
    expect(due(followed, 'next_contact')).toMatchObject({ state: 'met', metAt: sh('2026-03-03 09:30').toISOString() });
    expect(sent.filter((m) => m.complaintId === id && m.milestone === 'next_contact' && m.level === 'breach')).toEqual([]);
    expect(await mailsAbout(`${id}#next_contact#r1#breach`)).toEqual([]);
  });

  it('a warning still queued when a re-dispatch cancelled the clock is not sent', async () => {
    // Prepare: the 80 % warning (held to Tuesday 08:30) is decided while the consumer is late
    const { id } = await unresolvedCase();
    held = [];
    await api.stack.timers.advanceTo(sh('2026-03-03 08:31'));
    const late = held.filter((m) => m.complaintId === id && m.milestone === 'next_contact');
    expect(late.map((m) => m.level)).toEqual(['warning']);
    // Act: the centre's callback finds the complainant dissatisfied with the handling → 重处理
    const again = await post(
      `/complaints/${id}/callbacks`,
      { outcome: 'reached', attitude: 'dissatisfied', handlingQuality: 'consistent', dissatisfactionCause: 'poor_handling' },
      api.tokens.agent,
    );
    const queued = held;
    held = undefined;
    await send(queued);
    await api.stack.queue.drain();
    // Assess
    expect(again.status).toBe('dispatched');
    expect(due(again, 'next_contact')?.state).toBe('cancelled');
    expect(await mailsAbout(`${id}#next_contact#r1#warning`)).toEqual([]);
  });
});
