/**
 * `EscalationQueue` on Amazon SQS: `SendMessageBatch` in chunks of 10 (the API's limit). Entries SQS
 * reports as failed are retried (server-side faults) and, if they still fail, the call throws with
 * every failed entry named — an escalation is never dropped silently. The producer (SLA check, a
 * transition observer) then fails and its own retry (timer, sweep, logged side effect) takes over.
 */
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { EscalationMessage, escalationDedupeKey } from '#domain/escalation.ts';
import type { EscalationQueue } from '#app/ports.ts';
import { NotConfigured } from './not-configured.ts';

/** SendMessageBatch takes at most 10 entries. */
export const SQS_BATCH_LIMIT = 10;

let sharedClient: SQSClient | undefined;
/** One client per module (per Lambda container), created on first use. */
export function sqsClient(): SQSClient {
  sharedClient ??= new SQSClient({});
  return sharedClient;
}

export interface SqsQueueOptions {
  queueUrl?: string;
  client?: SQSClient;
  /** Attempts per batch for entries that failed on the server side (default 3). */
  maxAttempts?: number;
  /** Pause before a retry, in ms × attempt (default 100). */
  backoffMillis?: number;
}

/** Raised when SQS keeps refusing entries; `failed` names each one. */
export class EnqueueFailed extends Error {
  constructor(readonly failed: { dedupeKey: string; code?: string; message?: string; senderFault?: boolean }[]) {
    super(`SQS refused ${failed.length} escalation message(s): ${failed.map((f) => `${f.dedupeKey} (${f.code ?? 'unknown'})`).join(', ')}`);
    this.name = 'EnqueueFailed';
  }
}

export class SqsEscalationQueue implements EscalationQueue {
  private readonly queueUrl: string;
  private readonly client: SQSClient;
  private readonly fifo: boolean;

  constructor(private readonly opts: SqsQueueOptions = {}) {
    const url = opts.queueUrl ?? process.env['ESCALATION_QUEUE_URL'];
    if (!url) throw new Error('ESCALATION_QUEUE_URL is not set');
    this.queueUrl = url;
    this.client = opts.client ?? sqsClient();
    this.fifo = url.endsWith('.fifo');
  }

  async send(messages: EscalationMessage[]): Promise<void> {
    // Validate on the producer side: a malformed message is a bug here, not a poison message there.
    const valid = messages.map((m) => EscalationMessage.parse(m));
    for (let i = 0; i < valid.length; i += SQS_BATCH_LIMIT) {
      await this.sendChunk(valid.slice(i, i + SQS_BATCH_LIMIT));
    }
  }

  private async sendChunk(chunk: EscalationMessage[]): Promise<void> {
    const maxAttempts = this.opts.maxAttempts ?? 3;
    let pending = chunk.map((m, i) => ({ id: `m${i}`, message: m, entry: this.entry(`m${i}`, m) }));
    for (let attempt = 1; ; attempt++) {
      const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending.map((p) => p.entry) }));
      const failed = out.Failed ?? [];
      if (failed.length === 0) return;
      const byId = new Map(failed.map((f) => [f.Id, f]));
      const retryable = failed.every((f) => !f.SenderFault);
      pending = pending.filter((p) => byId.has(p.id));
      if (!retryable || attempt >= maxAttempts) {
        throw new EnqueueFailed(
          pending.map((p) => {
            const f = byId.get(p.id);
            return {
              dedupeKey: escalationDedupeKey(p.message),
              ...(f?.Code !== undefined && { code: f.Code }),
              ...(f?.Message !== undefined && { message: f.Message }),
              ...(f?.SenderFault !== undefined && { senderFault: f.SenderFault }),
            };
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, (this.opts.backoffMillis ?? 100) * attempt));
    }
  }

  private entry(id: string, m: EscalationMessage): SendMessageBatchRequestEntry {
    const dedupeKey = escalationDedupeKey(m);
    return {
      Id: id,
      MessageBody: JSON.stringify(m),
      MessageAttributes: {
        dedupeKey: { DataType: 'String', StringValue: dedupeKey },
        level: { DataType: 'String', StringValue: m.level },
      },
      // A FIFO queue dedupes for 5 minutes on its own; the consumer's ledger dedupes forever.
      ...(this.fifo && {
        MessageGroupId: m.complaintId,
        MessageDeduplicationId: createHash('sha256').update(dedupeKey).digest('hex').slice(0, 64),
      }),
    };
  }
}

/** The escalation queue from `ESCALATION_QUEUE_URL`, or one that fails loudly when used. */
export function queueFromEnv(env: NodeJS.ProcessEnv = process.env): EscalationQueue {
  const queueUrl = env['ESCALATION_QUEUE_URL'];
  if (queueUrl) return new SqsEscalationQueue({ queueUrl });
  return {
    send: async () => {
      throw new NotConfigured('The escalation queue', 'ESCALATION_QUEUE_URL');
    },
  };
}
