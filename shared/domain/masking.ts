/**
 * Personal data inside free text (SPEC "Non-negotiables": phone and name masked in lists and e-mails
 * — also inside content and notes: phone numbers, landlines, ID numbers, e-mail addresses). One masker
 * for every place that shows masked data: the staff view of a viewer who does not see identity, the
 * escalation e-mails and the public tracking page. See docs/decisions/034-free-text-masking.md.
 *
 * Matching runs on a copy of the text in which full-width forms (１３８, ＋, （, ＠) and dash variants
 * are folded to ASCII one code unit for one, so positions are the same in both; replacements are
 * cut into the original text, so everything that is not personal data keeps its spelling.
 */
import { maskName } from './ids.ts';

/** A span of the text to replace, with what replaces it. */
interface Hit {
  start: number;
  end: number;
  replacement: string;
}

/** Full-width ASCII (U+FF01–FF5E) and the ideographic space to ASCII, dashes to `-`: same length. */
function fold(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000\u2010-\u2014]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x3000) return ' ';
    if (code >= 0x2010 && code <= 0x2014) return '-';
    return String.fromCharCode(code - 0xfee0);
  });
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** All but the last two digits become `*`. */
const starTail = (digits: string): string => `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;

/**
 * A letter or digit right before a number means it is part of a code (SF1234…, EA…CN, JDVA…), not
 * a phone: waybill numbers are never masked. The same holds for a digit right after.
 */
const NOT_AFTER_CODE = '(?<![0-9A-Za-z])';

/** E-mail addresses: `z***@example.com`, as `maskEmail` shows the complainant's own. */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** 18-digit resident ID numbers (GB 11643: area, birth date, sequence, check digit or X), optionally spaced 6-8-4. */
const ID_NUMBER = /(?<!\d)[1-9]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx](?![\dXx])/g;

/** Mainland mobiles: optional +86 / 0086 / 86 / (+86), then 1[3-9]x xxxx xxxx grouped 3-4-4 or 4-3-4. */
const MOBILE = new RegExp(
  `${NOT_AFTER_CODE}(?:(?:\\+|00)?86[ -]?|\\(\\+?86\\) ?)?(?:1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}|1[3-9]\\d{2}[ -]\\d{3}[ -]\\d{4})(?!\\d)`,
  'g',
);

/**
 * International numbers: `+` and 8–15 digits (E.164) in groups separated by one space, dash or
 * parentheses. Groups beyond 15 digits are not part of the number and are left alone.
 */
const INTERNATIONAL = /(?<![0-9A-Za-z+])\+\d{1,3}(?:[ -]?\(\d{1,5}\)|[ -]?\d{1,5}){1,6}(?!\d)/g;

/**
 * Landlines with an area code (010, 02x, 0xxx — the mainland's only shapes) and a 7–8 digit local
 * number: 020-12345678, (0755)1234567, 0755 1234 567, 02012345678. The area code stays readable.
 */
const LANDLINE = new RegExp(`${NOT_AFTER_CODE}(\\(0(?:10|2\\d|[3-9]\\d{2})\\) ?|0(?:10|2\\d|[3-9]\\d{2})[ -]?)([1-9]\\d{2,3}(?:[ -]?\\d{3,4}))(?!\\d)`, 'g');

function* matches(pattern: RegExp, folded: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(folded); m; m = pattern.exec(folded)) yield m;
}

function emailHits(folded: string): Hit[] {
  return [...matches(EMAIL, folded)].map((m) => {
    const at = m[0].indexOf('@');
    return { start: m.index, end: m.index + m[0].length, replacement: `${m[0].slice(0, 1)}***${m[0].slice(at)}` };
  });
}

function idHits(folded: string): Hit[] {
  return [...matches(ID_NUMBER, folded)].map((m) => ({ start: m.index, end: m.index + m[0].length, replacement: '*'.repeat(18) }));
}

function mobileHits(folded: string): Hit[] {
  return [...matches(MOBILE, folded)].map((m) => {
    const national = digitsOf(m[0]).slice(-11);
    return { start: m.index, end: m.index + m[0].length, replacement: `${national.slice(0, 3)}****${national.slice(-4)}` };
  });
}

function internationalHits(folded: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of matches(INTERNATIONAL, folded)) {
    // Drop trailing groups until the number fits E.164's 15 digits (a date may follow a number).
    let text = m[0];
    while (digitsOf(text).length > 15) text = text.replace(/[ -]?\(?\d+\)?$/, '');
    const digits = digitsOf(text);
    if (digits.length >= 8) hits.push({ start: m.index, end: m.index + text.length, replacement: `+${starTail(digits)}` });
  }
  return hits;
}

function landlineHits(original: string, folded: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of matches(LANDLINE, folded)) {
    const area = m[1] ?? '';
    const local = digitsOf(m[2] ?? '');
    if (local.length < 7 || local.length > 8) continue;
    // The area code keeps the writer's spelling (full-width parentheses stay full-width).
    hits.push({ start: m.index, end: m.index + m[0].length, replacement: `${original.slice(m.index, m.index + area.length)}${starTail(local)}` });
  }
  return hits;
}

/**
 * Masks mobiles, landlines, 18-digit ID numbers, e-mail addresses and international numbers in
 * `text`, and the complainant's own name when given. Waybill numbers, money, dates and short
 * public numbers (12315, 110, 95338) stay. Idempotent.
 */
export function maskFreeText(text: string, complainant?: { name?: string | undefined }): string {
  const folded = fold(text);
  // Earlier kinds win an overlap: an e-mail's local part may be a mobile, an ID number holds digit runs.
  const candidates = [...emailHits(folded), ...idHits(folded), ...mobileHits(folded), ...internationalHits(folded), ...landlineHits(text, folded)];
  const accepted: Hit[] = [];
  for (const hit of candidates) {
    if (!accepted.some((a) => hit.start < a.end && a.start < hit.end)) accepted.push(hit);
  }
  accepted.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const hit of accepted) {
    out += text.slice(at, hit.start) + hit.replacement;
    at = hit.end;
  }
  out += text.slice(at);
  const name = complainant?.name?.trim();
  if (name && Array.from(name).length >= 2) out = out.split(name).join(maskName(name) ?? '');
  return out;
}

/**
 * Every string inside `value` masked by `maskFreeText`, the shape unchanged: for the history
 * events' data and the reply, callback, suspension and withdrawal records, whatever free-text
 * fields they carry now or later (deny by default: identifiers and timestamps never match).
 */
export function maskTextDeep<T>(value: T, complainant?: { name?: string | undefined }): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskFreeText(v, complainant);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  return walk(value) as T;
}
