/**
 * Local stand-in for API Gateway's JWT authorizer: HS256 tokens signed with a dev secret. Verified
 * claims are injected into `requestContext.authorizer.jwt.claims`, exactly where AWS puts them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '#domain/zod.ts';

export const DEV_SECRET = process.env['LOCAL_JWT_SECRET'] ?? 'local-dev-secret-not-for-production';
const ISSUER = 'complaint-loop-local';

/**
 * Longest lifetime (`exp` − `iat`) a staff token may claim. The stack's Cognito app client issues
 * 1-hour ID tokens and 12-hour refresh tokens (infra/constructs/staff-identity.ts); a token that says it
 * lives longer was not issued by a sane issuer, so it is refused here as it must be refused in AWS.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;
/**
 * Clock skew tolerated for `iat`/`nbf` in the future. API Gateway documents none ("must be before the
 * current time"); a minute covers a signer whose clock is slightly ahead (scripts/token.ts on another machine).
 */
export const CLOCK_SKEW_SECONDS = 60;

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export interface LocalClaims {
  sub: string;
  role: string;
  'custom:unitId'?: string;
  iss: string;
  iat: number;
  exp: number;
}

export function signToken(claims: { sub: string; role: string; unitId?: string }, opts: { secret?: string; ttlSeconds?: number; now?: Date } = {}): string {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const payload: LocalClaims = {
    sub: claims.sub,
    role: claims.role,
    ...(claims.unitId !== undefined && { 'custom:unitId': claims.unitId }),
    iss: ISSUER,
    iat,
    exp: iat + (opts.ttlSeconds ?? 12 * 3600),
  };
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64(JSON.stringify(payload));
  const signature = createHmac('sha256', opts.secret ?? DEV_SECRET)
    .update(`${head}.${body}`)
    .digest('base64url');
  return `${head}.${body}.${signature}`;
}

const Header = z.object({ alg: z.literal('HS256') });
const Payload = z.object({
  sub: z.string().check(z.minLength(1)),
  role: z.optional(z.string()),
  'custom:unitId': z.optional(z.string()),
  iss: z.literal(ISSUER),
  exp: z.number(),
  iat: z.number(),
  nbf: z.optional(z.number()),
});

/**
 * The verified claims, or undefined for a missing, forged, expired, not-yet-valid or too long-lived
 * token — what API Gateway's JWT authorizer checks (exp after now, nbf and iat before now), plus the
 * 12-hour lifetime cap. The gateway answers every undefined with 401 problem+json.
 */
export function verifyToken(authorization: string | undefined, opts: { secret?: string; now?: Date } = {}): Record<string, string> | undefined {
  const match = /^Bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '');
  if (!match) return undefined;
  const [, head = '', body = '', signature = ''] = match;
  const expected = createHmac('sha256', opts.secret ?? DEV_SECRET)
    .update(`${head}.${body}`)
    .digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const header = Header.safeParse(parseJson(head));
  const payload = Payload.safeParse(parseJson(body));
  if (!header.success || !payload.success) return undefined;
  const now = (opts.now ?? new Date()).getTime() / 1000;
  const { exp, iat, nbf } = payload.data;
  if (exp <= now) return undefined;
  if (iat > now + CLOCK_SKEW_SECONDS || (nbf !== undefined && nbf > now + CLOCK_SKEW_SECONDS)) return undefined;
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) return undefined;
  return Object.fromEntries(Object.entries(payload.data).map(([k, v]) => [k, String(v)]));
}

function parseJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** One dev identity per role, matching `shared/config/units.json`. */
export const DEV_IDENTITIES = [
  { role: 'agent', sub: 'agent-lin' },
  { role: 'handler', sub: 'th-handler-1', unitId: 'gz-tianhe' },
  { role: 'leader', sub: 'th-leader', unitId: 'gz-tianhe' },
  { role: 'quality', sub: 'qm-wu' },
  { role: 'admin', sub: 'admin-root' },
] as const;
