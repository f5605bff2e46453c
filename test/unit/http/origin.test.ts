/**
 * The API refuses requests that did not come through CloudFront (docs/decisions/039): CloudFront adds
 * the origin secret as a header, every API handler checks it first, and the local stack (no
 * ORIGIN_SECRET_ARN) is unaffected.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearSecretCache, secretsFromSecretsManager } from '#adapters/aws/secrets.ts';
import type { ApiEvent } from '#http/handler.ts';
import { ORIGIN_HEADER, matchesOriginSecret } from '#http/origin.ts';
import { handler as read } from '#functions/read/handler.ts';
import { handler as intake } from '#functions/intake/handler.ts';

const CURRENT = 'origin-secret-current-0123456789abcdef';
const PREVIOUS = 'origin-secret-previous-0123456789abcdef';
const ARN = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:OriginSecret-AbCdEf';
const context = { awsRequestId: 'req-1' } as Context;
const event = (headers: Record<string, string>, over: Record<string, unknown> = {}): ApiEvent =>
  ({
    version: '2.0',
    routeKey: 'GET /complaints',
    rawPath: '/complaints',
    headers,
    requestContext: { requestId: 'r1' },
    isBase64Encoded: false,
    ...over,
  }) as unknown as ApiEvent;

describe('origin secret comparison', () => {
  it('accepts the current and the previous secret, and nothing else', () => {
    expect(matchesOriginSecret(CURRENT, [CURRENT, PREVIOUS])).toBe(true);
    expect(matchesOriginSecret(PREVIOUS, [CURRENT, PREVIOUS])).toBe(true);
    expect(matchesOriginSecret(undefined, [CURRENT])).toBe(false);
    expect(matchesOriginSecret('', [CURRENT])).toBe(false);
    expect(matchesOriginSecret(CURRENT.slice(0, -1), [CURRENT])).toBe(false);
    expect(matchesOriginSecret(`${CURRENT}x`, [CURRENT])).toBe(false);
    expect(matchesOriginSecret(CURRENT, [])).toBe(false);
  });
});

describe('API handlers behind CloudFront', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => {
    sm.reset();
    clearSecretCache();
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: JSON.stringify({ current: CURRENT, previous: PREVIOUS }) });
    process.env['ORIGIN_SECRET_ARN'] = ARN;
  });
  afterEach(() => {
    delete process.env['ORIGIN_SECRET_ARN'];
  });

  it('refuses a direct call without the origin header with a 403 problem, before reading the body', async () => {
    const res = await intake(event({ 'content-type': 'application/json' }, { routeKey: 'POST /complaints', rawPath: '/complaints', body: '{broken' }), context);
    expect(res.statusCode).toBe(403);
    expect(res.headers?.['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.body ?? '{}')).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('refuses a forged origin header', async () => {
    const res = await read(event({ [ORIGIN_HEADER]: 'guessed-secret-value-0123456789' }), context);
    expect(res.statusCode).toBe(403);
  });

  it('lets a request with the current or previous secret through to the next check, loading the secret once', async () => {
    // Past the origin check a staff route without claims is 401: the guard let it through.
    for (const secret of [CURRENT, PREVIOUS]) {
      const res = await read(event({ 'X-Origin-Verify': secret }), context);
      expect(res.statusCode).toBe(401);
    }
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('keeps the webhook secret and the origin secret apart in the per-container cache', async () => {
    const webhookArn = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:WebhookSecret-XyZ';
    sm.on(GetSecretValueCommand, { SecretId: webhookArn }).resolves({ SecretString: JSON.stringify({ current: 'webhook-secret-0123456789abcdef' }) });
    expect(await secretsFromSecretsManager(webhookArn)).toEqual(['webhook-secret-0123456789abcdef']);
    const res = await read(event({ [ORIGIN_HEADER]: CURRENT }), context);
    expect(res.statusCode).toBe(401);
    expect(await secretsFromSecretsManager(webhookArn)).toEqual(['webhook-secret-0123456789abcdef']);
  });

  it('is off without ORIGIN_SECRET_ARN (the local stack has no CloudFront)', async () => {
    delete process.env['ORIGIN_SECRET_ARN'];
    const res = await read(event({}), context);
    expect(res.statusCode).toBe(401);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
