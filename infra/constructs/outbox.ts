/**
 * The transactional outbox's AWS side (decision 051): the table's stream (keys only — the dispatcher reads
 * the item, strongly consistent) feeds the `outbox-dispatcher` Lambda through an event source mapping that
 * reports partial batch failures, bisects a failing batch, retries a few times and then sends the batch's
 * description to an SQS dead-letter queue. Filter criteria let through only writes that left the item in the
 * pending-effects index (`GSI6PK = EFFECTS#…`), so most writes never invoke it. What dies in the DLQ is
 * still recorded on the items: the sweep re-drives it after the grace.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { streamDeadLetterQueue } from './stream-dlq.ts';

export interface OutboxProps {
  table: ITable;
  removalPolicy: RemovalPolicy;
}

/** Retries of a failing batch (halved each time by the bisect) before it goes to the DLQ. */
export const OUTBOX_RETRY_ATTEMPTS = 5;

export class Outbox extends Construct {
  readonly deadLetterQueue: Queue;
  private readonly table: ITable;

  constructor(scope: Construct, id: string, props: OutboxProps) {
    super(scope, id);
    this.table = props.table;
    this.deadLetterQueue = streamDeadLetterQueue(this, props.removalPolicy, 'outbox');
  }

  /** The dispatcher: stream batches of writes that owe effects, partial failures, bisect, DLQ. */
  attachDispatcher(fn: IFunction): void {
    fn.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: OUTBOX_RETRY_ATTEMPTS,
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { Keys: { SK: { S: FilterRule.isEqual('A') } }, NewImage: { GSI6PK: { S: FilterRule.beginsWith('EFFECTS#') } } },
          }),
        ],
      }),
    );
  }
}
