/**
 * The local token check refuses what API Gateway's JWT authorizer refuses: `exp` not after now,
 * `nbf` or `iat` after now (AWS: "nbf/iat – must be before the current time in UTC"), and, as the
 * stack's policy, any token that claims to live longer than 12 hours.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_SECONDS, DEV_SECRET, MAX_TOKEN_LIFETIME_SECONDS, signToken, verifyToken } from '#local/auth.ts';
import { startApi, type Api } from '#test/support/local.ts';

const NOW = new Date('2026-03-02T02:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

/** A token with exactly these claims, correctly signed with the dev secret. */
function forge(claims: Record<string, unknown>): string {
  const b64 = (value: string) => Buffer.from(value).toString('base64url');
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64(JSON.stringify({ sub: 'agent-lin', role: 'agent', iss: 'complaint-loop-local', ...claims }));
  const signature = createHmac('sha256', DEV_SECRET).update(`${head}.${body}`).digest('base64url');
  return `Bearer ${head}.${body}.${signature}`;
}

describe('local token check', () => {
  it('accepts a token signed now for the usual 12 hours', () => {
    expect(verifyToken(`Bearer ${signToken({ sub: 'agent-lin', role: 'agent' }, { now: NOW })}`, { now: NOW })).toMatchObject({
      sub: 'agent-lin',
      role: 'agent',
    });
  });

  it('rejects a token issued in the future beyond the clock skew, and tolerates a few seconds of skew', () => {
    expect(verifyToken(forge({ iat: nowSeconds + CLOCK_SKEW_SECONDS + 1, exp: nowSeconds + 3600 }), { now: NOW })).toBeUndefined();
    expect(verifyToken(forge({ iat: nowSeconds + 5, exp: nowSeconds + 3600 }), { now: NOW })).toBeDefined();
  });

  it('rejects a token that is not valid yet (nbf in the future)', () => {
    expect(verifyToken(forge({ iat: nowSeconds, nbf: nowSeconds + 600, exp: nowSeconds + 3600 }), { now: NOW })).toBeUndefined();
    expect(verifyToken(forge({ iat: nowSeconds - 60, nbf: nowSeconds - 60, exp: nowSeconds + 3600 }), { now: NOW })).toBeDefined();
  });

  it('rejects a lifetime over 12 hours, even when the token is otherwise current', () => {
    expect(MAX_TOKEN_LIFETIME_SECONDS).toBe(12 * 3600);
    expect(verifyToken(forge({ iat: nowSeconds - 60, exp: nowSeconds - 60 + 12 * 3600 + 1 }), { now: NOW })).toBeUndefined();
    expect(verifyToken(forge({ iat: nowSeconds - 60, exp: nowSeconds + 365 * 86400 }), { now: NOW })).toBeUndefined();
    expect(verifyToken(forge({ iat: nowSeconds - 60, exp: nowSeconds - 60 + 12 * 3600 }), { now: NOW })).toBeDefined();
  });

  it('rejects a token without iat (its lifetime cannot be told) and one at or past its exp', () => {
    expect(verifyToken(forge({ exp: nowSeconds + 3600 }), { now: NOW })).toBeUndefined();
    expect(verifyToken(forge({ iat: nowSeconds - 3600, exp: nowSeconds }), { now: NOW })).toBeUndefined();
  });
});

describe('local gateway with a token from the future', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.stack.close();
  });

  it('answers 401 problem+json for a staff route and never reaches the function', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await api.request('GET', '/complaints?status=received', { headers: { authorization: forge({ iat: now + 3600, exp: now + 7200 }) } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401 });
  });
});
