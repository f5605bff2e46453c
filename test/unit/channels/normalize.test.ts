import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, hasUsableText, isMobile, normalizePhone, normalizeText, PHONE_PATTERN, phoneProblem } from '#domain/channels/normalize.ts';
import { canonicalPhone } from '#domain/ids.ts';
import { IntakeRequest } from '#domain/schemas.ts';

describe('normalizePhone: one canonical E.164 form for every way people write a number', () => {
  it.each([
    ['mobile', '13800138000', '+8613800138000'],
    ['mobile with +86 and hyphens', '+86 138-0013-8000', '+8613800138000'],
    ['mobile in full-width digits', '１３８００１３８０００', '+8613800138000'],
    ['Guangzhou landline with hyphen', '020-12345678', '+862012345678'],
    ['landline with the area code in brackets', '(020)12345678', '+862012345678'],
    ['landline in full-width brackets and digits', '（０２０）１２３４５６７８', '+862012345678'],
    ['Shenzhen 7-digit landline', '0755-1234567', '+867551234567'],
    ['landline written with +86 and hyphens', '+86-20-12345678', '+862012345678'],
    ['landline with +86 and the trunk 0 in brackets', '+86 (0)20 1234 5678', '+862012345678'],
    ['landline written with 0086', '0086 755 1234567', '+867551234567'],
    ['already canonical landline', '+862012345678', '+862012345678'],
    ['Hong Kong mobile', '+85291234567', '+85291234567'],
    ['Hong Kong with 00 prefix', '00852 9123 4567', '+85291234567'],
    ['North American number', '+1 (212) 555-0100', '+12125550100'],
  ])('reads a %s: %s → %s', (_name, input, expected) => {
    // Act & Assess
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    ['a bare 8-digit landline without area code', '12345678', 'area code'],
    ['a bare 7-digit landline without area code', '1234567', 'area code'],
    ['a bank short code', '95543', 'service number'],
    ['a 400 service number', '400-812-3123', 'service number'],
    ['a 400 number written with +86', '+86 400 812 3123', 'service number'],
    ['an 11-digit number that is no mobile', '12800138000', 'expected a mobile'],
    ['a too short international number', '+1234567', 'expected a mobile'],
    ['a too long international number', '+1234567890123456', 'expected a mobile'],
    ['words', 'call me', 'expected a mobile'],
  ])('refuses %s (%s) and says why', (_name, input, reason) => {
    // Act & Assess
    expect(normalizePhone(input)).toBeUndefined();
    expect(phoneProblem(input)).toContain(reason);
  });

  it('accepts exactly what the intake schema accepts, and its output is a fixed point in E.164', () => {
    // Prepare: digit strings with the separators and prefixes people type
    const typed = fc.stringMatching(/^[+０-９0-9 ()（）-]{0,20}$/);
    const prefixed = fc
      .tuple(fc.constantFrom('', '+86', '0086', '86', '0', '+852', '+1', '(0', '+86 (0)'), fc.stringMatching(/^[0-9 -]{6,13}$/))
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(fc.oneof(typed, prefixed), (input) => {
        // Act
        const e164 = normalizePhone(input);
        const schema = IntakeRequest.safeParse({ anonymous: false, phone: input, category: 'other', content: 'x' }).success;
        // Assess
        expect(schema).toBe(e164 !== undefined);
        expect(PHONE_PATTERN.test(input.trim())).toBe(e164 !== undefined);
        if (e164 !== undefined) {
          expect(e164).toMatch(/^\+[1-9]\d{7,14}$/);
          expect(normalizePhone(e164)).toBe(e164);
          expect(canonicalPhone(input)).toBe(e164);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('tells mainland mobiles (which can receive our SMS) from landlines and foreign numbers', () => {
    // Act & Assess
    expect(isMobile('+8613800138000')).toBe(true);
    expect(isMobile('138 0013 8000')).toBe(true);
    expect(isMobile('+862012345678')).toBe(false);
    expect(isMobile('+85291234567')).toBe(false);
    expect(isMobile(undefined)).toBe(false);
  });
});

describe('cleanText: odd characters are cleaned, never a reason to fail', () => {
  it.each([
    ['a lone high surrogate becomes U+FFFD', '包裹\uD83D丢了', '包裹\uFFFD丢了'],
    ['a lone low surrogate becomes U+FFFD', '\uDE00包裹', '\uFFFD包裹'],
    ['a well-formed emoji pair is kept', '丢了😭', '丢了😭'],
    ['NUL and other C0 controls are dropped', 'a\u0000b\u0007c\u001Bd', 'abcd'],
    ['C1 controls and DEL are dropped', 'a\u0085b\u009Bc\u007Fd', 'abcd'],
    ['tab and newline are kept, CR/CRLF become LF', 'a\tb\r\nc\rd\ne', 'a\tb\nc\nd\ne'],
    ['BIDI overrides, isolates and marks are dropped', '\u202E邮件\u202C\u2066ab\u2069\u200F', '邮件ab'],
  ])('%s', (_name, input, expected) => {
    // Act & Assess
    expect(cleanText(input)).toBe(expected);
  });

  it('leaves text that the intake schema accepts, whatever came in', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (input) => {
        // Act
        const cleaned = normalizeText(input);
        // Assess: either nothing usable (the channel answers `ignored`) or valid intake content
        const ok = IntakeRequest.safeParse({ anonymous: true, category: 'other', content: cleaned }).success;
        expect(ok || cleaned.length === 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('finds nothing to act on in emoji, punctuation or the replacement character alone', () => {
    // Act & Assess
    expect(hasUsableText('😡😡👍🏻 !!! \uFFFD')).toBe(false);
    expect(hasUsableText('丢')).toBe(true);
    expect(hasUsableText('EA1')).toBe(true);
  });
});
