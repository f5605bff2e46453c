/**
 * The statistics aggregator's feed (decision 060): a second event source mapping on the table's stream
 * (NEW_IMAGE), for complaint items only, with partial batch failures, bisect on error, retries and an SQS
 * on-failure DLQ (alarmed in the stack, like the outbox's). The aggregator is idempotent under redelivery, so a
 * retried batch counts nothing twice; what dies in the DLQ is recounted by replaying those complaints' images.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { streamDeadLetterQueue } from './stream-dlq.ts';

export interface StatisticsProps {
  table: ITable;
  removalPolicy: RemovalPolicy;
}

export const STATS_RETRY_ATTEMPTS = 10;

export class Statistics extends Construct {
  readonly deadLetterQueue: Queue;
  private readonly table: ITable;

  constructor(scope: Construct, id: string, props: StatisticsProps) {
    super(scope, id);
    this.table = props.table;
    this.deadLetterQueue = streamDeadLetterQueue(this, props.removalPolicy, 'statistics');
  }

  /** Every complaint write (`SK = A`), batches of 100, partial failures, bisect, DLQ. */
  attachAggregator(fn: IFunction): void {
    fn.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: STATS_RETRY_ATTEMPTS,
        maxRecordAge: Duration.hours(24),
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { Keys: { PK: { S: FilterRule.beginsWith('CMP#') }, SK: { S: FilterRule.isEqual('A') } } },
          }),
        ],
      }),
    );
  }
}
