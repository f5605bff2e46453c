/** The pure statistics core (decision 060): the statistics month, the facts each event owes, reports from counters. */
import { describe, expect, it } from 'vitest';
import { COUNTERS, counterCode, counterOfCode, dedupe, emptyMemory, factsOf, INDICATORS, statsMonthOf } from '#domain/indicators.ts';
import type { Complaint, ComplaintEvent } from '#domain/model.ts';
import { buildReport, periodOf, rangeOf, type CounterItem } from '#domain/reports.ts';
import { Unprocessable } from '#domain/errors.ts';
import { complaint } from '#test/support/complaint.ts';
import { itemSize } from '#store/item-size.ts';

const e = (seq: number, type: string, at: string, data?: Record<string, unknown>): ComplaintEvent => ({
  seq,
  type: type as ComplaintEvent['type'],
  at,
  actor: { id: 'agent-lin', role: 'agent' },
  ...(data && { data }),
});
const counts = (c: Complaint, events: ComplaintEvent[]) => {
  const out: Record<string, number> = {};
  for (const f of factsOf(c, events, emptyMemory()).facts) out[`${f.period} ${f.counter}`] = (out[`${f.period} ${f.counter}`] ?? 0) + f.n;
  return out;
};

describe('statistics month (26th–25th, Shanghai)', () => {
  it('2026-11-26 00:00 Shanghai opens 2026-12; a second before is still 2026-11; December 26th opens next year', () => {
    expect(statsMonthOf('2026-11-25T15:59:59.999Z')).toBe('2026-11');
    expect(statsMonthOf('2026-11-25T16:00:00.000Z')).toBe('2026-12');
    expect(statsMonthOf('2026-12-25T16:00:00.000Z')).toBe('2027-01');
    expect(statsMonthOf('2026-01-01T00:00:00.000Z')).toBe('2026-01');
  });
  it('periods: a month, a quarter, a year, a whole-month range; anything else is refused naming the field', () => {
    expect(periodOf('2026-11')).toMatchObject({
      fromDate: '2026-10-26',
      toDate: '2026-11-25',
      from: '2026-10-25T16:00:00.000Z',
      to: '2026-11-25T16:00:00.000Z',
      months: ['2026-11'],
    });
    expect(periodOf('2026-Q1')).toMatchObject({ fromDate: '2025-12-26', toDate: '2026-03-25', months: ['2026-01', '2026-02', '2026-03'] });
    expect(periodOf('2026').months).toHaveLength(12);
    expect(rangeOf('2026-09-26', '2026-12-25').months).toEqual(['2026-10', '2026-11', '2026-12']);
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error instanceof Unprocessable ? error.issues[0]?.path : 'other';
      }
      return 'accepted';
    };
    expect(refused(() => rangeOf('2026-10-01', '2026-12-25'))).toBe('from');
    expect(refused(() => rangeOf('2026-09-26', '2026-12-31'))).toBe('to');
    expect(refused(() => rangeOf('2026-12-26', '2026-11-25'))).toBe('to');
    expect(refused(() => periodOf('2026-00'))).toBe('period');
    expect(refused(() => periodOf('Q4'))).toBe('period');
    expect(refused(() => periodOf('0000'))).toBe('period');
    expect(refused(() => periodOf('0000-Q1'))).toBe('period');
    expect(refused(() => rangeOf('0000-12-26', '0001-01-25'))).toBe('from');
    expect(refused(() => rangeOf('2026-02-26', '2026-02-30'))).toBe('to');
  });
});

