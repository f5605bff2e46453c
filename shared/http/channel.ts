/**
 * The channel webhooks' edge: HMAC signature over `timestamp.body` (shared secret, 5-minute replay
 * window, constant-time compare) checked on the raw bytes before anything is parsed; failures are
 * 401 and write nothing.
 */
import { Unauthenticated, ValidationFailed } from '#domain/errors.ts';
import type { FieldIssue } from '#domain/errors.ts';
import { secretsFromSecretsManager } from '#adapters/aws/secrets.ts';
import { readJsonBody, type ApiEvent } from './handler.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.ts';

/** The local stack and tests sign with this unless CHANNEL_SECRETS is set. */
export const LOCAL_CHANNEL_SECRET = 'local-channel-secret-for-development';

async function channelSecrets(): Promise<string[]> {
  const arn = process.env['CHANNEL_SECRET_ARN'];
  if (arn) return secretsFromSecretsManager(arn);
  const listed = process.env['CHANNEL_SECRETS']
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (listed && listed.length > 0) return listed;
  // In Lambda a missing secret is a deployment error, never "accept anything".
  if (process.env['AWS_LAMBDA_FUNCTION_NAME']) throw new Error('No channel secret configured (CHANNEL_SECRET_ARN)');
  return [LOCAL_CHANNEL_SECRET];
}

/** Verifies the signature and returns the JSON body. */
export async function verifiedJson(event: ApiEvent, now: Date): Promise<Record<string, unknown>> {
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  const verdict = verifySignature({
    secrets: await channelSecrets(),
    timestampHeader: event.headers?.[TIMESTAMP_HEADER.toLowerCase()],
    signatureHeader: event.headers?.[SIGNATURE_HEADER.toLowerCase()],
    rawBody: raw,
    now,
  });
  if (!verdict.ok) throw new Unauthenticated(`Webhook signature ${verdict.reason}`, { reason: verdict.reason });
  return readJsonBody(event);
}

export function invalid(issues: FieldIssue[]): ValidationFailed {
  return new ValidationFailed('The webhook body is invalid', issues);
}
