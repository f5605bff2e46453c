/** `channel-ivr`: the IVR door alone (the SMS door is `./sms-channel.ts`: neither function bundles the other's reader). */
import { MessageClaims } from '#store/channel-store.ts';
import { IvrChannel } from '../ivr-channel.ts';
import { channelDeps } from './channel-deps.ts';
import { injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let ivr: Pick<IvrChannel, 'receiveIvr'> | undefined;

/** Built once per container; locally, the injected container's channels. */
export function ivrChannel(): Pick<IvrChannel, 'receiveIvr'> {
  const injected = injectedContainer();
  if (injected) return injected.channels;
  ivr ??= ivrDoor();
  return ivr;
}

/** The IVR door: intake and the message claims; no SMS sender, guard or SMS ledger (decision 076). */
function ivrDoor(): IvrChannel {
  const { doc, tableName } = tableFromEnv();
  return new IvrChannel(channelDeps(new MessageClaims(doc, tableName)));
}
