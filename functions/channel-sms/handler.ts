/**
 * Inbound SMS. Two doors, one use case:
 * - `POST /channels/sms`: the generic signed JSON webhook of an SMS integrator (HMAC, 5-minute window);
 * - an SNS event: AWS End User Messaging two-way SMS delivered to this function by an SNS
 *   subscription (trusted by IAM, so no HTTP signature is involved).
 * Idempotent by the provider's message id; a retry replays the first outcome.
 */
import type { Context, SNSEvent } from 'aws-lambda';
import { runInvocation } from '#app/correlation.ts';
import { smsChannel } from '#app/wiring/sms-channel.ts';
import { clock } from '#app/wiring/registry.ts';
import { parseGenericSmsWebhook, parseSnsEnvelope } from '#domain/channels/sms-inbound.ts';
import { invalid, verifiedJson } from '#http/channel.ts';
import { httpHandler, type ApiEvent, type ApiResult } from '#http/handler.ts';
import { log } from '#adapters/log.ts';

const webhook = httpHandler({
  auth: 'public',
  handle: async ({ event }) => {
    const channels = smsChannel();
    const parsed = parseGenericSmsWebhook(await verifiedJson(event, clock().now()));
    if (!parsed.ok) throw invalid(parsed.issues);
    const { messageId, from, text, part } = parsed.value;
    const outcome = await channels.receiveSms({ messageId, from, text, ...(part && { part: { ...part, reference: String(part.reference) } }) });
    return { status: outcome.kind === 'incomplete' ? 202 : 200, body: outcome };
  },
});

/** SNS delivers one record per invocation; a thrown error makes SNS retry (then its DLQ). */
async function fromSns(event: SNSEvent): Promise<void> {
  const channels = smsChannel();
  for (const record of event.Records) {
    const parsed = parseSnsEnvelope(record.Sns);
    if (!parsed.ok) {
      // Not ours to retry: a malformed notification stays malformed. Logged, and counted by the alarm.
      log.error('unreadable SNS SMS notification', { messageId: record.Sns.MessageId, issues: parsed.issues });
      continue;
    }
    if (parsed.value.kind !== 'sms') continue; // Lambda subscriptions need no confirmation.
    const sms = parsed.value.sms;
    await channels.receiveSms({ messageId: sms.inboundMessageId, from: sms.originationNumber, text: sms.messageBody });
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: the SNS door answers nothing, as aws-lambda's own handler types say with void
export async function handler(event: ApiEvent | SNSEvent, context: Context): Promise<ApiResult | void> {
  // The SNS message id is the correlation id of an inbound text (one record per invocation).
  if ('Records' in event) return runInvocation(event.Records[0]?.Sns.MessageId ?? context.awsRequestId, context, () => fromSns(event));
  return webhook(event, context);
}
