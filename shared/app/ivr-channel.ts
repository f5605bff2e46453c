/** Inbound IVR calls: each finished complaint call is filed (idempotent by call id); the answer is read out to the caller. */
import type { IvrInbound } from '#domain/channels/ivr-inbound.ts';
import { cleanText, isMobile } from '#domain/channels/normalize.ts';
import { canonicalPhone } from '#domain/ids.ts';
import { kindOf } from '#domain/model.ts';
import type { MessageOutcome } from '#domain/channels/outcome.ts';
import { ChannelIntake, intakeOf, IVR_ACTOR, MAX_CONTENT } from './channel-intake.ts';
import { firstContactPromise, KIND_NOUNS } from './complainant-sms.ts';

export class IvrChannel extends ChannelIntake {
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
}
