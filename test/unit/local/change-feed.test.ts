/**
 * The local change feed yields to requests (decision 070): while a hold is open (the local stack holds it
 * for each request it serves) nothing is delivered; the release delivers what waited; a hold that never
 * ends still lets a record through after `maxHoldMs`.
 */
import { describe, expect, it } from 'vitest';
import { LocalChangeFeed } from '#adapters/local/change-feed.ts';
import type { ChangeRecord } from '#app/ports.ts';

const record = (id: string): ChangeRecord => ({ eventName: 'INSERT', keys: { PK: `CMP#${id}`, SK: 'A' }, newImage: { id } });
const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

function recording(feed: LocalChangeFeed) {
  const seen: string[] = [];
  feed.subscribe(async (records) => {
    for (const r of records) seen.push(r.keys.PK);
  });
  return seen;
}

describe('LocalChangeFeed holds', () => {
  it('delivers nothing while a hold is open, and everything once the last one is released', async () => {
    const feed = new LocalChangeFeed({ maxHoldMs: 10_000 });
    const seen = recording(feed);
    const first = feed.hold();
    const second = feed.hold();
    feed.publish(record('A'));
    feed.publish(record('B'));
    await turn();
    expect(seen).toEqual([]);
    expect(feed.isIdle()).toBe(false);
    first();
    first();
    await turn();
    expect(seen).toEqual([]);
    second();
    await feed.drain();
    expect(seen).toEqual(['CMP#A', 'CMP#B']);
    await feed.close();
  });

  it('without a hold, delivers at once (after the writer moved on)', async () => {
    const feed = new LocalChangeFeed();
    const seen = recording(feed);
    feed.publish(record('A'));
    expect(seen).toEqual([]);
    await feed.drain();
    expect(seen).toEqual(['CMP#A']);
    await feed.close();
  });

  it('delivers after maxHoldMs however long the hold lasts, so a busy server cannot starve the consumers', async () => {
    const feed = new LocalChangeFeed({ maxHoldMs: 30 });
    const seen = recording(feed);
    const release = feed.hold();
    const start = performance.now();
    feed.publish(record('A'));
    await feed.drain();
    expect(seen).toEqual(['CMP#A']);
    expect(performance.now() - start).toBeGreaterThanOrEqual(25);
    // Still held: the next record waits again.
    feed.publish(record('B'));
    await turn();
    expect(seen).toEqual(['CMP#A']);
    release();
    await feed.drain();
    expect(seen).toEqual(['CMP#A', 'CMP#B']);
    await feed.close();
  });

  it("a delivery forced by maxHoldMs carries every request's batch that waited, not one batch per wait", async () => {
    // The outbox bench's backlog: one batch per request (its own context), a server never idle. One batch
    // per 50 ms wait was 20 complaints a second against an intake of ~90, and receipts waited seconds.
    let context = 0;
    const feed = new LocalChangeFeed({ maxHoldMs: 30, contextOf: () => context });
    const seen = recording(feed);
    const release = feed.hold();
    for (let i = 0; i < 20; i++) {
      context = i;
      feed.publish(record(`R${i}`));
    }
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(seen).toHaveLength(20);
    release();
    await feed.close();
  });

  it("delivers the batches of requests on different items side by side, and one item's records in order", async () => {
    let context = 0;
    const feed = new LocalChangeFeed({ contextOf: () => context });
    const log: string[] = [];
    feed.subscribe(async (records) => {
      const name = records.map((r) => r.newImage?.['id']).join('+');
      log.push(`start ${name}`);
      await turn();
      log.push(`end ${name}`);
    });
    const release = feed.hold();
    const at = (pk: string, id: string): ChangeRecord => ({ eventName: 'MODIFY', keys: { PK: pk, SK: 'A' }, newImage: { id } });
    context = 1;
    feed.publish(at('CMP#X', 'x1'));
    context = 2;
    feed.publish(at('CMP#Y', 'y1'));
    context = 3;
    feed.publish(at('CMP#X', 'x2'));
    release();
    await feed.drain();
    // x1 and y1 together; x2 only after x1 ended (a stream keeps one item's records in order).
    expect(log.slice(0, 2).sort()).toEqual(['start x1', 'start y1']);
    expect(log.indexOf('start x2')).toBeGreaterThan(log.indexOf('end x1'));
    expect(log.filter((l) => l.startsWith('start'))).toHaveLength(3);
    await feed.close();
  });

  it('a record published while a batch is delivered waits for the hold taken meanwhile', async () => {
    const feed = new LocalChangeFeed({ maxHoldMs: 10_000 });
    const seen: string[] = [];
    let release: (() => void) | undefined;
    feed.subscribe(async (records) => {
      for (const r of records) seen.push(r.keys.PK);
      if (!release) {
        release = feed.hold();
        feed.publish(record('B'));
      }
    });
    feed.publish(record('A'));
    await turn();
    await turn();
    expect(seen).toEqual(['CMP#A']);
    release?.();
    await feed.drain();
    expect(seen).toEqual(['CMP#A', 'CMP#B']);
    await feed.close();
  });
});
