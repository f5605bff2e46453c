/**
 * The transactional outbox through the real local stack (decision 051): the intake answers after its one
 * write, the receipt SMS follows from the dispatcher; a provider that is down delays the SMS but never
 * loses it; a stream record delivered again sends nothing twice.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { handler as dispatcherHandler } from '#functions/outbox-dispatcher/handler.ts';
import { complaintKey } from '#store/keys.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { sh } from '#test/support/sla.ts';

const stacks: Api[] = [];
afterEach(async () => {
  for (const a of stacks.splice(0)) await a.stack.close();
});

const mobile = () => `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EF${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;

async function stack() {
  const clock = new ManualClock(sh('2026-03-02 09:00'));
  const api = await startApi({ clock, sweepEveryMinutes: 0 });
  stacks.push(api);
  return { api, clock };
}

const receipts = async (api: Api, id: string) => (await readSmsOutbox(api.stack.outboxDir)).filter((l) => l.dedupeKey === `receipt#${id}`);
const owed = async (api: Api, id: string) => {
  const { doc, tableName } = api.stack.container;
  const item = (await doc.send(new GetCommand({ TableName: tableName, Key: complaintKey(id), ConsistentRead: true }))).Item ?? {};
  return { effects: Object.keys(item).filter((k) => k.startsWith('fx#')), item };
};
const recordOf = (id: string, seq: number) => ({
  Records: [{ eventID: `r${seq}`, eventName: 'MODIFY' as const, dynamodb: { Keys: { PK: { S: `CMP#${id}` }, SK: { S: 'A' } }, SequenceNumber: String(seq) } }],
});

describe('side effects owed by a committed transition', () => {
  it('are not waited for: the intake answers 201 while the SMS provider is down, and the receipt stays owed in the item', async () => {
    // Prepare: the provider fails every text
    const { api } = await stack();
    api.stack.sms.failNext(1_000);
    // Act
    const res = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: mobile(), waybillNo: waybill() }),
      headers: { 'idempotency-key': `fx-${crypto.randomUUID()}` },
    });
    // Assess
    expect(res.status).toBe(201);
    const { effects, item } = await owed(api, res.body.id);
    expect(effects).toEqual([`fx#receipt#${res.body.id}`]);
    expect(item[`fx#receipt#${res.body.id}`]).toMatchObject({ kind: 'sms', state: 'pending', lastError: 'local SMS provider unavailable (failNext)' });
    expect(item['GSI6PK']).toMatch(/^EFFECTS#\d$/);
    expect(await receipts(api, res.body.id)).toEqual([]);
  });

  it('send the receipt once the provider recovers: the feed retries a few times, and the sweep re-drives it after its grace', async () => {
    // Prepare: down for 2 texts (the feed's retries get past it) — then for good, until the sweep
    const { api, clock } = await stack();
    api.stack.sms.failNext(2);
    const first = await api.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }) });
    api.stack.sms.failNext(1_000);
    const second = await api.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }) });
    // Act: the provider is back; a sweep before the retry time (4 failed deliveries: 40 min back-off), and one after it
    api.stack.sms.failNext(0);
    const early = await api.stack.sweep();
    await api.stack.drain();
    const beforeRetry = await receipts(api, second.body.id);
    clock.set(sh('2026-03-02 10:00'));
    const late = await api.stack.sweep();
    await api.stack.drain();
    // Assess
    expect((await receipts(api, first.body.id)).length).toBe(1);
    expect((await owed(api, first.body.id)).effects).toEqual([]);
    expect(early.effects?.dispatched).toBe(0);
    expect(beforeRetry).toEqual([]);
    expect(late.effects).toMatchObject({ dispatched: 1, failed: 0 });
    expect((await receipts(api, second.body.id)).length).toBe(1);
    const { effects, item } = await owed(api, second.body.id);
    expect(effects).toEqual([]);
    expect(item['GSI6PK']).toBeUndefined();
  });

  it('are carried out once however often the stream record is delivered again', async () => {
    // Prepare: a complaint whose receipt went out
    const { api } = await stack();
    const res = await api.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }) });
    const version = (await owed(api, res.body.id)).item['version'];
    // Act: the same record three times, two of them side by side
    const answers = [
      await dispatcherHandler(recordOf(res.body.id, 1)),
      ...(await Promise.all([dispatcherHandler(recordOf(res.body.id, 1)), dispatcherHandler(recordOf(res.body.id, 1))])),
    ];
    await api.stack.drain();
    // Assess: one receipt, nothing failed, and the dispatcher's writes left the version alone (decision 036)
    expect(answers).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect((await receipts(api, res.body.id)).length).toBe(1);
    expect((await owed(api, res.body.id)).item['version']).toBe(version);
  });

  it('reports a complaint whose effects failed by its sequence number, so the stream retries from there', async () => {
    const { api } = await stack();
    api.stack.sms.failNext(1_000);
    const res = await api.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }) });
    const answer = await dispatcherHandler(recordOf(res.body.id, 42));
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '42' }] });
  });
});
