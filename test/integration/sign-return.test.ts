/**
 * 签收 and 退回 over HTTP on the local stack (dynalite, the real handlers, the timer wheel firing the
 * real sla-check, the real escalation consumer writing .eml files) on a fake clock. Decision 047.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Complaint } from '#domain/model.ts';
import { signToken } from '#local/auth.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { stacksOnFakeClock, type Api } from '#test/support/local.ts';
import { parseEml, type ParsedMail } from '#test/support/mime.ts';
import { sh } from '#test/support/sla.ts';

const stackAt = stacksOnFakeClock();

const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EB${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `sr-${crypto.randomUUID()}`;
const yuexiu = signToken({ sub: 'yx-handler-1', role: 'handler', unitId: 'gz-yuexiu' });
const reason = '收件地址为越秀区东风中路，属越秀揽投部投递段';

async function file(a: Api) {
  const res = await a.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }), headers: { 'idempotency-key': key() } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; trackingCode: string };
}
const send = (a: Api, path: string, body: unknown, token: string) => a.request('POST', path, { token, body, headers: { 'idempotency-key': key() } });
const post = async (a: Api, path: string, body: unknown, token: string) => {
  const res = await send(a, path, body, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Complaint;
};
const mailsAbout = async (a: Api, id: string): Promise<ParsedMail[]> => {
  const dir = a.stack.outboxDir;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.eml')).sort();
  const mails = await Promise.all(files.map(async (f) => parseEml(await readFile(join(dir, f), 'utf8'))));
  return mails.filter((m) => m.headers.get('x-dedupe-key')?.startsWith(`${id}#sign#`));
};
const worklistRow = async (a: Api, token: string, id: string) => {
  const res = await a.request('GET', '/complaints', { token });
  expect(res.status).toBe(200);
  return (res.body.items as { id: string }[]).find((i) => i.id === id) as Record<string, unknown> | undefined;
};

describe('签收 over HTTP', () => {
  it('warns the handler at 16 working minutes and e-mails the leader and the operations director at the breach, naming 签收', async () => {
    const { api } = await stackAt('2026-03-03 10:00');
    const { id } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    expect(await worklistRow(api, api.tokens.handler, id)).toMatchObject({ signed: false, signDueAt: sh('2026-03-03 10:20').toISOString() });

    await api.stack.timers.advanceTo(sh('2026-03-03 10:17'));
    await api.stack.queue.drain();
    const warned = await mailsAbout(api, id);
    expect(warned.map((m) => m.headers.get('x-dedupe-key'))).toEqual([`${id}#sign#r1#warning`]);
    expect(warned[0]?.headers.get('to')).toBe('tianhe-h1@example.cn');
    expect(warned[0]?.subject).toContain('处理单位签收 即将到期');

    await api.stack.timers.advanceTo(sh('2026-03-03 10:26'));
    await api.stack.queue.drain();
    const breach = (await mailsAbout(api, id)).find((m) => m.headers.get('x-dedupe-key') === `${id}#sign#r1#breach`);
    // The timer fires at the deadline itself, so the breach goes out at once.
    expect(breach?.subject).toBe(`【投诉超时·一般】${id} 处理单位签收 已超时 不足1分钟`);
    expect(breach?.headers.get('to')).toBe('tianhe-leader@example.cn');
    expect(breach?.headers.get('cc')).toBe('ops-director@example.cn');
    expect(breach?.parts[0]?.body).toContain('处理单位签收（第1次转发），应于 2026-03-03 10:20 前完成');

    // Signed late: the clock stays breached (on-time rate), the worklist shows it signed.
    const signed = await post(api, `/complaints/${id}/sign`, {}, api.tokens.handler);
    expect(signed.signedAt).toBe(sh('2026-03-03 10:26').toISOString());
    expect(signed.deadlines.find((d) => d.milestone === 'sign')).toMatchObject({ state: 'breached', metAt: sh('2026-03-03 10:26').toISOString() });
    expect(await worklistRow(api, api.tokens.handler, id)).toMatchObject({ signed: true, signedAt: signed.signedAt });
  });

  it('refuses a stranger unit (404) and the centre (403), and a second sign with a problem body (409)', async () => {
    const { api } = await stackAt('2026-03-03 10:00');
    const { id } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    expect((await send(api, `/complaints/${id}/sign`, {}, yuexiu)).status).toBe(404);
    expect((await send(api, `/complaints/${id}/return`, { reason }, yuexiu)).status).toBe(404);
    expect((await send(api, `/complaints/${id}/sign`, {}, api.tokens.agent)).status).toBe(403);
    await post(api, `/complaints/${id}/sign`, {}, api.tokens.handler);
    const again = await send(api, `/complaints/${id}/sign`, {}, api.tokens.leader);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'already-signed', status: 409 });
  });
});

describe('退回 over HTTP', () => {
  it('return → the centre re-dispatches → the new unit signs → contact → reply → callback → closed', async () => {
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const { id, trackingCode } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);

    clock.set(sh('2026-03-03 10:10'));
    const vague = await send(api, `/complaints/${id}/return`, { reason: '不是我们单位的，派错了' }, api.tokens.handler);
    expect(vague.status).toBe(422);
    expect(vague.body).toMatchObject({ code: 'return-reason-vague', errors: [{ path: 'reason' }] });
    const returned = await post(api, `/complaints/${id}/return`, { reason, suggestedUnitId: 'gz-yuexiu' }, api.tokens.handler);
    expect(returned).toMatchObject({ status: 'returned', returnCount: 1 });

    // The complainant sees it in progress; the centre finds it in its 退回待裁定 list.
    const track = await api.request('GET', `/track/${trackingCode}`);
    expect(track.body).toMatchObject({ status: 'dispatched', statusLabel: '处理中' });
    expect(JSON.stringify(track.body)).not.toContain('退回');
    const centre = await api.request('GET', '/complaints?status=returned', { token: api.tokens.agent });
    expect(centre.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect((await send(api, `/complaints/${id}/contact`, { method: 'phone', note: '电话联系' }, api.tokens.handler)).status).toBe(409);

    clock.set(sh('2026-03-03 10:40'));
    const moved = await post(
      api,
      `/complaints/${id}/return-decision`,
      { decision: 'redispatch', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1' },
      api.tokens.agent,
    );
    expect(moved).toMatchObject({ status: 'dispatched', unitId: 'gz-yuexiu', dispatchCount: 2 });
    expect(await worklistRow(api, yuexiu, id)).toMatchObject({ signed: false, signDueAt: sh('2026-03-03 11:00').toISOString() });
    expect(await worklistRow(api, api.tokens.handler, id)).toBeUndefined();

    clock.set(sh('2026-03-03 10:45'));
    const signed = await post(api, `/complaints/${id}/sign`, {}, yuexiu);
    expect(signed.deadlines.filter((d) => d.milestone === 'sign').map((d) => [d.round, d.state])).toEqual([
      [1, 'met'],
      [2, 'met'],
    ]);
    await post(api, `/complaints/${id}/contact`, { method: 'phone', note: '已电话联系投诉人，说明正在核查' }, yuexiu);
    clock.set(sh('2026-03-03 14:00'));
    await post(api, `/complaints/${id}/replies`, replyBody({ process: { ...replyBody().process, contactedAt: sh('2026-03-03 13:00').toISOString() } }), yuexiu);
    const closed = await post(
      api,
      `/complaints/${id}/callbacks`,
      { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' },
      api.tokens.agent,
    );
    expect(closed.status).toBe('closed');
    const types = closed.history.map((e) => e.type);
    expect(types.filter((t) => ['dispatched', 'signed', 'returned', 'return_decided'].includes(t))).toEqual([
      'dispatched',
      'returned',
      'return_decided',
      'dispatched',
      'signed',
    ]);
    // The centre's ruling was its own clock (dispatch limit), met by the ruling.
    expect(closed.deadlines.find((d) => d.milestone === 'dispatch' && d.round === 1)).toMatchObject({ state: 'met' });
  });

  it('return rejected → back to the same unit, which signs again and handles it; a second return is refused', async () => {
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const { id } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    clock.set(sh('2026-03-03 10:05'));
    await post(api, `/complaints/${id}/return`, { reason }, api.tokens.handler);
    expect((await send(api, `/complaints/${id}/return-decision`, { decision: 'reject', reason: '地址属天河区' }, api.tokens.leader)).status).toBe(403);

    clock.set(sh('2026-03-03 10:30'));
    const back = await post(api, `/complaints/${id}/return-decision`, { decision: 'reject', reason: '经核实地址属天河区，由天河揽投部处理' }, api.tokens.agent);
    expect(back).toMatchObject({ status: 'dispatched', unitId: 'gz-tianhe', handlerId: 'th-handler-1', dispatchCount: 2 });
    expect(back.unitReturn?.decision).toMatchObject({ outcome: 'reject', reason: '经核实地址属天河区，由天河揽投部处理' });
    expect(await worklistRow(api, api.tokens.handler, id)).toMatchObject({ signed: false, signDueAt: sh('2026-03-03 10:50').toISOString() });

    const again = await send(api, `/complaints/${id}/return`, { reason }, api.tokens.handler);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'already-returned' });
    expect(again.body.detail).toMatch(/only once/);

    await post(api, `/complaints/${id}/sign`, {}, api.tokens.handler);
    const contacted = await post(api, `/complaints/${id}/contact`, { method: 'phone', note: '已电话联系投诉人，说明正在核查' }, api.tokens.handler);
    expect(contacted.status).toBe('contacted');
  });

  it('refuses a return after 2 working hours (422) and after contact (409), each naming why', async () => {
    const { api, clock } = await stackAt('2026-03-03 10:00');
    const late = await file(api);
    const early = await file(api);
    for (const { id } of [late, early]) await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    await post(api, `/complaints/${early.id}/contact`, { method: 'phone', note: '已电话联系投诉人' }, api.tokens.handler);

    clock.set(sh('2026-03-03 12:01'));
    const closedWindow = await send(api, `/complaints/${late.id}/return`, { reason }, api.tokens.handler);
    expect(closedWindow.status).toBe(422);
    expect(closedWindow.body).toMatchObject({ code: 'return-window-closed' });
    expect(closedWindow.body.detail).toContain('2 working hours');
    const afterContact = await send(api, `/complaints/${early.id}/return`, { reason }, api.tokens.handler);
    expect(afterContact.status).toBe(409);
    expect(afterContact.body).toMatchObject({ code: 'return-after-contact' });
  });
});
