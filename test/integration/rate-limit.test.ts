import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { PUBLIC_THROTTLE } from '#http/routes.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';

let api: Api;
beforeAll(async () => {
  // A clock that stands still: the bucket cannot refill while a busy machine serves the burst.
  api = await startApi({ rateLimit: true, clock: new ManualClock() });
});
afterAll(async () => {
  await api.stack.close();
});

describe('public endpoints are rate-limited', () => {
  it('answers 429 with Retry-After once a client exceeds its burst on POST /complaints, and writes nothing', async () => {
    const burst = PUBLIC_THROTTLE.intake.clientBurst;
    const results = [];
    for (let i = 0; i < burst + 3; i++) {
      results.push(await api.request('POST', '/complaints', { body: intakeBody({ phone: `1350000${String(1000 + i)}`, waybillNo: undefined }) }));
    }
    expect(results.slice(0, burst).every((r) => r.status === 201)).toBe(true);
    const limited = results.slice(burst);
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
