/**
 * The escalation queue, mailer and SMS sender of a Lambda, from its environment:
 * `ESCALATION_QUEUE_URL`, `MAIL_FROM` (+ `SES_CONFIGURATION_SET`), `SMS_ORIGINATION_IDENTITY`
 * (+ `SMS_CONFIGURATION_SET`). A function that was not given one (see `infra/functions.ts`: only the
 * functions that escalate, mail or text get the variable and the grant) gets an adapter that fails
 * loudly when used — a cold start never fails for a port the function does not need.
 */
import type { EscalationQueue, Mailer, SmsSender } from '#app/ports.ts';
import { SesMailer } from './mail.ts';
import { SqsEscalationQueue } from './queue.ts';
import { EumSmsSender } from './sms.ts';

export class NotConfigured extends Error {
  constructor(port: string, variable: string) {
    super(`${port} is not configured for this function: ${variable} is not set`);
    this.name = 'NotConfigured';
  }
}

export function notificationAdaptersFromEnv(env: NodeJS.ProcessEnv = process.env): { queue: EscalationQueue; mailer: Mailer; sms: SmsSender } {
  const queueUrl = env['ESCALATION_QUEUE_URL'];
  const from = env['MAIL_FROM'];
  const identity = env['SMS_ORIGINATION_IDENTITY'];
  return {
    queue: queueUrl
      ? new SqsEscalationQueue({ queueUrl })
      : {
          send: async () => {
            throw new NotConfigured('The escalation queue', 'ESCALATION_QUEUE_URL');
          },
        },
    mailer: from
      ? new SesMailer({ from, ...(env['SES_CONFIGURATION_SET'] && { configurationSetName: env['SES_CONFIGURATION_SET'] }) })
      : {
          send: async () => {
            throw new NotConfigured('The mailer', 'MAIL_FROM');
          },
        },
    sms: identity
      ? new EumSmsSender({ originationIdentity: identity, ...(env['SMS_CONFIGURATION_SET'] && { configurationSetName: env['SMS_CONFIGURATION_SET'] }) })
      : {
          send: async () => {
            throw new NotConfigured('The SMS sender', 'SMS_ORIGINATION_IDENTITY');
          },
        },
  };
}
