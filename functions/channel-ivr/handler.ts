/**
 * `POST /channels/ivr`: the IVR platform posts each finished complaint call (signed like the SMS
 * webhook). Idempotent by call id; the answer carries the text the IVR reads to the caller.
 */
import { ivrChannel } from '#app/wiring/ivr-channel.ts';
import { clock } from '#app/wiring/registry.ts';
import { parseIvrWebhook } from '#domain/channels/ivr-inbound.ts';
import { invalid, verifiedJson } from '#http/channel.ts';
import { httpHandler } from '#http/handler.ts';

export const handler = httpHandler({
  auth: 'public',
  handle: async ({ event }) => {
    const channels = ivrChannel();
    const parsed = parseIvrWebhook(await verifiedJson(event, clock().now()));
    if (!parsed.ok) throw invalid(parsed.issues);
    return { status: 200, body: await channels.receiveIvr(parsed.value) };
  },
});
