/**
 * Talking to people and integrators: SES v2 e-mail from one identity, End User Messaging SMS from one
 * origination identity, the SNS topic on which AWS delivers inbound (two-way) SMS, and the secret that
 * signs SMS/IVR integrator webhooks. Each grant names exactly one resource.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import type { ComplaintFunction } from './lambda-function.ts';

export interface MessagingProps {
  sesIdentity?: string;
  mailFrom?: string;
  smsOriginationIdentityArn?: string;
  /** Encrypts the SNS topics; End User Messaging and CloudWatch may use it to publish. */
  topicKey: Key;
  removalPolicy: RemovalPolicy;
}

export class Messaging extends Construct {
  /** AWS End User Messaging SMS publishes inbound two-way SMS here (docs/decisions/013). */
  readonly inboundSmsTopic: Topic;
  /** Inbound SMS that could not be processed: SNS delivery failures and failed asynchronous invocations. */
  readonly inboundDeadLetterQueue: Queue;
  readonly webhookSecret: Secret;
  /** Signs the leaders' notice confirm links (decision 049); never shared outside the stack. */
  readonly noticeSecret: Secret;
  readonly sesIdentityArn?: string;
  private readonly props: MessagingProps;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    this.props = props;
    const stack = Stack.of(this);
    if (props.sesIdentity !== undefined) {
      this.sesIdentityArn = stack.formatArn({
        service: 'ses',
        resource: 'identity',
        resourceName: props.sesIdentity,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    }

    this.inboundSmsTopic = new Topic(this, 'InboundSms', { masterKey: props.topicKey, enforceSSL: true, displayName: 'complaint-loop inbound SMS' });
    this.inboundSmsTopic.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        resources: [this.inboundSmsTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.inboundDeadLetterQueue = new Queue(this, 'InboundDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      this.inboundDeadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter queue (inbound SMS the channel function could not take: SNS delivery failures and failed asynchronous invocations); cdk-nag only recognises DLQs named in another queue’s redrive policy.',
    );

    this.webhookSecret = new Secret(this, 'WebhookSecret', {
      description: 'HMAC secrets of signed SMS/IVR integrator webhooks: {"current": "...", "previous": "..."} (shared/adapters/aws/secrets.ts)',
      // The shape shared/adapters/aws/secrets.ts reads; "previous" is added by hand during a rotation.
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'current', passwordLength: 48, excludePunctuation: true },
      removalPolicy: props.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.webhookSecret,
      'AwsSolutions-SMG4',
      'The secret is shared out of band with the SMS/IVR integrator, so it cannot rotate unattended; the verifier accepts a list of secrets (new first), which makes a manual rotation seamless (docs/deploy.md).',
    );

    this.noticeSecret = new Secret(this, 'NoticeSecret', {
      description: 'HMAC key of the leaders’ notice confirm links: {"current": "...", "previous": "..."} (shared/adapters/aws/notice-keys.ts)',
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'current', passwordLength: 48, excludePunctuation: true },
      removalPolicy: props.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.noticeSecret,
      'AwsSolutions-SMG4',
      'An unattended rotation would break every confirm link still in a leader’s inbox; the verifier accepts "current" and "previous", so an operator rotates by hand and keeps the old key for the 72 h a link lives (decision 049).',
    );
  }

  /** E-mail from the SES identity only (and the From address in MAIL_FROM). */
  grantSendEmail(fn: ComplaintFunction): void {
    if (this.sesIdentityArn === undefined || this.props.mailFrom === undefined) return;
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: [this.sesIdentityArn] }));
    fn.addEnvironment('MAIL_FROM', this.props.mailFrom);
  }

  /** SMS from the origination identity only. */
  grantSendSms(fn: ComplaintFunction): void {
    const identity = this.props.smsOriginationIdentityArn;
    if (identity === undefined) return;
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [identity] }));
    fn.addEnvironment('SMS_ORIGINATION_IDENTITY', identity);
  }

  /** Reads the webhook secret; its ARN in CHANNEL_SECRET_ARN (shared/http/channel.ts). */
  grantWebhookSecret(fn: ComplaintFunction): void {
    this.webhookSecret.grantRead(fn.role);
    fn.addEnvironment('CHANNEL_SECRET_ARN', this.webhookSecret.secretArn);
  }

  /** Reads the notice key; its ARN in NOTICE_SECRET_ARN (shared/adapters/aws/notice-keys.ts). */
  grantNoticeSecret(fn: ComplaintFunction): void {
    this.noticeSecret.grantRead(fn.role);
    fn.addEnvironment('NOTICE_SECRET_ARN', this.noticeSecret.secretArn);
  }

  /** Inbound two-way SMS from the topic to the channel function. */
  subscribeInboundSms(fn: ComplaintFunction): void {
    this.inboundSmsTopic.addSubscription(new LambdaSubscription(fn.fn, { deadLetterQueue: this.inboundDeadLetterQueue }));
  }
}

/** One customer managed key for the SNS topics: the AWS managed SNS key cannot be used by CloudWatch or End User Messaging. */
export function topicKey(scope: Construct, id: string, removalPolicy: RemovalPolicy): Key {
  const key = new Key(scope, id, {
    description: 'complaint-loop SNS topics (alarms, inbound SMS)',
    enableKeyRotation: true,
    removalPolicy,
    ...(removalPolicy === RemovalPolicy.DESTROY && { pendingWindow: Duration.days(7) }),
  });
  const stack = Stack.of(scope);
  // CloudWatch alarm actions publish to the encrypted alarm topic (CloudWatch documents no source conditions here).
  key.addToResourcePolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      resources: ['*'],
    }),
  );
  // End User Messaging publishes inbound SMS to the encrypted topic; confined to this account's resources.
  key.addToResourcePolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:sms-voice:${stack.region}:${stack.account}:*` },
      },
    }),
  );
  return key;
}
