import { describe, expect, it } from 'vitest';
import { PUBLIC_THROTTLE } from '#http/routes.ts';
import { MAX_CLIENTS, RateLimiter } from '#local/rate-limit.ts';

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

  it('keeps a client that exhausted its bucket limited when 50,001 other clients arrive, forgetting only the oldest', () => {
    // Prepare: the flood's first client, then the abuser who drains its burst, then 50,000 more sources.
    const now = 0;
    const limiter = new RateLimiter(() => now);
    const t = PUBLIC_THROTTLE.intake;
    expect(MAX_CLIENTS).toBe(50_000);
    limiter.take('10.0.0.0|POST /complaints', t);
    for (let i = 0; i < t.clientBurst; i++) limiter.take('6.6.6.6|POST /complaints', t);
    for (let i = 1; i <= MAX_CLIENTS - 1; i++) limiter.take(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}|POST /complaints`, t);
    // The abuser comes back (and becomes the most recent), then one more new client pushes the map over the cap.
    expect(limiter.take('6.6.6.6|POST /complaints', t).ok).toBe(false);
    limiter.take('172.16.0.1|POST /complaints', t);

    // Act + Assess: the bound holds, the abuser is still limited, and the oldest client was the one forgotten.
    expect(limiter.size).toBe(MAX_CLIENTS);
    expect(limiter.take('6.6.6.6|POST /complaints', t).ok).toBe(false);
    expect(limiter.has('10.0.0.0|POST /complaints')).toBe(false);
    expect(limiter.has('10.0.0.2|POST /complaints')).toBe(true);
  });
});
