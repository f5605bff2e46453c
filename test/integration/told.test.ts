/**
 * The complainant is told (issue 9 item 8) and withdrawal under pressure (item 9), over HTTP on the
 * local stack with a fake clock: SMS outbox lines and .eml files are what the providers would send.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { parseEml } from '#test/support/mime.ts';
import { sh } from '#test/support/sla.ts';
import { shanghaiMonthDay } from '#domain/shanghai-time.ts';

const DAY = 24 * 3_600_000;
let api: Api;
// Tuesday 10:00 Beijing: dispatch due 12:00 (2 working hours of the centre), first contact 24 h later.
const clock = new ManualClock(sh('2026-12-01 10:00'));
beforeAll(async () => {
  api = await startApi({ clock, rateLimit: false });
});
afterAll(async () => {
  await api.stack.close();
});

const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
async function file(phone = mobile()) {
  const res = await api.request('POST', '/complaints', {
    body: intakeBody({ phone, waybillNo: waybill() }),
    headers: { 'idempotency-key': `k-${crypto.randomUUID()}` },
  });
  expect(res.status).toBe(201);
  return { ...(res.body as { id: string; trackingCode: string }), phone };
}
const assign = (id: string) =>
  api.request('POST', `/complaints/${id}/assignment`, { token: api.tokens.agent, body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' } });
const smsTo = async (phone: string) => (await readSmsOutbox(api.stack.outboxDir)).filter((l) => l.to === `+86${phone}`);
const history = async (id: string) =>
  (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body.history as { type: string; data?: Record<string, unknown> }[];
/** The quality manager's mails about a contested withdrawal (a major case also mails its leaders). */
const contestMails = async (id: string) =>
  (
    await Promise.all(
      (await readdir(api.stack.outboxDir)).filter((f) => f.endsWith('.eml')).map(async (f) => parseEml(await readFile(join(api.stack.outboxDir, f), 'utf8'))),
    )
  ).filter((m) => m.headers.get('x-dedupe-key')?.startsWith(`${id}#withdrawal_contested#`));

