import { describe, expect, it } from 'vitest';
import { drillHref } from '../../../console/src/report-data.ts';
import { periodChoices, statsMonth, trendMonths } from '../../../console/src/reports.ts';
import { drillOf, drillQueue } from '../../../console/src/worklist.ts';
import { statsMonthOf } from '#domain/indicators.ts';
import { periodOf } from '#domain/reports.ts';
import { ListQuery } from '#domain/schemas.ts';

describe('the console’s reports page', () => {
  it('names the statistics month of an instant as the server does (the 26th 00:00 Shanghai opens the next), across a year', () => {
    // Prepare: every 6 hours of 2026 plus the instants either side of each 26th 00:00 Shanghai and of New Year.
    const instants: number[] = [];
    for (let t = Date.parse('2025-12-20T00:00:00Z'); t < Date.parse('2027-01-05T00:00:00Z'); t += 6 * 3_600_000) instants.push(t);
    for (let m = 0; m < 12; m++) {
      const edge = Date.UTC(2026, m, 25, 16); // 26th 00:00 Shanghai
      instants.push(edge - 1, edge);
    }
    // Act + Assess
    for (const t of instants) expect(statsMonth(t), new Date(t).toISOString()).toBe(statsMonthOf(new Date(t)));
  });

  it('offers only periods the server takes: 24 months, 8 quarters and 5 years, newest first', () => {
    for (const kind of ['month', 'quarter', 'year'] as const) {
      const choices = periodChoices(kind, '2027-01');
      for (const label of choices) expect(() => periodOf(label), label).not.toThrow();
      expect(new Set(choices).size).toBe(choices.length);
    }
    expect(periodChoices('month', '2027-01').slice(0, 3)).toEqual(['2027-01', '2026-12', '2026-11']);
    expect(periodChoices('quarter', '2027-01').slice(0, 3)).toEqual(['2027-Q1', '2026-Q4', '2026-Q3']);
    expect(periodChoices('year', '2027-01')).toEqual(['2027', '2026', '2025', '2024', '2023']);
  });

  it('draws the trend over the 6 months ending with the period (12 of a year), never a month still to come', () => {
    expect(trendMonths('2026-02', '2026-11')).toEqual(['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02']);
    expect(trendMonths('2026-Q4', '2026-11')).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(trendMonths('2026', '2026-03')).toEqual(['2026-01', '2026-02', '2026-03']);
  });

  it('links a figure to a worklist whose drill-down GET /complaints accepts, and reads it back from the link', () => {
    // Act
    const href = drillHref('received.repeat', '2026-11', 'gz-tianhe');
    const drill = drillOf(new URL(href, 'http://x').search);
    // Assess
    expect(drill).toEqual({ figure: 'received.repeat', period: '2026-11', unitId: 'gz-tianhe' });
    const queue = drillQueue(drill as Record<string, string>);
    expect(ListQuery.safeParse({ ...queue.query, limit: '50' }).success).toBe(true);
    expect(drillOf('?status=received')).toBeUndefined();
    expect(drillOf('?figure=closed&period=2026-11&token=abc')).toEqual({ figure: 'closed', period: '2026-11' });
  });
});
