import { describe, expect, it } from 'vitest';
import type { Complaint, ComplaintEvent } from '#domain/model.ts';
import { HISTORY_BUDGET_BYTES, INTAKE_EVENTS, mergeHistory, MIN_TAIL_EVENTS, PAGE_EVENT_BYTES, planSeal } from '#store/history-pages.ts';
import { itemSize } from '#store/item-size.ts';
import { complaint, ev } from '#test/support/complaint.ts';

/** A chase with a 1,000-character Chinese note: about 3 KB by DynamoDB's rules. */
const chase = (seq: number): ComplaintEvent => ev(seq, 'chased', { via: 'phone', note: `第${seq}次`.concat('催'.repeat(1000)).slice(0, 1000) });
const withEvents = (n: number, extra: Partial<Complaint> = {}): Complaint =>
  complaint({ history: [ev(1, 'received'), ev(2, 'classified'), ...Array.from({ length: n - 2 }, (_, i) => chase(i + 3))], ...extra });
const size = (c: Complaint) => itemSize({ ...c });

describe('history pages', () => {
  it('leaves an item under the budget alone', () => {
    const small = withEvents(10);
    const plan = planSeal(small, 1, size);
    expect(plan.pages).toEqual([]);
    expect(plan.complaint).toBe(small);
  });

  it('seals the oldest committed events after the intake events and brings the item under the budget', () => {
    // Prepare: 60 events ≈ 180 KB, the last one added by this transition.
    const big = withEvents(60);
    expect(size(big)).toBeGreaterThan(HISTORY_BUDGET_BYTES);
    // Act
    const plan = planSeal(big, 1, size);
    // Assess
    expect(size(plan.complaint)).toBeLessThanOrEqual(HISTORY_BUDGET_BYTES);
    expect(plan.pages.map((p) => p.SK)).toEqual(plan.pages.map((_, i) => `H#${String(i + 1).padStart(6, '0')}`));
    expect(plan.pages[0]?.from).toBe(INTAKE_EVENTS + 1);
    for (const page of plan.pages) expect(itemSize({ events: page.events })).toBeLessThanOrEqual(PAGE_EVENT_BYTES + 'events'.length);
    const tail = plan.complaint.history;
    expect(tail.slice(0, 2).map((e) => e.type)).toEqual(['received', 'classified']);
    expect(tail[tail.length - 1]?.seq).toBe(60); // the new event stays on the item
    expect(plan.complaint.historySealed).toMatchObject({
      pages: plan.pages.length,
      through: plan.pages[plan.pages.length - 1]?.through,
      counts: { chased: plan.complaint.historySealed?.through ? plan.complaint.historySealed.through - 2 : 0 },
    });
    // Nothing lost, nothing twice: pages + item = the whole history, gap-free.
    expect(mergeHistory(tail, plan.pages).map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('cuts the same page whatever the transition adds, so a retry or a lost race rewrites the same item', () => {
    const base = withEvents(60);
    const one = planSeal(base, 1, size);
    const other = planSeal({ ...base, history: [...base.history.slice(0, -1), ev(60, 'severity_changed', { reason: '另一次写入' }), chase(61)] }, 2, size);
    expect(other.pages[0]).toEqual(one.pages[0]);
  });

  it('never puts the transition’s own events on a page and keeps the newest events on the item', () => {
    // Prepare: everything but the intake is new in this save — nothing committed can be sealed.
    const burst = withEvents(60);
    const plan = planSeal(burst, 58, size);
    expect(plan.pages).toEqual([]);
    // With committed events, at least MIN_TAIL_EVENTS of them stay after the last page.
    const sealed = planSeal(withEvents(80), 1, size);
    const kept = sealed.complaint.history.filter((e) => e.seq > (sealed.complaint.historySealed?.through ?? 0) && e.seq < 80);
    expect(kept.length).toBeGreaterThanOrEqual(MIN_TAIL_EVENTS);
  });

  it('remembers a clock pause and the progress updates that went onto a page', () => {
    const history = [
      ev(1, 'received'),
      ev(2, 'classified'),
      ev(3, 'deadline_paused', { reason: '等待投诉人提供照片' }),
      ev(4, 'progress_update_sent'),
      ...Array.from({ length: 56 }, (_, i) => chase(i + 5)),
    ];
    const plan = planSeal(complaint({ history }), 1, size);
    expect(plan.complaint.historySealed).toMatchObject({ pause: { reason: '等待投诉人提供照片' }, counts: { deadline_paused: 1, progress_update_sent: 1 } });
  });
});

describe('rules that read the history after paging', () => {
  it('still sees a clock pause and counts progress updates whose events are on a page', async () => {
    const { clockPauseOf } = await import('#domain/sla/planner.ts');
    const { progressUpdatesSent } = await import('#app/progress-updates.ts');
    const paged = complaint({
      history: [ev(1, 'received'), ev(2, 'classified'), ev(41, 'chased'), ev(42, 'progress_update_sent')],
      historySealed: {
        through: 40,
        pages: 2,
        counts: { progress_update_sent: 1, deadline_paused: 1 },
        pause: { at: '2026-11-24T03:00:00.000Z', reason: '等待照片' },
      },
    });
    expect(clockPauseOf(paged)).toEqual({ at: '2026-11-24T03:00:00.000Z', reason: '等待照片' });
    expect(progressUpdatesSent(paged)).toBe(2);
  });
});
