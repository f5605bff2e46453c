/**
 * 延期申请 over HTTP (decision 069): the handler asks, the request waits in the leader's queue
 * (`GET /complaints?extension=requested`, with its count), the leader approves (the reply limit and
 * the complaint's timer move) or refuses (nothing moves). The local stack on a fake clock.
 */
import { describe, expect, it } from 'vitest';
import type { Complaint } from '#domain/model.ts';
import { signToken } from '#local/auth.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { stacksOnFakeClock, type Api } from '#test/support/local.ts';
import { local, sh } from '#test/support/sla.ts';

const stackAt = stacksOnFakeClock();

const mobile = () => `134${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EX${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `ext-${crypto.randomUUID()}`;
const REASON = '需向寄达地邮政调取投递记录和监控录像';

async function settle(a: Api) {
  await a.stack.timers.idle();
  await a.stack.queue.drain();
}
async function post(a: Api, path: string, token: string, body: unknown) {
  const res = await a.request('POST', path, { token, body, headers: { 'idempotency-key': key() } });
  await settle(a);
  return res as { status: number; body: Complaint & { errors?: { path: string; code?: string }[]; code?: string } };
}
async function ok(a: Api, path: string, token: string, body: unknown): Promise<Complaint> {
  const res = await post(a, path, token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
/** A general complaint dispatched to Tianhe's first handler, who signs for it and contacts the complainant: the reply limit is the one that runs. */
async function dispatched(a: Api): Promise<Complaint> {
  const res = await a.request('POST', '/complaints', {
    body: intakeBody({ phone: mobile(), waybillNo: waybill() }),
    headers: { 'idempotency-key': key() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const { id } = res.body as { id: string };
  await ok(a, `/complaints/${id}/assignment`, a.tokens.agent, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' });
  await ok(a, `/complaints/${id}/sign`, a.tokens.handler, {});
  return ok(a, `/complaints/${id}/contact`, a.tokens.handler, { method: 'phone', note: '已电话联系投诉人，说明正在核查' });
}
async function queue(a: Api, token: string): Promise<{ ids: string[]; count: number }> {
  const res = await a.request('GET', '/complaints?extension=requested&count=true&limit=100', { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { ids: (res.body.items as { id: string }[]).map((i) => i.id), count: res.body.count as number };
}
const replyDue = (c: Complaint) => local(c.deadlines.find((d) => d.milestone === 'reply' && d.round === c.round)?.dueAt);
const timersOf = (a: Api, id: string) =>
  a.stack.timers
    .pending()
    .filter((t) => t.payload.complaintId === id)
    .map((t) => t.at.toISOString());
const ask = (id: string, requested: string) =>
  [`/complaints/${id}/extension-requests`, { reason: REASON, requestedDueAt: sh(requested).toISOString() }] as const;

describe('extension requests (延期申请) over HTTP', () => {
  it('the handler asks; the leader’s queue lists it with count 1; approval moves the reply limit and the timer in one write', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const c = await dispatched(api);
    expect(replyDue(c)).toBe('2026-03-07 18:30');
    const other = await dispatched(api);

    const [path, body] = ask(c.id, '2026-03-12 18:30');
    const asked = await ok(api, path, api.tokens.handler, body);
    expect(asked.extensionRequest).toMatchObject({ status: 'open', reason: REASON, by: 'th-handler-1', requestedDueAt: sh('2026-03-12 18:30').toISOString() });
    expect(replyDue(asked)).toBe('2026-03-07 18:30');
    expect(asked.history.at(-1)).toMatchObject({ type: 'extension_requested' });

    // The leader's queue: this case only (the other one asked nothing), counted by the server.
    expect(await queue(api, api.tokens.leader)).toEqual({ ids: [c.id], count: 1 });
    // Quality sees every unit's open requests; another unit's staff see none of Tianhe's.
    expect((await queue(api, api.tokens.quality)).ids).toContain(c.id);
    expect((await queue(api, api.tokens.foreignHandler)).ids).not.toContain(c.id);
    expect((await queue(api, api.tokens.leader)).ids).not.toContain(other.id);

    const timerBefore = timersOf(api, c.id);
    // Signed and contacted: the timer waits for the reply limit's warning.
    expect(timerBefore).toEqual([asked.deadlines.find((d) => d.milestone === 'reply')?.warnAt]);
    const approved = await ok(api, `/complaints/${c.id}/extension-decision`, api.tokens.leader, { approve: true, reason: '同意，需外省协查' });
    // The granted due is the policy's extended limit (decision 069), not the requested time.
    expect(replyDue(approved)).toBe('2026-03-17 18:30');
    expect(approved.extensionRequest).toMatchObject({ status: 'approved', decision: { by: 'th-leader', reason: '同意，需外省协查' } });
    expect(approved.history.slice(-2).map((e) => e.type)).toEqual(['deadline_extended', 'extension_decided']);
    expect(timersOf(api, c.id)).toEqual([approved.nextDueAt]);
    expect(timersOf(api, c.id)).not.toEqual(timerBefore);
    // Decided: it leaves the queue.
    expect(await queue(api, api.tokens.leader)).toEqual({ ids: [], count: 0 });

    // The handler reads the outcome on the case.
    const seen = await api.request('GET', `/complaints/${c.id}`, { token: api.tokens.handler });
    expect(seen.body.history.at(-1)).toMatchObject({ type: 'extension_decided', data: { approved: true } });
  });

  it('a refusal keeps the due and the timer; a second request while one is open is refused with 422 naming the field', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const c = await dispatched(api);
    const [path, body] = ask(c.id, '2026-03-10 18:30');
    await ok(api, path, api.tokens.handler, body);

    const again = await post(api, path, api.tokens.otherHandler, body);
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.body)).toContain('extension-already-requested');
    expect(again.body.errors?.[0]?.path).toBe('reason');

    const timerBefore = timersOf(api, c.id);
    const refused = await ok(api, `/complaints/${c.id}/extension-decision`, api.tokens.leader, { approve: false, reason: '时限内可以完成核查' });
    expect(replyDue(refused)).toBe('2026-03-07 18:30');
    expect(refused.extensionRequest).toMatchObject({ status: 'refused' });
    expect(refused.history.at(-1)).toMatchObject({ type: 'extension_decided', data: { approved: false } });
    expect(timersOf(api, c.id)).toEqual(timerBefore);
    expect(await queue(api, api.tokens.leader)).toEqual({ ids: [], count: 0 });
    // Nothing left to decide.
    expect((await post(api, `/complaints/${c.id}/extension-decision`, api.tokens.leader, { approve: true, reason: '同意延期申请' })).status).toBe(422);
  });

  it('refuses another unit’s leader, a handler deciding, a general case asking past 30 days, and a reply that cancels the open request', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const c = await dispatched(api);
    const yuexiuLeader = signToken({ sub: 'yx-leader', role: 'leader', unitId: 'gz-yuexiu' });
    const [path, body] = ask(c.id, '2026-03-10 18:30');
    // Another unit's leader cannot ask or decide: the case is not theirs to know (404, as for every cross-unit id).
    expect((await post(api, path, yuexiuLeader, body)).status).toBe(404);

    const tooLong = await post(api, path, api.tokens.handler, { ...body, requestedDueAt: sh('2026-04-07 18:31').toISOString() });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors?.[0]?.path).toBe('requestedDueAt');
    const malformed = await post(api, path, api.tokens.handler, { reason: REASON, requestedDueAt: 'next week' });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toContain('requestedDueAt');

    await ok(api, path, api.tokens.handler, body);
    expect((await post(api, `/complaints/${c.id}/extension-decision`, yuexiuLeader, { approve: true, reason: '同意延期申请' })).status).toBe(404);
    expect((await post(api, `/complaints/${c.id}/extension-decision`, api.tokens.handler, { approve: true, reason: '同意延期申请' })).status).toBe(403);
    expect((await queue(api, yuexiuLeader)).ids).not.toContain(c.id);
    expect((await queue(api, api.tokens.leader)).ids).toEqual([c.id]);

    // The reply meets the limit: the rules cancel the open request and it leaves the queue.
    const replied = await ok(
      api,
      `/complaints/${c.id}/replies`,
      api.tokens.handler,
      replyBody({ process: { ...replyBody().process, contactedAt: sh('2026-03-02 09:00').toISOString() } }),
    );
    expect(replied.extensionRequest).toMatchObject({ status: 'cancelled' });
    expect(replied.history.map((e) => e.type)).toContain('extension_cancelled');
    expect(await queue(api, api.tokens.leader)).toEqual({ ids: [], count: 0 });
  });
});
