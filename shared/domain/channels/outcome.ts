/** What one inbound message (SMS, IVR call) turned into: the channels' idempotency record (decision 032). */
import * as z from '../zod.ts';

/** What one inbound message turned into; replayed verbatim to a provider that retries. */
export const MessageOutcome = z.object({
  kind: z.enum(['created', 'repeat', 'chase', 'replayed', 'status_query', 'unsubscribe', 'incomplete', 'ignored']),
  complaintId: z.optional(z.string()),
  trackingCode: z.optional(z.string()),
  reply: z.optional(z.string()),
});
export type MessageOutcome = z.infer<typeof MessageOutcome>;
