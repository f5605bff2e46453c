/**
 * SQS consumer of the escalation queue (event source mapping with `ReportBatchItemFailures`):
 * each record is parsed and delivered once; failed records — poison messages included — are
 * reported in `batchItemFailures`, redelivered, and after `maxReceiveCount` moved to the DLQ.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processBatch, receiveCount } from '#app/batch.ts';
import { parseEscalation } from '#app/escalation.ts';
import { escalationConsumer } from '#app/wiring/escalations.ts';
import { runtimeConfig } from '#app/wiring/runtime-config.ts';
import { log } from '#http/log.ts';

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const escalations = escalationConsumer();
  // Recipients and planning from the current directory (≤ 60 s old, decision 056).
  await runtimeConfig().refresh();
  return processBatch(
    event.Records,
    async (record) => {
      const outcome = await escalations.deliver(parseEscalation(record.body), { sqsMessageId: record.messageId });
      log.debug('escalation record done', { messageId: record.messageId, receiveCount: receiveCount(record), ...outcome });
    },
    log,
  );
};
