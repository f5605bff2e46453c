/** Starts the real local stack (dynalite in memory + the real handlers over HTTP) for a test file. */
import { afterEach } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { sh } from './sla.ts';
import { DEV_IDENTITIES, signToken } from '#local/auth.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '#local/stack.ts';

export interface Api {
  stack: LocalStack;
  tokens: Record<'agent' | 'handler' | 'leader' | 'quality' | 'admin' | 'foreignHandler' | 'otherHandler', string>;
  /**
   * One HTTP request; then waits for the side effects it left owed (`stack.drain()`: receipt SMS,
   * notices, timers — decision 051), unless `drain: false` (the answer alone).
   */
  request(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; rawBody?: string | Uint8Array; headers?: Record<string, string>; drain?: boolean },
    // biome-ignore lint/suspicious/noExplicitAny: tests read any route's JSON by path; test/integration/responses.test.ts checks the shapes
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

export async function startApi(opts: LocalStackOptions = {}): Promise<Api> {
  const stack = await startLocalStack({ rateLimit: false, ...opts });
  const identity = (role: string) => DEV_IDENTITIES.find((i) => i.role === role)!;
  const tokenOf = (i: { sub: string; role: string; unitId?: string }) => signToken(i);
  const tokens = {
    agent: tokenOf(identity('agent')),
    handler: tokenOf(identity('handler')),
    leader: tokenOf(identity('leader')),
    quality: tokenOf(identity('quality')),
    admin: tokenOf(identity('admin')),
    foreignHandler: tokenOf({ sub: 'yx-handler-1', role: 'handler', unitId: 'gz-yuexiu' }),
    otherHandler: tokenOf({ sub: 'th-handler-2', role: 'handler', unitId: 'gz-tianhe' }),
  };
  return {
    stack,
    tokens,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers['authorization'] = `Bearer ${o.token}`;
      let body: string | Uint8Array | undefined;
      if (o.rawBody !== undefined) body = o.rawBody;
      else if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${stack.url}${path}`, { method, headers, ...(body !== undefined && { body: body as BodyInit }) });
      const text = await res.text();
      if (o.drain !== false) await stack.drain();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
  };
}

/**
 * For files whose every test starts its own stack on a fake clock: `const stackAt = stacksOnFakeClock();`
 * then `const { api, clock } = await stackAt('2026-03-02 09:00')` (Shanghai time); each stack is
 * closed after its test.
 */
export function stacksOnFakeClock(): (start: string) => Promise<{ api: Api; clock: ManualClock }> {
  let current: Api | undefined;
  afterEach(async () => {
    await current?.stack.close();
    current = undefined;
  });
  return async (start) => {
    const clock = new ManualClock(sh(start));
    current = await startApi({ clock, rateLimit: false });
    return { api: current, clock };
  };
}
