// @ts-check
/**
 * A small interpreter for the JSON Schema subset that `scripts/web-rules.ts` generates from the
 * server's zod schemas (web/intake-rules.json). No DOM here, so tests run it in Node against zod.
 *
 * Semantics follow zod: `x-transform` (trim, toUpperCase) runs before the checks; lengths are
 * counted in the unit `x-length-unit` names (zod 4.6: Unicode code points, so an emoji is one
 * character; UTF-16 code units otherwise); patterns are compiled without flags, as zod's are.
 * A blank form field means "not given": it is left out instead of sent as "".
 */

/** @typedef {{ path: string, code: string, params?: Record<string, number | string> }} Issue */
/**
 * @typedef {{ type?: string, enum?: unknown[], minLength?: number, maxLength?: number, pattern?: string,
 *   format?: string, minimum?: number, maximum?: number, exclusiveMinimum?: number, exclusiveMaximum?: number,
 *   'x-transform'?: string[], 'x-length-unit'?: string }} FieldSchema
 */
/** @typedef {{ properties: Record<string, FieldSchema>, required?: string[] }} ObjectSchema */

/** @type {Map<string, RegExp>} */
const patterns = new Map();
const regex = (/** @type {string} */ source) => {
  let re = patterns.get(source);
  if (!re) {
    re = new RegExp(source);
    patterns.set(source, re);
  }
  return re;
};
// Only used when a schema says `format: email` without a pattern; zod 4 always emits its pattern.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The length of `s` as the server counts it.
 * @param {string} s @param {string | undefined} [unit] `code-point` (zod 4.6) or `utf-16`
 */
export const charCount = (s, unit = 'code-point') => (unit === 'utf-16' ? s.length : [...s].length);

/**
 * Turns a raw form value into what the server will see: transforms for strings, a number for
 * number fields (the original string when it is not one, so the type check reports it).
 * @param {FieldSchema} schema @param {unknown} raw
 */
export function coerce(schema, raw) {
  if (schema.type === 'boolean') return raw === true;
  if (typeof raw !== 'string') return raw;
  let s = raw;
  for (const t of schema['x-transform'] ?? []) {
    if (t === 'trim') s = s.trim();
    else if (t === 'toUpperCase') s = s.toUpperCase();
    else throw new Error(`Unknown transform ${t}`);
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    const trimmed = s.trim();
    if (trimmed === '') return undefined;
    const n = Number(trimmed);
    return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed) && Number.isFinite(n) ? n : s;
  }
  return s === '' ? undefined : s;
}

/**
 * The first failed check of one (already coerced, defined) value, as zod would report it.
 * @param {string} path @param {FieldSchema} schema @param {unknown} v @returns {Issue | undefined}
 */
export function checkValue(path, schema, v) {
  const issue = (/** @type {string} */ code, /** @type {Record<string, number|string>} */ params = {}) => ({ path, code, params });
  const t = schema.type;
  if (t === 'string' && typeof v !== 'string') return issue('type');
  if ((t === 'number' || t === 'integer') && (typeof v !== 'number' || !Number.isFinite(v))) return issue('type');
  if (t === 'integer' && !Number.isInteger(v)) return issue('type');
  if (t === 'boolean' && typeof v !== 'boolean') return issue('type');
  if (schema.enum && !schema.enum.includes(v)) return issue('enum');
  if (typeof v === 'string') {
    const n = charCount(v, schema['x-length-unit']);
    if (schema.minLength !== undefined && n < schema.minLength) return issue('too_short', { min: schema.minLength, n });
    if (schema.maxLength !== undefined && n > schema.maxLength) return issue('too_long', { max: schema.maxLength, n });
    if (schema.pattern !== undefined && !regex(schema.pattern).test(v)) return issue(schema.format ? 'format' : 'pattern');
    if (schema.format === 'email' && schema.pattern === undefined && !EMAIL.test(v)) return issue('format');
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum) return issue('too_small', { min: schema.minimum });
    if (schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum) return issue('too_small', { min: schema.exclusiveMinimum });
    if (schema.maximum !== undefined && v > schema.maximum) return issue('too_big', { max: schema.maximum });
    if (schema.exclusiveMaximum !== undefined && v >= schema.exclusiveMaximum) return issue('too_big', { max: schema.exclusiveMaximum });
  }
  return undefined;
}

/**
 * The cross-field rules of `IntakePublic` (a zod superRefine, which JSON Schema cannot carry).
 * Mirrors `intakeRefinements` in shared/domain/schemas.ts; test/e2e/web-rules.test.ts checks both agree.
 * @param {Record<string, unknown>} v @returns {Issue[]}
 */
export function crossFieldIssues(v) {
  /** @type {Issue[]} */
  const issues = [];
  if (v['anonymous'] !== true && !v['phone']) issues.push({ path: 'phone', code: 'phone_required' });
  if (v['source'] === 'external' && !v['externalRef']) issues.push({ path: 'externalRef', code: 'required' });
  return issues;
}

/**
 * Validates the raw values of a form against an object schema.
 * @param {ObjectSchema} schema @param {Record<string, unknown>} raw
 * @returns {{ value: Record<string, unknown>, issues: Issue[] }} `value`: what to send (blank fields left out)
 */
export function validateObject(schema, raw) {
  /** @type {Record<string, unknown>} */
  const value = {};
  /** @type {Issue[]} */
  const issues = [];
  for (const [name, input] of Object.entries(raw)) {
    const field = schema.properties[name];
    if (!field) {
      issues.push({ path: name, code: 'unknown' });
      continue;
    }
    const v = coerce(field, input);
    if (v === undefined) continue;
    value[name] = v;
    const issue = checkValue(name, field, v);
    if (issue) issues.push(issue);
  }
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) issues.push({ path: name, code: 'required' });
  }
  return { value, issues };
}

/**
 * The public intake body: field checks from the generated schema, then the cross-field rules.
 * @param {ObjectSchema} schema @param {Record<string, unknown>} raw
 */
export function validateIntake(schema, raw) {
  const { value, issues } = validateObject(schema, raw);
  const flagged = new Set(issues.map((i) => i.path));
  for (const issue of crossFieldIssues(value)) if (!flagged.has(issue.path)) issues.push(issue);
  return { value, issues };
}
