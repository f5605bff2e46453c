import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '#adapters/aws/mail.ts';
import { NotConfigured, notificationAdaptersFromEnv } from '#adapters/aws/notifications.ts';
import { EnqueueFailed, SqsEscalationQueue } from '#adapters/aws/queue.ts';
import { EumSmsSender } from '#adapters/aws/sms.ts';
import type { EscalationMessage } from '#domain/escalation.ts';

// Lambda runs Node 22; only this machine runs 20 (see local/dynamo.ts).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const sqs = mockClient(SQSClient);
const ses = mockClient(SESv2Client);
const sms = mockClient(PinpointSMSVoiceV2Client);

beforeEach(() => {
  sqs.reset();
  ses.reset();
  sms.reset();
});

const QUEUE_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/escalations';
const message = (i: number, overrides: Partial<EscalationMessage> = {}): EscalationMessage => ({
  complaintId: `C${String(i).padStart(16, '0')}`,
  milestone: 'reply',
  round: 1,
  level: 'breach',
  severity: 'major',
  unitId: 'gz-tianhe',
  dueAt: '2026-11-26T10:30:00.000Z',
  overdueMillis: 8_100_000,
  decidedAt: '2026-11-26T12:45:00.000Z',
  ...overrides,
});

describe('SqsEscalationQueue', () => {
  const queue = (opts: Partial<ConstructorParameters<typeof SqsEscalationQueue>[0]> = {}) =>
    new SqsEscalationQueue({ queueUrl: QUEUE_URL, client: new SQSClient({ region: 'cn-north-1' }), backoffMillis: 1, ...opts });

  it('sends 23 messages as SendMessageBatch calls of 10, 10 and 3 with exact entries', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const messages = Array.from({ length: 23 }, (_, i) => message(i));

    await queue().send(messages);

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.args[0].input.QueueUrl).toBe(QUEUE_URL);
    expect(calls[0]?.args[0].input.Entries?.[0]).toEqual({
      Id: 'm0',
      MessageBody: JSON.stringify(messages[0]),
      MessageAttributes: {
        dedupeKey: { DataType: 'String', StringValue: 'C0000000000000000#reply#r1#breach' },
        level: { DataType: 'String', StringValue: 'breach' },
      },
    });
    expect(calls[2]?.args[0].input.Entries?.map((e) => JSON.parse(e.MessageBody ?? '{}').complaintId)).toEqual(messages.slice(20).map((m) => m.complaintId));
  });

  it('retries only the entries SQS failed on its side, then succeeds', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [{ Id: 'm0', MessageId: 'a', MD5OfMessageBody: 'x' }], Failed: [{ Id: 'm1', SenderFault: false, Code: 'InternalError' }] })
      .resolves({ Successful: [{ Id: 'm1', MessageId: 'b', MD5OfMessageBody: 'y' }], Failed: [] });

    await queue().send([message(0), message(1)]);

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries?.map((e) => e.Id)).toEqual(['m1']);
    expect(JSON.parse(calls[1]?.args[0].input.Entries?.[0]?.MessageBody ?? '{}')).toEqual(message(1));
  });

  it('throws naming the failed escalation when SQS keeps refusing it — never drops it', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: 'm0', SenderFault: false, Code: 'ServiceUnavailable' }] });

    const error = await queue({ maxAttempts: 3 })
      .send([message(7)])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EnqueueFailed);
    expect((error as EnqueueFailed).failed).toEqual([{ dedupeKey: 'C0000000000000007#reply#r1#breach', code: 'ServiceUnavailable', senderFault: false }]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('does not retry a sender fault', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: 'm0', SenderFault: true, Code: 'InvalidParameterValue', Message: 'too big' }] });

    await expect(queue().send([message(1)])).rejects.toBeInstanceOf(EnqueueFailed);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });

  it('refuses a malformed message before calling SQS', async () => {
    await expect(queue().send([{ ...message(1), level: 'everyone' } as unknown as EscalationMessage])).rejects.toThrow();
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('adds a message group and a deduplication id on a FIFO queue', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await queue({ queueUrl: `${QUEUE_URL}.fifo` }).send([message(3)]);
    const entry = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.MessageGroupId).toBe('C0000000000000003');
    expect(entry?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('needs ESCALATION_QUEUE_URL', () => {
    expect(() => new SqsEscalationQueue({ client: new SQSClient({ region: 'cn-north-1' }) })).toThrow(/ESCALATION_QUEUE_URL/);
  });
});

describe('SesMailer', () => {
  it('sends simple content with UTF-8 subject and bodies, To/Cc, the configuration set and a dedupe tag', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-0001' });
    const mailer = new SesMailer({ from: 'noreply@example.cn', configurationSetName: 'escalations', client: new SESv2Client({ region: 'cn-north-1' }) });

    const out = await mailer.send({
      to: ['tianhe-leader@example.cn'],
      cc: ['ops-director@example.cn'],
      subject: '【投诉超时·重大】C0000000000000001 答复处理意见 已超时 2小时15分',
      text: '以下投诉已超过处理时限。',
      html: '<p>以下投诉已超过处理时限。</p>',
      dedupeKey: 'C0000000000000001#reply#r1#breach',
    });

    expect(out).toEqual({ messageId: 'ses-0001' });
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'noreply@example.cn',
      Destination: { ToAddresses: ['tianhe-leader@example.cn'], CcAddresses: ['ops-director@example.cn'] },
      Content: {
        Simple: {
          Subject: { Data: '【投诉超时·重大】C0000000000000001 答复处理意见 已超时 2小时15分', Charset: 'UTF-8' },
          Body: {
            Text: { Data: '以下投诉已超过处理时限。', Charset: 'UTF-8' },
            Html: { Data: '<p>以下投诉已超过处理时限。</p>', Charset: 'UTF-8' },
          },
        },
      },
      EmailTags: [{ Name: 'dedupeKey', Value: 'C0000000000000001_reply_r1_breach' }],
      ConfigurationSetName: 'escalations',
    });
  });

  it('leaves out Cc and the configuration set when there are none', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-0002' });
    await new SesMailer({ from: 'noreply@example.cn', client: new SESv2Client({ region: 'cn-north-1' }) }).send({
      to: ['a@example.cn'],
      subject: 's',
      text: 't',
      dedupeKey: 'k',
    });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Destination).toEqual({ ToAddresses: ['a@example.cn'] });
    expect(input?.Content?.Simple?.Body).toEqual({ Text: { Data: 't', Charset: 'UTF-8' } });
    expect(input).not.toHaveProperty('ConfigurationSetName');
  });

  it('passes an SES error on to the caller (the consumer reports the record as failed)', async () => {
    ses.on(SendEmailCommand).rejects(new Error('Throttling'));
    await expect(
      new SesMailer({ from: 'noreply@example.cn', client: new SESv2Client({ region: 'cn-north-1' }) }).send({
        to: ['a@example.cn'],
        subject: 's',
        text: 't',
        dedupeKey: 'k',
      }),
    ).rejects.toThrow('Throttling');
  });
});

