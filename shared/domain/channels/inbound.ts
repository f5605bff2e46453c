/**
 * Inbound SMS / IVR payloads: zod schemas (the single source of truth for the types) and parsers that never
 * throw on bad input. Every parser returns {@link ParseResult}: the parsed value, or the list of problems
 * with the JSON path of each (`$.Message.originationNumber`, `$.menuPath[1]`) for a problem+json body.
 *
 * Three sources:
 * - a generic signed JSON webhook for SMS integrators (signature checked by `#http/signature.ts` first);
 * - AWS End User Messaging SMS two-way messages, which arrive as an SNS notification whose `Message` is a
 *   JSON string (fields per the AWS End User Messaging SMS user guide, “two-way SMS message payload”);
 * - an IVR webhook, whose DTMF menu path is mapped to a category by `shared/config/ivr-menu.json`.
 */
import * as z from '../zod.ts';
import menuJson from '#config/ivr-menu.json' with { type: 'json' };
import type { FieldIssue } from '#domain/errors.ts';
import { fieldIssues, toJsonPath } from '#domain/field-issues.ts';
import { SmsPartMetaSchema } from '#domain/channels/concat.ts';
import { normalizePhone, normalizeText, phoneProblem } from '#domain/channels/normalize.ts';
import { COMPLAINT_CATEGORIES } from '#domain/channels/categories.ts';
import type { ComplaintCategory } from '#domain/channels/sms-text.ts';
import { KINDS, type Kind } from '#domain/model.ts';

export { normalizePhone } from '#domain/channels/normalize.ts';

// ---------------------------------------------------------------------------------------------------------
// Results and paths
// ---------------------------------------------------------------------------------------------------------

/** Outcome of every parser in this module. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** zod issues → field issues in the webhooks' JSON-path style, one per (path, message): a URL failing two checks is reported once. */
const issuesOf = (error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] =>
  fieldIssues(error, { prefix, style: 'json', unknownKeys: 'whole', dedupe: true });

function validate<S extends z.ZodMiniType>(schema: S, input: unknown, prefix: readonly PropertyKey[] = []): ParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error, prefix) };
}

/** `JSON.parse` that reports instead of throwing; the value still has to go through a schema. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
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
const IsoDateTime = z.iso.datetime({ offset: true });

/**
 * A provider's message / call id: the idempotency key, part of a table key. Visible ASCII only — an id with
 * control characters or broken UTF-16 is the integrator's bug, refused with a 400 naming the field.
 */
const ProviderId = z
  .string()
  .check(z.trim())
  .check(z.minLength(1))
  .check(z.maxLength(128))
  .check(z.regex(/^[\x21-\x7E]*$/, 'visible ASCII characters only'));

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

// ---------------------------------------------------------------------------------------------------------
// IVR menu
// ---------------------------------------------------------------------------------------------------------

