import { describe, expect, it } from 'vitest';
import { itemSize, numberBytes, utf8Bytes, valueSize } from '#store/item-size.ts';

describe('item size by DynamoDB rules', () => {
  it('counts strings in UTF-8 bytes: 3 per CJK character, 4 per astral character', () => {
    // Prepare / Act / Assess in one line each: hand-counted bytes.
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('投诉')).toBe(6);
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('😀')).toBe(4); // one astral code point = two UTF-16 units = 4 bytes
    expect(utf8Bytes('催办😀a')).toBe(3 + 3 + 4 + 1);
    expect(utf8Bytes('\uD800')).toBe(3); // a lone surrogate is sent as U+FFFD
    const note = '催'.repeat(1000);
    expect(note.length).toBe(1000); // what dynalite counts
    expect(utf8Bytes(note)).toBe(3000); // what DynamoDB counts
    expect(utf8Bytes(note)).toBe(Buffer.byteLength(note, 'utf8'));
  });

  it('counts a number as one byte per two significant digits plus one, zeros trimmed', () => {
    expect(numberBytes(0)).toBe(2);
    expect(numberBytes(7)).toBe(2);
    expect(numberBytes(12)).toBe(2);
    expect(numberBytes(123)).toBe(3);
    expect(numberBytes(1_000_000)).toBe(2); // trailing zeros trimmed: "1"
    expect(numberBytes(0.0005)).toBe(2); // leading zeros trimmed: "5"
    expect(numberBytes(-12.34)).toBe(3); // "1234"
    expect(numberBytes(1_795_000_000)).toBe(3); // "1795" — an epoch-seconds TTL
  });

  it('gives null and booleans one byte, binary its raw bytes, sets the sum of their elements', () => {
    expect(valueSize(null)).toBe(1);
    expect(valueSize(true)).toBe(1);
    expect(valueSize(new Uint8Array(10))).toBe(10);
    expect(valueSize(new Set(['ab', '投诉']))).toBe(2 + 6);
  });

  it('charges a list or map 3 bytes plus 1 byte per element, and map keys their UTF-8 bytes', () => {
    expect(valueSize([])).toBe(3);
    expect(valueSize({})).toBe(3);
    // ['ab', 5]: 3 + (1 + 2) + (1 + 2)
    expect(valueSize(['ab', 5])).toBe(9);
    // { 备注: '催办', n: 12 }: 3 + (1 + 6 + 6) + (1 + 1 + 2)
    expect(valueSize({ 备注: '催办', n: 12 })).toBe(20);
    // nested: [{ a: [] }] = 3 + 1 + (3 + 1 + 1 + 3)
    expect(valueSize([{ a: [] }])).toBe(12);
  });

  it('sums attribute names and values of a whole item and skips undefined attributes', () => {
    // Prepare: a history event as the store writes it.
    const item = {
      PK: 'CMP#C1', // 2 + 6
      version: 12, // 7 + 2
      gone: undefined,
      history: [{ seq: 3, type: 'chased', data: { note: '催'.repeat(1000) } }],
    };
    // Act
    const size = itemSize(item);
    // Assess: history = 7 + 3 + 1 + map(3 + (1+3+2) + (1+4+6) + (1+4+ (3 + 1+4+3000)))
    const event = 3 + (1 + 3 + 2) + (1 + 4 + 6) + (1 + 4 + (3 + 1 + 4 + 3000));
    expect(size).toBe(8 + 9 + 7 + 3 + 1 + event);
  });
});
