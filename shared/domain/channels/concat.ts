/**
 * Concatenated (long) SMS. A message longer than one SMS (70 UCS-2 / 160 GSM-7 characters) travels as
 * several parts carrying a User Data Header: a reference shared by all parts of one message, the part number
 * (1-based) and the total. Parts can arrive out of order, twice (provider retries), or not at all.
 *
 * This module only joins; keeping the parts that arrived so far (keyed by {@link concatKey}) and deciding
 * when to give up waiting is the caller's job.
 */
import * as z from '../zod.ts';

const partNumberWithinTotal = {
  check: (p: { partNumber: number; totalParts: number }): boolean => p.partNumber <= p.totalParts,
  params: { message: 'partNumber must not exceed totalParts', path: ['partNumber'] },
};

const udhShape = z.object({
  reference: z.pipe(
    z.union([z.number().check(z.int()).check(z.minimum(0)).check(z.maximum(65535)), z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(64))]),
    z.transform(String),
  ),
  partNumber: z.number().check(z.int()).check(z.minimum(1)).check(z.maximum(255)),
  totalParts: z.number().check(z.int()).check(z.minimum(1)).check(z.maximum(255)),
});

/**
 * The UDH fields of one part as integrators send them. `reference` is the 8- or 16-bit UDH reference
 * (0–65535) or a provider's string id; it is always returned as a string.
 */
export const SmsPartMetaSchema = udhShape.check(z.refine(partNumberWithinTotal.check, partNumberWithinTotal.params));

/** One stored part: UDH fields, the sender and the part's text exactly as received. */
export const SmsPartSchema = z
  .extend(udhShape, {
    /** Sender, E.164. Parts of different senders never belong together, even with the same reference. */
    from: z.string().check(z.minLength(1)),
    /** Not trimmed: a part may end or start in the middle of a word or a number. */
    text: z.string(),
  })
  .check(z.refine(partNumberWithinTotal.check, partNumberWithinTotal.params));

/** One part of a long SMS (after parsing). */
export type SmsPart = z.output<typeof SmsPartSchema>;

/** Result of {@link joinParts}. */
export interface JoinedSms {
  /** Every part from 1 to totalParts is present. */
  complete: boolean;
  /** Parts in order; where parts are missing, {@link GAP_MARKER} stands in their place. */
  text: string;
  /** Missing part numbers, ascending. */
  missing: number[];
}

/**
 * Put where a part is missing in an incomplete message. Joining part 1 and part 3 directly could glue two
 * halves of different numbers into a plausible but false waybill; the marker keeps them apart.
 */
export const GAP_MARKER = ' … ';

/**
 * Grouping key for storing parts until the message is complete: sender + reference + total. Including the
 * total keeps apart two messages of one sender that reuse an 8-bit reference (it wraps after 256).
 */
export function concatKey(part: Pick<SmsPart, 'from' | 'reference' | 'totalParts'>): string {
  return `${part.from}#${part.reference}#${part.totalParts}`;
}

/**
 * Joins the parts of one message in part-number order. A part that arrived twice counts once (the first
 * copy wins). Parts are concatenated without any separator — a waybill split across two parts
 * (“…EA12345” + “6785CN…”) comes back whole, and so does an emoji whose surrogate pair was split.
 *
 * @param parts the parts received so far, in any order, all of the same {@link concatKey}
 * @throws Error when the parts belong to different messages (different key): the caller grouped them wrong
 */
export function joinParts(parts: readonly SmsPart[]): JoinedSms {
  const first = parts[0];
  if (first === undefined) return { complete: false, text: '', missing: [] };
  const key = concatKey(first);
  const byNumber = new Map<number, string>();
  for (const part of parts) {
    if (concatKey(part) !== key) {
      throw new Error(`joinParts: parts of different messages (${key} and ${concatKey(part)})`);
    }
    if (!byNumber.has(part.partNumber)) byNumber.set(part.partNumber, part.text);
  }

  const missing: number[] = [];
  let text = '';
  let previousMissing = false;
  for (let n = 1; n <= first.totalParts; n++) {
    const chunk = byNumber.get(n);
    if (chunk === undefined) {
      missing.push(n);
      if (!previousMissing) text += GAP_MARKER;
      previousMissing = true;
    } else {
      text += chunk;
      previousMissing = false;
    }
  }
  return { complete: missing.length === 0, text: missing.length === 0 ? text : text.trim(), missing };
}
