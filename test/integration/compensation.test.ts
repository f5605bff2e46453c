/** POST /compensation/quote over HTTP on the local stack: the calculator's answer, its problems, its door. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from '#test/support/local.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stack.close();
});

const lostParcel = { cause: 'loss', network: 'post', itemType: 'parcel', postage: 22, actualLoss: 1500, postedOn: '2026-10-08', claimedOn: '2026-10-20' };

describe('POST /compensation/quote', () => {
  it('answers an uninsured lost postal parcel with 3× postage and the steps that lead there', async () => {
    const res = await api.request('POST', '/compensation/quote', { token: api.tokens.handler, body: lostParcel });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ liable: true, amount: 66, refund: 0, compensation: 66, payee: 'sender', payeeLabel: '寄件人' });
    expect(res.body.steps.map((s: { rule: string }) => s.rule)).toEqual(['bar.time', 'payee.sender', 'post.uninsured', 'total']);
    expect(res.body.steps[2].source).toContain('邮政法');
  });

  it('names the field a quote cannot be computed without (400, problem+json)', async () => {
    const res = await api.request('POST', '/compensation/quote', { token: api.tokens.agent, body: { ...lostParcel, insured: true } });

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('declaredValue');
  });

  it('refuses an unknown field and a stranger', async () => {
    expect((await api.request('POST', '/compensation/quote', { token: api.tokens.agent, body: { ...lostParcel, bonus: 1 } })).status).toBe(400);
    expect((await api.request('POST', '/compensation/quote', { body: lostParcel })).status).toBe(401);
  });
});