describe('facts', () => {
  it('an event counts in the month it happens: received on the 25th, closed on the 26th', () => {
    const c = complaint({ unitId: 'gz-tianhe', category: 'delay', deadlines: [], history: [] });
    const got = counts(c, [
      e(1, 'received', '2026-11-25T10:00:00.000Z', { kind: 'complaint', source: 'customer' }),
      e(2, 'closed', '2026-11-26T01:00:00.000Z', { via: 'callback', round: 1 }),
    ]);
    expect(got).toMatchObject({
      '2026-11 received': 1,
      '2026-11 received.complaint': 1,
      '2026-12 closed': 1,
      '2026-12 callbacks_done': 1,
      '2026-12 due_to_close': 1,
    });
    expect(got['2026-12 closed_on_time']).toBeUndefined();
  });
  it('受理量 moves to the unit at the first dispatch, in the receipt month; again at a re-dispatch; never dispatched stays with the centre', () => {
    const received = e(1, 'received', '2026-11-25T15:00:00.000Z', { kind: 'complaint', repeat: true });
    const dispatched = e(2, 'dispatched', '2026-11-25T17:00:00.000Z', { unitId: 'gz-tianhe' });
    const returned = e(3, 'returned', '2026-11-25T18:00:00.000Z');
    const redispatched = e(4, 'dispatched', '2026-11-25T19:00:00.000Z', { unitId: 'gz-yuexiu' });
    const history = [received, dispatched, returned, redispatched];
    const at = (n: number, unitId?: string): Complaint => {
      const { unitId: _, ...base } = complaint({ category: 'delay', deadlines: [], history: history.slice(0, n) });
      return { ...base, ...(unitId !== undefined && { unitId }) } as Complaint;
    };
    const fold = (images: Complaint[]) => {
      let memory = emptyMemory();
      const seen = new Map<string, Set<string>>();
      const cells: Record<string, number> = {};
      for (const image of images) {
        const out = factsOf(image, image.history, memory);
        memory = out.memory;
        for (const f of dedupe(out.facts, seen)) {
          const key = `${f.period} ${f.unitId} ${f.counter}`;
          cells[key] = (cells[key] ?? 0) + f.n;
        }
      }
      return { cells: Object.fromEntries(Object.entries(cells).filter(([, n]) => n !== 0)), seen, memory };
    };
    // Received 25th 23:00 Shanghai (2026-11), dispatched 26th 01:00 (2026-12): 受理量 stays in 2026-11, under the unit.
    const first = fold([at(1), at(2, 'gz-tianhe')]);
    expect(first.cells).toEqual({
      '2026-11 gz-tianhe received': 1,
      '2026-11 gz-tianhe received.repeat': 1,
      '2026-11 gz-tianhe repeated': 1,
      '2026-12 gz-tianhe dispatched': 1,
    });
    expect([...(first.seen.get('2026-11') ?? [])].sort()).toEqual(['received.repeat|gz-tianhe|delay', 'received|gz-tianhe|delay', 'repeated|gz-tianhe|delay']);
    // A redelivery of the dispatch image owes nothing more.
    expect(factsOf(at(2, 'gz-tianhe'), history.slice(0, 2), first.memory).facts).toEqual([]);
    // Returned, then re-dispatched by the centre to another unit: the figures follow the responsible unit.
    const again = fold([at(1), at(2, 'gz-tianhe'), at(3, 'gz-tianhe'), at(4, 'gz-yuexiu')]);
    expect(again.cells).toEqual({
      '2026-11 gz-yuexiu received': 1,
      '2026-11 gz-yuexiu received.repeat': 1,
      '2026-11 gz-yuexiu repeated': 1,
      '2026-12 gz-tianhe dispatched': 1,
      '2026-12 gz-tianhe returned': 1,
      '2026-12 gz-yuexiu dispatched': 1,
    });
    expect([...(again.seen.get('2026-11') ?? [])].every((t) => t.includes('|gz-yuexiu|'))).toBe(true);
    // Never dispatched: the centre's row.
    expect(fold([at(1)]).cells).toEqual({ '2026-11 - received': 1, '2026-11 - received.repeat': 1, '2026-11 - repeated': 1 });
  });
  it('received types: a transfer is 投诉升级, a repeat intake 重复投诉, inquiries and feedback by kind; a re-dispatch is 重处理', () => {
    const c = complaint({ history: [], deadlines: [] });
    const at = '2026-11-10T02:00:00.000Z';
    expect(counts(c, [e(1, 'received', at, { source: 'external' })])).toMatchObject({ '2026-11 received.escalated': 1, '2026-11 escalated': 1 });
    expect(counts(c, [e(1, 'received', at, { repeat: true })])).toMatchObject({ '2026-11 received.repeat': 1, '2026-11 repeated': 1 });
    expect(counts(c, [e(1, 'received', at, { kind: 'inquiry' })])).toMatchObject({ '2026-11 received.inquiry': 1 });
    expect(counts(c, [e(1, 'redispatched', at)])).toMatchObject({ '2026-11 received.reprocess': 1, '2026-11 redispatched': 1 });
    expect(counts(c, [e(1, 'repeat_linked', at, { counted: false })])).toEqual({});
    // A transfer or a threat about an open case is a 投诉升级 of that case (decision 043).
    expect(counts(c, [e(1, 'complaint_escalated', at, { via: 'transfer', cues: [], count: 1, fromSource: 'customer' })])).toMatchObject({
      '2026-11 received.escalated': 1,
      '2026-11 escalated': 1,
    });
    // 投诉升级量 counts complaints (INDICATORS.md): a case already external (transferred at intake, or escalated
    // before) is not counted again when it is escalated again.
    expect(counts(c, [e(1, 'complaint_escalated', at, { via: 'transfer', cues: [], count: 2, fromSource: 'external' })])).toEqual({});
    // A repeat that reopens a recently closed case is a 重复投诉 too (SPEC: counted either way, decision 043).
    expect(counts(c, [e(1, 'repeat_linked', at, { counted: true, reopened: true })])).toMatchObject({ '2026-11 received.repeat': 1, '2026-11 repeated': 1 });
  });
  it('time limits count once when met or breached; a limit met after its breach is not on time; extensions are in dueAt', () => {
    const c = complaint({
      history: [],
      deadlines: [
        {
          milestone: 'reply',
          round: 1,
          startedAt: '2026-11-01T00:00:00.000Z',
          dueAt: '2026-11-05T00:00:00.000Z',
          warnAt: '2026-11-04T00:00:00.000Z',
          state: 'met',
          metAt: '2026-11-04T00:00:00.000Z',
        },
        {
          milestone: 'sign',
          round: 1,
          startedAt: '2026-11-01T00:00:00.000Z',
          dueAt: '2026-11-01T00:20:00.000Z',
          warnAt: '2026-11-01T00:16:00.000Z',
          state: 'met',
          metAt: '2026-11-01T01:00:00.000Z',
          breachedAt: '2026-11-01T00:20:00.000Z',
        },
        {
          milestone: 'assist:A1',
          round: 1,
          startedAt: '2026-11-01T00:00:00.000Z',
          dueAt: '2026-11-02T00:00:00.000Z',
          warnAt: '2026-11-01T20:00:00.000Z',
          state: 'pending',
        },
      ],
    });
    const first = factsOf(c, [], emptyMemory());
    const sum = (counter: string) => first.facts.filter((f) => f.counter === counter).reduce((n, f) => n + f.n, 0);
    expect([sum('ms_due'), sum('ms_met'), sum('due.reply'), sum('met.reply'), sum('due.sign'), sum('met.sign'), sum('due.assist')]).toEqual([
      2, 1, 1, 1, 1, 0, 0,
    ]);
    expect(factsOf(c, [], first.memory).facts).toEqual([]);
  });
  it('justified: the quality review wins; a reversal counts −1 in its month; a determination after a review changes nothing', () => {
    const determined = e(3, 'justified_determined', '2026-11-20T02:00:00.000Z', { justified: true });
    const reviewed = e(4, 'justified_reviewed', '2026-11-27T02:00:00.000Z', { justified: false });
    const c = complaint({ history: [determined, reviewed], deadlines: [] });
    expect(counts(c, [determined, reviewed])).toEqual({ '2026-11 justified': 1, '2026-12 justified': -1 });
    const late = e(5, 'justified_determined', '2026-11-28T02:00:00.000Z', { justified: true });
    expect(counts({ ...c, history: [determined, reviewed, late] }, [determined, reviewed, late])).toEqual({ '2026-11 justified': 1, '2026-12 justified': -1 });
  });
  it('compensation in fen, escalations by level, warnings and breaches, rectification on time', () => {
    const c = complaint({ history: [], deadlines: [] });
    const at = '2026-11-10T02:00:00.000Z';
    expect(
      counts(c, [
        e(1, 'replied', at, { compensation: { offered: true, amount: 12.35 } }),
        e(2, 'escalated', at, { level: 'quality' }),
        e(3, 'deadline_warned', at, { milestone: 'reply' }),
        e(4, 'deadline_breached', at, { milestone: 'reply' }),
        e(5, 'rectification_filed', at, { dueAt: '2026-11-11T00:00:00.000Z' }),
        e(6, 'compensation_paid', at, { amount: 10 }),
      ]),
    ).toEqual({
      '2026-11 replies': 1,
      '2026-11 comp_offered': 1,
      '2026-11 comp_offered_fen': 1235,
      '2026-11 esc.quality': 1,
      '2026-11 warnings': 1,
      '2026-11 breaches': 1,
      '2026-11 due_to_close': 1,
      '2026-11 rect_due': 1,
      '2026-11 rect_on_time': 1,
      '2026-11 comp_paid': 1,
      '2026-11 comp_paid_fen': 1000,
    });
  });
  it('a complaint figure counts a complaint once per month and cell; event figures count every event', () => {
    const f = (counter: string) => ({ period: '2026-11', unitId: 'gz-tianhe', category: 'delay', counter, n: 1 });
    const kept = dedupe([f('closed'), f('closed'), f('replies'), f('replies')], new Map());
    expect(kept.map((x) => x.counter)).toEqual(['closed', 'replies', 'replies']);
  });
});

