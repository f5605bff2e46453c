/**
 * Deadlines in years without a State Council notice (2027+), through the real local stack on a
 * fake clock: they follow the provisional calendar (lunar 春节, predicted 调休) and say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import type { Complaint } from '#domain/model.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { local, sh } from '#test/support/sla.ts';

let api: Api | undefined;
afterEach(async () => {
  await api?.stack.close();
  api = undefined;
});

const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EB${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `cal-${crypto.randomUUID()}`;

async function fileAndDispatch(a: Api, unitId: string, handlerId: string) {
  const res = await a.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }), headers: { 'idempotency-key': key() } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const { id, trackingCode } = res.body as { id: string; trackingCode: string };
  const received = (await a.request('GET', `/complaints/${id}`, { token: a.tokens.agent })).body as Complaint;
  const assigned = await a.request('POST', `/complaints/${id}/assignment`, {
    token: a.tokens.agent,
    body: { unitId, handlerId },
    headers: { 'idempotency-key': key() },
  });
  expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  return { id, trackingCode, received, dispatched: assigned.body as Complaint };
}

const deadline = (c: Complaint, milestone: string) => c.deadlines.find((d) => d.milestone === milestone);

describe('deadlines on the provisional calendar (no notice loaded for 2027)', () => {
  it('keeps the reply of a complaint dispatched on Friday 2027-01-29 to an office-hours branch out of 春节 and marks it provisional', async () => {
    // Prepare: provisional 2027 — 除夕 02-05 … 02-13 off, Sunday 01-31 a predicted make-up day
    const clock = new ManualClock(sh('2027-01-29 10:00'));
    api = await startApi({ clock, rateLimit: false });
    // Act
    const { dispatched, trackingCode } = await fileAndDispatch(api, 'gz-branch', 'br-handler-1');
    // Assess: 5 working days: 01-31 (make-up Sunday), 02-01, 02-02, 02-03, 02-04 — not 除夕 02-05
    const reply = deadline(dispatched, 'reply');
    expect(local(reply?.dueAt)).toBe('2027-02-04 18:30');
    expect(reply?.provisional).toBe(true);
    const track = await api.request('GET', `/track/${trackingCode}`);
    const tracked = (track.body.deadlines as Array<{ milestone: string; provisional?: boolean; label: string }>).find((d) => d.milestone === 'reply');
    expect(tracked?.provisional).toBe(true);
    expect(tracked?.label).toContain('预计');
  });

  it('puts the reply of a complaint dispatched on 2027-02-03 after the 春节 holidays, not in the middle of them', async () => {
    const clock = new ManualClock(sh('2027-02-03 10:00'));
    api = await startApi({ clock, rateLimit: false });
    const { dispatched } = await fileAndDispatch(api, 'gz-branch', 'br-handler-1');
    // 02-04, then 02-05…02-13 off, 02-14 (make-up Sunday), 02-15, 02-16, 02-17
    expect(local(deadline(dispatched, 'reply')?.dueAt)).toBe('2027-02-17 18:30');
    expect(deadline(dispatched, 'reply')?.provisional).toBe(true);
  });

  it('does not put the dispatch of a complaint received on 2026-12-31 17:00 on 元旦 2027, and marks it provisional', async () => {
    const clock = new ManualClock(sh('2026-12-31 17:00'));
    api = await startApi({ clock, rateLimit: false });
    // Filed by the centre: the staff answer carries the deadlines (the public receipt reveals none, decision 030).
    const res = await api.request('POST', '/staff/complaints', {
      token: api.tokens.agent,
      body: intakeBody({ phone: mobile(), waybillNo: waybill() }),
      headers: { 'idempotency-key': key() },
    });
    expect(res.status).toBe(201);
    // the receipt says so too
    expect((res.body as { deadlines: Array<{ milestone: string; provisional?: true }> }).deadlines.find((d) => d.milestone === 'dispatch')?.provisional).toBe(
      true,
    );
    const c = (await api.request('GET', `/complaints/${(res.body as { id: string }).id}`, { token: api.tokens.agent })).body as Complaint;
    // 2 working hours: 17:00–18:30 on 12-31, then 30 min on Monday 01-04 (01-01…01-03 off)
    expect(local(deadline(c, 'dispatch')?.dueAt)).toBe('2027-01-04 09:00');
    expect(deadline(c, 'dispatch')?.provisional).toBe(true);
  });

  it('leaves deadlines wholly inside an official year unmarked', async () => {
    const clock = new ManualClock(sh('2026-09-30 17:00'));
    api = await startApi({ clock, rateLimit: false });
    const { received } = await fileAndDispatch(api, 'gz-branch', 'br-handler-1');
    expect(deadline(received, 'dispatch')?.provisional).toBeUndefined();
  });
});
