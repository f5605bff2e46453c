/**
 * The one gate every complainant SMS goes through (a decorator around the provider's `SmsSender`,
 * wired in `container.ts`):
 * - only mainland mobiles (`+861[3-9]` + 9 digits): a landline or foreign number cannot take a text;
 * - an opt-out (退订, `TD`) is honoured for every text but the one that confirms it;
 * - receipts (the intake receipt, the public-repeat notice) are capped at 3 per phone per
 *   Asia/Shanghai day, by one atomic conditional ADD — so a stranger cannot flood a victim's phone.
 * A withheld text is logged with its reason and answered as `dropped`, never thrown: the transition
 * that asked for it is committed and must not fail for it. See docs/decisions/030.
 */
import { localDate } from '#domain/calendar/calendar.ts';
import { normalizePhone } from '#domain/channels/normalize.ts';
import { maskPhone } from '#domain/ids.ts';
import type { Logger, Clock, SmsDropReason, SmsMessage, SmsPolicyStore, SmsSender } from './ports.ts';
import { recordSms, recordSmsWithheld } from './metrics.ts';
import { isMobile } from './complainant-sms.ts';

/** SPEC intake: receipts to one phone are capped at 3 a day. */
export const RECEIPTS_PER_PHONE_PER_DAY = 3;

export class SmsGuard implements SmsSender {
  constructor(private readonly deps: { sms: SmsSender; policy: SmsPolicyStore; clock: Clock; logger: Logger; receiptsPerDay?: number }) {}

  async send(message: SmsMessage): Promise<{ messageId: string; dropped?: SmsDropReason }> {
    const phone = normalizePhone(message.to) ?? message.to;
    const reason = await this.dropReason(phone, message);
    if (reason) {
      this.deps.logger.info('SMS withheld by the guard', { reason, to: maskPhone(phone), purpose: message.purpose ?? 'notice', dedupeKey: message.dedupeKey });
      recordSmsWithheld(reason);
      return { messageId: `dropped:${reason}`, dropped: reason };
    }
    try {
      const sent = await this.deps.sms.send({ ...message, to: phone });
      recordSms(message.purpose, message);
      return sent;
    } catch (error) {
      recordSms(message.purpose, 'failed');
      throw error;
    }
  }

  private async dropReason(phone: string, message: SmsMessage): Promise<SmsDropReason | undefined> {
    if (!isMobile(phone)) return 'not-a-mobile';
    if (message.purpose === 'opt_out_confirmation') return undefined;
    // Side by side: the receipt waits on one round trip, not two (a slot taken for an opted-out
    // phone is only a slot that day's cap will not need).
    const day = localDate(this.deps.clock.now());
    const [optedOut, slot] = await Promise.all([
      this.deps.policy.isOptedOut(phone),
      message.purpose === 'receipt'
        ? this.deps.policy.takeReceiptSlot(phone, day, message.dedupeKey, this.deps.receiptsPerDay ?? RECEIPTS_PER_PHONE_PER_DAY)
        : true,
    ]);
    if (optedOut) return 'opted-out';
    if (!slot) return 'daily-receipt-cap';
    return undefined;
  }
}
