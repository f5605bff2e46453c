import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_THROTTLE } from '#http/routes.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi({ rateLimit: true });
});
afterAll(async () => {
  await api.stack.close();
});

describe('public endpoints are rate-limited', () => {
  it('answers 429 with Retry-After once a client exceeds its burst on POST /complaints, and writes nothing', async () => {
    const burst = PUBLIC_THROTTLE.intake.clientBurst;
    // All at once: sent one by one on a busy machine, the bucket refills (1 a second) in between.
    const results = await Promise.all(
      Array.from({ length: burst + 3 }, (_, i) => api.request('POST', '/complaints', { body: intakeBody({ phone: `1350000${String(1000 + i)}`, waybillNo: undefined }) })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(burst);
    const limited = results.filter((r) => r.status !== 201);
    expect(limited.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
    expect(limited[0]?.body).toMatchObject({ status: 429, code: 'rate-limited' });
    // Each accepted complaint and its phone's receipt-SMS counter of the day; nothing for the 429s.
    expect(await countItems(api.stack)).toBe(2 * burst);
  });

  it('does not limit staff routes', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => api.request('GET', '/complaints?status=received', { token: api.tokens.agent })));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });
});
