/**
 * `Mailer` on Amazon SES v2 (`SendEmail`, simple content, with `Attachments` when the message has files). Subject and both bodies carry
 * `Charset: UTF-8` — SES assumes 7-bit ASCII otherwise and the Chinese text would be mangled.
 * From comes from `MAIL_FROM` (an address of the verified SES identity); `SES_CONFIGURATION_SET` is
 * optional (bounce/complaint/delivery events).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MailMessage, Mailer } from '#app/ports.ts';
import { NotConfigured } from './not-configured.ts';

let sharedClient: SESv2Client | undefined;
/** One client per module (per Lambda container), created on first use. */
export function sesClient(): SESv2Client {
  sharedClient ??= new SESv2Client({});
  return sharedClient;
}

export interface SesMailerOptions {
  from?: string;
  configurationSetName?: string;
  client?: SESv2Client;
}

const UTF8 = 'UTF-8';

/** SES tag values allow letters, digits, `_`, `-` and `.` only. */
const tagValue = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 256);

export class SesMailer implements Mailer {
  private readonly from: string;
  private readonly configurationSetName: string | undefined;
  private readonly client: SESv2Client;

  constructor(opts: SesMailerOptions = {}) {
    const from = opts.from ?? process.env['MAIL_FROM'];
    if (!from) throw new Error('MAIL_FROM is not set');
    this.from = from;
    this.configurationSetName = opts.configurationSetName ?? (process.env['SES_CONFIGURATION_SET'] || undefined);
    this.client = opts.client ?? sesClient();
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: {
          ToAddresses: message.to,
          ...(message.cc && message.cc.length > 0 && { CcAddresses: message.cc }),
        },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: UTF8 },
            Body: {
              Text: { Data: message.text, Charset: UTF8 },
              ...(message.html !== undefined && { Html: { Data: message.html, Charset: UTF8 } }),
            },
            // SES v2 builds the multipart/mixed message itself (SendEmail `Attachments`, SDK ≥ 3.8xx).
            ...(message.attachments &&
              message.attachments.length > 0 && {
                Attachments: message.attachments.map((a) => ({
                  FileName: a.filename,
                  ContentType: a.contentType,
                  RawContent: a.content,
                  ContentDisposition: 'ATTACHMENT' as const,
                  ContentTransferEncoding: 'BASE64' as const,
                })),
              }),
          },
        },
        // The dedupe key travels with SES events (configuration set → event destination) for tracing.
        EmailTags: [{ Name: 'dedupeKey', Value: tagValue(message.dedupeKey) }],
        ...(this.configurationSetName !== undefined && { ConfigurationSetName: this.configurationSetName }),
      }),
    );
    if (!out.MessageId) throw new Error(`SES accepted ${message.dedupeKey} without a MessageId`);
    return { messageId: out.MessageId };
  }
}

/** The mailer from `MAIL_FROM` (+ `SES_CONFIGURATION_SET`), or one that fails loudly when used. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer {
  const from = env['MAIL_FROM'];
  if (from) return new SesMailer({ from, ...(env['SES_CONFIGURATION_SET'] && { configurationSetName: env['SES_CONFIGURATION_SET'] }) });
  return {
    send: async () => {
      throw new NotConfigured('The mailer', 'MAIL_FROM');
    },
  };
}
