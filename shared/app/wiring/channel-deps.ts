/** What both channel doors are built from: intake's service, the door's message ledger, the clock, the log. */
import { log } from '#adapters/log.ts';
import type { ChannelDeps } from '../channel-intake.ts';
import type { ChannelLedger } from '../ports.ts';
import { intakeService } from './intake.ts';
import { clock } from './registry.ts';

/** The doors' shared part around `channels`: the message claims alone (IVR) or the SMS door's fuller ledger. */
export function channelDeps<L extends ChannelLedger>(channels: L): ChannelDeps & { channels: L } {
  return { complaints: intakeService(), channels, clock: clock(), logger: log };
}
