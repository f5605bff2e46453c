/**
 * The complainant SMS of a Lambda, built on first use: the provider behind the guard (mobiles only,
 * opt-out honoured, receipts capped — decision 030). Only functions that text import this module.
 */
import { smsFromEnv } from '#adapters/aws/sms.ts';
import { log } from '#adapters/log.ts';
import { ChannelStore } from '#store/channel-store.ts';
import { SmsGuard } from '../sms-guard.ts';
import { clock } from './registry.ts';
import { tableFromEnv } from './table.ts';

let channels: ChannelStore | undefined;
let sms: SmsGuard | undefined;

/** Opt-outs, receipt caps and inbound-channel records. */
export function channelStore(): ChannelStore {
  const { doc, tableName } = tableFromEnv();
  channels ??= new ChannelStore(doc, tableName);
  return channels;
}

/** The provider's SMS sender behind the guard. */
export function guardedSms(): SmsGuard {
  sms ??= new SmsGuard({ sms: smsFromEnv(), policy: channelStore(), clock: clock(), logger: log });
  return sms;
}
