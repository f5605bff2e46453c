/**
 * The outbox dispatcher against a real DynamoDB API (dynalite): effects recorded by the transition's
 * own write are carried out once, cleared with conditional REMOVEs that leave `version` alone, and a
 * redelivery, a crash mid-delivery or a newer transition never sends anything twice (decision 051).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#app/container.ts';
import { timersEffectId, type Effect } from '#app/effects.ts';
import { EffectsFailed, OutboxDispatcher } from '#app/outbox-dispatcher.ts';
import type { SmsMessage } from '#app/ports.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import { ensureTable, startDynalite, type LocalDynamo } from '#local/dynamo.ts';
import { fromItem } from '#store/complaint-records.ts';
import { DynamoComplaintStore } from '#store/dynamo-store.ts';
import { complaintKey } from '#store/keys.ts';
import { DynamoOutboxStore, EFFECT_GRACE_MILLIS } from '#store/outbox-store.ts';
import { complaint as sample, ev } from '#test/support/complaint.ts';

let dynamo: LocalDynamo;
const tableName = 'outbox-unit';
beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.client, tableName);
});
afterAll(async () => dynamo.close());

const now = new Date('2026-11-24T03:00:00.000Z');
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
let n = 0;

function harness(opts: { smsFailures?: number; leaseMillis?: number; clock?: { now(): Date } } = {}) {
  const doc = documentClient(dynamo.client);
  const store = new DynamoComplaintStore(doc, tableName);
  const outbox = new DynamoOutboxStore(doc, tableName, fromItem);
  const texts: SmsMessage[] = [];
  const queued: EscalationMessage[] = [];
  const syncs: string[] = [];
  let failures = opts.smsFailures ?? 0;
  const dispatcher = new OutboxDispatcher({
    outbox,
    sms: {
      send: async (m) => {
        if (failures > 0) {
          failures--;
          throw new Error('provider down');
        }
        texts.push(m);
        return { messageId: `m${texts.length}` };
      },
    },
    queue: { send: async (messages) => void queued.push(...messages) },
    timers: { sync: async (before, after) => void syncs.push(`${before?.version ?? '-'}→${after.version}`) },
    clock: opts.clock ?? { now: () => now },
    logger,
    ...(opts.leaseMillis !== undefined && { leaseMillis: opts.leaseMillis }),
  });
  const item = async (id: string) => (await doc.send(new GetCommand({ TableName: tableName, Key: complaintKey(id), ConsistentRead: true }))).Item ?? {};
  return { store, outbox, dispatcher, texts, queued, syncs, item };
}

/** A created complaint that owes a receipt SMS, a progress update and its timers. */
async function owing(h: ReturnType<typeof harness>) {
  const id = `C${String(++n).padStart(16, '0')}`;
  const c = sample({ id, version: 1 });
  const effects: Effect[] = [
    { id: `receipt#${id}`, kind: 'sms', sms: { to: '+8613800138000', text: '【邮政客服】您的投诉已受理', dedupeKey: `receipt#${id}`, purpose: 'receipt' } },
    {
      id: `esc#${id}#progress_update#r1#complainant`,
      kind: 'escalation',
      message: {
        complaintId: id,
        milestone: 'progress_update',
        round: 1,
        level: 'complainant',
        severity: 'major',
        overdueMillis: 0,
        decidedAt: now.toISOString(),
      },
    },
    { id: timersEffectId(0), kind: 'timers' },
  ];
  await h.store.create(c, effects);
  return { id, c };
}

const effectNames = (item: Record<string, unknown>) =>
  Object.keys(item)
    .filter((k) => k.startsWith('fx#'))
    .sort();

