/** `channel-ivr`: the IVR door alone (the SMS door is `./sms-channel.ts`: neither function bundles the other's reader). */
import { IvrChannel } from '../ivr-channel.ts';
import { channelDeps } from './channel-deps.ts';
import { injectedContainer } from './registry.ts';

let ivr: Pick<IvrChannel, 'receiveIvr'> | undefined;

/** Built once per container; locally, the injected container's channels. */
export function ivrChannel(): Pick<IvrChannel, 'receiveIvr'> {
  const injected = injectedContainer();
  if (injected) return injected.channels;
  ivr ??= new IvrChannel(channelDeps());
  return ivr;
}
