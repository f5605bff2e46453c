import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WorkCalendar, calendarFor, localDate } from '#domain/calendar/calendar.ts';
import { CN_CALENDAR_CONFIG, CN_WORK_CALENDAR } from '#domain/calendar/holidays.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Any instant from 2024 to the end of 2026 (the years the holiday data covers). */
const instant = fc.integer({ min: Date.UTC(2023, 11, 31, 16), max: Date.UTC(2026, 10, 30) }).map((t) => new Date(t));
const hours = fc.double({ min: 0, max: 200, noNaN: true });
const minutes = fc.integer({ min: 0, max: 200 * 60 });

/** Random calendars: random hours, random closures and extra working days, sometimes everyDay. */
const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const anyCalendar: fc.Arbitrary<WorkCalendar> = fc
  .record({
    start: fc.integer({ min: 0, max: 22 * 60 }),
    length: fc.integer({ min: 15, max: 12 * 60 }),
    closed: fc.uniqueArray(fc.integer({ min: 0, max: 1_000 }), { maxLength: 60 }),
    opened: fc.uniqueArray(fc.integer({ min: 0, max: 1_000 }), { maxLength: 20 }),
    everyDay: fc.boolean(),
  })
  .map(({ start, length, closed, opened, everyDay }) => {
    const date = (n: number): string => new Date(Date.UTC(2024, 0, 1) + n * DAY).toISOString().slice(0, 10);
    return calendarFor(CN_CALENDAR_CONFIG, {
      workingHours: { start: hhmm(start), end: hhmm(Math.min(start + length, 24 * 60)) },
      holidays: closed.map(date),
      makeupWorkdays: opened.filter((n) => !closed.includes(n)).map(date),
      everyDay,
    });
  });
const calendars = fc.oneof(fc.constant(CN_WORK_CALENDAR), fc.constant(calendarFor(CN_CALENDAR_CONFIG, { everyDay: true })), anyCalendar);

/** In working time, or exactly at the closing time of a working day (a deadline "by 18:30"). */
function inWorkingHours(cal: WorkCalendar, d: Date): boolean {
  return cal.isWorkingTime(d) || cal.isWorkingTime(new Date(d.getTime() - 1));
}

describe('addWorkingHours properties', () => {
  it('adds exactly the requested working time: workingMillisBetween(t, t + h) = h', () => {
    fc.assert(
      fc.property(calendars, instant, hours, (cal, t, h) => {
        expect(cal.workingMillisBetween(t, cal.addWorkingHours(t, h))).toBe(Math.round(h * HOUR));
      }),
    );
  });

  it('is monotonic in the amount', () => {
    fc.assert(
      fc.property(calendars, instant, hours, hours, (cal, t, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(cal.addWorkingHours(t, lo).getTime()).toBeLessThanOrEqual(cal.addWorkingHours(t, hi).getTime());
      }),
    );
  });

  it('is monotonic in the start instant', () => {
    fc.assert(
      fc.property(calendars, instant, instant, hours, (cal, a, b, h) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(cal.addWorkingHours(early, h).getTime()).toBeLessThanOrEqual(cal.addWorkingHours(late, h).getTime());
      }),
    );
  });

  it('never goes back in time', () => {
    fc.assert(
      fc.property(calendars, instant, hours, (cal, t, h) => {
        expect(cal.addWorkingHours(t, h).getTime()).toBeGreaterThanOrEqual(t.getTime());
      }),
    );
  });

  it('always lands in working hours (possibly exactly at closing)', () => {
    fc.assert(
      fc.property(calendars, instant, hours, (cal, t, h) => {
        expect(inWorkingHours(cal, cal.addWorkingHours(t, h))).toBe(true);
      }),
    );
  });

  it('lands strictly in working time for zero hours (the next working instant)', () => {
    fc.assert(
      fc.property(calendars, instant, (cal, t) => {
        const r = cal.addWorkingHours(t, 0);
        expect(cal.isWorkingTime(r)).toBe(true);
        expect(r).toEqual(cal.nextWorkingInstant(t));
      }),
    );
  });

  it('composes: adding a then b minutes equals adding a + b minutes (b > 0)', () => {
    fc.assert(
      fc.property(
        calendars,
        instant,
        minutes,
        minutes.filter((m) => m > 0),
        (cal, t, a, b) => {
          const stepwise = cal.addWorkingMinutes(cal.addWorkingMinutes(t, a), b);
          expect(stepwise).toEqual(cal.addWorkingMinutes(t, a + b));
        },
      ),
    );
  });
});

describe('addWorkingDays properties', () => {
  const n = fc.integer({ min: 1, max: 40 });

  it('is strictly increasing in n', () => {
    fc.assert(
      fc.property(calendars, instant, n, (cal, t, k) => {
        expect(cal.addWorkingDays(t, k).getTime()).toBeGreaterThan(cal.addWorkingDays(t, k - 1).getTime());
      }),
    );
  });

  it('puts exactly one working day of working time between day n-1 and day n (n ≥ 2)', () => {
    fc.assert(
      fc.property(
        calendars,
        instant,
        n.filter((k) => k >= 2),
        (cal, t, k) => {
          const between = cal.workingMillisBetween(cal.addWorkingDays(t, k - 1), cal.addWorkingDays(t, k));
          expect(between).toBe(cal.workingDayMillis);
        },
      ),
    );
  });

  it('ends at the close of a working day after the start day, whatever the time of day of the start', () => {
    fc.assert(
      fc.property(calendars, instant, n, (cal, t, k) => {
        const r = cal.addWorkingDays(t, k);
        expect(cal.isWorkingTime(new Date(r.getTime() - 1))).toBe(true);
        expect(cal.isWorkingTime(r)).toBe(false);
        expect(localDate(r) > localDate(t)).toBe(true);
      }),
    );
  });
});

describe('workingMillisBetween properties', () => {
  it('is additive over adjacent intervals and antisymmetric', () => {
    fc.assert(
      fc.property(calendars, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        expect(cal.workingMillisBetween(a, b) + cal.workingMillisBetween(b, c)).toBe(cal.workingMillisBetween(a, c));
        expect(cal.workingMillisBetween(c, a)).toBe(-cal.workingMillisBetween(a, c));
      }),
    );
  });

  it('never exceeds wall-clock time', () => {
    fc.assert(
      fc.property(calendars, instant, instant, (cal, x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        expect(cal.workingMillisBetween(a, b)).toBeLessThanOrEqual(b.getTime() - a.getTime());
      }),
    );
  });
});
