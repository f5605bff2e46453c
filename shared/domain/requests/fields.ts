/**
 * The field schemas several request schemas share: the complainant's phone, the waybill and an ISO instant.
 */
import * as z from '../zod.ts';
import { PHONE_PATTERN } from '../channels/normalize.ts';

/**
 * A complainant's phone: mainland mobile, mainland landline with area code, or international (E.164), as
 * people write them ({@link PHONE_PATTERN}, the channels' grammar). Stored in the canonical E.164 form of
 * `canonicalPhone`.
 */
export const phone = z
  .string()
  .check(
    z.trim(),
    z.regex(PHONE_PATTERN, 'Expected a mobile (13800138000), a landline with area code (020-12345678) or an international number (+85291234567)'),
  );

/** Waybill / mail number (邮件号): EMS S10 `XX123456789CN`, SF..., or a digit run. */
export const waybillNo = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z0-9]{8,30}$/, 'Expected 8–30 letters and digits'));

/** An instant with its offset (`2026-03-02T10:15:00+08:00`). */
export const isoInstant = z.iso.datetime({ offset: true });
