/**
 * The statistics aggregator against a real DynamoDB API (dynalite), with random lifecycles (seeded), random
 * redeliveries and replays of change records, and a crash between the writes of a batch: the counters equal a
 * brute-force recount of the same complaints (decision 060).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#app/container.ts';
import type { ChangeRecord } from '#app/ports.ts';
import { StatsAggregator, type StatsFault } from '#app/stats-aggregator.ts';
import { NO_UNIT, statsMonthOf, tokenOf } from '#domain/indicators.ts';
import type { Complaint } from '#domain/model.ts';
import { ensureTable, startDynalite, type LocalDynamo } from '#local/dynamo.ts';
import { toItem } from '#store/complaint-records.ts';
import { DynamoStatsStore } from '#store/stats-store.ts';
import { randomLifecycle, recount, rng, type Lifecycle } from '#test/support/lifecycles.ts';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => dynamo.close());

const record = (c: Complaint): ChangeRecord => ({ eventName: c.version <= 2 ? 'INSERT' : 'MODIFY', keys: { PK: `CMP#${c.id}`, SK: 'A' }, newImage: toItem(c) });

/** Every committed write of the lifecycles, in commit order across complaints. */
function feedOf(lifecycles: Lifecycle[]): ChangeRecord[] {
  // A stream keeps each item's order: a system write (an SLA mark) may keep an older updatedAt, never its place.
  return lifecycles
    .flatMap((l) => {
      let t = 0;
      return l.images.map((image, i) => {
        t = Math.max(t, Date.parse(image.updatedAt));
        return { image, i, t };
      });
    })
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map(({ image }) => record(image));
}

