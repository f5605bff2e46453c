import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import type { Logger } from '#app/complaints.ts';
import type { ComplaintStore, Scheduler, TimerSpec } from '#app/ports.ts';
import { buildSla } from '#app/sla.ts';
import { timerName } from '#app/sla-timers.ts';
import { Conflict } from '#domain/errors.ts';
import { escalationDedupeKey, type EscalationMessage } from '#domain/escalation.ts';
import type { Transition } from '#domain/lifecycle.ts';
import type { Complaint } from '#domain/model.ts';
import { act, assignTianhe, contact, deadline, local, newComplaint, sh, signFor, slaContext } from '#test/support/sla.ts';

const { planner, ctx } = slaContext();
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The two calls the check makes: GetItem and a version-guarded UpdateItem. */
class MemoryStore {
  readonly items = new Map<string, Complaint>();
  calls = 0;
  /** Runs once before the next save, to simulate a competing writer. */
  beforeSave: ((id: string) => void) | undefined;
  async get(id: string) {
    this.calls++;
    const c = this.items.get(id);
    return c && structuredClone(c);
  }
  async save({ complaint }: Transition, expectedVersion: number) {
    this.calls++;
    const hook = this.beforeSave;
    this.beforeSave = undefined;
    hook?.(complaint.id);
    if (this.items.get(complaint.id)?.version !== expectedVersion) throw new Conflict('version moved', { id: complaint.id }, { code: 'version-conflict' });
    this.items.set(complaint.id, structuredClone(complaint));
  }
}

class RecordingScheduler implements Scheduler {
  scheduled: TimerSpec[] = [];
  cancelled: string[] = [];
  failing = false;
  async schedule(t: TimerSpec) {
    if (this.failing) throw new Error('Scheduler throttled');
    this.scheduled.push(t);
  }
  async cancel(names: string[]) {
    this.cancelled.push(...names);
  }
}

function setup(start: string) {
  const store = new MemoryStore();
  const clock = new ManualClock(sh(start));
  const scheduler = new RecordingScheduler();
  const sent: EscalationMessage[] = [];
  const errors: string[] = [];
  const logger: Logger = { ...quiet, error: (m) => void errors.push(m) };
  const sla = buildSla({ store: store as unknown as ComplaintStore, clock, planner, scheduler, queue: { send: async (m) => void sent.push(...m) }, logger });
  const put = (c: Complaint) => store.items.set(c.id, c);
  return { store, clock, scheduler, sent, errors, sla, put };
}

/** Dispatched Monday 2026-03-02 09:30 to gz-tianhe: first contact due 03-03 09:30 (warning held to 08:30). */
/** Dispatched and signed for (签收) at once: these tests are about the other clocks. */
const dispatched = () => act(ctx, act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30'), signFor, '2026-03-02 09:30');
const duePayload = (c: Complaint) => ({ complaintId: c.id, milestone: 'first_contact', round: 1, point: 'due' as const, version: c.version });

describe('the SLA check', () => {
  it('marks a breach once and sends one message, however often its timer fires', async () => {
    const { store, clock, sent, sla, put } = setup('2026-03-03 09:30');
    const c = dispatched();
    put(c);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await sla.check.run(duePayload(c))).outcome);
    clock.advance(60_000);
    outcomes.push((await sla.check.run(duePayload(c))).outcome);

    expect(outcomes).toEqual(['marked', 'nothing_due', 'nothing_due', 'nothing_due']);
    const stored = store.items.get(c.id)!;
    expect(stored.history.filter((e) => e.type === 'deadline_breached')).toHaveLength(1);
    expect(sent.map((m) => `${m.milestone} ${m.level}`)).toEqual(['first_contact breach']);
    expect(deadline(stored, 'first_contact', 1).state).toBe('breached');
  });

  it('makes one GetItem and one UpdateItem per decision', async () => {
    const { store, sla, put } = setup('2026-03-03 09:30');
    const c = dispatched();
    put(c);
    await sla.check.run(duePayload(c));
    expect(store.calls).toBe(2);
  });

  it('re-reads and decides again after losing a race: the competitor met the milestone, so nothing more is written', async () => {
    const { store, sent, sla, put } = setup('2026-03-03 09:30');
    const c = dispatched();
    put(c);
    store.beforeSave = (id) => put(act(ctx, store.items.get(id)!, contact, '2026-03-03 09:29'));

    const outcome = await sla.check.run(duePayload(c));

    expect(outcome.outcome).toBe('nothing_due');
    expect(store.items.get(c.id)!.history.some((e) => e.type === 'deadline_breached')).toBe(false);
    // Messages go before the write (a crash can never lose a breach); the consumer e-mails once per key.
    expect(sent.map(escalationDedupeKey)).toEqual([`${c.id}#first_contact#r1#breach`]);
  });

  it('does not send the same message twice while retrying conflicts', async () => {
    const { store, sent, sla, put } = setup('2026-03-03 09:30');
    const c = dispatched();
    put(c);
    store.beforeSave = (id) => put(act(ctx, store.items.get(id)!, { type: 'chase', via: 'phone' }, '2026-03-03 09:29'));
    const outcome = await sla.check.run(duePayload(c));
    expect(outcome).toMatchObject({ outcome: 'marked', attempts: 2 });
    expect(sent).toHaveLength(1);
  });

  it('gives up after five conflicts in a row (the timer’s retry policy runs it again)', async () => {
    const { store, sla, put } = setup('2026-03-03 09:30');
    const c = dispatched();
    put(c);
    let chases = 0;
    const compete = (id: string) => {
      put({ ...store.items.get(id)!, version: store.items.get(id)!.version + 1 });
      if (++chases < 10) store.beforeSave = compete;
    };
    store.beforeSave = compete;
    await expect(sla.check.run(duePayload(c))).rejects.toBeInstanceOf(Conflict);
  });

  it('plans the quality escalation after a breach and drops the timers it no longer needs', async () => {
    const { scheduler, sla, put } = setup('2026-03-03 09:30');
    const c = dispatched();
    put(c);
    await sla.check.run(duePayload(c));
    expect(scheduler.scheduled.map((t) => `${t.payload.milestone} ${t.payload.point} ${local(t.at)}`)).toEqual(['first_contact quality 2026-03-04 18:30']);
    expect(scheduler.cancelled).toEqual([]);
  });

  it('holds a general warning outside working time: it re-creates the timer at the next working instant instead of sending', async () => {
    const { sent, scheduler, sla, put } = setup('2026-03-03 04:42');
    const c = dispatched();
    put(c);
    const outcome = await sla.check.run({ complaintId: c.id, milestone: 'first_contact', round: 1, point: 'warn', version: c.version });
    expect(outcome).toEqual({ outcome: 'nothing_due', complaintId: c.id, nextAt: sh('2026-03-03 08:30').toISOString() });
    expect(sent).toEqual([]);
    expect(scheduler.scheduled.map((t) => local(t.at))).toEqual(['2026-03-03 08:30']);
  });

  it('reports a complaint that does not exist (any more) without failing', async () => {
    const { sla } = setup('2026-03-03 09:30');
    expect(await sla.check.run({ complaintId: 'C0000000000000099' })).toEqual({ outcome: 'missing', complaintId: 'C0000000000000099' });
  });
});

