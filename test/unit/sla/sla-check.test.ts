import { describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import type { Logger, ArmOptions, ComplaintStore, Scheduler, TimerSpec } from '#app/ports.ts';
import { buildSla } from '#app/sla.ts';
import { SlaCheckPayloadSchema } from '#app/sla-check.ts';
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

/** Records every call: `update sla-… 2026-03-03 08:30`, `create …`, `disarm sla-…`. */
class RecordingScheduler implements Scheduler {
  calls: string[] = [];
  armed: TimerSpec[] = [];
  failing = false;
  async arm(t: TimerSpec, { exists }: ArmOptions) {
    if (this.failing) throw new Error('Scheduler throttled');
    this.calls.push(`${exists ? 'update' : 'create'} ${t.name} ${local(t.at)}`);
    this.armed.push(t);
  }
  async disarm(name: string) {
    this.calls.push(`disarm ${name}`);
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
const duePayload = (c: Complaint) => ({ complaintId: c.id, at: deadline(c, 'first_contact', 1).dueAt });

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

  it('decides the breach and re-arms the one timer at the next point, the quality escalation', async () => {
    const { scheduler, sla, put } = setup('2026-03-03 09:30');
    const c = dispatched();
    put(c);
    await sla.check.run(duePayload(c));
    // The fired timer deleted itself: one create, nothing to delete.
    expect(scheduler.calls).toEqual([`create ${timerName(c.id)} 2026-03-04 18:30`]);
    expect(scheduler.armed[0]?.payload).toEqual({ complaintId: c.id, at: sh('2026-03-04 18:30').toISOString() });
  });

  it('re-arms at once for a point that the decision itself made due (a late firing: breach, then its quality escalation)', async () => {
    const { scheduler, sent, sla, put } = setup('2026-03-05 10:00');
    const c = dispatched();
    put(c);
    const first = await sla.check.run(duePayload(c));
    // The quality point exists only once the breach is marked: armed at its (past) instant, which
    // the adapter moves to the next minute.
    expect(first).toMatchObject({ outcome: 'marked', decided: [{ milestone: 'first_contact', point: 'due' }] });
    expect(scheduler.calls).toEqual([`create ${timerName(c.id)} 2026-03-04 18:30`]);
    const second = await sla.check.run(scheduler.armed[0]!.payload);
    expect(second).toMatchObject({ outcome: 'marked', decided: [{ milestone: 'first_contact', point: 'quality' }] });
    expect(sent.map((m) => `${m.milestone} ${m.level}`)).toEqual(['first_contact breach', 'first_contact quality']);
    expect(scheduler.calls).toHaveLength(2);
  });

  it('re-arms a stale firing (the timer was moved after it went off) at the point the complaint needs now', async () => {
    const { scheduler, sla, put } = setup('2026-03-02 10:36');
    const c = dispatched();
    put(c);
    // Fired for the dispatch warning that the dispatch at 09:30 made obsolete.
    const outcome = await sla.check.run({ complaintId: c.id, at: sh('2026-03-02 10:36').toISOString() });
    expect(outcome.outcome).toBe('nothing_due');
    expect(scheduler.calls).toEqual([`create ${timerName(c.id)} ${local(sla.timers.nextAt(c)!)}`]);
  });

  it('arms nothing when the sweep finds nothing due (it only asks about overdue complaints)', async () => {
    const { scheduler, sla, put } = setup('2026-03-02 10:36');
    const c = dispatched();
    put(c);
    expect((await sla.check.run({ complaintId: c.id })).outcome).toBe('nothing_due');
    expect(scheduler.calls).toEqual([]);
  });

  it('holds a general warning outside working time: it re-creates the timer at the next working instant instead of sending', async () => {
    const { sent, scheduler, sla, put } = setup('2026-03-03 04:42');
    const c = dispatched();
    put(c);
    const outcome = await sla.check.run({ complaintId: c.id, at: sh('2026-03-03 04:42').toISOString() });
    expect(outcome).toEqual({ outcome: 'nothing_due', complaintId: c.id, nextAt: sh('2026-03-03 08:30').toISOString() });
    expect(sent).toEqual([]);
    // The firing deleted the timer: it is created again at the held instant.
    expect(scheduler.calls).toEqual([`create ${timerName(c.id)} 2026-03-03 08:30`]);
  });

  it('reports a complaint that does not exist (any more) without failing', async () => {
    const { sla } = setup('2026-03-03 09:30');
    expect(await sla.check.run({ complaintId: 'C0000000000000099' })).toEqual({ outcome: 'missing', complaintId: 'C0000000000000099' });
  });
});

describe('the timer observer', () => {
  const transitionAfter = (before: Complaint, command: Parameters<typeof act>[2], at: string) => {
    const next = act(ctx, before, command, at);
    return { complaint: next, events: next.history.slice(before.history.length) };
  };

  it('runs the leaders notice of a new major complaint at once and arms ONE timer at the next point', async () => {
    const { scheduler, sent, sla, put, store } = setup('2026-03-02 22:00');
    const c = newComplaint(ctx, '2026-03-02 22:00', { keyAccount: true });
    put(c);
    await sla.timers.afterTransition(undefined, { complaint: c, events: c.history });
    expect(sent.map((m) => `${m.milestone} ${m.level}`)).toEqual(['major_notice leaders']);
    const next = sla.timers.nextAt(store.items.get(c.id)!);
    expect(next && next > sh('2026-03-02 22:00')).toBe(true);
    expect(scheduler.calls).toEqual([`create sla-${c.id} ${local(next!)}`]);
  });

  it('arms one timer at the earliest of all the points of a new complaint', async () => {
    const { scheduler, sla } = setup('2026-03-02 09:00');
    const c = newComplaint(ctx, '2026-03-02 09:00');
    await sla.timers.afterTransition(undefined, { complaint: c, events: c.history });
    const earliest = planner
      .points(c)
      .map((p) => p.at.getTime())
      .sort((a, b) => a - b)[0]!;
    expect(planner.points(c).length).toBeGreaterThan(1);
    expect(scheduler.calls).toEqual([`create sla-${c.id} ${local(new Date(earliest))}`]);
    expect(scheduler.armed[0]?.payload).toEqual({ complaintId: c.id, at: new Date(earliest).toISOString() });
  });

  it('moves the timer in place when a transition moves the earliest point (dispatch met → first contact)', async () => {
    const { scheduler, sla } = setup('2026-03-02 09:30');
    const before = newComplaint(ctx, '2026-03-02 09:00');
    const t = transitionAfter(before, assignTianhe, '2026-03-02 09:30');
    await sla.timers.afterTransition(before, t);
    expect(scheduler.calls).toEqual([`update sla-${before.id} ${local(sla.timers.nextAt(t.complaint)!)}`]);
  });

  it('runs the leaders notice of a complaint raised to urgent in-process, then re-arms the timer once', async () => {
    const { scheduler, sent, sla, put, store } = setup('2026-03-02 10:00');
    // Signed for (签收) at once, so no 签收 point is already due at 10:00.
    const before = dispatched();
    const t = transitionAfter(before, { type: 'severity', severity: 'urgent', reason: '投诉人强烈要求立即答复' }, '2026-03-02 10:00');
    put(t.complaint);
    await sla.timers.afterTransition(before, t);
    expect(sent.map((m) => `${m.milestone} ${m.level}`)).toEqual(['major_notice leaders']);
    // The old timer still waits for the old point: the check's re-arm moves it in place.
    expect(scheduler.calls).toEqual([`update sla-${before.id} ${local(sla.timers.nextAt(store.items.get(before.id)!)!)}`]);
  });

  it('makes no scheduler call when the earliest point stays where it was (a first chase)', async () => {
    const { scheduler, sla } = setup('2026-03-02 10:00');
    // Signed for (签收) at once, so no 签收 point is already due at 10:00.
    const before = dispatched();
    const t = transitionAfter(before, { type: 'chase', via: 'phone' }, '2026-03-02 10:00');
    expect(t.events.length).toBeGreaterThan(0);
    expect(sla.timers.nextAt(t.complaint)).toEqual(sla.timers.nextAt(before));
    await sla.timers.afterTransition(before, t);
    expect(scheduler.calls).toEqual([]);
  });

  it('removes the timer when no point is left, and leaves a fired one alone', async () => {
    const { scheduler, sla, clock } = setup('2026-03-02 10:00');
    // Signed for (签收) at once, so no 签收 point is already due at 10:00.
    const before = dispatched();
    const closed: Complaint = { ...before, status: 'closed', version: before.version + 1 };
    await sla.timers.sync(before, closed, { direct: true });
    expect(scheduler.calls).toEqual([`disarm sla-${before.id}`]);
    clock.set(new Date(sla.timers.nextAt(before)!.getTime() + 60_000));
    await sla.timers.sync(before, closed, { direct: true });
    expect(scheduler.calls).toEqual([`disarm sla-${before.id}`]);
  });

  it('logs a scheduler failure instead of failing the committed transition', async () => {
    const { scheduler, errors, sla } = setup('2026-03-02 09:00');
    scheduler.failing = true;
    const c = newComplaint(ctx, '2026-03-02 09:00');
    await expect(sla.timers.afterTransition(undefined, { complaint: c, events: c.history })).resolves.toBeUndefined();
    expect(errors[0]).toMatch(/sweep will catch it/);
  });

  it('leaves a due point to the timer when the in-process check fails', async () => {
    const { scheduler, errors, sla, store } = setup('2026-03-02 22:00');
    store.get = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const c = newComplaint(ctx, '2026-03-02 22:00', { keyAccount: true });
    await sla.timers.afterTransition(undefined, { complaint: c, events: c.history });
    expect(errors).toEqual(['SLA check in process failed; scheduling it instead']);
    expect(scheduler.calls).toEqual([`create sla-${c.id} 2026-03-02 22:00`]);
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
    const sweep = new (await import('#app/sla-sweep.ts')).SlaSweep(
      { store: store as unknown as ComplaintStore, clock: { now: () => sh('2026-03-03 10:00') }, check: sla.check, logger: quiet },
      { pageSize: 2 },
    );

    expect(await sweep.run()).toEqual({ redriven: 0, checked: 5, marked: 5, failed: 0, more: false });
    expect(pages).toHaveLength(3);
    expect(sent).toHaveLength(5);
  });
});

describe('the timer payload', () => {
  it('carries only the complaint and the instant, and still accepts a schedule armed before one-timer-per-complaint', () => {
    const id = 'C3M9Q2W7X1B4K8D0F';
    expect(SlaCheckPayloadSchema.parse({ complaintId: id, at: '2026-03-03T01:30:00.000Z' })).toEqual({ complaintId: id, at: '2026-03-03T01:30:00.000Z' });
    // A per-point schedule from before decision 053 fires once after the deploy: a plain check of the complaint.
    expect(SlaCheckPayloadSchema.parse({ complaintId: id, milestone: 'reply', round: 1, point: 'due', version: 7 })).toEqual({ complaintId: id });
    expect(SlaCheckPayloadSchema.safeParse({ complaintId: id, at: 'tomorrow' }).success).toBe(false);
    expect(SlaCheckPayloadSchema.safeParse({ complaintId: id, at: '2026-03-03T01:30:00.000Z', version: 3 }).success).toBe(false);
    expect(SlaCheckPayloadSchema.safeParse({ complaintId: 'C1', at: '2026-03-03T01:30:00.000Z' }).success).toBe(false);
  });
});
