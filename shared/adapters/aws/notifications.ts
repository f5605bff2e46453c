/**
 * The escalation queue, mailer and SMS sender of a Lambda, from its environment:
 * `ESCALATION_QUEUE_URL`, `MAIL_FROM` (+ `SES_CONFIGURATION_SET`), `SMS_ORIGINATION_IDENTITY`
 * (+ `SMS_CONFIGURATION_SET`). A function that was not given one (see `infra/functions.ts`: only the
 * functions that escalate, mail or text get the variable and the grant) gets an adapter that fails
 * loudly when used — a cold start never fails for a port the function does not need.
 */
import type { EscalationQueue, Mailer, SmsSender } from '#app/ports.ts';
import { mailerFromEnv } from './mail.ts';
import { NotConfigured } from './not-configured.ts';
import { queueFromEnv } from './queue.ts';
import { smsFromEnv } from './sms.ts';

export { mailerFromEnv, NotConfigured, queueFromEnv, smsFromEnv };

/** All three (each function's factories take only the ones it uses, see `#app/wiring/`). */
export function notificationAdaptersFromEnv(env: NodeJS.ProcessEnv = process.env): { queue: EscalationQueue; mailer: Mailer; sms: SmsSender } {
  return { queue: queueFromEnv(env), mailer: mailerFromEnv(env), sms: smsFromEnv(env) };
}
