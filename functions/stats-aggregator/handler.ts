/**
 * DynamoDB Streams consumer of the complaint table (NEW_IMAGE; filter: complaint items only): adds what each
 * committed write owes to the statistics counters, exactly once (decision 060). The whole batch is idempotent, so a
 * failure reports the batch's first record: the stream delivers it again from there (bisect, retries, then the DLQ).
 */
import { randomUUID } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { backgroundInvocation, runInvocation } from '#app/correlation.ts';
import type { ChangeRecord } from '#app/ports.ts';
import { statsAggregator } from '#app/wiring/stats.ts';
import { log } from '#adapters/log.ts';

export const handler = async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> =>
  runInvocation(context?.awsRequestId ?? `stats-${randomUUID()}`, backgroundInvocation('stats-aggregator', context), () => aggregate(event));

async function aggregate(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const records: ChangeRecord[] = event.Records.flatMap((r) => {
    const keys = r.dynamodb?.Keys;
    const image = r.dynamodb?.NewImage;
    if (!keys?.['PK']?.S || !keys['SK']?.S || !image || (r.eventName !== 'INSERT' && r.eventName !== 'MODIFY')) return [];
    return [{ eventName: r.eventName, keys: { PK: keys['PK'].S, SK: keys['SK'].S }, newImage: unmarshall(image as Record<string, AttributeValue>) }];
  });
  try {
    await statsAggregator().handle(records);
    return { batchItemFailures: [] };
  } catch (error) {
    const first = event.Records[0]?.dynamodb?.SequenceNumber;
    log.error('statistics batch failed; the stream delivers it again', {
      records: records.length,
      error: error instanceof Error ? error.message : String(error),
    });
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
}