describe('counters and reports', () => {
  it('storage codes round-trip, and a cell with every counter at a large value stays under 1 KB (1 WCU per update)', () => {
    const item: Record<string, unknown> = {
      PK: 'STATS#2026-11',
      SK: 'gz-tianhe-delivery-station#wrong_delivery',
      period: '2026-11',
      unitId: 'gz-tianhe-delivery-station',
      category: 'wrong_delivery',
      entity: 'stats-cell',
    };
    for (const c of COUNTERS) {
      expect(counterOfCode(counterCode(c.id))).toBe(c.id);
      item[counterCode(c.id)] = 123_456_789;
    }
    expect(itemSize(item)).toBeLessThan(1024);
  });
  it('buildReport: cells, rows, totals, a rate null on 0/0, targets, leaders limited to their unit', () => {
    const period = periodOf('2026-11');
    const items: CounterItem[] = [
      { period: '2026-11', unitId: 'gz-tianhe', category: 'delay' as const, counts: { closed: 4, due_to_close: 5, replies: 4, replies_effective: 3 } },
      { period: '2026-11', unitId: 'gz-yuexiu', category: 'loss' as const, counts: { closed: 1, due_to_close: 1 } },
      { period: '2026-10', unitId: 'gz-yuexiu', category: 'loss' as const, counts: { closed: 9 } },
    ];
    const r = buildReport(period, items, [{ id: 'gz-tianhe', name: '天河' }], { calendarVersion: 'built-in', formulaVersion: 'f', generatedAt: 'now' });
    expect(r.cells).toHaveLength(2);
    expect(r.total.counts['closed']).toBe(5);
    const rate = (id: string, inds = r.total.indicators) => inds.find((i) => i.id === id);
    expect(rate('close_rate')).toMatchObject({ numerator: 5, denominator: 6, rate: 5 / 6 });
    expect(rate('reply_effectiveness')).toMatchObject({ rate: 0.75, target: 1 });
    expect(rate('satisfaction')?.rate).toBeNull();
    expect(r.byUnit.map((u) => [u.unitId, u.unitName])).toEqual([
      ['gz-tianhe', '天河'],
      ['gz-yuexiu', 'gz-yuexiu'],
    ]);
    expect(r.byCategory.map((c) => c.categoryName)).toEqual(['丢失', '延误']);
    const leader = buildReport(period, items, [], { calendarVersion: 'built-in', formulaVersion: 'f', generatedAt: 'now', unitId: 'gz-yuexiu' });
    expect(leader.total.counts['closed']).toBe(1);
    expect(INDICATORS.every((i) => COUNTERS.some((c) => c.id === i.numerator) && COUNTERS.some((c) => c.id === i.denominator))).toBe(true);
  });
});
