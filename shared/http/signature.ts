/**
 * Webhook signatures for SMS / IVR integrators.
 *
 * The integrator sends
 *   `X-Timestamp: <unix seconds>`
 *   `X-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`
 * Signing the timestamp together with the exact raw bytes of the body stops both tampering and replay:
 * a captured request is only accepted within ±{@link DEFAULT_TOLERANCE_SECONDS} of its timestamp, and the
 * handler's idempotency key catches a replay inside that window.
 *
 * Secrets rotate without downtime: the server accepts any of a list of secrets (new one first) while the
 * integrator switches; the integrator may also send several `v1=` values separated by commas.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the signature (compare case-insensitively; HTTP header names are). */
export const SIGNATURE_HEADER = 'X-Signature';
/** Header carrying the unix timestamp in seconds. */
export const TIMESTAMP_HEADER = 'X-Timestamp';
/** Scheme version prefix in {@link SIGNATURE_HEADER}. */
export const SIGNATURE_SCHEME = 'v1';
/** Replay window: a request is accepted up to 5 minutes before or after its timestamp. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The raw request body exactly as received (never a re-serialised JSON object). */
export type RawBody = string | Uint8Array;

/** Hex HMAC-SHA256 of `${timestamp}.${rawBody}`. */
function hmacHex(secret: string, timestamp: string, rawBody: RawBody): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Computes the `X-Signature` header value for a body.
 *
 * @param secret the shared secret
 * @param timestamp unix seconds, exactly as sent in `X-Timestamp`
 * @param rawBody the request body bytes (a string is taken as UTF-8)
 * @returns `v1=<64 lowercase hex characters>`
 */
export function sign(secret: string, timestamp: number | string, rawBody: RawBody): string {
  return `${SIGNATURE_SCHEME}=${hmacHex(secret, String(timestamp), rawBody)}`;
}

/**
 * Both headers for an outgoing request (local stack, demo scripts, integration tests).
 *
 * @param now the signing time; the timestamp is its unix seconds
 */
export function signatureHeaders(secret: string, now: Date, rawBody: RawBody): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: sign(secret, timestamp, rawBody) };
}

/** Why a signature was refused; all of them map to HTTP 401 without telling the caller which. */
export type SignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';

/** Outcome of {@link verifySignature}. */
export type SignatureVerdict = { ok: true } | { ok: false; reason: SignatureFailure };

/** Input of {@link verifySignature}: one secret, or several during a rotation. */
export type VerifySignatureInput = ({ secret: string; secrets?: never } | { secrets: readonly string[]; secret?: never }) & {
  /** Value of `X-Timestamp`, as received (`undefined` when the header is absent). */
  timestampHeader: string | null | undefined;
  /** Value of `X-Signature`, as received. */
  signatureHeader: string | null | undefined;
  rawBody: RawBody;
  /** The current time (inject a fake clock in tests). */
  now: Date;
  /** Allowed clock skew either way, in seconds; default {@link DEFAULT_TOLERANCE_SECONDS}. */
  toleranceSeconds?: number;
};

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE_ENTRY = /^v1=([0-9a-fA-F]+)$/;

/**
 * Verifies a webhook signature.
 *
 * Order of checks: `missing` (either header absent or blank) → `malformed` (timestamp not unix seconds,
 * or an entry not `v1=<hex>`) → `stale` (more than `toleranceSeconds` away from `now`, past or future) →
 * `mismatch` (no entry equals the HMAC under any secret). Comparison is constant-time
 * (`crypto.timingSafeEqual`); entries of a different length are a mismatch, never an exception.
 *
 * @throws Error when no secret is configured: that is a deployment error, not the caller's.
 */
export function verifySignature(input: VerifySignatureInput): SignatureVerdict {
  const secrets = input.secrets ?? (input.secret === undefined ? [] : [input.secret]);
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) {
    throw new Error('verifySignature: no webhook secret configured');
  }
  const timestamp = input.timestampHeader?.trim();
  const signature = input.signatureHeader?.trim();
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };

  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed' };
  const provided: Buffer[] = [];
  for (const entry of signature.split(',')) {
    const hex = SIGNATURE_ENTRY.exec(entry.trim())?.[1];
    if (hex === undefined) return { ok: false, reason: 'malformed' };
    provided.push(Buffer.from(hex.toLowerCase(), 'utf8'));
  }

  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const skew = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  if (skew > tolerance) return { ok: false, reason: 'stale' };

  // Check every (secret, entry) pair without an early exit, so timing does not reveal which secret matched.
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(hmacHex(secret, timestamp, input.rawBody), 'utf8');
    for (const candidate of provided) {
      // timingSafeEqual throws on different lengths; the length of a SHA-256 hex digest is public anyway.
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
