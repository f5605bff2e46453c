/**
 * SMS and IVR channels (SPEC "Who uses it": a stable, idempotent endpoint for integrators).
 * A text from a phone with an open complaint is a chase/addition to it unless it names another
 * waybill; otherwise it files a complaint. Idempotent by the provider's message / call id.
 */
import { joinParts } from '#domain/channels/concat.ts';
import type { IvrInbound } from '#domain/channels/inbound.ts';
import { parseComplaintSms } from '#domain/channels/sms-text.ts';
import { cleanText, hasUsableText, isMobile } from '#domain/channels/normalize.ts';
import { DomainError, Unavailable, Unprocessable } from '#domain/errors.ts';
import { canonicalPhone } from '#domain/ids.ts';
import { isOpen, kindOf, type Actor } from '#domain/model.ts';
import { publicStatus } from '#domain/public-view.ts';
import { decideChase, decideWith } from '#domain/lifecycle.ts';
import { IntakeRequest } from '#domain/requests/intake.ts';
import type { MessageOutcome } from '#domain/channels/outcome.ts';
import type { ComplaintService } from './complaints.ts';
import type { ChannelLedger, Logger, Clock, ComplaintRecords, SmsPurpose, SmsSender } from './ports.ts';
import { firstContactPromise, KIND_NOUNS, SMS_SIGNATURE } from './complainant-sms.ts';

/** A text from the complainant of an open case is a chase (催办) of it: the one command the channels issue. */
const CHASE = decideWith({ chase: decideChase });

export interface InboundSms {
  messageId: string;
  /** E.164. */
  from: string;
  text: string;
  part?: { reference: string; partNumber: number; totalParts: number };
}

export interface ChannelDeps {
  complaints: ComplaintService;
  store: ComplaintRecords;
  channels: ChannelLedger;
  sms: SmsSender;
  clock: Clock;
  logger: Logger;
}

const SMS_ACTOR: Actor = { id: 'channel:sms', role: 'system' };
const IVR_ACTOR: Actor = { id: 'channel:ivr', role: 'system' };
const MAX_CONTENT = 4000;

/** Sign-off of every SMS we send (短信签名): the one sender name, defined with the complainant texts. */
export { SMS_SIGNATURE };

export class ChannelService {
  constructor(private readonly deps: ChannelDeps) {}

  /**
   * One inbound SMS. Idempotent by message id: a message already done replays its outcome, one another
   * delivery is processing is {@link Unavailable} (503 + Retry-After: the provider retries), and a failure
   * gives the claim back so that the retry takes over at once (docs/decisions/032).
   */
  async receiveSms(message: InboundSms): Promise<MessageOutcome> {
    const claim = await this.claim('sms', message.messageId);
    if (claim.state === 'done') return { ...claim.outcome, kind: 'replayed' };
    const held = [{ id: message.messageId, token: claim.token }];
    return this.holding('sms', held, async () => {
      const now = this.deps.clock.now();
      let text = message.text;
      let key = message.messageId;
      let takeover = claim.takeover;
      if (message.part && message.part.totalParts > 1) {
        const parts = await this.deps.channels.addPart(message.from, message.part.reference, { ...message.part, text: message.text }, now);
        const joined = joinParts(parts.map((p) => ({ ...p, from: message.from, reference: message.part?.reference ?? '' })));
        if (!joined.complete) return this.finish('sms', message.messageId, { kind: 'incomplete' });
        // The last parts may arrive together: only one of them processes the whole message.
        key = `concat:${message.from}:${message.part.reference}`;
        const whole = await this.deps.channels.claim('sms', key, now);
        if (whole.state !== 'claimed') return this.finish('sms', message.messageId, { kind: 'incomplete' });
        held.push({ id: key, token: whole.token });
        takeover = whole.takeover;
        text = joined.text;
      }
      // A dead delivery may have filed the message before it could record the outcome: answer with that.
      const outcome = (takeover ? await this.earlierOutcome(message.from, key) : undefined) ?? (await this.handleSmsText(message.from, text, key));
      if (key !== message.messageId) await this.deps.channels.complete('sms', key, outcome);
      return this.finish('sms', message.messageId, outcome);
    });
  }

  /** Claims a message; a live holder's claim is a retryable 503 whose Retry-After is the rest of its lease. */
  private async claim(channel: string, messageId: string) {
    const claim = await this.deps.channels.claim(channel, messageId, this.deps.clock.now());
    if (claim.state === 'busy') {
      throw new Unavailable('message-in-progress', `Message ${messageId} is being processed; retry later`, claim.retryAfterSeconds, { channel, messageId });
    }
    if (claim.state === 'claimed' && claim.takeover) this.deps.logger.warn('took over a channel message whose delivery died', { channel, messageId });
    return claim;
  }

