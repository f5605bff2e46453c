/** What both channel doors are built from: intake's service, the message claims, the clock, the log. */
import { log } from '#adapters/log.ts';
import { MessageClaims } from '#store/channel-store.ts';
import type { ChannelDeps } from '../channel-intake.ts';
import { intakeService } from './intake.ts';
import { clock } from './registry.ts';
import { tableFromEnv } from './table.ts';

/** The doors' shared part; `claims` is the SMS door's fuller ledger, or the message claims alone (IVR). */
export function channelDeps(claims?: ChannelDeps['channels']): ChannelDeps {
  const { doc, tableName } = tableFromEnv();
  return { complaints: intakeService(), channels: claims ?? new MessageClaims(doc, tableName), clock: clock(), logger: log };
}
