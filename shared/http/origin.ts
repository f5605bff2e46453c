/**
 * The API answers only requests that came through the CloudFront distribution (docs/decisions/039):
 * CloudFront adds {@link ORIGIN_HEADER} with a secret from Secrets Manager to every request it forwards
 * to the API, and this check refuses any request without it — a caller of the bare `execute-api` URL
 * skips the WAF, so it gets 403 before anything is parsed. The secret is loaded once per container
 * (cached five minutes); `current` and `previous` are both accepted so a rotation is seamless.
 *
 * Off when `ORIGIN_SECRET_ARN` is not set: the local stack has no CloudFront in front of it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import { secretsFromSecretsManager } from '#adapters/aws/secrets.ts';
import { Forbidden } from '#domain/errors.ts';

/** The origin custom header CloudFront sends to the API (lower case: headers arrive normalised). */
export const ORIGIN_HEADER = 'x-origin-verify';

/** Loads the accepted secrets (newest first) from the secret's ARN. */
export type OriginSecrets = (arn: string) => Promise<string[]>;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether `given` equals one of `secrets`, in time independent of where they differ: both sides are
 * hashed to equal length and every secret is compared, so neither length nor position leaks.
 */
export function matchesOriginSecret(given: string | undefined, secrets: readonly string[]): boolean {
  const candidate = digest(given ?? '');
  let match = false;
  for (const secret of secrets) match = timingSafeEqual(candidate, digest(secret)) || match;
  return given !== undefined && given !== '' && match;
}

/** middy middleware: refuses (403 problem) a request that did not come through CloudFront. */
export function originGuard(load: OriginSecrets = secretsFromSecretsManager): MiddlewareObj<{ headers?: Record<string, string | undefined> }> {
  return {
    before: async (request) => {
      const arn = process.env['ORIGIN_SECRET_ARN'];
      if (arn === undefined || arn === '') return;
      if (!matchesOriginSecret(request.event.headers?.[ORIGIN_HEADER], await load(arn))) {
        throw new Forbidden('Call the API through its web address; direct calls to the API endpoint are refused');
      }
    },
  };
}
