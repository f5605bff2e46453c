/**
 * The web form's validation rules are generated from the server's zod schemas and interpreted in
 * the browser by web/validate.js. These tests keep the three in step: the committed JSON is what
 * the generator writes today, and the interpreter accepts and blames exactly what zod does.
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '#domain/model.ts';
import { IntakePublic, TrackingCodeParam } from '#domain/schemas.ts';
import { WEB_RULES_FILE, buildWebRules } from '../../scripts/web-rules.ts';

interface Issue {
  path: string;
  code: string;
  params?: Record<string, number | string>;
}
interface FieldSchema {
  type?: string;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  'x-transform'?: string[];
  [k: string]: unknown;
}
interface ObjectSchema {
  properties: Record<string, FieldSchema>;
  required?: string[];
  additionalProperties?: boolean;
}
interface Validate {
  validateIntake(schema: ObjectSchema, raw: Record<string, unknown>): { value: Record<string, unknown>; issues: Issue[] };
  coerce(schema: FieldSchema, raw: unknown): unknown;
  checkValue(path: string, schema: FieldSchema, value: unknown): Issue | undefined;
}

// web/ is plain JS outside the TypeScript project: load it as the browser does, typed by the interface above.
const validateUrl = new URL('../../web/validate.js', import.meta.url).href;
const { validateIntake, coerce, checkValue } = (await import(validateUrl)) as Validate;
const rules = JSON.parse(buildWebRules()) as { intake: ObjectSchema; trackingCode: FieldSchema; labels: { category: Record<string, string> } };

/** The one server rule the client leaves to the server: broken UTF-16 and control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the oracle must name control characters
const hasBadText = (s: string) => /[\uD800-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));

const paths = (list: string[]) => [...new Set(list)].sort();
const serverBlames = (value: Record<string, unknown>) => {
  const result = IntakePublic.safeParse(value);
  return result.success ? [] : paths(result.error.issues.map((i) => i.path.join('.')));
};

/**
 * Client verdict vs server verdict on what the client would send. zod skips the object's
 * cross-field refinement while a field has the wrong type or is missing (category); the client does
 * not, so it may blame more at once. Such an extra field must be one the server blames as soon as
 * the fields it did blame are fixed.
 */
function verdicts(raw: Record<string, unknown>) {
  const client = validateIntake(rules.intake, raw);
  const clientPaths = paths(client.issues.map((i) => i.path));
  const server = serverBlames(client.value);
  const extra = clientPaths.filter((p) => !server.includes(p));
  const othersFixed = Object.fromEntries(Object.entries(client.value).filter(([field]) => !server.includes(field)));
  const deferred = extra.length > 0 && server.length > 0 ? serverBlames({ category: 'other', content: 'x', ...othersFixed }) : [];
  return { client: clientPaths, server: paths([...server, ...extra.filter((p) => deferred.includes(p))]) };
}

describe('web/intake-rules.json', () => {
  it('is exactly what scripts/web-rules.ts generates from the zod schemas (run `npm run web:rules`)', async () => {
    const committed = await readFile(WEB_RULES_FILE, 'utf8');
    expect(committed).toBe(buildWebRules());
  });

  it('carries the checks the form needs: lengths, patterns, enums, required fields and trimming', () => {
    const p = rules.intake.properties;
    expect(rules.intake.required).toEqual(['category', 'content']);
    expect(rules.intake.additionalProperties).toBe(false);
    expect(p['content']).toMatchObject({ type: 'string', minLength: 1, maxLength: 4000, 'x-transform': ['trim'], 'x-length-unit': 'code-point' });
    expect(p['demand']).toMatchObject({ maxLength: 1000 });
    expect(p['name']).toMatchObject({ maxLength: 50 });
    expect(p['phone']?.pattern).toBeTypeOf('string');
    expect(p['email']).toMatchObject({ format: 'email', maxLength: 254 });
    expect(p['waybillNo']).toMatchObject({ pattern: '^[A-Z0-9]{8,30}$', 'x-transform': ['trim', 'toUpperCase'] });
    expect(p['category']?.enum).toEqual([...CATEGORIES]);
    expect(p['declaredValue']).toMatchObject({ type: 'number', minimum: 0, maximum: 10_000_000 });
    expect(Object.keys(rules.labels.category)).toEqual([...CATEGORIES]);
    expect(rules.labels.category['wrong_delivery']).toBe('投递不规范/代签');
  });
});

