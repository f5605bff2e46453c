/**
 * SQS consumer of the escalation queue (event source mapping with `ReportBatchItemFailures`):
 * each record is parsed and delivered once; failed records — poison messages included — are
 * reported in `batchItemFailures`, redelivered, and after `maxReceiveCount` moved to the DLQ.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processBatch, receiveCount } from '#app/batch.ts';
import { backgroundInvocation, correlate, runInvocation } from '#app/correlation.ts';
import { parseEscalation } from '#app/escalation.ts';
import { escalationConsumer } from '#app/wiring/escalations.ts';
import { runtimeConfig } from '#app/wiring/runtime-config.ts';
import { log } from '#adapters/log.ts';

/** Each record's lines carry its SQS message id as the correlation id (`processBatch`) and its complaint id. */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
  runInvocation(context?.awsRequestId ?? event.Records[0]?.messageId ?? 'empty-batch', backgroundInvocation('escalation', context), async () => {
    const escalations = escalationConsumer();
    // Recipients and planning from the current directory (≤ 60 s old, decision 056).
    await runtimeConfig().refresh();
    return processBatch(
      event.Records,
      async (record) => {
        const message = parseEscalation(record.body);
        correlate({ complaintId: message.complaintId });
        const outcome = await escalations.deliver(message, { sqsMessageId: record.messageId });
        log.debug('escalation record done', { messageId: record.messageId, receiveCount: receiveCount(record), ...outcome });
      },
      log,
    );
  });
