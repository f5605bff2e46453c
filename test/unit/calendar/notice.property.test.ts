/**
 * Notices loaded at run time (decision 055): whatever an admin sends, a notice the validator accepts
 * never makes a statutory holiday (全国年节及纪念日放假办法) a working day — nor does a provisional year.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOLIDAYS_CN_PROVISIONAL, provisionalEntries } from '#domain/calendar/holidays.ts';
import { calendarWithNotices, checkNotice, type CalendarNotice } from '#domain/calendar/notice.ts';

const YEARS = Object.keys(HOLIDAYS_CN_PROVISIONAL.years).map(Number);
const DAY = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const noon = (date: string) => new Date(`${date}T12:00:00+08:00`);
/** A break's days off (`MM-DD`, possibly in two runs, e.g. a 元旦 that starts on 12-31) as contiguous ranges. */
function ranges(year: number, off: readonly string[]): Array<{ from: string; to: string }> {
  const days = off.map((md) => `${year}-${md}`).sort();
  const out: Array<{ from: string; to: string }> = [];
  for (const d of days) {
    const last = out[out.length - 1];
    if (last && shift(last.to, 1) === d) last.to = d;
    else out.push({ from: d, to: d });
  }
  return out;
}
const statutory = (year: number) => (HOLIDAYS_CN_PROVISIONAL.years[String(year)]?.statutory ?? []).map((md) => `${year}-${md}`);

/** A notice built from the year's prediction with each break's edges moved and random make-up days: often valid, often not. */
const anyNotice = fc.constantFrom(...YEARS).chain((year) => {
  const breaks = HOLIDAYS_CN_PROVISIONAL.years[String(year)]?.breaks ?? [];
  return fc
    .record({
      edges: fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.constant<[number, number]>([0, 0]) },
          { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -2, max: 1 }), fc.integer({ min: -1, max: 2 })) },
        ),
        { minLength: 20, maxLength: 20 },
      ),
      extra: fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 2 }),
      keep: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    })
    .map(({ edges, extra, keep }) => {
      const predicted = breaks.flatMap((b) => b.work.map((md) => `${year}-${md}`)).filter((_, i) => keep[i] !== false || i % 2 === 0);
      const notice: CalendarNotice = {
        number: `国办发明电〔${year - 1}〕7号`,
        url: 'https://www.gov.cn/zhengce/content/notice.htm',
        publishedAt: `${year - 1}-11-04`,
        holidays: breaks
          .flatMap((b) => ranges(year, b.off).map((r) => ({ name: b.name, ...r })))
          .map((h, i) => {
            const [from, to] = edges[i] ?? [0, 0];
            return { name: h.name, from: shift(h.from, from), to: shift(h.to, to) };
          }),
        makeupWorkdays: [...new Set([...predicted, ...extra.map((n) => shift(`${year}-01-01`, n)).filter((d) => d.startsWith(String(year)))])],
      };
      return { year, notice };
    });
});

describe('statutory holidays never become working days', () => {
  it('holds for every notice the validator accepts (and the validator accepts some and refuses some)', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(anyNotice, ({ year, notice }) => {
        const { notice: valid } = checkNotice(year, notice);
        if (!valid) {
          refused++;
          return;
        }
        accepted++;
        const calendar = calendarWithNotices([{ year, version: 1, notice: valid }]);
        expect(calendar.yearStatus(year)).toBe('official');
        for (const day of statutory(year)) expect(calendar.isWorkingDay(noon(day)), `${day} is a statutory holiday`).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });

  it('holds for every provisional year (no notice loaded)', () => {
    const calendar = calendarWithNotices([]);
    for (const year of YEARS) {
      expect(calendar.yearStatus(year)).toBe('provisional');
      for (const day of statutory(year)) expect(calendar.isWorkingDay(noon(day)), `${day}`).toBe(false);
    }
  });

  it('accepts the prediction itself as a notice, and then the year is official with the same days', () => {
    for (const year of YEARS) {
      const data = HOLIDAYS_CN_PROVISIONAL.years[String(year)];
      if (!data) continue;
      const entries = provisionalEntries(String(year), data);
      const notice = {
        number: `国办发明电〔${year - 1}〕7号`,
        url: 'https://www.gov.cn/zhengce/content/notice.htm',
        publishedAt: `${year - 1}-11-04`,
        holidays: data.breaks.flatMap((b) => ranges(year, b.off).map((r) => ({ name: b.name, ...r }))),
        makeupWorkdays: entries.makeupWorkdays.map((e) => e.date),
      };
      const { notice: valid, issues } = checkNotice(year, notice);
      expect(issues, String(year)).toEqual([]);
      const official = calendarWithNotices([{ year, version: 1, notice: valid as CalendarNotice }]);
      const predicted = calendarWithNotices([]);
      for (let d = 0; d < 365; d++) {
        const day = noon(shift(`${year}-01-01`, d));
        expect(official.isWorkingDay(day)).toBe(predicted.isWorkingDay(day));
      }
    }
  });
});
