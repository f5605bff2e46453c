/**
 * Identifiers. Crockford base32 (no I, L, O, U) so codes read well over the phone.
 * Uses node:crypto, which is no AWS import and behaves the same in Lambda and locally.
 */
import { createHash, randomBytes } from 'node:crypto';
import { normalizePhone } from './channels/normalize.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Encode the first `chars * 5` bits of `bytes` in Crockford base32. */
export function base32(bytes: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  let i = 0;
  while (out.length < chars) {
    if (bits < 5) {
      buffer = (buffer << 8) | (bytes[i++] ?? 0);
      bits += 8;
    }
    bits -= 5;
    out += ALPHABET[(buffer >>> bits) & 31];
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/**
 * A complaint id: `C` + 16 base32 characters (80 bits). With an idempotency key it is derived from
 * the key, so that every retry of one intake addresses the same item and a conditional put dedupes it.
 */
export function complaintId(idempotencyScope?: string): string {
  const bytes = idempotencyScope ? createHash('sha256').update(`complaint|${idempotencyScope}`).digest() : randomBytes(10);
  return `C${base32(bytes, 16)}`;
}

/** A public tracking code: 12 base32 characters = 60 random bits, unguessable (issue 5: ≥ 50 bits). */
export function trackingCode(): string {
  return base32(randomBytes(8), 12);
}

/** Stable hash of a request body, to tell a retry from a reuse of one key with another body. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('base64url').slice(0, 22);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Canonical phone form (E.164, `+86…`) for storage and for matching repeat complaints. Input has
 * passed the intake schema's phone pattern, so the channel normaliser always recognises it; the
 * fallback keeps the digits rather than lose a number.
 */
export function canonicalPhone(raw: string): string {
  return normalizePhone(raw) ?? `+86${raw.replace(/\D/g, '').replace(/^86/, '')}`;
}

/** `138****8000`; `张*` / `欧阳**`: what lists, e-mails and public tracking show (SPEC, personal data). */
export function maskPhone(phone: string | undefined): string | undefined {
  if (!phone) return phone;
  const national = phone.replace(/^\+86/, '');
  if (national.length < 7) return '*'.repeat(national.length);
  return `${national.slice(0, 3)}****${national.slice(-4)}`;
}

export function maskName(name: string | undefined): string | undefined {
  if (!name) return name;
  const chars = Array.from(name);
  if (/^[\x20-\x7E]+$/.test(name)) return `${chars[0]}***`;
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

export function maskEmail(email: string | undefined): string | undefined {
  if (!email) return email;
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/**
 * The one comparable form of a staff id: identity providers and people type ids in any case
 * (`TH-HANDLER-2` is `th-handler-2`, SPEC "Dispatch": staff ids compared case-insensitively).
 * Subject lists are stored in this form, so that the store's `contains` filter matches too.
 */
export function staffKey(id: string): string {
  return id.trim().toLowerCase();
}

/** True when both ids name the same staff member. */
export function sameStaff(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && staffKey(a) === staffKey(b);
}