async function storedCells(store: DynamoStatsStore, periods: string[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  for (const p of periods) for (const item of await store.monthCells(p)) out.set(`${p}|${item.unitId}#${item.category}`, item.counts);
  return out;
}

/**
 * The model of who a complaint's 受理量 counts against, independent of `factsOf`: the unit it was last dispatched to
 * (the centre `-` when it never was), in the statistics month of its receipt, under its category.
 */
function receivedModel(lifecycles: readonly Lifecycle[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lifecycles) {
    const first = l.images[0] as Complaint;
    const unit = [...l.images].reverse().find((i) => i.unitId !== undefined)?.unitId ?? NO_UNIT;
    const key = `${statsMonthOf(first.createdAt)}|${unit}#${first.category}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

const receivedOf = (cells: Map<string, Record<string, number>>) =>
  new Map([...cells].flatMap(([k, v]) => ((v['received'] ?? 0) !== 0 ? [[k, v['received'] as number] as const] : [])));

const strip = (m: Map<string, Record<string, number>>) =>
  new Map([...m].map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([, n]) => n !== 0))] as const).filter(([, v]) => Object.keys(v).length > 0));

describe('statistics aggregator', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`counters equal the recount after redeliveries, replays and a crash (seed ${seed})`, async () => {
      const random = rng(seed);
      const tableName = `stats-${seed}`;
      await ensureTable(dynamo.client, tableName);
      const doc = documentClient(dynamo.client);
      const lifecycles = Array.from({ length: 40 }, (_, i) =>
        randomLifecycle(random, seed * 1000 + i, Date.parse('2026-11-20T01:00:00.000Z') + Math.floor(random() * 9 * 86_400_000)),
      );
      const feed = feedOf(lifecycles);
      let crashes = 0;
      // A crash at a random step of a random batch, a few times per run: the feed then delivers the batch again.
      const fault: StatsFault = () => {
        if (random() < 0.02) {
          crashes++;
          throw new Error('simulated crash');
        }
      };
      let delivered = 0;
      let position = 0;
      while (position < feed.length) {
        const size = 1 + Math.floor(random() * 15);
        const batch = feed.slice(position, position + size);
        // A replay: an old record (before this batch) delivered again inside it.
        if (position > 0 && random() < 0.3) batch.splice(Math.floor(random() * batch.length), 0, feed[Math.floor(random() * position)] as ChangeRecord);
        for (let attempt = 0; ; attempt++) {
          // Each delivery is a fresh function instance (a crash loses everything in memory).
          const aggregator = new StatsAggregator(new DynamoStatsStore(doc, tableName), fault);
          try {
            await aggregator.handle(batch);
            delivered++;
            break;
          } catch (error) {
            expect((error as Error).message).toMatch(/simulated crash|moved meanwhile/);
            expect(attempt).toBeLessThan(50);
          }
        }
        // A redelivery of a batch already handled (the stream's at-least-once).
        if (random() < 0.2) await new StatsAggregator(new DynamoStatsStore(doc, tableName)).handle(batch);
        position += size;
      }
      const expected = recount(lifecycles);
      const periods = [...new Set([...expected.cells.keys()].map((k) => k.split('|')[0] as string))];
      const store = new DynamoStatsStore(doc, tableName);
      const cells = await storedCells(store, periods);
      expect(strip(cells)).toEqual(strip(expected.cells));
      // 受理量 under the responsible unit (first dispatch, and again at each move to another unit), receipt month.
      expect(receivedOf(cells)).toEqual(receivedModel(lifecycles));
      const moved = lifecycles.filter((l) => l.images.some((i) => i.unitId !== undefined));
      expect(moved.length).toBeGreaterThan(20);
      expect(lifecycles.some((l) => new Set(l.images.map((i) => i.unitId).filter(Boolean)).size > 1)).toBe(true);
      expect(delivered).toBeGreaterThan(5);
      // The drill-down items hold exactly the figures of each complaint, month by month.
      for (const p of periods) {
        const stored = new Map<string, Set<string>>();
        let start: string | undefined;
        do {
          const page = await store.monthPage(p, start, 25);
          for (const item of page.items) stored.set(item.complaintId, item.tokens);
          start = page.next;
        } while (start !== undefined);
        const want = new Map([...expected.tokens].flatMap(([id, byMonth]) => (byMonth.get(p)?.size ? [[id, byMonth.get(p) as Set<string>] as const] : [])));
        expect(stored).toEqual(want);
        // The drill-down of 受理量 lists each complaint under its responsible unit only.
        for (const l of lifecycles) {
          const first = l.images[0] as Complaint;
          if (statsMonthOf(first.createdAt) !== p) continue;
          const unit = [...l.images].reverse().find((i) => i.unitId !== undefined)?.unitId ?? NO_UNIT;
          const received = [...(stored.get(l.id) ?? [])].filter((t) => t.startsWith('received|'));
          expect(received, l.id).toEqual([tokenOf({ counter: 'received', unitId: unit, category: first.category })]);
        }
      }
      // Every marker is settled: no intent left behind.
      for (const l of lifecycles) expect((await store.marker(l.id))?.['pending']).toBeUndefined();
      if (seed === 1) expect(crashes).toBeGreaterThan(0);
    }, 120_000);
  }

  it('the recount agrees with counting the final histories directly (received, closed, replies by month)', () => {
    const random = rng(42);
    const lifecycles = Array.from({ length: 80 }, (_, i) =>
      randomLifecycle(random, 90_000 + i, Date.parse('2026-11-20T01:00:00.000Z') + Math.floor(random() * 9 * 86_400_000)),
    );
    const { cells } = recount(lifecycles);
    const total = (counter: string, period: string) => [...cells].filter(([k]) => k.startsWith(`${period}|`)).reduce((n, [, v]) => n + (v[counter] ?? 0), 0);
    for (const period of ['2026-11', '2026-12']) {
      const finals = lifecycles.map((l) => l.images[l.images.length - 1] as Complaint);
      const events = (type: string) => finals.flatMap((c) => c.history.filter((e) => e.type === type && statsMonthOf(e.at) === period));
      expect(total('received', period)).toBe(finals.filter((c) => statsMonthOf(c.createdAt) === period).length);
      expect(total('replies', period)).toBe(events('replied').length);
      expect(total('dispatched', period)).toBe(events('dispatched').length);
      expect(total('redispatched', period)).toBe(events('redispatched').length);
      // closed counts complaints: a case closed twice in a month by one unit counts once
      const closedOnce = new Set(events('closed').map((e) => finals.find((c) => c.history.includes(e))?.id));
      expect(total('closed', period)).toBeLessThanOrEqual(events('closed').length);
      expect(total('closed', period)).toBeGreaterThanOrEqual(closedOnce.size);
    }
    expect(total('received', '2026-11') + total('received', '2026-12')).toBe(80);
    expect(receivedOf(cells)).toEqual(receivedModel(lifecycles));
    expect(tokenOf({ counter: 'closed', unitId: 'gz-tianhe', category: 'delay' })).toBe('closed|gz-tianhe|delay');
  });
});
