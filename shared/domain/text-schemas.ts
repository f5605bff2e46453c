/**
 * The free-text and identifier schemas, apart from the request schemas (`schemas.ts`, which re-exports
 * them): the directory entries use them too, and a function that reads the directory (the SLA sweep,
 * the dispatcher) should not bundle every request schema for two helpers (decision 064).
 */
import * as z from './zod.ts';

/** Lone surrogates (broken UTF-16) and control characters other than tab and newlines. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to refuse control characters
const BAD_TEXT = /[\uD800-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;
const hasBadText = (s: string): boolean => {
  // A well-formed surrogate pair is fine (emoji); only unpaired halves are bad unicode.
  const stripped = s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '');
  return BAD_TEXT.test(stripped);
};

/** Free text: trimmed, well-formed UTF-16, no control characters, bounded. */
export const text = (max: number, min = 1) =>
  z.string().check(
    z.trim(),
    z.minLength(min),
    z.maxLength(max),
    z.refine((s) => !hasBadText(s), { message: 'Contains invalid unicode or control characters' }),
  );

/** A staff or unit identifier as issued by the identity provider / unit directory. */
export const identifier = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'Only letters, digits and . _ : @ -'));
