import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalEscalationQueue } from '#adapters/local/queue.ts';
import { PoisonMessage, processBatch } from '#app/batch.ts';
import type { EscalationMessage } from '#domain/escalation.ts';

const message = (i: number): EscalationMessage => ({
  complaintId: `C${i}`,
  milestone: 'reply',
  round: 1,
  level: 'breach',
  severity: 'general',
  overdueMillis: 0,
  decidedAt: '2026-11-25T12:45:00.000Z',
});

/** A consumer that records every invocation and fails the records `fail` picks. */
function recorder(fail: (body: string, receiveCount: number) => boolean) {
  const invocations: SQSEvent[] = [];
  const consumer = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    invocations.push(event);
    return {
      batchItemFailures: event.Records.filter((r) => fail(r.body, Number(r.attributes.ApproximateReceiveCount))).map((r) => ({ itemIdentifier: r.messageId })),
    };
  };
  return { invocations, consumer };
}

describe('the local escalation queue', () => {
  it('delivers after send returns, in SQS-shaped batches of at most 10', async () => {
    const { invocations, consumer } = recorder(() => false);
    const queue = new LocalEscalationQueue({ consumer });

    await queue.send(Array.from({ length: 12 }, (_, i) => message(i)));
    expect(invocations).toHaveLength(0);
    await queue.drain();

    expect(invocations.map((e) => e.Records.length)).toEqual([10, 2]);
    const record = invocations[0]?.Records[0];
    expect(record).toMatchObject({ eventSource: 'aws:sqs', body: JSON.stringify(message(0)), attributes: { ApproximateReceiveCount: '1' } });
    expect(record?.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(record?.receiptHandle).toBeTruthy();
    expect(queue.deadLetters).toEqual([]);
  });

  it('redelivers only the records named in batchItemFailures, counting receives', async () => {
    const { invocations, consumer } = recorder((body, count) => body.includes('"C1"') && count < 3);
    const queue = new LocalEscalationQueue({ consumer });

    await queue.send([message(0), message(1), message(2)]);
    await queue.drain();

    expect(invocations.map((e) => e.Records.map((r) => `${JSON.parse(r.body).complaintId}@${r.attributes.ApproximateReceiveCount}`))).toEqual([
      ['C0@1', 'C1@1', 'C2@1'],
      ['C1@2'],
      ['C1@3'],
    ]);
    expect(queue.deadLetters).toEqual([]);
  });

  it('moves a record that keeps failing to the DLQ after maxReceiveCount receives, and writes it to the DLQ folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dlq-test-'));
    try {
      const { invocations, consumer } = recorder((body) => !body.startsWith('{'));
      const queue = new LocalEscalationQueue({ consumer, maxReceiveCount: 5, dlqDir: dir });

      const [poisonId] = queue.sendRaw(['not json at all']);
      await queue.send([message(1)]);
      await queue.drain();

      expect(invocations).toHaveLength(5);
      expect(queue.deadLetters).toHaveLength(1);
      expect(queue.deadLetters[0]).toMatchObject({ messageId: poisonId, body: 'not json at all', receiveCount: 5 });
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(JSON.parse(await readFile(join(dir, files[0] ?? ''), 'utf8'))).toMatchObject({ messageId: poisonId, body: 'not json at all', receiveCount: 5 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('retries the whole batch when the handler throws, as Lambda does', async () => {
    let calls = 0;
    const queue = new LocalEscalationQueue({
      consumer: async () => {
        calls++;
        if (calls === 1) throw new Error('cold start failed');
      },
    });
    await queue.send([message(1), message(2)]);
    await queue.drain();
    expect(calls).toBe(2);
    expect(queue.invocations).toEqual([
      { records: 2, failures: 2 },
      { records: 2, failures: 0 },
    ]);
  });

  it('treats an unknown itemIdentifier as a failure of the whole batch, as Lambda does', async () => {
    let calls = 0;
    const queue = new LocalEscalationQueue({
      consumer: async () => {
        calls++;
        return { batchItemFailures: calls === 1 ? [{ itemIdentifier: '' }] : [] };
      },
    });
    await queue.send([message(1), message(2)]);
    await queue.drain();
    expect(queue.invocations).toEqual([
      { records: 2, failures: 2 },
      { records: 2, failures: 0 },
    ]);
  });

  it('waits out the visibility timeout before a redelivery, and drain() waits for it', async () => {
    const { invocations, consumer } = recorder((_, count) => count === 1);
    const queue = new LocalEscalationQueue({ consumer, visibilityTimeoutMs: 30 });
    const started = Date.now();
    await queue.send([message(1)]);
    await queue.drain();
    expect(invocations).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe('partial batch responses', () => {
  const logger = () => {
    const lines: { message: string; data?: Record<string, unknown> }[] = [];
    const push = (message: string, data?: Record<string, unknown>) => lines.push({ message, ...(data && { data }) });
    return { lines, info: push, warn: push, error: push };
  };

  it('reports exactly the records that threw, and logs each with its error', async () => {
    const log = logger();
    const records = ['a', 'b', 'c', 'd'].map((id) => ({ messageId: id, body: id, attributes: { ApproximateReceiveCount: '2' } }));

    const out = await processBatch(
      records,
      async (r) => {
        if (r.body === 'b') throw new PoisonMessage('not an EscalationMessage', [{ path: 'level', message: 'Invalid option' }]);
        if (r.body === 'd') throw new Error('SES throttled');
      },
      log,
    );

    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'd' }] });
    expect(log.lines.map((l) => [l.message.split(':')[0], l.data?.['messageId'], l.data?.['receiveCount']])).toEqual([
      ['poison message', 'b', 2],
      ['queue record failed', 'd', 2],
    ]);
    expect(log.lines[0]?.data?.['issues']).toEqual([{ path: 'level', message: 'Invalid option' }]);
  });

  it('returns an empty failure list when every record succeeds', async () => {
    expect(await processBatch([{ messageId: 'a', body: '' }], async () => undefined, logger())).toEqual({ batchItemFailures: [] });
  });
});
