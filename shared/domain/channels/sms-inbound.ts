/**
 * Inbound SMS payloads (`inbound.ts` has what the doors share): the generic signed JSON webhook for SMS
 * integrators, and AWS End User Messaging SMS two-way messages, which arrive as an SNS notification whose
 * `Message` is a JSON string (fields per the AWS End User Messaging SMS user guide, “two-way SMS message
 * payload”). The parsers never throw on bad input.
 */
import * as z from '../zod.ts';
import { toJsonPath } from '#domain/field-issues.ts';
import { SmsPartMetaSchema } from '#domain/channels/concat.ts';
import { IsoDateTime, PhoneSchema, ProviderId, type ParseResult, validate } from './inbound.ts';

/** `JSON.parse` that reports instead of throwing; the value still has to go through a schema. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Generic signed JSON webhook
// ---------------------------------------------------------------------------------------------------------

/**
 * Body of the generic SMS webhook. `text` is the raw text of the message (or of this part, when `part` is
 * present — join the parts with `joinParts` before reading it). An empty text is accepted: an empty SMS is
 * a real event, and the use case decides what to do with it. Unknown fields are dropped, not rejected,
 * so integrators can add fields without breaking us.
 */
export const GenericSmsWebhookSchema = z.object({
  /** The integrator's id of this message: the idempotency key. */
  messageId: ProviderId,
  /** Sender, normalised to E.164. */
  from: PhoneSchema,
  /** Our number or short code (106…, 95…) as the integrator sends it. */
  to: z.optional(z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(32))),
  text: z.string().check(z.maxLength(10_000)),
  receivedAt: IsoDateTime,
  part: z.optional(SmsPartMetaSchema),
});

/** A parsed generic-webhook SMS. */
export type GenericSmsWebhook = z.output<typeof GenericSmsWebhookSchema>;

/** Validates the generic SMS webhook body (already JSON-decoded). */
export function parseGenericSmsWebhook(body: unknown): ParseResult<GenericSmsWebhook> {
  return validate(GenericSmsWebhookSchema, body);
}

// ---------------------------------------------------------------------------------------------------------
// AWS End User Messaging SMS via SNS
// ---------------------------------------------------------------------------------------------------------

/**
 * The inner two-way SMS payload (the SNS `Message`, JSON-encoded). `messageKeyword` is the registered
 * keyword matched, if any; `previousPublishedMessageId` the id of our message being answered, if any.
 */
export const TwoWaySmsSchema = z.object({
  /** The customer's number. */
  originationNumber: PhoneSchema,
  /** Our dedicated number. */
  destinationNumber: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(32)),
  messageKeyword: z.optional(z.string()),
  messageBody: z.string().check(z.maxLength(10_000)),
  /** Unique per inbound message: the idempotency key. */
  inboundMessageId: ProviderId,
  previousPublishedMessageId: z.optional(z.string()),
});

/** A parsed two-way SMS. */
export type TwoWaySms = z.output<typeof TwoWaySmsSchema>;

/**
 * An SNS-issued URL. The handler visits `SubscribeURL` to confirm a subscription; accepting any URL there
 * would let anyone who can reach the endpoint make us fetch an address of their choice (SSRF).
 */
const SnsUrl = z.url({
  protocol: /^https$/,
  hostname: /^sns\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/,
  error: 'must be an https://sns.<region>.amazonaws.com URL',
});

const snsCommon = {
  MessageId: z.string().check(z.trim()).check(z.minLength(1)),
  TopicArn: z.string().check(z.startsWith('arn:')),
  Timestamp: IsoDateTime,
  Message: z.string(),
  SignatureVersion: z.optional(z.string()),
  Signature: z.optional(z.string()),
  /** `SigningCertURL` over HTTP(S), `SigningCertUrl` in a Lambda `SNSEvent` record. */
  SigningCertURL: z.optional(SnsUrl),
  SigningCertUrl: z.optional(SnsUrl),
};

/**
 * The SNS envelope: the JSON body of an HTTP(S) delivery, or `Records[i].Sns` of a Lambda `SNSEvent`
 * (same field names, except the casing of the URL fields). The SNS signature itself (`Signature`,
 * `SigningCertURL`) is checked by the adapter, not here.
 */
export const SnsEnvelopeSchema = z.discriminatedUnion('Type', [
  z.object({ Type: z.literal('Notification'), Subject: z.nullish(z.string()), ...snsCommon }),
  z.object({ Type: z.literal('SubscriptionConfirmation'), Token: z.string().check(z.minLength(1)), SubscribeURL: SnsUrl, ...snsCommon }),
  z.object({ Type: z.literal('UnsubscribeConfirmation'), Token: z.string().check(z.minLength(1)), SubscribeURL: SnsUrl, ...snsCommon }),
]);

/** What an SNS delivery means for the handler. */
export type SnsInbound =
  | { kind: 'sms'; snsMessageId: string; topicArn: string; timestamp: string; sms: TwoWaySms }
  | {
      /** Visit `subscribeUrl` (or call ConfirmSubscription with `token`) to start receiving messages. */
      kind: 'subscription_confirmation';
      snsMessageId: string;
      topicArn: string;
      token: string;
      subscribeUrl: string;
    }
  | {
      /** The subscription was removed; log it, nothing to confirm. */
      kind: 'unsubscribe_confirmation';
      snsMessageId: string;
      topicArn: string;
      token: string;
      subscribeUrl: string;
    };

/**
 * Parses an SNS delivery of AWS End User Messaging SMS two-way messages. The inner `Message` is decoded
 * without an unchecked `JSON.parse`: invalid JSON is an issue at `$.Message`, an invalid field inside it an
 * issue at `$.Message.<field>`.
 *
 * @param body the decoded HTTP body, or a Lambda `SNSEvent` record's `Sns` object
 */
export function parseSnsEnvelope(body: unknown): ParseResult<SnsInbound> {
  const envelope = validate(SnsEnvelopeSchema, body);
  if (!envelope.ok) return envelope;
  const e = envelope.value;
  if (e.Type !== 'Notification') {
    return {
      ok: true,
      value: {
        kind: e.Type === 'SubscriptionConfirmation' ? 'subscription_confirmation' : 'unsubscribe_confirmation',
        snsMessageId: e.MessageId,
        topicArn: e.TopicArn,
        token: e.Token,
        subscribeUrl: e.SubscribeURL,
      },
    };
  }
  const inner = parseJson(e.Message);
  if (!inner.ok) return { ok: false, issues: [{ path: toJsonPath(['Message']), message: inner.message }] };
  const sms = validate(TwoWaySmsSchema, inner.value, ['Message']);
  if (!sms.ok) return sms;
  return {
    ok: true,
    value: { kind: 'sms', snsMessageId: e.MessageId, topicArn: e.TopicArn, timestamp: e.Timestamp, sms: sms.value },
  };
}
