/**
 * The worklist queues served by GET /complaints (decision 067): `signed`, `due`, `notice` and `count`
 * over HTTP on the local stack (dynalite, the real handlers, the timer wheel) on a fake clock.
 */
import { describe, expect, it } from 'vitest';
import { intakeBody } from '#test/support/fixtures.ts';
import { stacksOnFakeClock, type Api } from '#test/support/local.ts';
import { sh } from '#test/support/sla.ts';

const stackAt = stacksOnFakeClock();

const mobile = () => `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EQ${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `q-${crypto.randomUUID()}`;
const MAJOR = '邮件里是我的护照原件，今天必须找到，再不处理我就打12315投诉！';

async function settle(a: Api) {
  await a.stack.timers.idle();
  await a.stack.queue.drain();
}
async function file(a: Api, overrides: Record<string, unknown> = {}) {
  const res = await a.request('POST', '/complaints', {
    body: intakeBody({ phone: mobile(), waybillNo: waybill(), ...overrides }),
    headers: { 'idempotency-key': key() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await settle(a);
  return res.body as { id: string };
}
async function command(a: Api, path: string, token: string, body: unknown = {}) {
  const res = await a.request('POST', path, { token, body, headers: { 'idempotency-key': key() } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await settle(a);
}
const dispatch = (a: Api, id: string) => command(a, `/complaints/${id}/assignment`, a.tokens.agent, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' });

async function queue(a: Api, token: string, query: string): Promise<{ ids: string[]; count?: number }> {
  const res = await a.request('GET', `/complaints?${query}&count=true&limit=100`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const body = res.body as { items: { id: string }[]; count?: number };
  return { ids: body.items.map((i) => i.id), ...(body.count !== undefined && { count: body.count }) };
}

describe('worklist queues on GET /complaints', () => {
  it('serves the unit’s to-sign-for queue and its count from the server, not from one page', async () => {
    const { api } = await stackAt('2026-03-03 10:00');
    const a = await file(api);
    const b = await file(api);
    await dispatch(api, a.id);
    await dispatch(api, b.id);
    await command(api, `/complaints/${b.id}/sign`, api.tokens.handler);

    const unsigned = await queue(api, api.tokens.handler, 'status=dispatched&signed=false');
    const signed = await queue(api, api.tokens.handler, 'signed=true');
    expect(unsigned).toEqual({ ids: [a.id], count: 1 });
    expect(signed.ids).toEqual([b.id]);
    expect(signed.count).toBe(1);
  });

  it('moves an unsigned case from today → warning → overdue as the fake clock passes its 签收 limit, for the unit and across units', async () => {
    const { api } = await stackAt('2026-03-03 10:00');
    const a = await file(api);
    await dispatch(api, a.id);
    const where = async (token: string) => {
      const found: string[] = [];
      for (const due of ['today', 'tomorrow', 'warning', 'overdue']) if ((await queue(api, token, `due=${due}`)).ids.includes(a.id)) found.push(due);
      return found;
    };
    // 10:00: the 签收 limit (10:20) is the earliest running one, due later today.
    expect(await where(api.tokens.handler)).toEqual(['today']);
    // 10:17: past its 80 % warning (16 working minutes), not yet due — still escalating today.
    await api.stack.timers.advanceTo(sh('2026-03-03 10:17'));
    await settle(api);
    expect(await where(api.tokens.handler)).toEqual(['today', 'warning']);
    // 10:21: breached; quality sees it among the overdue of every unit, with the count.
    await api.stack.timers.advanceTo(sh('2026-03-03 10:21'));
    await settle(api);
    expect(await where(api.tokens.handler)).toEqual(['overdue']);
    const overdue = await queue(api, api.tokens.quality, 'due=overdue');
    expect(overdue.ids).toContain(a.id);
    expect(overdue.count).toBe(overdue.ids.length);
    // Signed: the 签收 limit is met and leaves the queue (its other limits run later).
    await command(api, `/complaints/${a.id}/sign`, api.tokens.handler);
    expect((await queue(api, api.tokens.quality, 'due=overdue')).ids).not.toContain(a.id);
  });

  it('lists a major case for its unit’s leader until that leader confirms the notice; the centre sees anyone’s unconfirmed', async () => {
    const { api } = await stackAt('2026-03-02 10:00');
    const { id } = await file(api, { content: MAJOR });
    await dispatch(api, id);
    expect((await queue(api, api.tokens.leader, 'notice=unconfirmed')).ids).toEqual([id]);
    expect((await queue(api, api.tokens.handler, 'notice=unconfirmed')).ids).toEqual([]);
    expect((await queue(api, api.tokens.agent, 'notice=unconfirmed')).ids).toContain(id);

    await command(api, `/complaints/${id}/notice-confirmation`, api.tokens.leader);
    expect(await queue(api, api.tokens.leader, 'notice=unconfirmed')).toEqual({ ids: [], count: 0 });
  });

  it('refuses an unknown queue value with a 400 naming the field, and answers no count unless asked', async () => {
    const { api } = await stackAt('2026-03-02 10:00');
    for (const [query, field] of [
      ['due=soon', 'due'],
      ['signed=maybe', 'signed'],
      ['notice=all', 'notice'],
      ['count=yes', 'count'],
    ] as const) {
      const res = await api.request('GET', `/complaints?${query}`, { token: api.tokens.agent });
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body), query).toContain(field);
    }
    const plain = await api.request('GET', '/complaints', { token: api.tokens.agent });
    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty('count');
  });
});