describe('EumSmsSender', () => {
  it('sends a TRANSACTIONAL text from the origination identity with the dedupe key as context', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'sms-0001' });
    const sender = new EumSmsSender({
      originationIdentity: 'arn:aws-cn:sms-voice:cn-north-1:123456789012:sender-id/GZPOST/CN',
      configurationSetName: 'receipts',
      client: new PinpointSMSVoiceV2Client({ region: 'cn-north-1' }),
    });

    const out = await sender.send({
      to: '+8613800138000',
      text: '【广州市邮政速递物流公司】您的投诉已受理，查询码 ABCDEFGHJK12，我们将在24小时内与您联系。',
      dedupeKey: 'receipt#C0000000000000001',
    });

    expect(out).toEqual({ messageId: 'sms-0001' });
    expect(sms.commandCalls(SendTextMessageCommand)[0]?.args[0].input).toEqual({
      DestinationPhoneNumber: '+8613800138000',
      OriginationIdentity: 'arn:aws-cn:sms-voice:cn-north-1:123456789012:sender-id/GZPOST/CN',
      MessageBody: '【广州市邮政速递物流公司】您的投诉已受理，查询码 ABCDEFGHJK12，我们将在24小时内与您联系。',
      MessageType: 'TRANSACTIONAL',
      Context: { dedupeKey: 'receipt#C0000000000000001' },
      ConfigurationSetName: 'receipts',
    });
  });
});

describe('adapters from the environment', () => {
  it('gives a function without the variables adapters that fail loudly when used, not at cold start', async () => {
    const { queue, mailer, sms: sender } = notificationAdaptersFromEnv({});
    await expect(queue.send([])).rejects.toBeInstanceOf(NotConfigured);
    await expect(mailer.send({ to: ['a@example.cn'], subject: 's', text: 't', dedupeKey: 'k' })).rejects.toThrow(/MAIL_FROM/);
    await expect(sender.send({ to: '+8613800138000', text: 't', dedupeKey: 'k' })).rejects.toThrow(/SMS_ORIGINATION_IDENTITY/);
  });

  it('builds the SQS, SES and SMS adapters from ESCALATION_QUEUE_URL, MAIL_FROM and SMS_ORIGINATION_IDENTITY', () => {
    const adapters = notificationAdaptersFromEnv({ ESCALATION_QUEUE_URL: QUEUE_URL, MAIL_FROM: 'noreply@example.cn', SMS_ORIGINATION_IDENTITY: 'pool-1' });
    expect(adapters.queue).toBeInstanceOf(SqsEscalationQueue);
    expect(adapters.mailer).toBeInstanceOf(SesMailer);
    expect(adapters.sms).toBeInstanceOf(EumSmsSender);
  });
});