  /**
   * Runs `work` while holding the claims in `held`. Any failure gives them back (the provider's retry then
   * starts afresh; intake and commands are keyed by the message id, so nothing is done twice): a domain
   * error keeps its 4xx, anything else becomes a retryable 503 with no internals.
   */
  private async holding<T>(channel: string, held: { id: string; token: string }[], work: () => Promise<T>): Promise<T> {
    try {
      faultPoint('kill-after-claim');
      return await work();
    } catch (error) {
      for (const { id, token } of held.reverse()) {
        await this.deps.channels.release(channel, id, token).catch((releaseError: unknown) => {
          // The lease still frees the claim for a retry; the original failure is what matters.
          this.deps.logger.error('could not release a channel claim', { channel, messageId: id, error: String(releaseError) });
        });
      }
      if (error instanceof DomainError) throw error;
      this.deps.logger.error('channel message failed; claim released for the retry', { channel, messageId: held[0]?.id, error: describe(error) });
      throw new Unavailable('channel-unavailable', 'The message could not be processed now; retry it', 1, { channel }, { cause: error });
    }
  }

  /**
   * What a delivery that died after filing (but before {@link ChannelLedger.complete}) made of message `key`:
   * the complaint among the sender's that carries the key in its history — its intake (`created`) or a chase.
   * Without this the retry would see that complaint as "open" and chase it with the very message that opened it.
   */
  private async earlierOutcome(from: string, key: string): Promise<MessageOutcome | undefined> {
    for (const { id } of await this.deps.store.findByPhone(from)) {
      const complaint = await this.deps.store.get(id);
      // Intake keys its first event by caller and key (decision 031); a chase by `sms:<key>`.
      const index = complaint?.history.findIndex((event) => event.key === `sms:${key}` || event.key === `${SMS_ACTOR.id}|${key}`) ?? -1;
      if (complaint && index >= 0) return { kind: index === 0 ? 'created' : 'chase', complaintId: complaint.id, trackingCode: complaint.trackingCode };
    }
    return undefined;
  }

  private async handleSmsText(from: string, raw: string, key: string): Promise<MessageOutcome> {
    const parsed = parseComplaintSms(raw);
    if (parsed.intent === 'unsubscribe') {
      await this.deps.channels.optOut(from, this.deps.clock.now());
      // The one text an opted-out phone still gets: the confirmation of the opt-out itself.
      return this.reply(from, key, { kind: 'unsubscribe' }, `${SMS_SIGNATURE}您已退订服务通知短信。投诉处理结果仍会按规定告知您。`, 'opt_out_confirmation');
    }
    if (parsed.intent === 'status_query' && parsed.queryCode) {
      const complaint = await this.deps.store.findByTrackingCode(parsed.queryCode);
      // Only the complainant's own phone learns the status (知情权, but nobody else's).
      if (!complaint || complaint.complainant.phone !== from) {
        return this.reply(from, key, { kind: 'status_query' }, `${SMS_SIGNATURE}未找到查询码 ${parsed.queryCode} 对应的投诉，请核对后重试。`);
      }
      return this.reply(
        from,
        key,
        { kind: 'status_query', complaintId: complaint.id, trackingCode: complaint.trackingCode },
        `${SMS_SIGNATURE}您的投诉（查询码 ${complaint.trackingCode}）当前状态：${publicStatus(complaint.status).label}。`,
      );
    }
    // Nothing to act on (empty, only emoji, or only characters cleaned away): asked for words, not filed.
    if (!hasUsableText(parsed.text)) {
      return this.reply(from, key, { kind: 'ignored' }, `${SMS_SIGNATURE}请用文字描述您要投诉的问题，并附上邮件号。`);
    }
    const content = Array.from(parsed.text).slice(0, MAX_CONTENT).join('');
    const open = (await this.deps.store.findByPhone(from)).find((c) => isOpen(c.status));
    const namesOtherWaybill = parsed.waybillNos.length > 0 && open !== undefined && !parsed.waybillNos.includes(open.waybillNo ?? '');
    if (open && !namesOtherWaybill) {
      const complaint = await this.deps.complaints.act(open.id, { type: 'chase', via: 'sms', note: content.slice(0, 1000) }, SMS_ACTOR, `sms:${key}`, CHASE);
      return this.reply(
        from,
        key,
        { kind: 'chase', complaintId: complaint.id, trackingCode: complaint.trackingCode },
        `${SMS_SIGNATURE}已收到您对投诉（查询码 ${complaint.trackingCode}）的补充/催办，我们会优先处理。`,
      );
    }
    const input = intakeOf(
      {
        // 受理类型 from the words (查询/查件 → inquiry, 建议/意见 → feedback; decision 050).
        kind: parsed.kind,
        channel: 'sms',
        source: 'customer',
        anonymous: false,
        phone: parsed.callbackPhone ?? from,
        category: parsed.category,
        content,
        ...(parsed.waybillNos[0] !== undefined && { waybillNo: parsed.waybillNos[0] }),
      },
      { phone: 'from', content: 'text' },
    );
    // A callback number written in the text is only typed in: a repeat about it must not answer the
    // case's tracking code to this sender (decision 030); the phone on file gets it instead.
    const phoneVerified = canonicalPhone(input.phone ?? from) === from;
    const result = await this.deps.complaints.submit(input, SMS_ACTOR, {}, key, { phoneVerified });
    const outcome: MessageOutcome = { kind: result.outcome, complaintId: result.complaint.id, trackingCode: result.complaint.trackingCode };
    // A new complaint's receipt (tracking code, first-contact promise) goes out from the intake
    // observer, as for every channel; a repeat gets its own answer here.
    if (result.outcome === 'repeat') {
      const text = phoneVerified
        ? `${SMS_SIGNATURE}您对该邮件的投诉正在处理中（查询码 ${result.complaint.trackingCode}），已记录您的再次反映并优先处理。`
        : `${SMS_SIGNATURE}已记录您的反映，处理进度将以短信告知投诉登记的手机号码。`;
      return this.reply(from, key, outcome, text);
    }
    return outcome;
  }

