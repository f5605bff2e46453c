/**
 * Shared secrets (webhook signing, CloudFront origin) from AWS Secrets Manager: a JSON secret `{"current": "...", "previous": "..."}`
 * so a rotation keeps both valid for a while. Cached per container for five minutes.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from '#domain/zod.ts';

const client = new SecretsManagerClient({});
const SecretShape = z.object({ current: z.string().check(z.minLength(16)), previous: z.optional(z.string().check(z.minLength(16))) });
const TTL_MS = 5 * 60_000;

// Per ARN: one function may read several secrets (the webhook and the CloudFront origin secret).
const cache = new Map<string, { secrets: string[]; until: number }>();

export async function secretsFromSecretsManager(arn: string, sm: SecretsManagerClient = client, now = Date.now()): Promise<string[]> {
  const cached = cache.get(arn);
  if (cached && cached.until > now) return cached.secrets;
  const out = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
  let json: unknown;
  try {
    json = JSON.parse(out.SecretString ?? '');
  } catch {
    throw new Error('The channel secret is not JSON {"current": "..."}');
  }
  const parsed = SecretShape.parse(json);
  const secrets = [parsed.current, ...(parsed.previous ? [parsed.previous] : [])];
  cache.set(arn, { secrets, until: now + TTL_MS });
  return secrets;
}

export function clearSecretCache(): void {
  cache.clear();
}
