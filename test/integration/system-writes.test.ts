/**
 * The system's own writes never fail a person's command (SPEC non-negotiables; issue 8 item 8):
 * a dispatch right after a major intake races the leaders' notice (`escalated`, `leaders_notified`)
 * and the SLA marks. Those are re-decided against; a race between two people stays a 409.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Complaint } from '#domain/model.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { decide } from '#domain/lifecycle.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi({ rateLimit: false });
});
afterAll(async () => {
  await api.stack.close();
});

const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EB${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const MAJOR = '邮件寄出半个月还没到，再不处理我就打12315投诉你们，还要发到网上曝光。';

/** Answers as soon as the intake's write committed: the leaders' notice it owes follows (decision 051). */
async function fileMajor(): Promise<string> {
  const res = await api.request('POST', '/complaints', {
    drain: false,
    body: intakeBody({ phone: mobile(), waybillNo: waybill(), content: MAJOR }),
    headers: { 'idempotency-key': `sw-${crypto.randomUUID()}` },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

const dispatch = (id: string, token: string, handlerId = 'th-handler-1', key = `sw-${crypto.randomUUID()}`) =>
  api.request('POST', `/complaints/${id}/assignment`, { token, body: { unitId: 'gz-tianhe', handlerId }, headers: { 'idempotency-key': key } });

describe('a person’s command racing the system’s own writes', () => {
  it('dispatches immediately after each of 50 major intakes with 0 conflicts', async () => {
    // Prepare / Act: each dispatch goes out the moment its intake answered, while the leaders'
    // notice of that major complaint is being delivered and recorded in the background.
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const id = await fileMajor();
      ids.push(id);
      const res = await dispatch(id, api.tokens.agent);
      statuses.push(res.status);
    }
    await api.stack.queue.drain();

    // Assess: every dispatch succeeded and the history holds both the dispatch and the notice.
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const last = (await api.request('GET', `/complaints/${ids[49]}`, { token: api.tokens.agent })).body as Complaint;
    expect(last.history.map((e) => e.type)).toEqual(expect.arrayContaining(['dispatched', 'leaders_notified']));
    expect(last.history.map((e) => e.seq)).toEqual(last.history.map((_, i) => i + 1));
  }, 180_000);

  it('re-decides a dispatch whose version was overtaken only by the leaders’ notice, with one dispatched event', async () => {
    // Prepare: the person read the complaint before the notice was recorded.
    const id = await fileMajor();
    const seen = (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent, drain: false })).body as Complaint;
    await api.stack.drain();
    const now = (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body as Complaint;
    expect(now.version).toBeGreaterThan(seen.version);

    // Act: a command decided against the old version (as if its read had happened before the notice).
    const { service, store } = api.stack.container;
    const get = store.get.bind(store);
    let first = true;
    store.get = async (cid: string) => {
      if (cid === id && first) {
        first = false;
        return seen;
      }
      return get(cid);
    };
    try {
      const after = await service.act(
        id,
        { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
        { id: 'agent-lin', role: 'agent' },
        `sw-${crypto.randomUUID()}`,
        decide,
      );

      // Assess
      expect(after.status).toBe('dispatched');
      expect(after.history.filter((e) => e.type === 'dispatched')).toHaveLength(1);
      expect(after.history.filter((e) => e.type === 'leaders_notified')).toHaveLength(1);
      expect(after.version).toBe(now.version + 1);
    } finally {
      store.get = get;
    }
  });

  it('keeps a race between two people a conflict: exactly one dispatch wins, the other gets 409', async () => {
    // Prepare
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await fileMajor());
    await api.stack.queue.drain();

    // Act: two staff members dispatch each complaint at the same moment, to different handlers.
    const results = await Promise.all(
      ids.map((id) => Promise.all([dispatch(id, api.tokens.agent, 'th-handler-1'), dispatch(id, api.tokens.admin, 'th-handler-2')])),
    );

    // Assess
    for (const pair of results) {
      expect(pair.map((r) => r.status).sort()).toEqual([200, 409]);
      const conflict = pair.find((r) => r.status === 409);
      expect(conflict?.body.code ?? conflict?.body.type).toMatch(/version-conflict/);
    }
  });

  it('answers a person’s retry with the same idempotency key as a replay, not a second dispatch', async () => {
    // Prepare
    const id = await fileMajor();
    const key = `sw-${crypto.randomUUID()}`;

    // Act
    const first = await dispatch(id, api.tokens.agent, 'th-handler-1', key);
    const again = await dispatch(id, api.tokens.agent, 'th-handler-1', key);
    await api.stack.queue.drain();

    // Assess
    expect([first.status, again.status]).toEqual([200, 200]);
    const c = (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body as Complaint;
    expect(c.history.filter((e) => e.type === 'dispatched')).toHaveLength(1);
  });
});
