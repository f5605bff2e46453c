/**
 * `SmsSender` on AWS End User Messaging SMS (`pinpoint-sms-voice-v2` `SendTextMessage`), message type
 * TRANSACTIONAL (receipts and progress updates are service messages, not marketing). The origination
 * identity (phone number, pool or sender id ARN) comes from `SMS_ORIGINATION_IDENTITY`;
 * `SMS_CONFIGURATION_SET` is optional (delivery events).
 */
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SmsMessage, SmsSender } from '#app/ports.ts';
import { NotConfigured } from './not-configured.ts';

let sharedClient: PinpointSMSVoiceV2Client | undefined;
/** One client per module (per Lambda container), created on first use. */
export function smsClient(): PinpointSMSVoiceV2Client {
  sharedClient ??= new PinpointSMSVoiceV2Client({});
  return sharedClient;
}

export interface EumSmsOptions {
  originationIdentity?: string;
  configurationSetName?: string;
  client?: PinpointSMSVoiceV2Client;
}

export class EumSmsSender implements SmsSender {
  private readonly originationIdentity: string;
  private readonly configurationSetName: string | undefined;
  private readonly client: PinpointSMSVoiceV2Client;

  constructor(opts: EumSmsOptions = {}) {
    const identity = opts.originationIdentity ?? process.env['SMS_ORIGINATION_IDENTITY'];
    if (!identity) throw new Error('SMS_ORIGINATION_IDENTITY is not set');
    this.originationIdentity = identity;
    this.configurationSetName = opts.configurationSetName ?? (process.env['SMS_CONFIGURATION_SET'] || undefined);
    this.client = opts.client ?? smsClient();
  }

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const out = await this.client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: message.to,
        OriginationIdentity: this.originationIdentity,
        MessageBody: message.text,
        MessageType: 'TRANSACTIONAL',
        // Echoed in delivery events, so a receipt can be traced to its complaint.
        Context: { dedupeKey: message.dedupeKey },
        ...(this.configurationSetName !== undefined && { ConfigurationSetName: this.configurationSetName }),
      }),
    );
    if (!out.MessageId) throw new Error(`SMS for ${message.dedupeKey} accepted without a MessageId`);
    return { messageId: out.MessageId };
  }
}

/** The SMS provider from `SMS_ORIGINATION_IDENTITY` (+ `SMS_CONFIGURATION_SET`), or one that fails loudly when used. */
export function smsFromEnv(env: NodeJS.ProcessEnv = process.env): SmsSender {
  const identity = env['SMS_ORIGINATION_IDENTITY'];
  if (identity)
    return new EumSmsSender({ originationIdentity: identity, ...(env['SMS_CONFIGURATION_SET'] && { configurationSetName: env['SMS_CONFIGURATION_SET'] }) });
  return {
    send: async () => {
      throw new NotConfigured('The SMS sender', 'SMS_ORIGINATION_IDENTITY');
    },
  };
}
