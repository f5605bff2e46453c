/**
 * Assignment cost at 1,000 and 100,000 stored complaints (issue 9 item 10, decision 045).
 *
 * The table is seeded at one steady rate — 100,000 complaints in 3 years (≈ 91 a day over the four
 * units and four categories) — so 1,000 stored is the last 11 days and 100,000 is 3 years of
 * retention: the 7-day window holds the same complaints at both sizes, only the history grows.
 * Seeded complaints are at their unit (the worklist index GSI1 has them) and in its cluster day
 * items, as assignments would have left them. Then complaints filed through the service are
 * assigned through it, round-robin over units and categories, and each assignment's latency, calls
 * and consumed read units (ReturnConsumedCapacity, set by a DocumentClient middleware) are recorded.
 * For comparison, the worklist COUNT that the cluster rule used before is run once per size.
 *
 * `npx tsx bench/assignment.ts`, or `benchAssignment()` / `printAssignment()` from `bench/run.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ManualClock } from '#adapters/local/clock.ts';
import { LocalScheduler } from '#adapters/local/scheduler.ts';
import { buildContainer, documentClient } from '#app/container.ts';
import { directory, routing } from '#config/index.ts';
import { localDate } from '#domain/calendar/calendar.ts';
import { intake } from '#domain/lifecycle.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { SlaPlanner } from '#domain/sla/planner.ts';
import { ensureTable, startDynalite } from '#local/dynamo.ts';
import { toItem } from '#store/dynamo-store.ts';
import { clusterDayKey, unitPartition } from '#store/keys.ts';
import { batchPut, idOf, intakeBody, percentile } from './sla.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/** 100,000 complaints in 3 years. */
const PER_DAY = 100_000 / (3 * 365);
const NOW = new Date('2026-03-02T01:00:00.000Z'); // Monday 09:00 in Shanghai
const AGENT: Actor = { id: 'agent-lin', role: 'agent' };
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

export interface AssignmentBenchResult {
  sizes: {
    stored: number;
    seedSeconds: number;
    assignments: number;
    p50ms: number;
    p99ms: number;
    readUnitsPerAssignment: number;
    callsPerAssignment: Record<string, number>;
    worklistCountReadUnits: number;
  }[];
}

type Item = Record<string, unknown>;

/** Writes the items by BatchWriteItem (the bench's one seeding path, `bench/sla.ts`). */
const putAll = (doc: DynamoDBDocumentClient, items: Item[]): Promise<void> => batchPut(doc, items.length, (k) => items[k]!);

/** The read units of the rule's former query: a filtered COUNT over the unit's whole worklist partition. */
async function worklistCount(doc: DynamoDBDocumentClient, unitId: string): Promise<number> {
  let units = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: 'complaints',
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        FilterExpression: 'category = :category AND createdAt >= :since',
        ExpressionAttributeValues: { ':pk': unitPartition(unitId), ':category': 'delay', ':since': new Date(NOW.getTime() - 7 * 86_400_000).toISOString() },
        Select: 'COUNT',
        ReturnConsumedCapacity: 'TOTAL',
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    units += out.ConsumedCapacity?.CapacityUnits ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return units;
}

