/**
 * Statistics without a Scan (issue 12 item 7, decision 060).
 *
 * - `report <n> complaints <ms> ms <read units> RCU`: one statistics month with n complaints (10,000 and 100,000)
 *   seeded by BatchWriteItem (slim items: keys and list attributes) — each a random lifecycle of the real lifecycle and SLA planner (a pool of 400 run
 *   lifecycles, re-numbered and spread over the units and categories), received 2026-10-26 … 2026-11-25. Their
 *   counters are what the aggregator leaves (the pure core, summed; the property test proves the aggregator equals
 *   it) written as the counter cells; then `GET /reports`' use case reads the month: one Query of its cells.
 * - `stats write units per transition <x>`: the real aggregator on dynalite over 200 complaints' change records,
 *   interleaved in commit order and delivered in stream batches of 100; write units by DynamoDB's rule (1 WCU per
 *   started KB of the item written, UTF-8 sizes) plus the GSI7 writes, divided by the records (one per transition).
 *
 * `npx tsx bench/reports.ts`, or `benchReports()` / `printReports()` from `bench/run.ts`.
 */
import { pathToFileURL } from 'node:url';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#app/container.ts';
import { ReportService } from '#app/reports.ts';
import { StatsAggregator } from '#app/stats-aggregator.ts';
import type { ChangeRecord } from '#app/ports.ts';
import { directory } from '#config/index.ts';
import { cellOf, counterCode, dedupe, emptyMemory, factsOf, type Fact } from '#domain/indicators.ts';
import { CATEGORIES, type Complaint } from '#domain/model.ts';
import { periodOf } from '#domain/reports.ts';
import { ensureTable, startDynalite } from '#local/dynamo.ts';
import { toItem } from '#store/complaint-records.ts';
import { DynamoStatsStore, statsCellKey } from '#store/stats-store.ts';
import { LIST_ATTRIBUTES } from '#store/table.ts';
import { randomLifecycle, rng, type Lifecycle } from '#test/support/lifecycles.ts';
import { batchPut } from './sla.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export interface ReportsBench {
  reports: { complaints: number; ms: number; readUnits: number; cells: number }[];
  writeUnitsPerTransition: number;
  transitions: number;
  batches: number;
}

const MONTH_START = Date.parse('2026-10-25T16:00:00.000Z'); // 2026-10-26 00:00 Shanghai
const MONTH_MS = 30 * 86_400_000;

/** A pool lifecycle as complaint `n`: new id, one of the units, one of the categories. */
function renumber(image: Complaint, n: number, unitId: string | undefined, category: Complaint['category']): Complaint {
  const id = `C${String(n).padStart(16, '0')}`;
  return { ...image, id, trackingCode: `T${String(n).padStart(11, '0')}`, category, ...(image.unitId !== undefined && unitId !== undefined && { unitId }) };
}

function slim(c: Complaint): Record<string, unknown> {
  const item = toItem(c);
  const keep = new Set(['PK', 'SK', 'entity', ...LIST_ATTRIBUTES, ...Object.keys(item).filter((k) => /^GSI\dP?[KS]K?$/.test(k))]);
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
}

