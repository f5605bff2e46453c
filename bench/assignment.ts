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
import { seedEntries } from '#domain/directory-entries.ts';
import { decide, intake } from '#domain/lifecycle.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { SlaPlanner } from '#domain/sla/planner.ts';
import { ensureTable, startDynalite } from '#local/dynamo.ts';
import { toItem } from '#store/complaint-records.ts';
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

/** One table of `size` stored complaints, its service, and the meter of its reads. */
interface SizedTable {
  size: number;
  seedSeconds: number;
  doc: DynamoDBDocumentClient;
  container: ReturnType<typeof buildContainer>;
  meter: { on: boolean; units: number; calls: Map<string, number> };
  ids: string[];
  times: number[];
  close: () => Promise<void>;
}

/**
 * Each size gets its own table, seeded first; then the assignments alternate between the tables
 * (1k, 100k, 1k, 100k, …), so both sizes are measured in the same minutes of a noisy machine and
 * the ratio compares the stores, not the load of the moment (this machine's load swings 1 → 10).
 */
export async function benchAssignment(opts: { sizes?: number[]; assignments?: number } = {}): Promise<AssignmentBenchResult> {
  const sizes = opts.sizes ?? [1_000, 100_000];
  const assignments = opts.assignments ?? 40;
  const dir = mkdtempSync(join(tmpdir(), 'bench-assign-'));
  const tables: SizedTable[] = [];
  const clock = new ManualClock(NOW);
  const ctx = { directory, routing, deadlines: new SlaPlanner({ directory }) };
  const units = directory.units;
  try {
    for (const [k, size] of sizes.entries()) tables.push(await seeded(join(dir, `dynamodb-${k}`), size, clock, ctx));
    // Complaints to assign, filed through the service in each table; a warm-up assignment each.
    clock.set(NOW);
    for (const [k, t] of tables.entries())
      for (let i = 0; i <= assignments; i++)
        t.ids.push((await t.container.service.submit(intakeBody(30_000_000 + k * 1_000 + i), { id: 'bench', role: 'public' }, {})).complaint.id);
    for (const t of tables) await assignOne(t, 0, units);
    for (const t of tables) t.meter.on = true;
    for (let i = 1; i <= assignments; i++) for (const t of tables) await assignOne(t, i, units);
    for (const t of tables) t.meter.on = false;

    const out: AssignmentBenchResult['sizes'] = [];
    for (const t of tables) {
      t.times.sort((a, b) => a - b);
      out.push({
        stored: t.size + assignments + 1,
        seedSeconds: t.seedSeconds,
        assignments,
        p50ms: percentile(t.times, 50),
        p99ms: percentile(t.times, 99),
        readUnitsPerAssignment: t.meter.units / assignments,
        callsPerAssignment: Object.fromEntries([...t.meter.calls].map(([name, v]) => [name, v / assignments])),
        worklistCountReadUnits: await worklistCount(t.doc, units[0]!.id),
      });
    }
    return { sizes: out };
  } finally {
    for (const t of tables) await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function assignOne(t: SizedTable, i: number, units: typeof directory.units): Promise<void> {
  const unit = units[Math.floor(i / 4) % units.length]!;
  const started = performance.now();
  await t.container.service.act(t.ids[i]!, { type: 'assign', unitId: unit.id, handlerId: unit.handlers[0]!.id }, AGENT, undefined, decide);
  if (t.meter.on) t.times.push(performance.now() - started);
}

/** A dynalite table holding `size` complaints at the steady rate, with their cluster day items. */
async function seeded(path: string, size: number, clock: ManualClock, ctx: Parameters<typeof intake>[3]): Promise<SizedTable> {
  const dynamo = await startDynalite({ path });
  await ensureTable(dynamo.client, 'complaints');
  const doc = documentClient(dynamo.client);
  const meter = { on: false, units: 0, calls: new Map<string, number>() };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      if (!meter.on || !READS.has(name)) return next(args);
      input['ReturnConsumedCapacity'] ??= 'TOTAL';
      const out = await next(args);
      meter.calls.set(name, (meter.calls.get(name) ?? 0) + 1);
      const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      meter.units += [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      return out;
    },
    { step: 'initialize', name: 'meterAssignments' },
  );
  const scheduler = new LocalScheduler({ clock, fire: async () => undefined });
  const container = buildContainer({ doc, tableName: 'complaints', clock, scheduler, notifications: { queue: { send: async () => undefined } } });
  // The directory is the table's (decision 056): the demo one, as the local stack seeds a fresh table.
  await container.directoryStore.seed(seedEntries(directory, routing), { by: 'bench', note: 'bench/assignment.ts', at: NOW.toISOString() });
  const units = directory.units;
  const started = performance.now();
  // Complaint n was received n / PER_DAY days before now, at unit ⌊n / 4⌋ % 4 (its category is n % 4); closed after 30 days.
  const days = new Map<string, { key: { PK: string; SK: string }; ids: Set<string> }>();
  const complaints: Item[] = [];
  for (let n = 0; n < size; n++) {
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
  await putAll(
    doc,
    [...days.values()].map(({ key, ids }) => ({ ...key, entity: 'cluster_day', ids })),
  );
  return { size, seedSeconds: (performance.now() - started) / 1000, doc, container, meter, ids: [], times: [], close: () => dynamo.close() };
}

export function printAssignment(r: AssignmentBenchResult): void {
  const first = r.sizes[0];
  const last = r.sizes.at(-1);
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    'Assignment (with the cluster rule, counted by key — decision 045), dynalite on disk, steady 91 complaints/day, one table per size, assignments alternating between them:',
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