describe('the outbox dispatcher', () => {
  it('carries out each effect recorded by the create once, then clears it and the index entry without touching the version', async () => {
    // Prepare
    const h = harness();
    const { id } = await owing(h);
    const before = await h.item(id);
    // Act
    const result = await h.dispatcher.dispatch(id);
    // Assess
    expect(effectNames(before)).toEqual([`fx#esc#${id}#progress_update#r1#complainant`, `fx#receipt#${id}`, 'fx#timers#v0']);
    expect(before['GSI6SK']).toBe(`${new Date(Date.parse(sample().updatedAt) + EFFECT_GRACE_MILLIS).toISOString()}#${id}`);
    expect(result).toEqual({ done: 3, failed: 0, skipped: 0 });
    expect(h.texts.map((t) => t.dedupeKey)).toEqual([`receipt#${id}`]);
    expect(h.queued.map((m) => m.milestone)).toEqual(['progress_update']);
    expect(h.syncs).toEqual(['-→1']);
    const after = await h.item(id);
    expect(effectNames(after)).toEqual([]);
    expect(after['GSI6PK']).toBeUndefined();
    expect(after['version']).toBe(1);
  });

  it('sends nothing twice when the same record is delivered again, also side by side', async () => {
    const h = harness();
    const { id } = await owing(h);
    await Promise.all([h.dispatcher.dispatch(id), h.dispatcher.dispatch(id)]);
    await h.dispatcher.dispatch(id);
    expect(h.texts).toHaveLength(1);
    expect(h.queued).toHaveLength(1);
  });

  it('leaves an effect claimed by a live lease alone, and takes it over once the lease has expired (the holder crashed)', async () => {
    // Prepare: a dispatcher claimed the receipt, then died before sending
    const h = harness();
    const { id } = await owing(h);
    expect(await h.outbox.claim(id, `receipt#${id}`, now, 60_000)).toEqual(expect.any(String));
    // Act: a redelivery while the lease lives, then one after it
    const during = await h.dispatcher.dispatch(id);
    const later = harness({ clock: { now: () => new Date(now.getTime() + 61_000) } });
    const after = await later.dispatcher.dispatch(id);
    // Assess: sent once, by the second
    expect(during).toMatchObject({ skipped: 1 });
    expect(h.texts).toEqual([]);
    expect(after).toMatchObject({ done: 1 });
    expect(later.texts.map((t) => t.dedupeKey)).toEqual([`receipt#${id}`]);
    expect(effectNames(await h.item(id))).toEqual([]);
  });

  it('keeps a failed SMS owed with its error and a later redrive time, and sends it once the provider is back', async () => {
    const h = harness({ smsFailures: 1 });
    const { id } = await owing(h);
    await expect(h.dispatcher.dispatch(id)).rejects.toBeInstanceOf(EffectsFailed);
    const failed = await h.item(id);
    expect(effectNames(failed)).toEqual([`fx#receipt#${id}`]);
    expect(failed[`fx#receipt#${id}`]).toMatchObject({ state: 'pending', attempts: 1, lastError: 'provider down' });
    expect(String(failed['GSI6SK'])).toBe(`${new Date(now.getTime() + 5 * 60_000).toISOString()}#${id}`);
    expect(await h.outbox.due(now.toISOString(), 10)).not.toContainEqual(expect.objectContaining({ id }));
    expect(await h.outbox.due(new Date(now.getTime() + 5 * 60_000).toISOString(), 100)).toContainEqual(expect.objectContaining({ id }));

    await h.dispatcher.dispatch(id);
    expect(h.texts.map((t) => t.dedupeKey)).toEqual([`receipt#${id}`]);
    expect(effectNames(await h.item(id))).toEqual([]);
  });

  it('keeps an effect that a newer transition re-recorded while it was being carried out, and carries it out again', async () => {
    // Prepare: the dispatcher claims the progress update; a chase commits meanwhile and owes it again
    const h = harness();
    const { id, c } = await owing(h);
    const progress = `esc#${id}#progress_update#r1#complainant`;
    const claim = await h.outbox.claim(id, progress, now, 60_000);
    const next = { ...c, version: 2, history: [...c.history, ev(7, 'chased', { chaseCount: 3 })] };
    const again: Effect = {
      id: progress,
      kind: 'escalation',
      message: {
        complaintId: id,
        milestone: 'progress_update',
        round: 1,
        level: 'complainant',
        severity: 'major',
        overdueMillis: 0,
        decidedAt: now.toISOString(),
      },
    };
    await h.store.save({ complaint: next, events: next.history.slice(-1) }, 1, [again]);
    // Act: the first delivery settles its claim
    await h.outbox.settle(id, progress, claim ?? '');
    // Assess: the newer one is still owed (the durable queue's ledger absorbs the repeat)
    expect(effectNames(await h.item(id))).toContain(`fx#${progress}`);
    await h.dispatcher.dispatch(id);
    expect(h.queued.map((m) => m.milestone)).toEqual(['progress_update']);
    expect(effectNames(await h.item(id))).toEqual([]);
  });

  it('brings the timers of two transitions owed at once from each one’s former state to the current one', async () => {
    const h = harness();
    const { id, c } = await owing(h);
    const v2 = { ...c, version: 2, status: 'dispatched' as const, history: [...c.history, ev(7, 'dispatched')] };
    await h.store.save({ complaint: v2, events: v2.history.slice(-1) }, 1, [
      { id: timersEffectId(1), kind: 'timers', before: { version: 1, status: c.status, severity: c.severity, deadlines: c.deadlines } },
    ]);
    await h.dispatcher.dispatch(id);
    expect([...h.syncs].sort()).toEqual(['-→2', '1→2']);
  });

  it('re-drives by the index only what is past its grace, or everything at start-up', async () => {
    const h = harness();
    const { id } = await owing(h);
    const early = await h.outbox.due(sample().updatedAt, 1000);
    const all = await h.dispatcher.redrive({ all: true });
    expect(early.map((d) => d.id)).not.toContain(id);
    expect(all.dispatched).toBeGreaterThanOrEqual(1);
    expect(h.texts.map((t) => t.dedupeKey)).toContain(`receipt#${id}`);
    expect((await h.outbox.due('9999', 1000)).map((d) => d.id)).not.toContain(id);
  });
});