describe('the complainant is told', () => {
  it('the receipt promises the planned first contact: dispatch due plus 24 hours', async () => {
    clock.set(sh('2026-12-01 10:00'));
    const { id, trackingCode, phone } = await file();
    const receipt = (await smsTo(phone)).filter((l) => l.dedupeKey === `receipt#${id}`);
    expect(receipt.map((l) => l.text)).toEqual([`【邮政客服】您的投诉已受理，查询码${trackingCode}，我们将于12月2日12:00前与您联系。`]);
  });

  it("the receipt's promise is the suggested unit's plan: an office-hours unit's first contact falls after its weekend", async () => {
    // Friday 2027-01-29 10:00: a fee complaint goes to gz-branch (office hours, not every day).
    clock.set(sh('2027-01-29 10:00'));
    const phone = mobile();
    const res = await api.request('POST', '/complaints', {
      body: intakeBody({
        phone,
        waybillNo: waybill().replace(/^EA/, 'KA'),
        category: 'fee',
        region: '广东省广州市',
        content: '寄件时多收了运费，要求退还差价。',
      }),
      headers: { 'idempotency-key': `k-${crypto.randomUUID()}` },
    });
    expect(res.status).toBe(201);
    const { id, trackingCode } = res.body as { id: string; trackingCode: string };
    const before = (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body as {
      suggestedUnitId: string;
      firstContactEstimate?: string;
      deadlines: { milestone: string; dueAt: string }[];
    };
    expect(before.suggestedUnitId).toBe('gz-branch');
    const dispatchDue = before.deadlines.find((d) => d.milestone === 'dispatch')?.dueAt as string;

    // Dispatched to the suggested unit at its dispatch deadline, the latest the centre may: the plan then.
    clock.set(new Date(dispatchDue));
    const assigned = await api.request('POST', `/complaints/${id}/assignment`, {
      token: api.tokens.agent,
      body: { unitId: 'gz-branch', handlerId: 'br-handler-1' },
    });
    expect(assigned.status).toBe(200);
    const after = (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body as {
      firstContactEstimate?: string;
      deadlines: { milestone: string; dueAt: string }[];
    };
    const planned = new Date(after.deadlines.find((d) => d.milestone === 'first_contact')?.dueAt as string);
    // The estimate was the plan; once the clock runs, the deadline itself is the promise.
    expect(before.firstContactEstimate).toBe(planned.toISOString());
    expect(after.firstContactEstimate).toBeUndefined();
    // Not Saturday 01-30 12:00 (dispatch due + 24 h of wall clock): inside the unit's next working day.
    expect(planned.getTime()).toBeGreaterThan(sh('2027-01-30 12:00').getTime());
    const receipt = (await smsTo(phone)).filter((l) => l.dedupeKey === `receipt#${id}`);
    expect(receipt).toHaveLength(1);
    expect(receipt[0]?.text).toContain(`查询码${trackingCode}`);
    expect(receipt[0]?.text).toContain(`我们将于${shanghaiMonthDay(planned)}前与您联系`);
    expect(receipt[0]?.text).not.toContain('1月30日');
  });

  it('the result goes by SMS on closure, once, and the history says so', async () => {
    clock.set(sh('2026-12-01 10:00'));
    const { id, phone, trackingCode } = await file();
    await assign(id);
    clock.advance(3_600_000);
    const reply = await api.request('POST', `/complaints/${id}/replies`, {
      token: api.tokens.handler,
      body: replyBody({ process: { ...replyBody().process, contactedAt: clock.now().toISOString() } }),
    });
    expect(reply.status).toBe(200);
    const closed = await api.request('POST', `/complaints/${id}/callbacks`, {
      token: api.tokens.agent,
      body: { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent', comments: '满意' },
    });
    expect(closed.body.status).toBe('closed');
    await api.stack.queue.drain();
    const results = (await smsTo(phone)).filter((l) => l.dedupeKey.startsWith(`${id}#result#`));
    expect(results).toHaveLength(1);
    expect(results[0]?.text).toMatch(new RegExp(`^【邮政客服】您的投诉（查询码${trackingCode}）已办结`));
    expect(Array.from(results[0]?.text ?? '').length).toBeLessThanOrEqual(70);
    expect((await history(id)).filter((e) => e.type === 'complainant_informed')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ milestone: 'result', channel: 'sms' }) }),
    ]);
  });

  it('暂结 for the customer’s own schedule tells the reason by SMS', async () => {
    const { id, phone } = await file();
    await assign(id);
    const suspended = await api.request('POST', `/complaints/${id}/suspension`, {
      token: api.tokens.agent,
      body: { reason: 'customer_schedule', note: '投诉人出差至下月，约定回来后再处理' },
    });
    expect(suspended.status).toBe(200);
    await api.stack.queue.drain();
    const told = (await smsTo(phone)).filter((l) => l.dedupeKey.startsWith(`${id}#suspension#`));
    expect(told.map((l) => l.text)).toEqual([expect.stringContaining('已暂结，原因：需按您的时间安排再处理')]);
  });

  it('the tracking page names the 12305 appeal route once 7 days have passed without an answer', async () => {
    clock.set(sh('2026-12-01 10:00'));
    const { id, trackingCode } = await file();
    await assign(id);
    expect((await api.request('GET', `/track/${trackingCode}`)).body.appeal).toBeUndefined();
    clock.advance(7 * DAY);
    const track = await api.request('GET', `/track/${trackingCode}`);
    expect(track.body.appeal).toEqual({ hotline: '12305', since: sh('2026-12-08 10:00').toISOString() });
  });

  it('a withdrawn case shows no pending deadline on the tracking page', async () => {
    clock.set(sh('2026-12-01 10:00'));
    const { id, trackingCode } = await file();
    await assign(id);
    const withdrawn = await api.request('POST', `/complaints/${id}/withdrawal`, {
      token: api.tokens.agent,
      body: { voluntary: true, confirmedVia: 'phone', note: '本人确认自愿撤诉' },
    });
    expect(withdrawn.body.status).toBe('withdrawn');
    const track = await api.request('GET', `/track/${trackingCode}`);
    expect(track.body.deadlines.filter((d: { state: string }) => d.state !== 'met')).toEqual([]);
  });
});

describe('withdrawal under pressure (seed 004: 撤诉须经投诉人确认系自愿)', () => {
  it('records the contested withdrawal, keeps the case open and e-mails the quality manager', async () => {
    clock.set(sh('2026-12-01 10:00'));
    const { id, trackingCode } = await file();
    await assign(id);
    // Act
    const res = await api.request('POST', `/complaints/${id}/withdrawal`, {
      token: api.tokens.agent,
      body: { voluntary: false, confirmedVia: 'phone', note: '投诉人称网点要求其撤诉，并非本人意愿' },
    });
    await api.stack.queue.drain();
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('dispatched');
    expect((await history(id)).map((e) => e.type)).toEqual(expect.arrayContaining(['withdrawal_contested', 'escalated']));
    const mails = await contestMails(id);
    expect(mails.map((m) => m.headers.get('to'))).toEqual(['quality@example.cn']);
    expect(mails[0]?.subject).toContain('投诉人表示撤诉非自愿，请调查');
    expect(mails[0]?.parts[0]?.body).toContain('并非自愿撤诉');
    const track = await api.request('GET', `/track/${trackingCode}`);
    expect(track.body.status).toBe('dispatched');
  });

  it('a retried contest sends no second e-mail', async () => {
    const { id } = await file();
    await assign(id);
    const body = { voluntary: false, confirmedVia: 'phone', note: '非本人意愿' };
    const headers = { 'idempotency-key': `w-${crypto.randomUUID()}` };
    await api.request('POST', `/complaints/${id}/withdrawal`, { token: api.tokens.agent, body, headers });
    const again = await api.request('POST', `/complaints/${id}/withdrawal`, { token: api.tokens.agent, body, headers });
    await api.stack.queue.drain();
    expect(again.status).toBe(200);
    expect(await contestMails(id)).toHaveLength(1);
  });
});
