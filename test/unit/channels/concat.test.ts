import { describe, expect, it } from 'vitest';
import { GAP_MARKER, type SmsPart, SmsPartMetaSchema, SmsPartSchema, concatKey, joinParts } from '#domain/channels/concat.ts';
import { extractWaybillNos } from '#domain/channels/sms-text.ts';

const FROM = '+8613800138000';

/** One part of a 3-part message with UDH reference 42 from FROM. */
const part = (partNumber: number, text: string, totalParts = 3): SmsPart => ({
  reference: '42',
  partNumber,
  totalParts,
  from: FROM,
  text,
});

describe('joinParts', () => {
  it('recovers a waybill number split across two SMS parts', () => {
    // Prepare: the carrier cut the message in the middle of the number.
    const parts = [part(1, '您好，我的邮件EA12345', 2), part(2, '6785CN已经丢了一周', 2)];

    // Act
    const joined = joinParts(parts);

    // Assess
    expect(joined).toEqual({ complete: true, text: '您好，我的邮件EA123456785CN已经丢了一周', missing: [] });
    expect(extractWaybillNos(joined.text)).toEqual(['EA123456785CN']);
  });

  it('orders parts by part number whatever the arrival order', () => {
    // Prepare
    const parts = [part(3, '请尽快回电。'), part(1, '快递员没送上门，'), part(2, '直接放驿站了，')];

    // Act
    const joined = joinParts(parts);

    // Assess
    expect(joined.complete).toBe(true);
    expect(joined.text).toBe('快递员没送上门，直接放驿站了，请尽快回电。');
  });

  it('counts a part delivered twice once, keeping the first copy', () => {
    // Prepare: the provider retried part 1.
    const parts = [part(1, '包裹破损，', 2), part(1, '包裹破损，', 2), part(2, '内件短少', 2), part(1, 'changed on retry', 2)];

    // Act
    const joined = joinParts(parts);

    // Assess
    expect(joined).toEqual({ complete: true, text: '包裹破损，内件短少', missing: [] });
  });

  it('reports missing parts and keeps the neighbours apart with a gap marker', () => {
    // Prepare: part 2 never arrived; gluing 1 and 3 would forge the number 9123456789012.
    const parts = [part(1, '单号912345'), part(3, '6789012还没到')];

    // Act
    const joined = joinParts(parts);

    // Assess
    expect(joined.complete).toBe(false);
    expect(joined.missing).toEqual([2]);
    expect(joined.text).toBe(`单号912345${GAP_MARKER}6789012还没到`);
    expect(extractWaybillNos(joined.text)).toEqual([]);
  });

  it('lists every missing part, including the first and the last', () => {
    // Act
    const joined = joinParts([part(2, '中间', 4)]);

    // Assess
    expect(joined.missing).toEqual([1, 3, 4]);
    expect(joined.complete).toBe(false);
  });

  it('restores an emoji whose surrogate pair was split between two parts', () => {
    // Prepare
    const emoji = '😡';
    const parts = [part(1, `太慢了${emoji.charAt(0)}`, 2), part(2, `${emoji.charAt(1)}！`, 2)];

    // Act
    const joined = joinParts(parts);

    // Assess
    expect(joined.text).toBe('太慢了😡！');
  });

  it('returns an incomplete empty message for no parts', () => {
    // Act & Assess
    expect(joinParts([])).toEqual({ complete: false, text: '', missing: [] });
  });

  it('refuses parts of different senders (the caller grouped them wrong)', () => {
    // Prepare
    const parts = [part(1, 'a', 2), { ...part(2, 'b', 2), from: '+8613900139000' }];

    // Act & Assess
    expect(() => joinParts(parts)).toThrow(/different messages/);
  });
});

describe('concatKey', () => {
  it('keys parts by sender, reference and total so a wrapped 8-bit reference does not mix two messages', () => {
    // Act & Assess
    expect(concatKey(part(1, 'x', 2))).toBe(`${FROM}#42#2`);
    expect(concatKey(part(1, 'x', 3))).not.toBe(concatKey(part(1, 'x', 2)));
  });
});

describe('SmsPartSchema', () => {
  it('accepts a numeric UDH reference and returns it as a string', () => {
    // Act
    const parsed = SmsPartSchema.parse({ reference: 200, partNumber: 1, totalParts: 2, from: FROM, text: '快递' });

    // Assess
    expect(parsed.reference).toBe('200');
  });

  it('rejects a part number beyond the total, naming partNumber', () => {
    // Act
    const result = SmsPartMetaSchema.safeParse({ reference: 'abc', partNumber: 3, totalParts: 2 });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['partNumber']]);
  });

  it.each([
    ['part number 0', { reference: 1, partNumber: 0, totalParts: 2 }],
    ['a 17-bit reference', { reference: 70_000, partNumber: 1, totalParts: 2 }],
    ['a blank reference', { reference: '  ', partNumber: 1, totalParts: 2 }],
    ['more than 255 parts', { reference: 1, partNumber: 1, totalParts: 256 }],
  ])('rejects %s', (_label, input) => {
    // Act & Assess
    expect(SmsPartMetaSchema.safeParse(input).success).toBe(false);
  });
});
