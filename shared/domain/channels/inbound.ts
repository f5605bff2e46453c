/**
 * Inbound SMS / IVR payloads: zod schemas (the single source of truth for the types) and parsers that never
 * throw on bad input. Every parser returns {@link ParseResult}: the parsed value, or the list of problems
 * with the JSON path of each (`$.Message.originationNumber`, `$.menuPath[1]`) for a problem+json body.
 *
 * This module holds what the doors share (results, the phone, the provider id, the time); each door's
 * payloads are in a module of their own, so that neither function bundles the other's schemas (zod
 * schemas are built when their module loads, and a bundle keeps every module-level call it imports):
 * - `sms-inbound.ts`: a generic signed JSON webhook for SMS integrators (signature checked by
 *   `#http/signature.ts` first), and AWS End User Messaging SMS two-way messages, which arrive as an SNS
 *   notification whose `Message` is a JSON string;
 * - `ivr-inbound.ts`: an IVR webhook, whose DTMF menu path is mapped to a category by
 *   `shared/config/ivr-menu.json`.
 */
import * as z from '../zod.ts';
import type { FieldIssue } from '#domain/errors.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { normalizePhone, phoneProblem } from '#domain/channels/normalize.ts';

export { normalizePhone } from '#domain/channels/normalize.ts';

// ---------------------------------------------------------------------------------------------------------
// Results and paths
// ---------------------------------------------------------------------------------------------------------

/** Outcome of every parser of the inbound payloads. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** zod issues → field issues in the webhooks' JSON-path style, one per (path, message): a URL failing two checks is reported once. */
const issuesOf = (error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] =>
  fieldIssues(error, { prefix, style: 'json', unknownKeys: 'whole', dedupe: true });

export function validate<S extends z.ZodMiniType>(schema: S, input: unknown, prefix: readonly PropertyKey[] = []): ParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error, prefix) };
}

// ---------------------------------------------------------------------------------------------------------
// Shared field schemas
// ---------------------------------------------------------------------------------------------------------

/** A phone number as people write it (mobile, landline with area code, international), output in E.164. */
export const PhoneSchema = z.pipe(
  z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(32)),
  z.transform((raw, ctx) => {
    const e164 = normalizePhone(raw);
    if (e164 === undefined) {
      ctx.issues.push({ code: 'custom', message: phoneProblem(raw) ?? 'not a phone number', input: raw });
      return z.NEVER;
    }
    return e164;
  }),
);

/** ISO 8601 date-time with `Z` or an offset, e.g. `2025-03-01T09:30:00+08:00`. */
export const IsoDateTime = z.iso.datetime({ offset: true });

/**
 * A provider's message / call id: the idempotency key, part of a table key. Visible ASCII only — an id with
 * control characters or broken UTF-16 is the integrator's bug, refused with a 400 naming the field.
 */
export const ProviderId = z
  .string()
  .check(z.trim())
  .check(z.minLength(1))
  .check(z.maxLength(128))
  .check(z.regex(/^[\x21-\x7E]*$/, 'visible ASCII characters only'));
