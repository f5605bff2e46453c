import { describe, expect, it } from 'vitest';
import { PUBLIC_THROTTLE } from '#http/routes.ts';
import { RateLimiter } from '#local/rate-limit.ts';

describe('per-client token bucket', () => {
  it('allows the burst, refuses the next with a retry delay, and refills at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const t = PUBLIC_THROTTLE.intake;
    for (let i = 0; i < t.clientBurst; i++) expect(limiter.take('1.2.3.4|POST /complaints', t).ok).toBe(true);
    expect(limiter.take('1.2.3.4|POST /complaints', t)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('5.6.7.8|POST /complaints', t).ok).toBe(true);
    now += 1000 / t.clientRate;
    expect(limiter.take('1.2.3.4|POST /complaints', t).ok).toBe(true);
    expect(limiter.take('1.2.3.4|POST /complaints', t).ok).toBe(false);
  });
});
