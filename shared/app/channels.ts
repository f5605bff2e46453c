/**
 * SMS and IVR channels together (`container.ts`, the tests): one object with both doors. Each Lambda
 * builds only its own (`wiring/sms-channel.ts`, `wiring/ivr-channel.ts`).
 */
import type { IvrInbound } from '#domain/channels/ivr-inbound.ts';
import type { MessageOutcome } from '#domain/channels/outcome.ts';
import { IvrChannel } from './ivr-channel.ts';
import { SmsChannel, type InboundSms, type SmsChannelDeps } from './sms-channel.ts';

/** Sign-off of every SMS we send (短信签名): the one sender name, defined with the complainant texts. */
export { SMS_SIGNATURE } from './complainant-sms.ts';

export class ChannelService {
  private readonly sms: SmsChannel;
  private readonly ivr: IvrChannel;

  constructor(deps: SmsChannelDeps) {
    this.sms = new SmsChannel(deps);
    this.ivr = new IvrChannel(deps);
  }

  receiveSms(message: InboundSms): Promise<MessageOutcome> {
    return this.sms.receiveSms(message);
  }

  receiveIvr(call: IvrInbound): Promise<MessageOutcome & { speech?: string }> {
    return this.ivr.receiveIvr(call);
  }
}
