import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stack.close();
});

const key = () => `test-${crypto.randomUUID()}`;

async function file(overrides: Record<string, unknown> = {}) {
  const res = await api.request('POST', '/complaints', { body: intakeBody({ phone: randomMobile(), ...overrides }), headers: { 'idempotency-key': key() } });
  expect(res.status).toBe(201);
  return res.body as { id: string; trackingCode: string };
}

function randomMobile(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

describe('the closed loop over HTTP', () => {
  it('takes one complaint from intake to closure and keeps every step in its history', async () => {
    const { id, trackingCode } = await file();
    const assign = await api.request('POST', `/complaints/${id}/assignment`, {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
    });
    expect(assign.status).toBe(200);
    expect(assign.body.status).toBe('dispatched');

    // 签收: the unit takes the complaint up (decision 047).
    const sign = await api.request('POST', `/complaints/${id}/sign`, { token: api.tokens.handler, body: {} });
    expect(sign.status).toBe(200);
    expect(sign.body.signedAt).toBeDefined();

    const contact = await api.request('POST', `/complaints/${id}/contact`, {
      token: api.tokens.handler,
      body: { method: 'phone', note: '已电话联系投诉人，说明正在核查' },
    });
    expect(contact.body.status).toBe('contacted');

    const reply = await api.request('POST', `/complaints/${id}/replies`, {
      token: api.tokens.handler,
      body: replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } }),
    });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('replied');

    const callback = await api.request('POST', `/complaints/${id}/callbacks`, {
      token: api.tokens.agent,
      body: { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent', comments: '投诉人对处理结果满意' },
    });
    expect(callback.body.status).toBe('closed');

    // The request helper waits for the side effects (decision 051): the result SMS on closure is recorded too.
    const read = await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent });
    expect(read.body.history.map((e: { type: string }) => e.type)).toEqual([
      'received',
      'classified',
      'dispatched',
      'signed',
      'contacted',
      'replied',
      'callback_recorded',
      'closed',
      'complainant_informed',
    ]);
    expect(read.body.history.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const track = await api.request('GET', `/track/${trackingCode.toLowerCase()}`);
    expect(track.status).toBe(200);
    expect(track.body).toMatchObject({ status: 'closed', statusLabel: '已办结', complainant: { name: '张*' } });
    expect(track.body.result.summary).toContain('投递上门');
    expect(JSON.stringify(track.body)).not.toContain('th-handler-1');
  });

  it('re-dispatches after a dissatisfied callback and closes in round 2', async () => {
    const { id } = await file();
    await api.request('POST', `/complaints/${id}/assignment`, { token: api.tokens.agent, body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' } });
    const reply = () =>
      api.request('POST', `/complaints/${id}/replies`, {
        token: api.tokens.handler,
        body: replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } }),
      });
    await reply();
    const again = await api.request('POST', `/complaints/${id}/callbacks`, {
      token: api.tokens.agent,
      body: {
        outcome: 'reached',
        attitude: 'dissatisfied',
        handlingQuality: 'inconsistent',
        dissatisfactionCause: 'poor_handling',
        comments: '根本没人联系我',
      },
    });
    expect(again.body).toMatchObject({ status: 'dispatched', round: 2, priority: true });
    expect((await reply()).body.status).toBe('replied');
    const closed = await api.request('POST', `/complaints/${id}/callbacks`, {
      token: api.tokens.agent,
      body: { outcome: 'reached', attitude: 'accepted', handlingQuality: 'consistent' },
    });
    expect(closed.body).toMatchObject({ status: 'closed', round: 2 });
  });

  it('lists a unit’s worklist with priority first, masked', async () => {
    const a = await file();
    const b = await file();
    for (const { id } of [a, b]) {
      await api.request('POST', `/complaints/${id}/assignment`, { token: api.tokens.agent, body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' } });
    }
    await api.request('POST', `/complaints/${b.id}/chases`, { token: api.tokens.agent, body: { via: 'phone', note: '投诉人来电催办' } });
    const list = await api.request('GET', '/complaints?status=dispatched', { token: api.tokens.handler });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((i: { id: string }) => i.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(list.body.items[0].complainant.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('pages through a list with a cursor', async () => {
    for (let i = 0; i < 3; i++) await file({ category: 'privacy' });
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await api.request('GET', `/complaints?status=received&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: api.tokens.agent });
      expect(res.status).toBe(200);
      for (const item of res.body.items) seen.add(item.id);
      cursor = res.body.cursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(pages).toBeGreaterThan(1);
  });
});

describe('idempotency and concurrency', () => {
  it('creates exactly one complaint from 20 concurrent retries with one key', async () => {
    const before = await countItems(api.stack);
    const idem = key();
    const body = intakeBody({ phone: randomMobile() });
    const results = await Promise.all(Array.from({ length: 20 }, () => api.request('POST', '/complaints', { body, headers: { 'idempotency-key': idem } })));
    expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.trackingCode)).size).toBe(1);
    // The complaint, its key record (IDEM#) and the phone's receipt-SMS counter of the day.
    expect(await countItems(api.stack)).toBe(before + 3);
    expect(results.filter((r) => r.headers.get('idempotency-replayed') === 'true').length).toBe(19);
  });

  it('refuses to reuse a key for a different complaint (422)', async () => {
    const idem = key();
    const phone = randomMobile();
    await api.request('POST', '/complaints', { body: intakeBody({ phone, waybillNo: undefined }), headers: { 'idempotency-key': idem } });
    const res = await api.request('POST', '/complaints', {
      body: intakeBody({ phone, waybillNo: undefined, content: '另一件事' }),
      headers: { 'idempotency-key': idem },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency-key-reused');
  });

  it('lets exactly one of 20 concurrent conflicting transitions win; the others get 409 and history has no gap', async () => {
    const { id } = await file();
    await api.request('POST', `/complaints/${id}/assignment`, { token: api.tokens.agent, body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' } });
    await api.request('POST', `/complaints/${id}/replies`, {
      token: api.tokens.handler,
      body: replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } }),
    });
    // The SLA rules may have written first (a third delay complaint against the unit is major: leaders
    // notice, recorded by the escalation consumer); let those land, then race.
    await api.stack.queue.drain();
    const versionBefore = (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body.version as number;
    // Half the agents record a satisfied callback (closes), half a dissatisfied one (re-dispatches).
    const outcomes = [
      { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' },
      { outcome: 'reached', attitude: 'dissatisfied', handlingQuality: 'inconsistent', dissatisfactionCause: 'poor_handling' },
    ];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.request('POST', `/complaints/${id}/callbacks`, { token: api.tokens.agent, body: outcomes[i % 2] })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect(['version-conflict', 'invalid-transition']).toContain(r.body.code);
    const read = await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent });
    // One winner; a closing winner also has the result SMS recorded (complainant_informed) when it has been sent.
    const told = read.body.history.filter((e: { type: string }) => e.type === 'complainant_informed').length;
    expect(read.body.version).toBe(versionBefore + 1 + told);
    expect(read.body.history.map((e: { seq: number }) => e.seq)).toEqual(read.body.history.map((_: unknown, i: number) => i + 1));
    expect(read.body.history.filter((e: { type: string }) => e.type === 'callback_recorded')).toHaveLength(1);
  });

  it('applies a retried transition once (same Idempotency-Key)', async () => {
    const { id } = await file();
    const k = key();
    const send = () => api.request('POST', `/complaints/${id}/chases`, { token: api.tokens.agent, body: { via: 'phone' }, headers: { 'idempotency-key': k } });
    const results = await Promise.all([send(), send(), send(), send(), send()]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const read = await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent });
    expect(read.body.chaseCount).toBe(1);
    expect(read.body.history.filter((e: { type: string }) => e.type === 'chased')).toHaveLength(1);
  });

  it('lets exactly one of two concurrent first complaints about one waybill open the case; the other is its repeat', async () => {
    const phone = randomMobile();
    const [a, b] = await Promise.all([
      api.request('POST', '/staff/complaints', { token: api.tokens.agent, body: intakeBody({ phone }), headers: { 'idempotency-key': key() } }),
      api.request('POST', '/staff/complaints', {
        token: api.tokens.agent,
        body: intakeBody({ phone, content: '同一邮件再次投诉' }),
        headers: { 'idempotency-key': key() },
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
  });

  it('opens a new case for the same waybill once the earlier one has ended', async () => {
    const phone = randomMobile();
    const first = await file({ phone });
    await api.request('POST', `/complaints/${first.id}/withdrawal`, {
      token: api.tokens.agent,
      body: { voluntary: true, confirmedVia: 'phone', note: '本人确认自愿撤诉' },
    });
    const again = await api.request('POST', '/complaints', { body: intakeBody({ phone }), headers: { 'idempotency-key': key() } });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.id);
  });

  it('links a second complaint about the same waybill from the same phone as a repeat', async () => {
    const phone = randomMobile();
    const first = await file({ phone });
    const before = await countItems(api.stack);
    const second = await api.request('POST', '/staff/complaints', {
      token: api.tokens.agent,
      body: intakeBody({ phone, channel: 'phone', content: '我上周投诉过，邮件还是没到！' }),
      headers: { 'idempotency-key': key() },
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.id, outcome: 'repeat', repeatCount: 1 });
    expect(await countItems(api.stack)).toBe(before + 1); // the key record; no second complaint
    const other = await api.request('POST', '/complaints', { body: intakeBody({ phone, waybillNo: '9876543210123' }), headers: { 'idempotency-key': key() } });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.id);
  });
});
