/**
 * Outbox drain delay (decision 051): how long after a transition's write its side effect is carried out,
 * on the local stack's own path — the store publishes the committed write to the change feed, the feed
 * hands a batch to the real `outbox-dispatcher` handler, which claims the effect, sends the receipt SMS
 * through the guard to the local provider (`sms.jsonl`) and settles it. Measured per complaint from the
 * moment the intake's put is published (the write committed) to the moment the provider takes the SMS.
 * Intakes are sent by a few concurrent clients over HTTP, so the dispatcher works while intake goes on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeRecord, SmsMessage } from '#app/ports.ts';
import { startLocalStack } from '#local/stack.ts';

export interface OutboxFigures {
  complaints: number;
  clients: number;
  /** Receipts carried out (one per complaint when nothing is lost). */
  sent: number;
  p50: number;
  p99: number;
  max: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export async function benchOutbox(opts: { complaints?: number; clients?: number } = {}): Promise<OutboxFigures> {
  const complaints = opts.complaints ?? 500;
  const clients = opts.clients ?? 4;
  const dir = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  const stack = await startLocalStack({ dataDir: dir, rateLimit: false });
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  try {
    const written = new Map<string, number>();
    const carriedOut = new Map<string, number>();
    // The write: the store publishes each committed complaint write to the feed (INSERT = intake's put).
    const publish = stack.feed.publish.bind(stack.feed);
    stack.feed.publish = (record: ChangeRecord) => {
      if (record.eventName === 'INSERT') written.set(record.keys.PK.replace(/^CMP#/, ''), performance.now());
      publish(record);
    };
    // The effect: the local provider takes the receipt (dedupe key `receipt#<complaint id>`).
    const send = stack.sms.send.bind(stack.sms);
    stack.sms.send = async (message: SmsMessage) => {
      const answer = await send(message);
      const id = /^receipt#(.+)$/.exec(message.dedupeKey)?.[1];
      if (id !== undefined && !carriedOut.has(id)) carriedOut.set(id, performance.now());
      return answer;
    };
    const url = `${stack.url.replace('localhost', '127.0.0.1')}/complaints`;
    let issued = 0;
    const post = (n: number) =>
      new Promise<number>((resolve, reject) => {
        const payload = JSON.stringify({
          channel: 'web',
          name: '李女士',
          phone: `137${String(10_000_000 + n).padStart(8, '0')}`,
          waybillNo: `KK${String(n).padStart(10, '0')}`,
          category: 'delay',
          content: '寄往上海的包裹五天未更新物流信息，请核实处理。',
        });
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'idempotency-key': `bench-outbox-${n}` },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (issued < complaints) {
          const status = await post(issued++);
          if (status !== 201) throw new Error(`intake returned ${status}`);
        }
      }),
    );
    await stack.drain();
    const delays = [...written].flatMap(([id, at]) => {
      const done = carriedOut.get(id);
      return done === undefined ? [] : [done - at];
    });
    delays.sort((a, b) => a - b);
    return { complaints, clients, sent: delays.length, p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays.at(-1) ?? Number.NaN };
  } finally {
    agent.destroy();
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printOutbox(f: OutboxFigures): void {
  process.stdout.write(
    [
      `Outbox: intake's put → change feed → outbox-dispatcher → receipt SMS at the local provider (${f.complaints} complaints, ${f.clients} concurrent clients over HTTP)`,
      `  outbox drain delay p50 ${f.p50.toFixed(1)} ms max ${f.max.toFixed(1)} ms   (p99 ${f.p99.toFixed(1)} ms; ${f.sent}/${f.complaints} receipts carried out)`,
      '',
    ].join('\n'),
  );
}
