import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, signatureHeaders, verifySignature } from '#http/signature.ts';

const SECRET = 'whsec_current_0123456789';
const OLD_SECRET = 'whsec_previous_9876543210';
const NOW = new Date('2025-03-01T01:30:00Z');
const TS = String(NOW.getTime() / 1000); // "1740792600"
const BODY = JSON.stringify({ messageId: 'm-1', from: '+8613800138000', text: '我的快递EA123456785CN丢了' });

const secondsFromNow = (s: number): string => String(NOW.getTime() / 1000 + s);

describe('sign', () => {
  it('produces v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">', () => {
    // Prepare
    const expected = createHmac('sha256', SECRET).update(`${TS}.${BODY}`, 'utf8').digest('hex');

    // Act
    const header = sign(SECRET, TS, BODY);

    // Assess
    expect(header).toBe(`v1=${expected}`);
    expect(header).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('signs a byte body exactly like the same UTF-8 string', () => {
    // Act
    const fromBytes = sign(SECRET, Number(TS), Buffer.from(BODY, 'utf8'));

    // Assess
    expect(fromBytes).toBe(sign(SECRET, TS, BODY));
  });
});

describe('verifySignature', () => {
  it('accepts a body signed with the secret inside the replay window', () => {
    // Prepare
    const signatureHeader = sign(SECRET, TS, BODY);

    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader: TS, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: true });
  });

  it('accepts the headers produced by signatureHeaders', () => {
    // Prepare
    const headers = signatureHeaders(SECRET, NOW, BODY);

    // Act
    const verdict = verifySignature({
      secret: SECRET,
      timestampHeader: headers[TIMESTAMP_HEADER],
      signatureHeader: headers[SIGNATURE_HEADER],
      rawBody: BODY,
      now: NOW,
    });

    // Assess
    expect(headers[TIMESTAMP_HEADER]).toBe(TS);
    expect(verdict).toEqual({ ok: true });
  });

  it('rejects a signature made with another secret as a mismatch', () => {
    // Prepare
    const signatureHeader = sign('not-the-secret', TS, BODY);

    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader: TS, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a body changed after signing (one character) as a mismatch', () => {
    // Prepare
    const signatureHeader = sign(SECRET, TS, BODY);
    const tampered = BODY.replace('EA123456785CN', 'EA123456786CN');

    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader: TS, signatureHeader, rawBody: tampered, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a valid signature whose timestamp header was changed as a mismatch', () => {
    // Prepare: an attacker refreshes the timestamp of a captured request to get past the window.
    const signatureHeader = sign(SECRET, secondsFromNow(-3600), BODY);

    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader: TS, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['301 s in the past', -301],
    ['one hour in the past', -3600],
    ['301 s in the future', 301],
    ['one day in the future', 86_400],
  ])('rejects a correctly signed request timestamped %s as stale', (_label, offset) => {
    // Prepare
    const timestamp = secondsFromNow(offset);
    const signatureHeader = sign(SECRET, timestamp, BODY);

    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader: timestamp, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'stale' });
  });

  it.each([-300, 300])('accepts a timestamp exactly %i s away (the window is ±5 minutes inclusive)', (offset) => {
    // Prepare
    const timestamp = secondsFromNow(offset);
    const signatureHeader = sign(SECRET, timestamp, BODY);

    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader: timestamp, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(DEFAULT_TOLERANCE_SECONDS).toBe(300);
    expect(verdict).toEqual({ ok: true });
  });

  it('honours a custom tolerance', () => {
    // Prepare
    const timestamp = secondsFromNow(-61);
    const signatureHeader = sign(SECRET, timestamp, BODY);

    // Act
    const verdict = verifySignature({
      secret: SECRET,
      timestampHeader: timestamp,
      signatureHeader,
      rawBody: BODY,
      now: NOW,
      toleranceSeconds: 60,
    });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'stale' });
  });

  it.each([
    ['no scheme prefix', TS, 'abcdef0123'],
    ['an unknown scheme', TS, `v0=${'a'.repeat(64)}`],
    ['non-hex characters', TS, `v1=${'z'.repeat(64)}`],
    ['an empty v1 value', TS, 'v1='],
    ['a timestamp in milliseconds with a fraction', `${TS}.5`, `v1=${'a'.repeat(64)}`],
    ['an ISO date as timestamp', '2025-03-01T01:30:00Z', `v1=${'a'.repeat(64)}`],
    ['a negative timestamp', '-1', `v1=${'a'.repeat(64)}`],
  ])('rejects a header with %s as malformed', (_label, timestampHeader, signatureHeader) => {
    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['no signature header', TS, undefined],
    ['no timestamp header', undefined, 'v1=00'],
    ['a blank signature header', TS, '   '],
    ['null headers', null, null],
  ])('rejects a request with %s as missing', (_label, timestampHeader, signatureHeader) => {
    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'missing' });
  });

  it('accepts the new and the previous secret during a rotation', () => {
    // Prepare
    const secrets = [SECRET, OLD_SECRET];

    // Act
    const withNew = verifySignature({ secrets, timestampHeader: TS, signatureHeader: sign(SECRET, TS, BODY), rawBody: BODY, now: NOW });
    const withOld = verifySignature({ secrets, timestampHeader: TS, signatureHeader: sign(OLD_SECRET, TS, BODY), rawBody: BODY, now: NOW });

    // Assess
    expect(withNew).toEqual({ ok: true });
    expect(withOld).toEqual({ ok: true });
  });

  it('rejects the previous secret once the rotation is over', () => {
    // Act
    const verdict = verifySignature({
      secrets: [SECRET],
      timestampHeader: TS,
      signatureHeader: sign(OLD_SECRET, TS, BODY),
      rawBody: BODY,
      now: NOW,
    });

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts a header listing several v1 signatures when one of them matches', () => {
    // Prepare: the integrator signs with both secrets while it switches over.
    const header = `${sign(OLD_SECRET, TS, BODY)}, ${sign(SECRET, TS, BODY)}`;

    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader: TS, signatureHeader: header, rawBody: BODY, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: true });
  });

  it.each([
    ['shorter', 'v1=abcd'],
    ['longer', `${sign(SECRET, TS, BODY)}00`],
  ])('treats a %s signature as a mismatch without throwing', (_label, signatureHeader) => {
    // Act
    const verify = () => verifySignature({ secret: SECRET, timestampHeader: TS, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(verify).not.toThrow();
    expect(verify()).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts an upper-case hex signature', () => {
    // Prepare
    const signatureHeader = sign(SECRET, TS, BODY).replace(/[0-9a-f]{64}$/, (hex) => hex.toUpperCase());

    // Act
    const verdict = verifySignature({ secret: SECRET, timestampHeader: TS, signatureHeader, rawBody: BODY, now: NOW });

    // Assess
    expect(verdict).toEqual({ ok: true });
  });

  it('throws when no secret is configured (a deployment error, not the caller’s)', () => {
    // Act
    const verify = () => verifySignature({ secrets: [], timestampHeader: TS, signatureHeader: sign(SECRET, TS, BODY), rawBody: BODY, now: NOW });

    // Assess
    expect(verify).toThrow(/no webhook secret/);
  });
});
