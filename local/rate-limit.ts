/**
 * Token buckets per (client IP, route) for the public routes, with the route table's per-client
 * numbers — the local counterpart of API Gateway throttling.
 */
import type { Throttle } from '#http/routes.ts';

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Takes one token; returns the seconds to wait when there is none. */
  take(key: string, throttle: Throttle): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: throttle.clientBurst, at: now };
    bucket.tokens = Math.min(throttle.clientBurst, bucket.tokens + ((now - bucket.at) / 1000) * throttle.clientRate);
    bucket.at = now;
    if (this.buckets.size > 50_000) this.buckets.clear(); // bounded memory under a flood of sources
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / throttle.clientRate)) };
  }
}
