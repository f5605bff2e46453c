/** The complaint store's size rules on a real DynamoDB API (dynalite): pages and the 400 KB guard. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#app/container.ts';
import { Unprocessable } from '#domain/errors.ts';
import type { Complaint, ComplaintEvent } from '#domain/model.ts';
import { ensureTable, startDynalite, type LocalDynamo } from '#local/dynamo.ts';
import { DynamoComplaintStore } from '#store/dynamo-store.ts';
import { historyPageKey } from '#store/keys.ts';
import { complaint, ev } from '#test/support/complaint.ts';

let dynamo: LocalDynamo;
let store: DynamoComplaintStore;
const doc = () => documentClient(dynamo.client);
beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.client, 'complaints');
  store = new DynamoComplaintStore(doc(), 'complaints');
});
afterAll(async () => {
  await dynamo.close();
});

const chase = (seq: number): ComplaintEvent => ev(seq, 'chased', { via: 'phone', note: '催'.repeat(1000) });

/** Files a small complaint, then chases it `n` times through `save`, one version at a time. */
async function chased(id: string, n: number): Promise<Complaint> {
  let c = complaint({ id, version: 1, history: [ev(1, 'received'), ev(2, 'classified')] });
  await store.create(c);
  for (let seq = 3; seq < 3 + n; seq++) {
    const before = (await store.get(id)) as Complaint;
    const event = chase(seq);
    c = { ...before, version: before.version + 1, chaseCount: before.chaseCount + 1, history: [...before.history, event] };
    await store.save({ complaint: c, events: [event] }, before.version);
  }
  return (await store.get(id)) as Complaint;
}

describe('the complaint store keeps every item within DynamoDB’s limits', () => {
  it('reads the whole history back from the item and its pages, ignoring a page no save has recorded', async () => {
    // Prepare: 150 chases of 3 KB each, and an orphan page as a crashed save would leave it.
    const item = await chased('C-PAGED', 150);
    expect(item.historySealed?.pages).toBeGreaterThan(0);
    const orphan = historyPageKey('C-PAGED', (item.historySealed?.pages ?? 0) + 1);
    await doc().send(new PutCommand({ TableName: 'complaints', Item: { ...orphan, entity: 'history_page', events: [chase(9999)] } }));
    // Act
    const full = await store.getWithHistory('C-PAGED');
    // Assess
    expect(full?.history.map((e) => e.seq)).toEqual(Array.from({ length: 152 }, (_, i) => i + 1));
    expect(item.history.length).toBeLessThan(60);
  });

  it('refuses a save that would exceed 400 KB by DynamoDB’s rules — which dynalite would accept — and writes nothing', async () => {
    // Prepare: a state of 300 reasons × 500 Chinese characters: 150,000 UTF-16 units, 450,000 bytes.
    const before = await chased('C-HUGE', 0);
    const event = ev(3, 'severity_changed', { reason: '升级' });
    const huge: Complaint = {
      ...before,
      version: before.version + 1,
      severityReasons: Array.from({ length: 300 }, () => '重'.repeat(500)),
      history: [...before.history, event],
    };
    // Act
    const saving = store.save({ complaint: huge, events: [event] }, before.version);
    // Assess
    await expect(saving).rejects.toBeInstanceOf(Unprocessable);
    await expect(saving).rejects.toMatchObject({ code: 'complaint-too-large' });
    const stored = await doc().send(new GetCommand({ TableName: 'complaints', Key: { PK: 'CMP#C-HUGE', SK: 'A' } }));
    expect(stored.Item?.['version']).toBe(before.version);
  });
});
