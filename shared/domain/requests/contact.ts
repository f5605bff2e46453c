/** POST /complaints/{id}/contact: the unit's first contact with the complainant. */
import * as z from '../zod.ts';
import { text } from '../text-schemas.ts';
import { CONTACT_METHODS } from '../model.ts';
import { isoInstant } from './fields.ts';

export const ContactRequest = z.strictObject({
  contactedAt: z.optional(isoInstant).check(z.meta({ description: 'Defaults to now; may not lie in the future' })),
  method: z.enum(CONTACT_METHODS),
  note: text(2000),
});
export type ContactRequest = z.infer<typeof ContactRequest>;
