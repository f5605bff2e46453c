import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { PUBLIC_THROTTLE } from '#http/routes.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { countItems } from '#test/support/table.ts';

let api: Api;
// The limiter runs on the stack's clock: buckets refill only when the test says so, however slow the machine.
const clock = new ManualClock(new Date());
beforeAll(async () => {
  api = await startApi({ rateLimit: true, clock });
});
afterAll(async () => {
  await api.stack.close();
});

describe('public endpoints are rate-limited', () => {
  it('answers 429 with Retry-After once a client exceeds its burst on POST /complaints, and writes nothing', async () => {
    const burst = PUBLIC_THROTTLE.intake.clientBurst;
    // The seeded directory (decision 056) is in the table already: count what the requests add.
    const before = await countItems(api.stack);
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
    expect((await countItems(api.stack)) - before).toBe(2 * burst);

    // One token back after 1/rate seconds, and only one.
    clock.set(new Date(clock.now().getTime() + 1000 / PUBLIC_THROTTLE.intake.clientRate));
    const refilled = [];
    for (let i = 0; i < 2; i++)
      refilled.push(await api.request('POST', '/complaints', { body: intakeBody({ phone: `1350000${String(2000 + i)}`, waybillNo: undefined }) }));
    expect(refilled.map((r) => r.status)).toEqual([201, 429]);
  });

  it('does not limit staff routes', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => api.request('GET', '/complaints?status=received', { token: api.tokens.agent })));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });
});
