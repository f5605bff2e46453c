/** The leaders' notice confirmation (decision 049): the confirm link's query and the signed-in confirmation. */
import * as z from '../zod.ts';

/** A leaders' notice confirm link's query (decision 049): the signed token. */
export const NoticeConfirmQuery = z.strictObject({
  t: z.string().check(z.minLength(16), z.maxLength(1000), z.regex(/^[A-Za-z0-9_.-]+$/, 'Not a confirm token')),
});

/** The signed-in leader or director confirms receipt: every notice of the case awaiting them, or the one named. */
export const NoticeConfirmationRequest = z.strictObject({
  noticeId: z.optional(z.string().check(z.minLength(1), z.maxLength(80), z.regex(/^[a-z_]+\.r\d+$/, 'Not a notice id'))),
});
export type NoticeConfirmationRequest = z.infer<typeof NoticeConfirmationRequest>;