export async function benchAssignment(opts: { sizes?: number[]; assignments?: number } = {}): Promise<AssignmentBenchResult> {
  const sizes = opts.sizes ?? [1_000, 100_000];
  const assignments = opts.assignments ?? 40;
  const dir = mkdtempSync(join(tmpdir(), 'bench-assign-'));
  const dynamo = await startDynalite({ path: join(dir, 'dynamodb') });
  try {
    await ensureTable(dynamo.client, 'complaints');
    const doc = documentClient(dynamo.client);
    const calls = new Map<string, number>();
    let readUnits = 0;
    let metering = false;
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        if (!metering || !READS.has(name)) return next(args);
        input['ReturnConsumedCapacity'] ??= 'TOTAL';
        const out = await next(args);
        calls.set(name, (calls.get(name) ?? 0) + 1);
        const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
        readUnits += [consumed ?? []].flat().reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
        return out;
      },
      { step: 'initialize', name: 'meterAssignments' },
    );
    const clock = new ManualClock(NOW);
    const scheduler = new LocalScheduler({ clock, fire: async () => undefined });
    const container = buildContainer({ doc, tableName: 'complaints', clock, scheduler, notifications: { queue: { send: async () => undefined } } });
    const ctx = { directory, routing, deadlines: new SlaPlanner({ directory }) };
    const units = directory.units;

    const out: AssignmentBenchResult['sizes'] = [];
    let stored = 0;
    let measured = 0;
    for (const size of sizes) {
      const started = performance.now();
      // Complaint n was received n / PER_DAY days before now, at unit ⌊n / 4⌋ % 4 (its category is n % 4); closed after 30 days.
      const days = new Map<string, { key: { PK: string; SK: string }; ids: Set<string> }>();
      const complaints: Item[] = [];
      for (let n = stored; n < size; n++) {
        const at = new Date(NOW.getTime() - Math.round(((n + 1) / PER_DAY) * 86_400_000));
        const unit = units[Math.floor(n / 4) % units.length]!;
        const received = intake(intakeBody(n), { id: 'bench', role: 'public' }, at, ctx, { id: idOf('C', n, 16), trackingCode: idOf('T', n, 11) }).complaint;
        const c: Complaint = {
          ...received,
          unitId: unit.id,
          handlerId: unit.handlers[0]!.id,
          status: NOW.getTime() - at.getTime() > 30 * 86_400_000 ? 'closed' : 'dispatched',
        };
        complaints.push(toItem(c));
        const key = clusterDayKey(unit.id, c.category, localDate(at));
        const day = days.get(`${key.PK}|${key.SK}`) ?? { key, ids: new Set<string>() };
        day.ids.add(`${c.createdAt}#${c.id}`);
        days.set(`${key.PK}|${key.SK}`, day);
      }
      await putAll(doc, complaints);
      // A Put replaces a day item: only the boundary day between two sizes (≈ 11 days back, outside
      // every measured window) can lose ids of the previous size; the 7-day window is never touched.
      await putAll(
        doc,
        [...days.values()].map(({ key, ids }) => ({ ...key, entity: 'cluster_day', ids })),
      );
      stored = size;
      const seedSeconds = (performance.now() - started) / 1000;

      clock.set(NOW);
      const ids: string[] = [];
      for (let i = 0; i < assignments; i++)
        ids.push((await container.service.submit(intakeBody(30_000_000 + measured + i), { id: 'bench', role: 'public' }, {})).complaint.id);
      calls.clear();
      readUnits = 0;
      metering = true;
      const times: number[] = [];
      for (const [i, id] of ids.entries()) {
        const unit = units[Math.floor(i / 4) % units.length]!;
        const t = performance.now();
        await container.service.act(id, { type: 'assign', unitId: unit.id, handlerId: unit.handlers[0]!.id }, AGENT);
        times.push(performance.now() - t);
      }
      metering = false;
      measured += assignments;
      times.sort((a, b) => a - b);
      out.push({
        stored: size + measured,
        seedSeconds,
        assignments,
        p50ms: percentile(times, 50),
        p99ms: percentile(times, 99),
        readUnitsPerAssignment: readUnits / assignments,
        callsPerAssignment: Object.fromEntries([...calls].map(([k, v]) => [k, v / assignments])),
        worklistCountReadUnits: await worklistCount(doc, units[0]!.id),
      });
    }
    return { sizes: out };
  } finally {
    await dynamo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printAssignment(r: AssignmentBenchResult): void {
  const first = r.sizes[0];
  const last = r.sizes.at(-1);
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    'Assignment (with the cluster rule, counted by key — decision 045), dynalite on disk, steady 91 complaints/day:',
    ...r.sizes.map(
      (s) =>
        `  ${String(fmt(s.stored)).padStart(7)} complaints stored: p50 ${s.p50ms.toFixed(1)} ms, p99 ${s.p99ms.toFixed(1)} ms, ${s.readUnitsPerAssignment.toFixed(1)} read units/assignment (${Object.entries(
          s.callsPerAssignment,
        )
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', ')}); the former worklist COUNT would read ${s.worklistCountReadUnits.toFixed(1)} units; seeding took ${s.seedSeconds.toFixed(1)} s`,
    ),
    ...(first && last && first !== last
      ? [
          `assignment p50 ${first.p50ms.toFixed(1)} ms / ${last.p50ms.toFixed(1)} ms at ${fmt(first.stored)} and ${fmt(last.stored)} complaints, ratio ${(last.p50ms / first.p50ms).toFixed(2)} (goal ≤ 1.3); read units ${first.readUnitsPerAssignment.toFixed(1)} / ${last.readUnitsPerAssignment.toFixed(1)}`,
        ]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env['LOG_LEVEL'] ??= 'error';
  const quick = process.argv.includes('--quick');
  printAssignment(await benchAssignment(quick ? { sizes: [1_000, 10_000], assignments: 20 } : {}));
}
