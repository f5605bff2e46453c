/** `channel-sms`: the SMS door alone (the IVR door is `./ivr-channel.ts`: neither function bundles the other's reader). */
import { SmsChannel } from '../sms-channel.ts';
import { channelDeps } from './channel-deps.ts';
import { injectedContainer } from './registry.ts';
import { channelStore, guardedSms } from './sms.ts';
import { tableFromEnv } from './table.ts';

let sms: Pick<SmsChannel, 'receiveSms'> | undefined;

/** Built once per container; locally, the injected container's channels. */
export function smsChannel(): Pick<SmsChannel, 'receiveSms'> {
  const injected = injectedContainer();
  if (injected) return injected.channels;
  sms ??= new SmsChannel({ ...channelDeps(channelStore()), store: tableFromEnv().store, sms: guardedSms() });
  return sms;
}