  /** An IVR call: filed as a complaint (idempotent by call id); the answer is read out to the caller. */
  async receiveIvr(call: IvrInbound): Promise<MessageOutcome & { speech?: string }> {
    const claim = await this.claim('ivr', call.callId);
    if (claim.state === 'done') return { ...claim.outcome, kind: 'replayed' };
    return this.holding('ivr', [{ id: call.callId, token: claim.token }], async () => {
      const phone = call.callbackNumber ?? call.callerNumber ?? undefined;
      // A callback number keyed in on the menu is only typed in; the caller id is the line itself.
      const phoneVerified =
        call.callbackNumber === undefined || (call.callerNumber != null && canonicalPhone(call.callbackNumber) === canonicalPhone(call.callerNumber));
      const transcript = call.transcript === undefined ? undefined : cleanText(call.transcript).trim();
      const parts = [transcript, `（IVR 菜单：${call.menu.labels.join(' > ') || call.menuPath.join('-')}）`, call.recordingUrl && `录音：${call.recordingUrl}`];
      const content = Array.from(parts.filter(Boolean).join('\n')).slice(0, MAX_CONTENT).join('');
      const input = intakeOf(
        {
          kind: call.kind,
          channel: 'ivr',
          source: 'customer',
          anonymous: phone === undefined,
          ...(phone !== undefined && { phone }),
          category: call.category,
          content,
          ...(call.waybillNo !== undefined && /^[A-Z0-9]{8,30}$/.test(call.waybillNo) && { waybillNo: call.waybillNo }),
        },
        { phone: phone === call.callbackNumber ? 'callbackNumber' : 'callerNumber', content: 'transcript' },
      );
      const result = await this.deps.complaints.submit(input, IVR_ACTOR, {}, call.callId, { phoneVerified });
      const code = result.complaint.trackingCode;
      const outcome: MessageOutcome = { kind: result.outcome, complaintId: result.complaint.id, trackingCode: code };
      await this.deps.channels.complete('ivr', call.callId, outcome);
      const spoken = code.split('').join(' ');
      // Receipts go to mobiles only: a landline caller is not told a text is on its way.
      const texted = isMobile(phone) ? `查询码已短信发送至尾号 ${phone.slice(-4)} 的手机。` : '';
      return {
        ...outcome,
        speech:
          result.outcome === 'repeat'
            ? phoneVerified
              ? `您反映的问题已在处理中，查询码 ${spoken}，我们会优先处理。`
              : '您的反映已记录，处理进度将告知投诉登记的联系电话。'
            : // The promise follows the severity and the planned deadlines, as the receipt SMS does.
              `您的${KIND_NOUNS[kindOf(result.complaint)]}已受理，查询码 ${spoken}。${texted}我们将${firstContactPromise(result.complaint)}与您联系。`,
      };
    });
  }

  private async reply(to: string, key: string, outcome: MessageOutcome, text: string, purpose: SmsPurpose = 'reply'): Promise<MessageOutcome> {
    await this.deps.sms.send({ to, text, dedupeKey: `sms-reply#${key}`, purpose });
    return { ...outcome, reply: text };
  }

  private async finish(channel: string, messageId: string, outcome: MessageOutcome): Promise<MessageOutcome> {
    await this.deps.channels.complete(channel, messageId, outcome);
    return outcome;
  }
}

/**
 * The intake request a channel message becomes. The channel parsers and the intake schema share one phone
 * grammar and one text cleaner, so this should never fail; if it does, the problem names the webhook's
 * field (`from`, `text`…) rather than intake's, and is a 4xx, never a 500.
 */
function intakeOf(candidate: Record<string, unknown>, fields: Record<string, string>): IntakeRequest {
  const parsed = IntakeRequest.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const head = String(issue.path[0] ?? '');
    return { path: fields[head] ?? head, message: issue.message };
  });
  throw new Unprocessable('channel-message-unusable', 'The message cannot become a complaint', issues);
}

/**
 * Test-only fault injection: with `CHANNEL_FAULT=kill-after-claim` the process dies right after claiming a
 * message, as a crash would (the kill test of docs/decisions/032). Never set in a deployed stack, and
 * ignored inside Lambda whatever the environment says.
 */
function faultPoint(point: 'kill-after-claim'): void {
  if (process.env['CHANNEL_FAULT'] === point && !process.env['AWS_LAMBDA_FUNCTION_NAME']) process.kill(process.pid, 'SIGKILL');
}

function describe(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}