describe('the timer observer', () => {
  it('runs the leaders notice of a new major complaint at once and schedules the other points', async () => {
    const { scheduler, sent, sla, put } = setup('2026-03-02 22:00');
    const c = newComplaint(ctx, '2026-03-02 22:00', { keyAccount: true });
    put(c);
    await sla.timers.afterTransition(undefined, { complaint: c, events: c.history });
    expect(sent.map((m) => `${m.milestone} ${m.level}`)).toEqual(['major_notice leaders']);
    expect(scheduler.scheduled.map((t) => `${t.payload.milestone} ${t.payload.point}`).sort()).toEqual([
      'appeal_risk due',
      'appeal_risk warn',
      'dispatch due',
      'dispatch warn',
      'leaders_notified due',
    ]);
  });

  it('deletes the future timers of a milestone when it is met, and schedules the new round’s', async () => {
    const { scheduler, sla } = setup('2026-03-02 09:30');
    const before = newComplaint(ctx, '2026-03-02 09:00');
    const after = act(ctx, before, assignTianhe, '2026-03-02 09:30');
    await sla.timers.afterTransition(before, { complaint: after, events: after.history.slice(before.history.length) });
    const dispatchTimers = sla.timers.timersOf(before).filter((t) => t.payload.milestone === 'dispatch').map((t) => t.name);
    expect(scheduler.cancelled.sort()).toEqual(dispatchTimers.sort());
    expect(scheduler.scheduled.map((t) => `${t.payload.milestone} ${t.payload.point}`).sort()).toEqual(['first_contact due', 'first_contact warn', 'reply due', 'reply warn', 'sign due', 'sign warn']);
  });

  it('gives a re-planned deadline a new timer name and deletes the old one', async () => {
    const { scheduler, sla } = setup('2026-03-02 10:00');
    const before = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    const after = act(ctx, before, { type: 'severity', severity: 'urgent', reason: '投诉人强烈要求立即答复' }, '2026-03-02 10:00');
    await sla.timers.afterTransition(before, { complaint: after, events: after.history.slice(before.history.length) });
    const oldReplyDue = timerName(before.id, { milestone: 'reply', round: 1, point: 'due', at: new Date(deadline(before, 'reply', 1).dueAt) });
    expect(scheduler.cancelled).toContain(oldReplyDue);
    expect(scheduler.scheduled.find((t) => t.payload.milestone === 'reply' && t.payload.point === 'due')?.at).toEqual(new Date(deadline(after, 'reply', 1).dueAt));
  });

  it('logs a scheduler failure instead of failing the committed transition', async () => {
    const { scheduler, errors, sla } = setup('2026-03-02 09:00');
    scheduler.failing = true;
    const c = newComplaint(ctx, '2026-03-02 09:00');
    await expect(sla.timers.afterTransition(undefined, { complaint: c, events: c.history })).resolves.toBeUndefined();
    expect(errors[0]).toMatch(/sweep will catch it/);
  });
});

describe('the sweep', () => {
  it('runs the check for every complaint due, page by page, and reports what it did', async () => {
    const { sla, put, store, sent } = setup('2026-03-03 10:00');
    const complaints = Array.from({ length: 5 }, () => dispatched());
    complaints.forEach(put);
    const pages: (string | undefined)[] = [];
    const due = complaints.map((c) => ({ id: c.id, nextDueAt: c.nextDueAt! })).sort((a, b) => (`${a.nextDueAt}#${a.id}` < `${b.nextDueAt}#${b.id}` ? -1 : 1));
    const dueBefore = async (_until: string, limit: number, after?: string) => {
      pages.push(after);
      return due.filter((d) => after === undefined || `${d.nextDueAt}#${d.id}` > after).slice(0, limit);
    };
    Object.assign(store, { dueBefore });
    const sweep = new (await import('#app/sla-sweep.ts')).SlaSweep({ store: store as unknown as ComplaintStore, clock: { now: () => sh('2026-03-03 10:00') }, check: sla.check, logger: quiet }, { pageSize: 2 });

    expect(await sweep.run()).toEqual({ redriven: 0, checked: 5, marked: 5, failed: 0, more: false });
    expect(pages).toHaveLength(3);
    expect(sent).toHaveLength(5);
  });
});