export async function benchReports(opts: { sizes?: number[]; samples?: number; aggregated?: number } = {}): Promise<ReportsBench> {
  const sizes = opts.sizes ?? [10_000, 100_000];
  const random = rng(2026);
  const pool: Lifecycle[] = Array.from({ length: 400 }, (_, i) =>
    randomLifecycle(random, i + 1, MONTH_START + Math.floor(random() * (MONTH_MS - 3 * 86_400_000))),
  );
  const units = directory.units.map((u) => u.id);
  const dynamo = await startDynalite();
  try {
    const reports: ReportsBench['reports'] = [];
    for (const n of sizes) {
      const tableName = 'complaints';
      await ensureTable(dynamo.client, tableName);
      const doc = documentClient(dynamo.client);
      const cells = new Map<string, Record<string, number>>();
      const finals: Complaint[] = [];
      for (let k = 0; k < n; k++) {
        const source = pool[k % pool.length] as Lifecycle;
        const unitId = units[Math.floor(random() * units.length)];
        const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)] as Complaint['category'];
        let memory = emptyMemory();
        const facts: Fact[] = [];
        let last: Complaint | undefined;
        for (const image of source.images) {
          last = renumber(image, 1_000_000 + k, unitId, category);
          const out = factsOf(last, last.history, memory);
          facts.push(...out.facts);
          memory = out.memory;
        }
        for (const f of dedupe(facts, new Map())) {
          const key = `${f.period}|${cellOf(f)}`;
          const c = cells.get(key) ?? {};
          c[f.counter] = (c[f.counter] ?? 0) + f.n;
          cells.set(key, c);
        }
        finals.push(last as Complaint);
      }
      // The complaints themselves (what a table of n complaints holds), then the counter cells.
      const seeded = performance.now();
      // Slim items — the keys and the list attributes, without history and deadlines — so that 100,000 fit in the
      // bench's 3 minutes on dynalite; the report reads none of them (its Query is of the month's cells only).
      await batchPut(doc, finals.length, (k) => slim(finals[k] as Complaint));
      process.stderr.write(`seeded ${n} complaints in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);
      finals.length = 0;
      const cellItems = [...cells].map(([key, counts]) => {
        const [period, cell] = key.split('|') as [string, string];
        const [unitId, category] = cell.split('#') as [string, string];
        const item: Record<string, unknown> = { ...statsCellKey(period, cell), period, unitId, category, entity: 'stats-cell' };
        for (const [counter, v] of Object.entries(counts)) item[counterCode(counter)] = v;
        return item;
      });
      for (let i = 0; i < cellItems.length; i += 25) {
        await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: cellItems.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
      }
      const times: number[] = [];
      let readUnits = 0;
      for (let s = 0; s < (opts.samples ?? 5); s++) {
        const stats = new DynamoStatsStore(doc, tableName);
        const service = new ReportService({
          stats,
          complaints: stats,
          units: () => directory.units,
          calendarVersion: () => 'built-in',
          clock: { now: () => new Date('2026-11-20T00:00:00.000Z') },
        });
        const t0 = performance.now();
        const report = await service.report({ period: periodOf('2026-11') });
        times.push(performance.now() - t0);
        readUnits = stats.capacity.readUnits;
        if (report.total.counts['received'] === 0) throw new Error('empty report');
      }
      times.sort((a, b) => a - b);
      reports.push({
        complaints: n,
        ms: times[Math.floor(times.length / 2)] as number,
        readUnits,
        cells: cellItems.filter((c) => c['period'] === '2026-11').length,
      });
      await dynamo.client.send(new (await import('@aws-sdk/client-dynamodb')).DeleteTableCommand({ TableName: tableName }));
    }

    // The aggregator's own write units, on real stream-like batches.
    const tableName = 'aggregated';
    await ensureTable(dynamo.client, tableName);
    const doc = documentClient(dynamo.client);
    const count = opts.aggregated ?? 200;
    const records = Array.from({ length: count }, (_, k) => {
      const source = pool[k % pool.length] as Lifecycle;
      const unitId = units[k % units.length];
      const category = CATEGORIES[k % CATEGORIES.length] as Complaint['category'];
      let t = 0;
      return source.images.map((image, i) => {
        t = Math.max(t, Date.parse(image.updatedAt));
        return { image: renumber(image, 5_000_000 + k, unitId, category), i, t };
      });
    })
      .flat()
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map(({ image }): ChangeRecord => ({ eventName: 'MODIFY', keys: { PK: `CMP#${image.id}`, SK: 'A' }, newImage: toItem(image) }));
    const store = new DynamoStatsStore(doc, tableName);
    const aggregator = new StatsAggregator(store);
    let batches = 0;
    for (let i = 0; i < records.length; i += 100) {
      await aggregator.handle(records.slice(i, i + 100));
      batches++;
    }
    const writeUnitsPerTransition = (store.capacity.writeUnits + store.capacity.indexWriteUnits) / records.length;
    return { reports, writeUnitsPerTransition, transitions: records.length, batches };
  } finally {
    await dynamo.close();
  }
}

export function printReports(r: ReportsBench): void {
  process.stdout.write('Statistics (decision 060)\n');
  for (const x of r.reports) process.stdout.write(`report ${x.complaints} complaints ${x.ms.toFixed(1)} ms ${x.readUnits} RCU (${x.cells} counter cells)\n`);
  process.stdout.write(
    `stats write units per transition ${r.writeUnitsPerTransition.toFixed(2)} (${r.transitions} transitions in ${r.batches} stream batches of 100, GSI7 included)\n\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printReports(await benchReports(process.argv.includes('--quick') ? { sizes: [1_000, 10_000] } : {}));
}
