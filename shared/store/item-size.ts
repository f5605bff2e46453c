/**
 * The size of an item by DynamoDB's own rules
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 *
 * Why the store counts itself: dynalite (the local stack and the tests) measures strings in UTF-16
 * code units, so it accepts a Chinese item three times larger than AWS does — 1,000 CJK characters
 * are 1,000 units to dynalite and 3,000 bytes to DynamoDB. Counting here, the same limits hold on a
 * laptop and in AWS.
 *
 * The values are native documents as `lib-dynamodb` marshals them (`removeUndefinedValues`):
 * string → S, number → N, boolean → BOOL, null → NULL, array → L, plain object → M,
 * Uint8Array → B, Set of strings/numbers → SS/NS.
 */

/** DynamoDB's hard limit for one item: 400 KB, names and values together. */
export const DYNAMODB_ITEM_LIMIT = 400 * 1024;

/** UTF-8 bytes of a string: 1 for ASCII, 3 for a CJK character, 4 for an astral one (emoji). */
export function utf8Bytes(s: string): number {
  // Node counts natively (a lone surrogate becomes U+FFFD, 3 bytes, as the SDK sends it).
  return Buffer.byteLength(s, 'utf8');
}

/**
 * A number: 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1.
 * Zero has one significant digit.
 */
export function numberBytes(n: number | bigint): number {
  const digits = significantDigits(String(n));
  return Math.ceil(digits / 2) + 1;
}

function significantDigits(text: string): number {
  const [mantissa = '0'] = text.toLowerCase().replace(/^[-+]/, '').split('e');
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.max(1, digits.length);
}

/** The size of one attribute value (without its name). */
export function valueSize(value: unknown): number {
  if (value === null) return 1;
  switch (typeof value) {
    case 'string':
      return utf8Bytes(value);
    case 'number':
    case 'bigint':
      return numberBytes(value);
    case 'boolean':
      return 1;
    case 'object':
      break;
    default:
      return 0; // undefined and functions are not marshalled
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    // A set is the sum of its elements; it has no list/map overhead.
    let total = 0;
    for (const element of value) total += valueSize(element);
    return total;
  }
  // List or map: 3 bytes, plus 1 byte and the size of every element (a map element also its name).
  let total = 3;
  if (Array.isArray(value)) {
    for (const element of value) if (element !== undefined) total += 1 + valueSize(element);
    return total;
  }
  for (const [name, element] of Object.entries(value)) if (element !== undefined) total += 1 + utf8Bytes(name) + valueSize(element);
  return total;
}

/** The size of an item: the UTF-8 bytes of every attribute name plus the size of its value. */
export function itemSize(item: Record<string, unknown>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) if (value !== undefined) total += utf8Bytes(name) + valueSize(value);
  return total;
}
