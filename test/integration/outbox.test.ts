/**
 * "Marked" means "durably queued" (decision 037): the ledger records each escalation as `queued`
 * before it travels, the sweep puts what was queued but never sent back on the queue after a grace
 * period, and the local stack catches up at start — through the real local stack on a fake clock.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import { DynamoEscalationLedger } from '#store/escalation-ledger.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { sh } from '#test/support/sla.ts';

const stacks: Api[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const a of stacks.splice(0)) await a.stack.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const mobile = () => `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `ED${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;

async function stackAt(start: string, dataDir?: string) {
  const clock = new ManualClock(sh(start));
  const api = await startApi({ clock, ...(dataDir !== undefined && { dataDir }) });
  stacks.push(api);
  return { api, clock };
}

async function file(api: Api): Promise<string> {
  const res = await api.request('POST', '/complaints', {
    body: intakeBody({ phone: mobile(), waybillNo: waybill() }),
    headers: { 'idempotency-key': `ob-${crypto.randomUUID()}` },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

/** The transport loses every message while `lose` is on: a killed process, a message dead in the DLQ. */
function lossyTransport(api: Api) {
  const { queue } = api.stack;
  const send = queue.send.bind(queue);
  const lost: EscalationMessage[] = [];
  const state = { lose: true, lost };
  queue.send = async (messages: EscalationMessage[]) => {
    if (state.lose) lost.push(...messages);
    else await send(messages);
  };
  return state;
}

const dedupeKeysInOutbox = async (api: Api) => {
  const files = (await readdir(api.stack.outboxDir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
  return Promise.all(files.map(async (f) => /^X-Dedupe-Key: (.+)$/m.exec(await readFile(join(api.stack.outboxDir, f), 'utf8'))?.[1]?.trim()));
};
const ledgerOf = (api: Api) => new DynamoEscalationLedger(api.stack.container.doc, api.stack.container.tableName);

describe('escalations queued but never sent', () => {
  it('are put back on the queue by the sweep once their grace period (15 min) has passed, and e-mailed once', async () => {
    // Prepare: the dispatch warning (10:36) and breach (11:00) are marked, but their messages die on the way.
    const { api, clock } = await stackAt('2026-03-02 09:00');
    const id = await file(api);
    const transport = lossyTransport(api);
    await api.stack.timers.advanceTo(sh('2026-03-02 11:05'));
    transport.lose = false;
    expect(transport.lost.map((m) => m.level)).toEqual(['warning', 'breach']);
    const breach = { complaintId: id, milestone: 'dispatch', round: 0, level: 'breach' } as const;
    expect(await ledgerOf(api).get(breach)).toMatchObject({ status: 'queued', attempts: 0 });

    // Act: a sweep at 11:05 (the warning was queued 29 minutes ago, the breach 5), one at 11:20, one later.
    const early = await api.stack.sweep();
    await api.stack.queue.drain();
    const afterEarly = await dedupeKeysInOutbox(api);
    clock.set(sh('2026-03-02 11:20'));
    const late = await api.stack.sweep();
    await api.stack.queue.drain();
    clock.set(sh('2026-03-02 13:00'));
    const again = await api.stack.sweep();
    await api.stack.queue.drain();

    // Assess
    expect(early.redriven).toBe(1);
    expect(afterEarly.filter((k) => k?.startsWith(`${id}#dispatch`))).toEqual([`${id}#dispatch#r0#warning`]);
    expect(late.redriven).toBe(1);
    expect(again.redriven).toBe(0);
    expect((await dedupeKeysInOutbox(api)).filter((k) => k?.startsWith(`${id}#dispatch`)).sort()).toEqual([
      `${id}#dispatch#r0#breach`,
      `${id}#dispatch#r0#warning`,
    ]);
    expect(await ledgerOf(api).get(breach)).toMatchObject({ status: 'sent', redrives: 1 });
  });

  it('are settled as skipped when the consumer must not send them, so the sweep stops redriving them', async () => {
    // Prepare: the dispatch warning dies on the way; then the complaint is dispatched (the deadline is met).
    const { api, clock } = await stackAt('2026-03-02 09:00');
    const id = await file(api);
    const transport = lossyTransport(api);
    await api.stack.timers.advanceTo(sh('2026-03-02 10:40'));
    transport.lose = false;
    const assign = await api.request('POST', `/complaints/${id}/assignment`, {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
      headers: { 'idempotency-key': `ob-${crypto.randomUUID()}` },
    });
    expect(assign.status).toBe(200);

    // Act
    clock.set(sh('2026-03-02 11:00'));
    const first = await api.stack.sweep();
    await api.stack.queue.drain();
    clock.set(sh('2026-03-03 11:00'));
    const next = await api.stack.sweep();

    // Assess
    expect(first.redriven).toBe(1);
    expect(next.redriven).toBe(0);
    expect(await ledgerOf(api).get({ complaintId: id, milestone: 'dispatch', round: 0, level: 'warning' })).toMatchObject({ status: 'skipped' });
    expect((await dedupeKeysInOutbox(api)).filter((k) => k === `${id}#dispatch#r0#warning`)).toEqual([]);
  });
});

describe('the local stack at start', () => {
  it('escalates at once a deadline that passed while it was down, and re-creates the timers of open complaints', async () => {
    // Prepare: a complaint filed Monday 09:00, the stack stopped before its dispatch limit (11:00).
    const dataDir = await mkdtemp(join(tmpdir(), 'complaints-startup-'));
    dirs.push(dataDir);
    const { api: before } = await stackAt('2026-03-02 09:00', dataDir);
    const id = await file(before);
    stacks.splice(stacks.indexOf(before), 1);
    await before.stack.close();

    // Act: started again at 11:30 on the same data.
    const { api: after } = await stackAt('2026-03-02 11:30', dataDir);
    await after.stack.queue.drain();

    // Assess: the breach went out at start (no 15-minute wait), and the remaining points have timers again.
    expect(after.stack.startup.sweep).toMatchObject({ marked: 1, failed: 0 });
    expect((await dedupeKeysInOutbox(after)).filter((k) => k?.startsWith(`${id}#`))).toEqual([`${id}#dispatch#r0#breach`]);
    expect(after.stack.startup.timersRestored).toBe(1);
    // One timer for the complaint, at its next point (the dispatch breach's quality escalation or later).
    const stored = await after.stack.container.store.get(id);
    expect(stored?.nextDueAt).toBeDefined();
    expect(
      after.stack.timers
        .pending()
        .filter((t) => t.payload.complaintId === id)
        .map((t) => [t.name, t.at.toISOString()]),
    ).toEqual([[`sla-${id}`, stored?.nextDueAt]]);
  });
});
