/** Inbound SMS and IVR (`functions/channel-sms`, `functions/channel-ivr`): intake by text or call. */
import { log } from '#adapters/log.ts';
import { ChannelService } from '../channels.ts';
import { intakeService } from './intake.ts';
import { channelStore, guardedSms } from './sms.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let built: ChannelService | undefined;

export function channelService(): ChannelService {
  const injected = injectedContainer();
  if (injected) return injected.channels;
  built ??= new ChannelService({
    complaints: intakeService(),
    store: tableFromEnv().store,
    channels: channelStore(),
    sms: guardedSms(),
    clock: clock(),
    logger: log,
  });
  return built;
}