/** One DTMF key as the IVR reports it. */
const DtmfKey = z.string().check(z.regex(/^[0-9*#]$/, 'a single DTMF key: 0–9, * or #'));

/**
 * One entry of the IVR menu: a branch (`options`) or a leaf (`category`, or `action: "agent"`). `kind`
 * (受理类型) holds for the entry and everything below it; the default is `complaint`.
 */
export interface IvrMenuNode {
  label: string;
  prompt?: string;
  kind?: Kind;
  category?: ComplaintCategory;
  action?: 'agent';
  options?: Record<string, IvrMenuNode>;
}

const IvrMenuNodeSchema: z.ZodMiniType<IvrMenuNode> = z.lazy(() =>
  z
    .strictObject({
      label: z.string().check(z.minLength(1)),
      prompt: z.optional(z.string().check(z.minLength(1))),
      kind: z.optional(z.enum(KINDS)),
      category: z.optional(z.enum(COMPLAINT_CATEGORIES)),
      action: z.optional(z.literal('agent')),
      options: z.optional(z.record(DtmfKey, IvrMenuNodeSchema)),
    })
    .check(
      z.refine(
        (n) => {
          const isBranch = n.options !== undefined && Object.keys(n.options).length > 0;
          return [isBranch, n.category !== undefined, n.action !== undefined].filter(Boolean).length === 1;
        },
        { message: 'a menu entry has exactly one of: non-empty options, a category, action "agent"' },
      ),
    ),
);

/** The IVR menu file `shared/config/ivr-menu.json`. */
export const IvrMenuSchema = z.strictObject({
  version: z.literal(1),
  greeting: z.string().check(z.minLength(1)),
  prompt: z.string().check(z.minLength(1)),
  options: z.record(DtmfKey, IvrMenuNodeSchema),
});

/** A validated IVR menu. */
export type IvrMenu = z.output<typeof IvrMenuSchema>;

/** Validates an IVR menu document (config checks, tests of alternative menus). */
export function parseIvrMenu(json: unknown): ParseResult<IvrMenu> {
  return validate(IvrMenuSchema, json);
}

/**
 * The deployed menu. Validated when this module loads: a broken menu file fails the deployment's first
 * import (and the unit tests), never a caller's request.
 *
 * 1 邮件问题 → 1 丢失 2 延误 3 损毁/内件短少 4 投递不规范; 2 服务问题 → 1 态度 2 未通知; 3 资费; 4 其他;
 * 5 邮件查询 (kind inquiry); 6 意见建议 (kind feedback); 0 人工 — seed 000's 三来: 投诉、查询、意见反映.
 * Seed 004 (004_13dcb525fbc75c1b.txt) describes the same shape of 400-line menu (“用户按需求选择服务…
 * 投诉建议…切换到客服接听”); the categories are those of seed 002 (002_16700b939b2bfea6.txt).
 */
// Pure (an invalid menu still fails at load where it is used): the SMS-only bundle can leave menu and JSON out (decision 042).
export const IVR_MENU: IvrMenu = /* @__PURE__ */ IvrMenuSchema.parse(menuJson);

/** Where a menu path led, see {@link resolveIvrMenuPath}. */
export interface IvrMenuResolution {
  /** The path ended on a leaf of the menu. */
  matched: boolean;
  /** The leaf's category; `other` when the path did not reach a category leaf. */
  category: ComplaintCategory;
  /** 受理类型: the `kind` of the deepest entry visited that has one, else `complaint`. */
  kind: Kind;
  /** Labels of the entries visited, e.g. `['邮件问题', '邮件丢失']`. */
  labels: string[];
  /** The caller chose the operator (0 人工服务). */
  agentRequested: boolean;
}

/**
 * Maps a DTMF path to a category.
 *
 * Decision: a path that does not lead to a category — an unknown key (`['9']`, `['1','7']`), a path that
 * stops on a branch (`['1']`, the caller hung up before choosing), an empty path, or the operator (`['0']`) —
 * is category `other` with `matched: false` (operator: `matched: true, agentRequested: true`), NOT an error:
 * the caller did call to complain, the provider would not retry a rejected webhook, and an agent classifies
 * `other` anyway. Keys after a leaf are ignored (the IVR moved on to the next prompt, e.g. waybill entry).
 */
export function resolveIvrMenuPath(path: readonly string[], menu: IvrMenu = IVR_MENU): IvrMenuResolution {
  const labels: string[] = [];
  let kind: Kind = 'complaint';
  let options: Record<string, IvrMenuNode> | undefined = menu.options;
  for (const key of path) {
    const node: IvrMenuNode | undefined = options?.[key];
    if (node === undefined) break;
    labels.push(node.label);
    kind = node.kind ?? kind;
    if (node.category !== undefined) return { matched: true, category: node.category, kind, labels, agentRequested: false };
    if (node.action === 'agent') return { matched: true, category: 'other', kind, labels, agentRequested: true };
    options = node.options;
  }
  return { matched: false, category: 'other', kind, labels, agentRequested: false };
}

// ---------------------------------------------------------------------------------------------------------
// IVR webhook
// ---------------------------------------------------------------------------------------------------------

/** Caller-id values IVR platforms send for a withheld number. */
const WITHHELD = new Set(['', 'anonymous', 'unknown', 'private', 'withheld', 'restricted', 'unavailable', '匿名', '未知', '隐藏']);

/**
 * Body of the IVR webhook. `callerNumber` is E.164, or `null` when caller id was withheld (then only
 * `callbackNumber`, keyed in by the caller, can reach them). `waybillNo` is kept as keyed/recognised,
 * normalised (half-width, upper case, no spaces or hyphens) but not rejected when it looks wrong: the
 * agent confirms it on the callback.
 */
export const IvrWebhookSchema = z.object({
  callId: ProviderId,
  callerNumber: z.pipe(
    z.string().check(z.trim()).check(z.maxLength(32)),
    z.transform((raw, ctx): string | null => {
      if (WITHHELD.has(raw.toLowerCase())) return null;
      const e164 = normalizePhone(raw);
      if (e164 === undefined) {
        ctx.issues.push({ code: 'custom', message: `${phoneProblem(raw) ?? 'not a phone number'}, nor a withheld caller id`, input: raw });
        return z.NEVER;
      }
      return e164;
    }),
  ),
  menuPath: z.array(DtmfKey).check(z.maxLength(10)),
  waybillNo: z.optional(
    z.pipe(
      z.pipe(
        z.string().check(z.maxLength(40)),
        z.transform((raw) => normalizeText(raw).toUpperCase().replace(/[\s-]/g, '')),
      ),
      z.string().check(z.regex(/^[A-Z0-9]{1,40}$/, 'letters and digits only')),
    ),
  ),
  recordingUrl: z.optional(z.url({ protocol: /^https?$/ })),
  transcript: z.optional(z.string().check(z.maxLength(20_000))),
  callbackNumber: z.optional(PhoneSchema),
  startedAt: IsoDateTime,
});

/** A parsed IVR webhook body. */
export type IvrWebhook = z.output<typeof IvrWebhookSchema>;

/** A parsed IVR call with its menu resolution. */
export interface IvrInbound extends IvrWebhook {
  /** Category from the menu path (`other` when the path did not reach a category). */
  category: ComplaintCategory;
  /** 受理类型 from the menu path (`complaint` unless the caller chose 查询 or 意见建议). */
  kind: Kind;
  menu: IvrMenuResolution;
}

/** Validates an IVR webhook body and maps its menu path to a category. */
export function parseIvrWebhook(body: unknown, menu: IvrMenu = IVR_MENU): ParseResult<IvrInbound> {
  const result = validate(IvrWebhookSchema, body);
  if (!result.ok) return result;
  const resolution = resolveIvrMenuPath(result.value.menuPath, menu);
  return { ok: true, value: { ...result.value, category: resolution.category, kind: resolution.kind, menu: resolution } };
}
