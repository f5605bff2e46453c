/**
 * DynamoDB Streams consumer of the complaint table (event source mapping with `ReportBatchItemFailures`,
 * bisect on error, retries, an SQS on-failure destination; filter criteria let through only writes that
 * left effects owed): carries out what each committed transition owes (decision 051). One dispatch per
 * complaint of the batch; a complaint whose effects failed is reported by its record's sequence number,
 * so the stream retries from there (the dispatch is idempotent) and the sweep is the safety net.
 */
import { randomUUID } from 'node:crypto';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { backgroundInvocation, runInvocation, withCorrelation } from '#app/correlation.ts';
import { complaintIdOfKeys } from '#app/outbox-dispatcher.ts';
import { outboxDispatcher } from '#app/wiring/outbox.ts';
import { log } from '#adapters/log.ts';

/** One batch, one invocation; each complaint's dispatch logs under the complaint id (decision 054). */
export const handler = async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> =>
  runInvocation(context?.awsRequestId ?? `outbox-${randomUUID()}`, backgroundInvocation('outbox-dispatcher', context), () => dispatchBatch(event));

async function dispatchBatch(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const dispatcher = outboxDispatcher();
  // The first record of each complaint stands for all of its records: one dispatch carries out all it owes.
  const first = new Map<string, string>();
  for (const record of event.Records) {
    const id = complaintIdOfKeys(record.dynamodb?.Keys);
    if (id !== undefined && !first.has(id)) first.set(id, record.dynamodb?.SequenceNumber ?? '');
  }
  const results = await Promise.allSettled(
    [...first.keys()].map((id) => withCorrelation({ correlationId: id, complaintId: id }, () => dispatcher.dispatch(id))),
  );
  const batchItemFailures = [...first.values()].flatMap((sequenceNumber, i) => {
    const result = results[i];
    if (result?.status !== 'rejected') return [];
    log.error('outbox dispatch failed; the record is retried', {
      sequenceNumber,
      error: result.reason instanceof Error ? result.reason.message : String(result.reason),
    });
    return [{ itemIdentifier: sequenceNumber }];
  });
  return { batchItemFailures };
}
