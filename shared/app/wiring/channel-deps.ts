/** What both channel doors are built from: intake's service, the records, the inbound ledger, the guarded SMS. */
import { log } from '#adapters/log.ts';
import type { ChannelDeps } from '../channel-intake.ts';
import { intakeService } from './intake.ts';
import { channelStore, guardedSms } from './sms.ts';
import { clock } from './registry.ts';
import { tableFromEnv } from './table.ts';

export function channelDeps(): ChannelDeps {
  return { complaints: intakeService(), store: tableFromEnv().store, channels: channelStore(), sms: guardedSms(), clock: clock(), logger: log };
}
