/**
 * Token buckets per (client IP, route) for the public routes, with the route table's per-client
 * numbers — the local counterpart of API Gateway throttling and of the WAF rate-based rules
 * (docs/decisions/038-waf-on-cloudfront.md).
 */
import type { Throttle } from '#http/routes.ts';

interface Bucket {
  tokens: number;
  at: number;
}

/** Most clients remembered at once; past it the least recently seen is forgotten. */
export const MAX_CLIENTS = 50_000;

export class RateLimiter {
  /** Insertion order is recency order: every take moves its key to the end. */
  private readonly buckets = new Map<string, Bucket>();
  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly maxClients: number = MAX_CLIENTS,
  ) {}

  /** Takes one token; returns the seconds to wait when there is none. */
  take(key: string, throttle: Throttle): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: throttle.clientBurst, at: now };
    bucket.tokens = Math.min(throttle.clientBurst, bucket.tokens + ((now - bucket.at) / 1000) * throttle.clientRate);
    bucket.at = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    // Bounded memory under a flood of sources, without forgetting the clients that are still busy: a
    // flood of new addresses evicts the quietest ones, never a client that just drained its bucket.
    while (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next();
      if (oldest.done === true) break;
      this.buckets.delete(oldest.value);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / throttle.clientRate)) };
  }

  /** How many clients are remembered. */
  get size(): number {
    return this.buckets.size;
  }

  /** Whether a client's bucket is remembered (tests, diagnostics). */
  has(key: string): boolean {
    return this.buckets.has(key);
  }
}
