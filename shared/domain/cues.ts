/**
 * Keyword cues over normalised text ({@link normalizeText}): the one matcher behind the category
 * keywords of SMS/IVR text and the severity vocabulary of every channel. Pure functions.
 */

export interface Cue<K extends string> {
  key: K;
  /** What is reported when the cue matches: the keyword itself. */
  label: string;
  /** Global regex run on the lower-cased normalised text. */
  re: RegExp;
  weight: number;
  /** A substring every match contains: the regex runs only on a text that has it (most texts have few cues). */
  literal?: string;
}

export interface CueHit<K extends string> {
  cue: Cue<K>;
  index: number;
  end: number;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ASCII = /^[\x20-\x7e]+$/;

/**
 * A keyword cue. Chinese keywords match as substrings; ASCII keywords match whole words (case-insensitive,
 * an optional plural/past “s|es|ed” is allowed so that “damaged”, “delays” match “damage”, “delay”).
 */
export function kw<K extends string>(key: K, keyword: string, weight = 1): Cue<K> {
  const ascii = ASCII.test(keyword);
  const source = ascii ? `\\b${escapeRegExp(keyword.toLowerCase()).replace(/ /g, '\\s+')}(?:s|es|ed|d)?\\b` : escapeRegExp(keyword);
  // An ASCII keyword's words may be apart by any whitespace: only its first word is a literal of every match.
  const literal = ascii ? (keyword.toLowerCase().split(' ')[0] ?? '') : keyword;
  return { key, label: keyword, re: new RegExp(source, 'g'), weight, literal };
}

/** A cue with a hand-written pattern (numbers that need digit boundaries, “打110”). */
export function rx<K extends string>(key: K, label: string, re: RegExp, weight = 1): Cue<K> {
  return { key, label, re: new RegExp(re.source, 'g'), weight };
}

/**
 * All non-overlapping hits in text order; where two cues overlap the longer one wins
 * (“没收到短信” is a notification cue, not the loss cue “没收到” inside it).
 */
export function findCues<K extends string>(lowerText: string, cues: readonly Cue<K>[]): CueHit<K>[] {
  const all: CueHit<K>[] = [];
  for (const cue of cues) {
    if (cue.literal !== undefined && !lowerText.includes(cue.literal)) continue;
    cue.re.lastIndex = 0;
    for (const m of lowerText.matchAll(cue.re)) {
      all.push({ cue, index: m.index, end: m.index + m[0].length });
    }
  }
  all.sort((a, b) => a.index - b.index || b.end - b.index - (a.end - a.index));
  const kept: CueHit<K>[] = [];
  for (const hit of all) {
    if (!kept.some((k) => hit.index < k.end && k.index < hit.end)) kept.push(hit);
  }
  return kept.sort((a, b) => a.index - b.index);
}
