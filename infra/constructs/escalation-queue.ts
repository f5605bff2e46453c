/**
 * Escalations travel on SQS (SPEC: escalation): a standard queue, encrypted, TLS-only, with a dead-letter
 * queue after 5 receives. The consumer reports partial batch failures, so one bad message is retried
 * alone and ends in the DLQ instead of blocking or replaying its batch.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface EscalationQueueProps {
  /** The consumer's timeout: the visibility timeout is six times it (AWS guidance for Lambda consumers). */
  consumerTimeout: Duration;
  removalPolicy: RemovalPolicy;
}

/** Receives before a message is parked in the DLQ. */
export const MAX_RECEIVE_COUNT = 5;

export class EscalationQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EscalationQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy: props.removalPolicy,
    });
  }

  /** A producer: may send messages, nothing else. */
  grantSend(grantee: IGrantable): void {
    this.queue.grantSendMessages(grantee);
  }

  /** The consumer: batches of up to 10, partial batch responses. */
  attachConsumer(fn: IFunction): void {
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
      }),
    );
  }
}
