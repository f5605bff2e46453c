/**
 * The cluster rule (seed 004: the third complaint of one category against one unit within 7 days is
 * major) counted by key (docs/decisions/045-cluster-rule-by-key.md): what an assignment reads does
 * not grow with the unit's stored history, and re-dispatches, retries and a crash between the
 * counter write and the assignment's save never count a complaint twice or against a unit it left.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import type { Complaint } from '#domain/model.ts';
import { toItem } from '#store/complaint-records.ts';
import { complaint } from '#test/support/complaint.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { sh } from '#test/support/sla.ts';

let api: Api | undefined;
afterEach(async () => {
  await api?.stack.close();
  api = undefined;
});

const mobile = () => `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `cluster-${crypto.randomUUID()}`;

async function file(a: Api): Promise<string> {
  const res = await a.request('POST', '/complaints', {
    body: intakeBody({ category: 'fee', content: '营业部多收了资费，要求退还差价。', phone: mobile(), waybillNo: waybill() }),
    headers: { 'idempotency-key': key() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}
const assign = (a: Api, id: string, unitId = 'gz-hub', idempotencyKey = key()) =>
  a.request('POST', `/complaints/${id}/assignment`, {
    token: a.tokens.agent,
    body: { unitId, handlerId: unitId === 'gz-hub' ? 'hub-handler-1' : 'yx-handler-1', reason: '转交责任单位' },
    headers: { 'idempotency-key': idempotencyKey },
  });
async function assigned(a: Api, id: string, unitId = 'gz-hub'): Promise<Complaint> {
  const res = await assign(a, id, unitId);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Complaint;
}

/** Every DynamoDB call of the stack's DocumentClient, with its read units (ReturnConsumedCapacity). */
function meter(a: Api) {
  const calls: { command: string; index?: string; readUnits: number }[] = [];
  a.stack.container.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const command = String(context.commandName ?? '').replace(/Command$/, '');
      const reads = ['GetItem', 'Query', 'BatchGetItem', 'Scan'].includes(command);
      if (reads) input['ReturnConsumedCapacity'] = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      const readUnits = reads ? [consumed ?? []].flat().reduce((s, c) => s + (c.CapacityUnits ?? 0), 0) : 0;
      calls.push({ command, ...(typeof input['IndexName'] === 'string' && { index: input['IndexName'] }), readUnits });
      return out;
    },
    { step: 'initialize', name: 'meterDynamoCalls' },
  );
  return calls;
}

/** `n` fee complaints the hub received years ago (3 years of retention), written straight to the table. */
async function seedHistory(a: Api, from: number, n: number): Promise<void> {
  const { doc, tableName } = a.stack.container;
  const items = Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const at = new Date(Date.parse('2023-03-01T01:00:00.000Z') + i * 3_600_000).toISOString();
    return toItem(
      complaint({
        id: `CSEED${String(i).padStart(12, '0')}`,
        trackingCode: `S${String(i).padStart(11, '0')}`,
        category: 'fee',
        status: 'closed',
        unitId: 'gz-hub',
        handlerId: 'hub-handler-1',
        createdAt: at,
        updatedAt: at,
      }),
    );
  });
  for (let i = 0; i < items.length; i += 25) {
    await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

describe('the cluster rule counted by key', () => {
  it('reads the same few units for an assignment whether the unit holds 40 or 1,000 stored complaints, never its worklist index', {
    timeout: 60_000,
  }, async () => {
    // Prepare: a hub with 40 complaints of the category in its history and one this week.
    const clock = new ManualClock(sh('2026-03-02 09:00'));
    api = await startApi({ clock, rateLimit: false });
    await seedHistory(api, 0, 40);
    await assigned(api, await file(api));
    const small = await file(api);
    const calls = meter(api);
    // Act: one assignment at 40 stored; a week later, with 1,000 stored and again one this week, another.
    await assigned(api, small);
    const atSmall = calls.splice(0);
    await seedHistory(api, 40, 960);
    clock.set(sh('2026-03-10 09:00'));
    await assigned(api, await file(api));
    const large = await file(api);
    calls.length = 0;
    await assigned(api, large);
    const atLarge = calls.splice(0);
    // Assess: the same calls and the same read units; no read of the worklist index (GSI1).
    const units = (cs: typeof calls) => cs.reduce((s, c) => s + c.readUnits, 0);
    expect(atLarge.map((c) => c.command)).toEqual(atSmall.map((c) => c.command));
    expect(units(atLarge)).toBe(units(atSmall));
    expect([...atSmall, ...atLarge].filter((c) => c.index === 'GSI1')).toEqual([]);
    expect(units(atLarge)).toBeLessThan(10);
  });

  it('does not count a complaint against a unit it was re-dispatched away from, and counts it where it went', async () => {
    // Prepare: two fee complaints at the hub; the second is moved to 越秀.
    api = await startApi({ clock: new ManualClock(sh('2026-03-02 09:00')), rateLimit: false });
    const a = await file(api);
    const b = await file(api);
    await assigned(api, a);
    await assigned(api, b);
    await assigned(api, b, 'gz-yuexiu');
    // Act: a third fee complaint reaches the hub, where only one other is left.
    const c = await assigned(api, await file(api));
    // Assess
    expect(c.severity).toBe('general');
    const { store } = api.stack.container;
    const since = sh('2026-02-23 09:00').toISOString();
    expect(await store.countRecentByUnitCategory('gz-hub', 'fee', since)).toBe(2);
    expect(await store.countRecentByUnitCategory('gz-yuexiu', 'fee', since)).toBe(1);
    // Moving it back makes it count at the hub again, once.
    await assigned(api, b, 'gz-hub');
    expect(await store.countRecentByUnitCategory('gz-hub', 'fee', since)).toBe(3);
    expect(await store.countRecentByUnitCategory('gz-yuexiu', 'fee', since)).toBe(0);
  });

  it('counts a complaint once after a crash between the counter write and the assignment, and after its retry', async () => {
    // Prepare: one fee complaint at the hub; the assignment of a second dies after its counter write.
    api = await startApi({ clock: new ManualClock(sh('2026-03-02 09:00')), rateLimit: false });
    const { store } = api.stack.container;
    await assigned(api, await file(api));
    const crashing = await file(api);
    const save = store.save.bind(store);
    store.save = async () => {
      store.save = save;
      throw new Error('Lambda timed out');
    };
    const retryKey = key();
    expect((await assign(api, crashing, 'gz-hub', retryKey)).status).toBe(500);
    // Act: a third complaint reaches the hub while the crashed one is not there; then the retry.
    const third = await assigned(api, await file(api));
    const retried = await assign(api, crashing, 'gz-hub', retryKey);
    const replayed = await assign(api, crashing, 'gz-hub', retryKey);
    // Assess: the crashed write was no complaint at the hub; the retry is the third, counted once.
    expect(third.severity).toBe('general');
    expect(retried.status).toBe(200);
    expect((retried.body as Complaint).severity).toBe('major');
    expect((retried.body as Complaint).severityReasons[0]).toMatch(/第3件/);
    expect(replayed.status).toBe(200);
    const history = (await api.request('GET', `/complaints/${crashing}`, { token: api.tokens.agent })).body as Complaint;
    expect(history.history.filter((e) => e.type === 'dispatched')).toHaveLength(1);
    expect(await store.countRecentByUnitCategory('gz-hub', 'fee', sh('2026-02-23 09:00').toISOString())).toBe(3);
    const fourth = await assigned(api, await file(api));
    expect(fourth.severityReasons[0]).toMatch(/第4件/);
  });
});
