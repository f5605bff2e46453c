/**
 * The escalation queue of the local stack: an in-process SQS stand-in that hands batches to the
 * real consumer (`functions/escalation/handler.ts`) as SQS-shaped events and behaves like an SQS
 * event source mapping with `ReportBatchItemFailures` and a redrive policy:
 * - up to `batchSize` (10) records per invocation, delivered asynchronously after `send` returns;
 * - records named in `batchItemFailures` (or all of them, when the handler throws or names an
 *   unknown id) come back with `ApproximateReceiveCount + 1` after `visibilityTimeoutMs`;
 * - after `maxReceiveCount` (5) receives a record moves to the dead-letter queue: kept in
 *   `deadLetters` and, with a `dlqDir`, written as one JSON file per message.
 * `drain()` resolves once nothing is queued, waiting or being delivered.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger, EscalationQueue } from '#app/ports.ts';
import { EscalationMessage } from '#domain/escalation.ts';

// biome-ignore lint/suspicious/noConfusingVoidType: the shape of aws-lambda's SQSHandler (void = no partial batch failures)
export type QueueConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface LocalQueueOptions {
  /** The Lambda handler the event source mapping invokes. */
  consumer: QueueConsumer;
  maxReceiveCount?: number;
  batchSize?: number;
  /** How long a failed record stays invisible before it is delivered again (default 0). */
  visibilityTimeoutMs?: number;
  /** Dead letters are also written here as JSON files (`<dataDir>/dlq/`). */
  dlqDir?: string;
  queueName?: string;
  logger?: Logger;
}

export interface DeadLetter {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: string;
  movedAt: string;
  file?: string;
}

interface Entry {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  firstReceiveAt?: number;
}

export class LocalEscalationQueue implements EscalationQueue {
  readonly deadLetters: DeadLetter[] = [];
  /** Every invocation's size and failures, for tests and the demo. */
  readonly invocations: { records: number; failures: number }[] = [];
  private ready: Entry[] = [];
  private waiting = 0;
  private busy = false;
  private idleWaiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: LocalQueueOptions) {}

  get maxReceiveCount(): number {
    return this.opts.maxReceiveCount ?? 5;
  }

  /** Validates like the SQS adapter does, then enqueues; delivery happens after this resolves. */
  async send(messages: EscalationMessage[]): Promise<void> {
    this.sendRaw(messages.map((m) => JSON.stringify(EscalationMessage.parse(m))));
  }

  /** Enqueues bodies as they are — how a test puts a poison message on the queue. */
  sendRaw(bodies: string[]): string[] {
    if (this.closed) throw new Error('The local escalation queue is closed');
    const entries = bodies.map((body) => ({ messageId: randomUUID(), body, receiveCount: 0, sentAt: Date.now() }));
    this.ready.push(...entries);
    this.kick();
    return entries.map((e) => e.messageId);
  }

  /** Resolves when every message has been delivered for good or dead-lettered. */
  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops redeliveries that are waiting and refuses new messages; call after `drain()`. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.waiting = 0;
    this.ready = [];
    this.settle();
  }

  private idle(): boolean {
    return !this.busy && this.ready.length === 0 && this.waiting === 0;
  }

  private settle(): void {
    if (!this.idle()) return;
    const waiters = this.idleWaiters.splice(0);
    for (const resolve of waiters) resolve();
  }

  private kick(): void {
    if (this.busy || this.ready.length === 0) return;
    this.busy = true;
    // Asynchronous like SQS: the producer's request finishes before the consumer runs.
    setImmediate(() => {
      void this.pump()
        .catch((error: unknown) => this.opts.logger?.error('local queue pump failed', { error: error instanceof Error ? error.message : String(error) }))
        .finally(() => {
          this.busy = false;
          if (this.ready.length > 0 && !this.closed) this.kick();
          else this.settle();
        });
    });
  }

  private async pump(): Promise<void> {
    while (this.ready.length > 0 && !this.closed) {
      const batch = this.ready.splice(0, this.opts.batchSize ?? 10);
      await this.invoke(batch);
    }
  }

  private async invoke(batch: Entry[]): Promise<void> {
    const now = Date.now();
    for (const e of batch) {
      e.receiveCount++;
      e.firstReceiveAt ??= now;
    }
    let failed: Set<string>;
    try {
      const response = await this.opts.consumer({ Records: batch.map((e) => this.record(e)) });
      const ids = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      // Lambda treats an empty or unknown itemIdentifier as the failure of the whole batch.
      failed = ids.every((id) => batch.some((e) => e.messageId === id)) ? new Set(ids) : new Set(batch.map((e) => e.messageId));
    } catch (error) {
      this.opts.logger?.error('escalation consumer threw: the whole batch is retried', {
        records: batch.length,
        error: error instanceof Error ? error.message : String(error),
      });
      failed = new Set(batch.map((e) => e.messageId));
    }
    this.invocations.push({ records: batch.length, failures: failed.size });
    for (const e of batch) {
      if (failed.has(e.messageId)) await this.retryOrDeadLetter(e);
    }
  }

  private async retryOrDeadLetter(e: Entry): Promise<void> {
    if (e.receiveCount >= this.maxReceiveCount) {
      await this.deadLetter(e);
      return;
    }
    const delay = this.opts.visibilityTimeoutMs ?? 0;
    if (delay <= 0) {
      this.ready.push(e);
      return;
    }
    this.waiting++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waiting--;
      if (this.closed) return;
      this.ready.push(e);
      this.kick();
    }, delay);
    this.timers.add(timer);
  }

  private async deadLetter(e: Entry): Promise<void> {
    const letter: DeadLetter = {
      messageId: e.messageId,
      body: e.body,
      receiveCount: e.receiveCount,
      sentAt: new Date(e.sentAt).toISOString(),
      movedAt: new Date().toISOString(),
    };
    this.deadLetters.push(letter);
    if (this.opts.dlqDir) {
      letter.file = join(this.opts.dlqDir, `${letter.movedAt.replace(/[-:.]/g, '')}_${e.messageId}.json`);
      await mkdir(this.opts.dlqDir, { recursive: true });
      await writeFile(letter.file, `${JSON.stringify(letter, null, 2)}\n`, 'utf8');
    }
    this.opts.logger?.error('message moved to the dead-letter queue', {
      messageId: e.messageId,
      receiveCount: e.receiveCount,
      ...(letter.file !== undefined && { file: letter.file }),
    });
  }

  private record(e: Entry): SQSRecord {
    const name = this.opts.queueName ?? 'escalations';
    return {
      messageId: e.messageId,
      receiptHandle: `${e.messageId}#${e.receiveCount}`,
      body: e.body,
      attributes: {
        ApproximateReceiveCount: String(e.receiveCount),
        SentTimestamp: String(e.sentAt),
        SenderId: 'LOCAL',
        ApproximateFirstReceiveTimestamp: String(e.firstReceiveAt ?? e.sentAt),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(e.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${name}`,
      awsRegion: 'local',
    };
  }
}
