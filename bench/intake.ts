/**
 * Intake cost next to the store: p50/p99 of POST /complaints through the local stack's HTTP path
 * (real handler, zod, repeat lookup, conditional put) against raw dynalite PutItem of the same item
 * into the same table, measured in the same run; then throughput with 16 concurrent clients. Counts the
 * DynamoDB round trips of one intake until its answer and after it (decision 070). `keyed: false` sends
 * no Idempotency-Key: the one-write intake, without the key's own record (decision 031).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { intake } from '#domain/lifecycle.ts';
import { IntakeRequest } from '#domain/schemas.ts';
import { effectsOf } from '#app/effects.ts';
import { newComplaintItem } from '#store/complaint-records.ts';
import { startLocalStack } from '#local/stack.ts';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(2)} ms`;

let seq = 0;
const body = () => ({
  channel: 'web',
  name: '王先生',
  phone: `13${String(100_000_000 + (seq++ % 899_999_999)).padStart(9, '0')}`,
  waybillNo: `11${String(Date.now()).slice(-8)}${String(seq).padStart(3, '0')}`,
  category: 'delay',
  content: '十一月二十日寄往北京的邮件至今未到，物流信息一直停在广州处理中心，请尽快查明原因。',
  region: '广东省广州市天河区',
});

const agent = new Agent({ keepAlive: true, maxSockets: 32 });
function post(url: string, payload: string, keyed = true): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(keyed && { 'idempotency-key': `bench-${seq}-${Date.now()}` }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * `settle` (default true): before each timed pair, wait until the outbox dispatcher has carried out the
 * previous complaint's effects (receipt SMS, timers: ~8 table calls in this same process and dynalite).
 * In AWS the dispatcher is another Lambda fed by the stream, so what intake costs is its request path
 * alone; without settling, the sample also pays for the dispatcher's work for the complaint before it
 * (printed as the "dispatcher busy" line).
 */
