/** POST /complaints/{id}/callback: the centre's callback (回访) — reached, waived or unreachable. */
import * as z from '../zod.ts';
import { text } from '../text-schemas.ts';
import { CALLBACK_WAIVER_REASONS } from '../model.ts';

export const CallbackRequest = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('reached'),
    attitude: z.enum(['satisfied', 'accepted', 'dissatisfied']),
    handlingQuality: z.enum(['consistent', 'inconsistent']).check(z.meta({ description: 'Does the unit’s reply match what the complainant says' })),
    dissatisfactionCause: z.optional(z.enum(['poor_handling', 'demand_beyond_scope', 'other'])),
    comments: z.optional(text(2000)),
  }),
  z.strictObject({
    outcome: z.literal('waived'),
    reason: z.enum(CALLBACK_WAIVER_REASONS),
    note: text(1000),
  }),
  z.strictObject({ outcome: z.literal('unreachable'), note: z.optional(text(1000)) }),
]);
export type CallbackRequest = z.infer<typeof CallbackRequest>;
