/**
 * The on-failure queue of a DynamoDB stream mapping (the outbox dispatcher's, decision 051; the statistics
 * aggregator's, decision 060): encrypted, TLS only, 14 days to look at what failed, alarmed by the stack.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export function streamDeadLetterQueue(scope: Construct, removalPolicy: RemovalPolicy, mapping: string): Queue {
  const queue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy,
  });
  acknowledge(
    queue,
    'AwsSolutions-SQS3',
    `It is a dead-letter queue: the on-failure destination of the ${mapping} stream mapping (cdk-nag only recognises a redrive policy)`,
  );
  return queue;
}
