/** Inbound SMS and IVR (`functions/channel-sms`, `functions/channel-ivr`): each function builds its own door. */
import { log } from '#adapters/log.ts';
import type { ChannelDeps } from '../channel-intake.ts';
import { IvrChannel } from '../ivr-channel.ts';
import { SmsChannel } from '../sms-channel.ts';
import { intakeService } from './intake.ts';
import { channelStore, guardedSms } from './sms.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let sms: Pick<SmsChannel, 'receiveSms'> | undefined;
let ivr: Pick<IvrChannel, 'receiveIvr'> | undefined;

function deps(): ChannelDeps {
  return { complaints: intakeService(), store: tableFromEnv().store, channels: channelStore(), sms: guardedSms(), clock: clock(), logger: log };
}

/** `channel-sms`: the SMS door; locally, the injected container's channels. */
export function smsChannel(): Pick<SmsChannel, 'receiveSms'> {
  const injected = injectedContainer();
  if (injected) return injected.channels;
  sms ??= new SmsChannel(deps());
  return sms;
}

/** `channel-ivr`: the IVR door; locally, the injected container's channels. */
export function ivrChannel(): Pick<IvrChannel, 'receiveIvr'> {
  const injected = injectedContainer();
  if (injected) return injected.channels;
  ivr ??= new IvrChannel(deps());
  return ivr;
}
