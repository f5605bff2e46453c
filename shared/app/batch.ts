/**
 * SQS partial batch responses (Lambda `ReportBatchItemFailures`), hand-written: every record is
 * handled on its own; a record that throws is logged with its error and reported in
 * `batchItemFailures`, so SQS redelivers only that one and, after `maxReceiveCount`, moves it to the
 * DLQ. Nothing is swallowed. Why not Powertools' BatchProcessor: docs/decisions/005-escalation-delivery.md.
 */
import type { Logger } from './ports.ts';
import { withCorrelation } from './correlation.ts';

/** The part of an SQS record a consumer reads (structurally an `aws-lambda` `SQSRecord`). */
export interface QueueRecord {
  messageId: string;
  body: string;
  attributes?: { ApproximateReceiveCount?: string };
}

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** A record that can never succeed (bad JSON, wrong shape): still reported, so it ends in the DLQ. */
export class PoisonMessage extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PoisonMessage';
  }
}

export const receiveCount = (r: QueueRecord): number => Number(r.attributes?.ApproximateReceiveCount ?? '1') || 1;

/**
 * Records are handled one after another: the volume is small (escalations, not intake), and two
 * copies of one message in the same batch then meet the once-only ledger in order instead of racing.
 */
export async function processBatch<R extends QueueRecord>(records: R[], handle: (record: R) => Promise<unknown>, logger: Logger): Promise<BatchResponse> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    // Each record its own correlation (its SQS message id), the failure line included.
    await withCorrelation({ correlationId: record.messageId, messageId: record.messageId }, () => handleOne(record));
  }
  return { batchItemFailures };

  async function handleOne(record: R): Promise<void> {
    try {
      await handle(record);
    } catch (error) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      const poison = error instanceof PoisonMessage;
      logger.error(poison ? 'poison message: reported for redelivery and the DLQ' : 'queue record failed: reported for redelivery', {
        messageId: record.messageId,
        receiveCount: receiveCount(record),
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        ...(poison && { issues: error.issues, body: record.body.slice(0, 500) }),
      });
    }
  }
}