export async function benchIntake(opts: { samples?: number; throughputRequests?: number; settle?: boolean; keyed?: boolean } = {}) {
  const samples = opts.samples ?? 400;
  const settle = opts.settle ?? true;
  const keyed = opts.keyed ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'bench-intake-'));
  const stack = await startLocalStack({ dataDir: dir, rateLimit: false });
  try {
    const { doc, tableName } = stack.container;
    // DynamoDB round trips of every client in this process (intake, the change feed's consumers), by
    // command and key prefix, counted while `counting` is on: during a timed request, then until drained.
    let counting: Map<string, number> | undefined;
    // When the request's complaint PutItem was sent and answered (the timed request only): what intake
    // does before its write, the write, and what follows it until the client has the answer.
    let complaintPut: { sent: number; answered: number } | undefined;
    let timing = false;
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (!counting) return next(args);
        const input = args.input as { Item?: { PK?: unknown }; Key?: { PK?: unknown }; IndexName?: string };
        const pk = String(input.Item?.PK ?? input.Key?.PK ?? input.IndexName ?? '');
        const name = `${(context.commandName ?? '?').replace(/Command$/, '')} ${pk.replace(/#.*$/, '#')}`.trim();
        counting.set(name, (counting.get(name) ?? 0) + 1);
        if (name !== 'PutItem CMP#' || !timing) return next(args);
        const span = { sent: performance.now(), answered: Number.NaN };
        const out = await next(args);
        span.answered = performance.now();
        complaintPut = span;
        return out;
      },
      { step: 'initialize', name: 'benchRoundTrips' },
    );
    const onPath = new Map<string, number>();
    const after = new Map<string, number>();
    const add = (into: Map<string, number>, from: Map<string, number>) => {
      for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
    };
    const url = `${stack.url.replace('localhost', '127.0.0.1')}/complaints`;
    const rawItem = (i: number) => {
      const input = IntakeRequest.parse(body());
      // The very item intake writes: same planner, so the same deadlines and the same index entries, and
      // the same outbox (the effects it owes, `fx#…`, and their GSI6 entry: decision 051).
      const now = new Date();
      const t = intake(input, { id: 'bench', role: 'public' }, now, stack.container.lifecycle, {
        id: `CRAW${String(i).padStart(13, '0')}`,
        trackingCode: `RAW${String(i).padStart(9, '0')}`,
      });
      return newComplaintItem(t.complaint, effectsOf(undefined, t, now));
    };
    // Warm up both paths (JIT, connections, LevelDB files).
    for (let i = 0; i < 50; i++) {
      await doc.send(new PutCommand({ TableName: tableName, Item: rawItem(1_000_000 + i) }));
      await post(url, JSON.stringify(body()), keyed);
    }
    const put: number[] = [];
    const http: number[] = [];
    const beforeWrite: number[] = [];
    const write: number[] = [];
    const afterWrite: number[] = [];
    // Interleave the two so that both see the same machine state.
    for (let i = 0; i < samples; i++) {
      if (settle) await stack.drain();
      const item = rawItem(i);
      let t = performance.now();
      await doc.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
      put.push(performance.now() - t);
      const payload = JSON.stringify(body());
      const during = new Map<string, number>();
      if (settle) counting = during;
      complaintPut = undefined;
      timing = true;
      t = performance.now();
      const status = await post(url, payload, keyed);
      const answered = performance.now();
      timing = false;
      http.push(answered - t);
      // Set by the middleware while the request ran (TypeScript cannot see that assignment).
      const span = complaintPut as { sent: number; answered: number } | undefined;
      if (span) {
        beforeWrite.push(span.sent - t);
        write.push(span.answered - span.sent);
        afterWrite.push(answered - span.answered);
      }
      if (status !== 201) throw new Error(`intake returned ${status}`);
      if (settle) {
        // Whatever the consumers did up to the client's answer counts against the request path.
        const later = new Map<string, number>();
        counting = later;
        await stack.drain();
        counting = undefined;
        add(onPath, during);
        add(after, later);
      }
    }
    for (const list of [put, http, beforeWrite, write, afterWrite]) list.sort((a, b) => a - b);

    const total = opts.throughputRequests ?? 2000;
    await stack.drain();
    let issued = 0;
    let failed = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (issued < total) {
          issued++;
          if ((await post(url, JSON.stringify(body()), keyed)) !== 201) failed++;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    // Until every receipt, timer and statistics cell of those intakes is carried out: the local stack's
    // consumers share the one thread with intake (in AWS they are other Lambdas).
    await stack.drain();
    const drainedSeconds = (performance.now() - start) / 1000;
    const perIntake = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, perIntake: n / samples }));
    return {
      samples,
      settle,
      keyed,
      roundTrips: settle ? { onPath: perIntake(onPath), after: perIntake(after) } : undefined,
      putP50: percentile(put, 50),
      putP99: percentile(put, 99),
      httpP50: percentile(http, 50),
      httpP99: percentile(http, 99),
      // p50 of each part of the request: from the client's send to the complaint's PutItem, the PutItem,
      // from its answer to the client's (settled samples; the parts' medians need not add up to the whole).
      split: beforeWrite.length > 0 ? { before: percentile(beforeWrite, 50), write: percentile(write, 50), after: percentile(afterWrite, 50) } : undefined,
      throughput: total / seconds,
      settledThroughput: total / drainedSeconds,
      failed,
      total,
    };
  } finally {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The request path alone, hot and after an idle wait: unkeyed intakes over HTTP whose complaint PutItem the
 * bench answers in place (no write, no round trip; the change feed is closed, so nothing follows), timed
 * back to back and again after `idleMs` with nothing to run, with the process's CPU time of each request
 * (`process.cpuUsage`: the client, the gateway, the handler — one thread). Decision 070: on this machine's
 * kind the same code costs about twice the CPU after an idle wait, and every sample of the ratio above
 * runs after one (the put's I/O, the drain before it).
 */
export async function benchRequestPath(opts: { samples?: number; idleMs?: number } = {}) {
  const samples = opts.samples ?? 1000;
  const idleMs = opts.idleMs ?? 3;
  const stack = await startLocalStack({ rateLimit: false });
  try {
    await stack.feed.close();
    stack.container.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const pk = String((args.input as { Item?: { PK?: unknown } }).Item?.PK ?? '');
        if (context.commandName === 'PutItemCommand' && pk.startsWith('CMP#')) return { output: { $metadata: {} }, response: {} } as never;
        return next(args);
      },
      { step: 'initialize', name: 'benchAnswerInPlace' },
    );
    const url = `${stack.url.replace('localhost', '127.0.0.1')}/complaints`;
    for (let i = 0; i < 500; i++) await post(url, JSON.stringify(body()), false);
    // Interleaved, so that both see the same compiled code and the same machine: each idle sample is
    // followed by one sent as soon as the previous answer was read (which is therefore not as hot as one
    // of a long run: the printed ratio is the least of the effect).
    const wall = { hot: [] as number[], afterIdle: [] as number[] };
    const cpu = { hot: [] as number[], afterIdle: [] as number[] };
    for (let i = 0; i < 2 * samples; i++) {
      const which = i % 2 === 0 ? 'afterIdle' : 'hot';
      const payload = JSON.stringify(body());
      if (which === 'afterIdle') await new Promise((resolve) => setTimeout(resolve, idleMs));
      const used = process.cpuUsage();
      const t = performance.now();
      const status = await post(url, payload, false);
      wall[which].push(performance.now() - t);
      const { user, system } = process.cpuUsage(used);
      cpu[which].push((user + system) / 1000);
      if (status !== 201) throw new Error(`intake returned ${status}`);
    }
    for (const list of [wall.hot, wall.afterIdle, cpu.hot, cpu.afterIdle]) list.sort((a, b) => a - b);
    return {
      samples,
      idleMs,
      hot: { wallP50: percentile(wall.hot, 50), cpuP50: percentile(cpu.hot, 50) },
      afterIdle: { wallP50: percentile(wall.afterIdle, 50), cpuP50: percentile(cpu.afterIdle, 50) },
    };
  } finally {
    await stack.close();
  }
}

