/**
 * `toHalfWidth`'s fast path (decision 070): on plain text, NFKC of the whole string must be exactly what
 * the grapheme-by-grapheme path gives. Checked for every character of the fast set, every pair of its
 * non-ASCII, non-Han characters, and a long random mix of all of them.
 */
import { describe, expect, it } from 'vitest';
import { toHalfWidth } from '#domain/channels/normalize.ts';

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });
const EMOJI_GRAPHEME = /\p{Extended_Pictographic}|\u20E3|\uFE0F|\p{Regional_Indicator}/u;
/** The grapheme path, as `toHalfWidth` has it for any other text. */
const byGrapheme = (text: string) => {
  let out = '';
  for (const { segment } of graphemes.segment(text)) out += EMOJI_GRAPHEME.test(segment) ? segment : segment.normalize('NFKC');
  return out;
};
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
const nonHan = ['\t', '\n', ...range(0x20, 0x7e), '\u00b7', ...range(0x2010, 0x2027), ...range(0x3000, 0x301f), ...range(0xff01, 0xff5e)];
const han = range(0x4e00, 0x9fff);

describe('toHalfWidth on plain text', () => {
  it('equals the grapheme path for every character of the fast set', () => {
    const differ = [...nonHan, ...han].filter((c) => toHalfWidth(c) !== byGrapheme(c));
    expect(differ).toEqual([]);
  });

  it('equals the grapheme path for every pair of its non-ASCII, non-Han characters', () => {
    // ASCII is NFKC's identity and composes with nothing in the set; Han characters are checked below.
    const others = nonHan.filter((c) => c.charCodeAt(0) > 0x7e);
    const differ: string[] = [];
    for (const a of others) for (const b of others) if (toHalfWidth(a + b) !== byGrapheme(a + b)) differ.push(a + b);
    expect(differ).toEqual([]);
  });

  it('equals the grapheme path on long mixed text', () => {
    let seed = 7;
    const pick = (list: string[]) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return list[seed % list.length] as string;
    };
    const text = Array.from({ length: 20_000 }, (_, i) => pick(i % 3 === 0 ? han : nonHan)).join('');
    expect(toHalfWidth(text)).toBe(byGrapheme(text));
  });

  it('still keeps emoji and normalises around them (the grapheme path)', () => {
    expect(toHalfWidth('ＡＢＣ㊙️１')).toBe('ABC㊙️1');
    expect(toHalfWidth('快递‼丢了')).toBe('快递‼丢了');
  });
});
