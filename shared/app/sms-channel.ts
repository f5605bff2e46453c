/**
 * Inbound SMS: a text from a phone with an open complaint is a chase/addition to it unless it names
 * another waybill; otherwise it files a complaint. Long texts arrive in parts and are joined first; TD
 * opts out, 查询 + code asks the status. Idempotent by the provider's message id (decision 032).
 */
import { joinParts } from '#domain/channels/concat.ts';
import { parseComplaintSms } from '#domain/channels/sms-text.ts';
import { hasUsableText } from '#domain/channels/normalize.ts';
import { canonicalPhone } from '#domain/ids.ts';
import { isOpen } from '#domain/model.ts';
import { publicStatus } from '#domain/public-view.ts';
import { decideChase, decideWith } from '#domain/lifecycle.ts';
import type { MessageOutcome } from '#domain/channels/outcome.ts';
import { ChannelIntake, intakeOf, MAX_CONTENT, SMS_ACTOR, type ChannelDeps } from './channel-intake.ts';
import { SMS_SIGNATURE } from './complainant-sms.ts';
import type { ComplaintRecords, SmsLedger, SmsPurpose, SmsSender } from './ports.ts';

/** A text from the complainant of an open case is a chase (催办) of it: the one command the channels issue. */
const CHASE = decideWith({ chase: decideChase });

export interface InboundSms {
  messageId: string;
  /** E.164. */
  from: string;
  text: string;
  part?: { reference: string; partNumber: number; totalParts: number };
}

/** The SMS door's own: the sender's cases (chases, status queries), the parts and opt-outs, and the reply text. */
export interface SmsChannelDeps extends ChannelDeps {
  store: ComplaintRecords;
  channels: SmsLedger;
  sms: SmsSender;
}

export class SmsChannel extends ChannelIntake<SmsChannelDeps> {
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

  private async reply(to: string, key: string, outcome: MessageOutcome, text: string, purpose: SmsPurpose = 'reply'): Promise<MessageOutcome> {
    await this.deps.sms.send({ to, text, dedupeKey: `sms-reply#${key}`, purpose });
    return { ...outcome, reply: text };
  }
}