export function printRequestPath(r: Awaited<ReturnType<typeof benchRequestPath>>): void {
  process.stdout.write(
    [
      `intake request path without its write (${r.samples} unkeyed intakes each, the PutItem answered in place by the bench)`,
      `  sent at once                  p50 ${ms(r.hot.wallP50)}   CPU p50 ${ms(r.hot.cpuP50)}`,
      `  after ${r.idleMs} ms idle              p50 ${ms(r.afterIdle.wallP50)}   CPU p50 ${ms(r.afterIdle.cpuP50)}   (${(r.afterIdle.cpuP50 / r.hot.cpuP50).toFixed(2)}× the CPU of the same work)`,
      '',
    ].join('\n'),
  );
}

export function printIntake(r: Awaited<ReturnType<typeof benchIntake>>): void {
  const trips = (list: { name: string; perIntake: number }[]) =>
    `${list.reduce((n, x) => n + x.perIntake, 0).toFixed(1)} (${list.map((x) => `${x.name} ×${Number(x.perIntake.toFixed(2))}`).join(', ') || 'none'})`;
  process.stdout.write(
    [
      `intake latency (${r.samples} sequential samples, ${r.keyed ? 'each with an Idempotency-Key' : 'no Idempotency-Key'}, dynalite on disk, same table with its GSIs; ${r.settle ? 'outbox settled before each sample' : 'dispatcher busy with the previous complaint'})`,
      `  raw dynalite PutItem          p50 ${ms(r.putP50)}   p99 ${ms(r.putP99)}`,
      `  POST /complaints over HTTP    p50 ${ms(r.httpP50)}   p99 ${ms(r.httpP99)}`,
      `  ratio HTTP intake / PutItem   p50 ${(r.httpP50 / r.putP50).toFixed(2)}×   p99 ${(r.httpP99 / r.putP99).toFixed(2)}×   (goal ≤ 1.3×)`,
      ...(r.split
        ? [
            `  where the request's time goes (p50): ${ms(r.split.before)} before the complaint's PutItem (${r.keyed ? "the key's record, " : ''}gateway, middy, zod, the decision, toItem), ${ms(r.split.write)} the PutItem, ${ms(r.split.after)} after it until the client has the answer`,
          ]
        : []),
      ...(r.roundTrips
        ? [
            `  DynamoDB round trips per intake until answered: ${trips(r.roundTrips.onPath)}`,
            `  DynamoDB round trips per intake after it (change-feed consumers): ${trips(r.roundTrips.after)}`,
          ]
        : []),
      ...(r.total > 0
        ? [
            `intake throughput, 16 concurrent clients: ${r.throughput.toFixed(0)} complaints/s answered, ${r.settledThroughput.toFixed(0)}/s with every effect carried out (${r.total} requests, ${r.failed} failed)`,
          ]
        : []),
      '',
    ].join('\n'),
  );
}