describe('web/validate.js agrees with IntakePublic', () => {
  const base = { channel: 'web', anonymous: false, phone: '13800138000', category: 'loss', content: '包裹丢了' };

  it.each([
    ['a complete complaint', {}, []],
    ['blank content (trimmed, as the server trims)', { content: '   ' }, ['content']],
    ['content of 4,000 characters', { content: '好'.repeat(4000) }, []],
    ['content of 4,001 characters', { content: '好'.repeat(4001) }, ['content']],
    ['4,000 emoji: one character each, as zod 4.6 counts code points', { content: '😀'.repeat(4000) }, []],
    ['4,001 emoji', { content: '😀'.repeat(4001) }, ['content']],
    ['a bad phone', { phone: '12345' }, ['phone']],
    ['a landline with area code', { phone: '010-12345678' }, []],
    ['no phone and not anonymous (cross-field rule)', { phone: '' }, ['phone']],
    ['no phone but anonymous', { phone: '', anonymous: true }, []],
    ['a lower-case waybill number (upper-cased first)', { waybillNo: ' ea123456789cn ' }, []],
    ['a short waybill number', { waybillNo: 'EA123' }, ['waybillNo']],
    ['a bad email', { email: 'zhang@' }, ['email']],
    ['no category', { category: '' }, ['category']],
    ['an unknown category', { category: 'lost' }, ['category']],
    ['a negative declared value', { declaredValue: '-1' }, ['declaredValue']],
    ['a declared value that is not a number', { declaredValue: '五百' }, ['declaredValue']],
    ['a declared value above the cap', { declaredValue: '10000000.01' }, ['declaredValue']],
  ] as const)('%s', (_, change, blamed) => {
    const { client, server } = verdicts({ ...base, ...change });
    expect(client).toEqual([...blamed]);
    expect(server).toEqual([...blamed]);
  });

  it('for any form input without control characters, blames the same fields as the server', () => {
    const text = (max: number) =>
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.constantFrom('', '   ', ' x ', '好'.repeat(max), '好'.repeat(max + 1), `${'好'.repeat(max)}  `, '😀'.repeat(Math.ceil(max / 2))),
      );
    const form = fc.record({
      channel: fc.constant('web'),
      anonymous: fc.boolean(),
      name: text(50),
      phone: fc.oneof(
        fc.constantFrom('', '13800138000', ' +86 13800138000', '8613912345678', '0755-1234567', '12800138000'),
        fc.stringMatching(/^[+0-9 -]{0,15}$/),
      ),
      email: fc.oneof(fc.constant(''), fc.emailAddress(), fc.stringMatching(/^[a-z.'+_-]{0,6}@[a-z0-9.-]{0,8}$/)),
      waybillNo: fc.oneof(fc.constant(''), fc.stringMatching(/^ ?[a-zA-Z0-9]{5,33} ?$/), fc.string({ maxLength: 12 })),
      category: fc.constantFrom('', 'lost', ...CATEGORIES),
      content: text(4000),
      demand: text(1000),
      region: text(64),
      declaredValue: fc.oneof(
        fc.constantFrom('', '0', '-0', '.5', '5.', '1e3', '0x10', ' 12 ', 'abc', '10000000', '10000001'),
        fc.double().map(String),
        fc.integer({ min: -5, max: 10_000_005 }).map(String),
      ),
    });
    fc.assert(
      fc.property(form, (raw) => {
        fc.pre(!Object.values(raw).some((v) => typeof v === 'string' && hasBadText(v)));
        const { client, server } = verdicts(raw);
        expect(client).toEqual(server);
      }),
      { numRuns: 600 },
    );
  });

  it('reads a tracking code as TrackingCodeParam does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^ ?[0-9a-zA-Z]{10,14} ?$/), fc.string({ maxLength: 14 })), (input) => {
        const value = coerce(rules.trackingCode, input);
        const clientOk = value !== undefined && checkValue('code', rules.trackingCode, value) === undefined;
        expect(clientOk).toBe(TrackingCodeParam.safeParse(input).success);
      }),
      { numRuns: 300 },
    );
  });
});
