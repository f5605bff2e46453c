/** What one inbound message (SMS, IVR call) turned into: the channels' idempotency record (decision 032). */
import * as z from 'zod';

/** What one inbound message turned into; replayed verbatim to a provider that retries. */
export const MessageOutcome = z.object({
  kind: z.enum(['created', 'repeat', 'chase', 'replayed', 'status_query', 'unsubscribe', 'incomplete', 'ignored']),
  complaintId: z.string().optional(),
  trackingCode: z.string().optional(),
  reply: z.string().optional(),
});
export type MessageOutcome = z.infer<typeof MessageOutcome>;
