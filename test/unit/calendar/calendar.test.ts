import { describe, expect, it, vi } from 'vitest';
import { WorkCalendar, calendarFor, calendarOverrideSchema, localDate, localTime, type WorkCalendarConfig } from '#domain/calendar/calendar.ts';
import { CN_CALENDAR_CONFIG, CN_WORK_CALENDAR } from '#domain/calendar/holidays.ts';

/** Shanghai wall-clock time 'YYYY-MM-DD HH:MM' → Date. */
const sh = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+08:00`);
/** Date → Shanghai 'YYYY-MM-DD HH:MM', with seconds/ms only when present so mistakes show. */
const at = (d: Date): string => {
  const rest = d.getTime() % 60_000;
  return `${localDate(d)} ${localTime(d)}${rest === 0 ? '' : `+${rest}ms`}`;
};
const HOUR = 3_600_000;

const office = CN_WORK_CALENDAR;
const everyDayUnit = calendarFor(CN_CALENDAR_CONFIG, { everyDay: true });

describe('isWorkingDay on the official calendar', () => {
  it.each([
    // 2025 Spring Festival: 01-28 … 02-04 off, make-up Sun 01-26 and Sat 02-08
    ['2025-01-25', 'ordinary Saturday before the break', false],
    ['2025-01-26', 'make-up Sunday 春节调休', true],
    ['2025-01-27', 'Monday before 除夕', true],
    ['2025-01-28', '除夕, first holiday', false],
    ['2025-02-04', 'last holiday (正月初七)', false],
    ['2025-02-05', 'first day back', true],
    ['2025-02-08', 'make-up Saturday 春节调休', true],
    ['2025-02-09', 'ordinary Sunday after the make-up day', false],
    // 2025 National Day + Mid-Autumn: 10-01 … 10-08 off, make-up Sun 09-28 and Sat 10-11
    ['2025-09-28', 'make-up Sunday 国庆调休', true],
    ['2025-10-01', 'National Day', false],
    ['2025-10-08', 'eighth day of the combined break', false],
    ['2025-10-09', 'first day back', true],
    ['2025-10-11', 'make-up Saturday 国庆调休', true],
    ['2025-10-12', 'ordinary Sunday', false],
    // 2026 New Year: 01-01 … 01-03 off, make-up Sun 01-04
    ['2026-01-02', 'Friday inside the New Year break', false],
    ['2026-01-04', 'make-up Sunday 元旦调休', true],
    // 2026 Spring Festival: 02-15 … 02-23 off, make-up Sat 02-14 and Sat 02-28
    ['2026-02-13', 'Friday before the break', true],
    ['2026-02-14', 'make-up Saturday 春节调休', true],
    ['2026-02-15', 'first holiday (腊月二十八)', false],
    ['2026-02-23', 'last holiday (正月初七, a Monday)', false],
    ['2026-02-24', 'first day back', true],
    ['2026-02-28', 'make-up Saturday 春节调休', true],
    ['2026-03-01', 'ordinary Sunday', false],
    // 2026 National Day: 10-01 … 10-07 off, make-up Sun 09-20 and Sat 10-10
    ['2026-09-20', 'make-up Sunday 国庆调休', true],
    ['2026-09-25', 'Mid-Autumn (Friday)', false],
    ['2026-10-07', 'last National Day holiday (Wednesday)', false],
    ['2026-10-08', 'first day back', true],
    ['2026-10-10', 'make-up Saturday 国庆调休', true],
    // plain weeks
    ['2026-03-04', 'ordinary Wednesday', true],
    ['2026-03-07', 'ordinary Saturday', false],
  ])('%s (%s) → %s', (date, _label, expected) => {
    // Prepare
    const noon = sh(`${date} 12:00`);
    // Act
    const working = office.isWorkingDay(noon);
    // Assess
    expect(working).toBe(expected);
  });

  it('uses the Shanghai date, not the UTC date, of an instant', () => {
    // Prepare: 16:30 UTC on Friday 02-13 is 00:30 on make-up Saturday 02-14 in Shanghai,
    // 16:30 UTC on Saturday 02-14 is 00:30 on holiday Sunday 02-15.
    const fridayUtcSaturdayLocal = new Date('2026-02-13T16:30:00Z');
    const saturdayUtcSundayLocal = new Date('2026-02-14T16:30:00Z');
    // Act / Assess
    expect(localDate(fridayUtcSaturdayLocal)).toBe('2026-02-14');
    expect(office.isWorkingDay(fridayUtcSaturdayLocal)).toBe(true);
    expect(office.isWorkingDay(saturdayUtcSundayLocal)).toBe(false);
  });
});

describe('isWorkingTime at the edges of 08:30–18:30', () => {
  it.each([
    ['2026-03-02T08:29:59.999+08:00', 'one ms before opening', false],
    ['2026-03-02T08:30:00.000+08:00', 'exactly 08:30', true],
    ['2026-03-02T18:29:59.999+08:00', 'one ms before closing', true],
    ['2026-03-02T18:30:00.000+08:00', 'exactly 18:30 (end is exclusive)', false],
    ['2026-02-16T10:00:00.000+08:00', 'mid-morning on a Spring Festival holiday', false],
    ['2026-02-14T10:00:00.000+08:00', 'mid-morning on a make-up Saturday', true],
  ])('%s (%s) → %s', (iso, _label, expected) => {
    expect(office.isWorkingTime(new Date(iso))).toBe(expected);
  });
});

describe('nextWorkingInstant', () => {
  it.each([
    ['2026-03-02 10:15', '2026-03-02 10:15', 'inside working time: itself'],
    ['2026-03-02 07:00', '2026-03-02 08:30', 'before opening: same-day opening'],
    ['2026-03-02 18:30', '2026-03-03 08:30', 'exactly at closing: next morning'],
    ['2026-03-06 20:00', '2026-03-09 08:30', 'Friday evening: Monday morning'],
    ['2026-02-13 19:00', '2026-02-14 08:30', 'Friday evening before Spring Festival: make-up Saturday'],
    ['2026-02-14 18:45', '2026-02-24 08:30', 'after the make-up Saturday: first day after the break'],
  ])('%s → %s (%s)', (from, expected) => {
    expect(at(office.nextWorkingInstant(sh(from)))).toBe(expected);
  });
});

describe('addWorkingHours', () => {
  it.each([
    ['2026-02-13 17:00', 2, '2026-02-14 09:00', 'Friday 17:00 + 2 h: 1.5 h on Friday, 0.5 h on make-up Saturday'],
    ['2026-02-13 17:30', 2, '2026-02-14 09:30', 'Friday 17:30 + 2 h lands on make-up Saturday 09:30'],
    ['2026-02-14 17:00', 2, '2026-02-24 09:00', 'make-up Saturday 17:00 + 2 h crosses the whole 9-day break'],
    ['2026-02-27 18:00', 1, '2026-02-28 09:00', 'Friday after the break + 1 h lands on make-up Saturday 02-28'],
    ['2025-01-24 17:00', 2, '2025-01-26 09:00', 'Friday + 2 h skips Saturday, lands on make-up Sunday 01-26'],
    ['2025-01-27 18:00', 1, '2025-02-05 09:00', 'last day before 除夕 + 1 h crosses 01-28 … 02-04'],
    ['2025-02-07 18:00', 1, '2025-02-08 09:00', 'Friday + 1 h lands on make-up Saturday 02-08'],
    ['2025-09-26 18:00', 1, '2025-09-28 09:00', 'Friday + 1 h lands on make-up Sunday 09-28'],
    ['2025-09-30 18:00', 1, '2025-10-09 09:00', 'eve of National Day + 1 h crosses the 8-day break'],
    ['2025-10-10 18:00', 1, '2025-10-11 09:00', 'Friday + 1 h lands on make-up Saturday 10-11'],
    ['2026-09-30 17:00', 2, '2026-10-08 09:00', 'eve of National Day 2026 + 2 h crosses 10-01 … 10-07'],
    ['2026-10-09 18:00', 1, '2026-10-10 09:00', 'Friday + 1 h lands on make-up Saturday 10-10'],
    ['2026-03-02 07:00', 1, '2026-03-02 09:30', 'before 08:30 the clock starts at 08:30'],
    ['2026-03-02 18:30', 1, '2026-03-03 09:30', 'exactly 18:30 counts from the next morning'],
    ['2026-03-02 16:30', 2, '2026-03-02 18:30', 'a deadline may fall exactly at 18:30'],
    ['2026-03-02 10:00', 1.25, '2026-03-02 11:15', 'fractional hours'],
    ['2026-03-02 10:00', 10.5, '2026-03-03 10:30', 'more than one working day of hours'],
    ['2026-03-07 11:00', 0, '2026-03-09 08:30', 'zero hours from a Saturday is Monday opening'],
  ])('%s + %s h → %s (%s)', (from, hours, expected) => {
    expect(at(office.addWorkingHours(sh(from), hours))).toBe(expected);
  });

  it('adds minutes of working time, wrapping past closing', () => {
    expect(at(office.addWorkingMinutes(sh('2026-03-02 18:20'), 15))).toBe('2026-03-03 08:35');
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s hours', (hours) => {
    expect(() => office.addWorkingHours(sh('2026-03-02 10:00'), hours)).toThrow(RangeError);
  });

  it('adds 15 working days across Spring Festival by looking at days, not minutes', () => {
    // Prepare: count the calendar's day look-ups (a private method, reached at run time).
    const lookups = vi.spyOn(office as unknown as { isWorkingDayNumber(day: number): boolean }, 'isWorkingDayNumber');
    // Act: 15 working days from just before the 2026 holiday (9 days off in between).
    const due = office.addWorkingDays(sh('2026-02-12 10:00'), 15);
    // Assess: the right day, found with a few dozen look-ups — a per-minute walk would need ~36,000 steps.
    expect(at(due)).toBe('2026-03-11 18:30'); // 02-13, 02-14 (make-up), 02-24…02-28 (make-up Sat), 03-02…03-06, 03-09…03-11
    expect(lookups.mock.calls.length).toBeLessThan(100);
    lookups.mockRestore();
  });
});

describe('addWorkingDays: the Civil Code period (民法典 201, 203) ends at 18:30 of the n-th working day after the start day', () => {
  it.each([
    ['2026-02-13 17:00', 1, '2026-02-14 18:30', 'Friday + 1 is the make-up Saturday, at its close'],
    ['2026-02-13 17:00', 2, '2026-02-24 18:30', 'Friday + 2 crosses the Spring Festival break'],
    ['2026-02-13 17:00', 5, '2026-02-27 18:30', 'Friday before the break + 5 crosses the whole break'],
    ['2026-02-13 17:00', 6, '2026-02-28 18:30', 'the 6th is the second make-up Saturday'],
    ['2026-02-13 08:31', 1, '2026-02-14 18:30', 'the time of day of the start does not matter'],
    ['2026-02-15 10:00', 1, '2026-02-24 18:30', 'the day before 除夕, a holiday: the next working day, not 正月初一'],
    ['2025-01-24 10:00', 5, '2025-02-07 18:30', '2025: make-up Sunday 01-26 counts, 01-28 … 02-04 do not'],
    ['2025-09-26 10:00', 5, '2025-10-10 18:30', '2025 National Day: 09-28 counts, 10-01 … 10-08 do not'],
    ['2025-09-30 10:00', 1, '2025-10-09 18:30', '2025 National Day eve + 1: not 10-02'],
    ['2026-09-30 15:00', 3, '2026-10-10 18:30', '2026 National Day: lands on make-up Saturday 10-10'],
    ['2026-03-07 14:00', 1, '2026-03-09 18:30', 'from Saturday the first day is Monday'],
    ['2026-03-02 20:00', 1, '2026-03-03 18:30', 'after closing the start day still does not count, the next day does'],
    ['2026-03-02 07:00', 0, '2026-03-02 08:30', 'zero days is the next working instant'],
  ])('%s + %s → %s (%s)', (from, n, expected) => {
    expect(at(office.addWorkingDays(sh(from), n))).toBe(expected);
  });

  it.each([1.5, -1])('rejects %s working days', (n) => {
    expect(() => office.addWorkingDays(sh('2026-03-02 10:00'), n)).toThrow(RangeError);
  });
});

describe('nextDeadlineInstant: a deadline of an office-hours clock never stands in non-working time', () => {
  it.each([
    ['2026-03-03 10:00', '2026-03-03 10:00', 'working time stays'],
    ['2026-03-03 18:30', '2026-03-03 18:30', 'the close of business stays ("by 18:30")'],
    ['2026-03-03 18:31', '2026-03-04 08:30', 'the evening moves to the next morning'],
    ['2026-03-07 15:00', '2026-03-09 08:30', 'a Saturday moves to Monday'],
    ['2026-02-17 10:00', '2026-02-24 08:30', '正月初一 moves past the Spring Festival break'],
    ['2025-10-02 10:00', '2025-10-09 08:30', '10-02 moves past the National Day break'],
  ])('%s → %s (%s)', (d, expected) => {
    expect(at(office.nextDeadlineInstant(sh(d)))).toBe(expected);
  });
});

describe('calendar (wall-clock) arithmetic ignores holidays', () => {
  it('adds 48 calendar hours straight through the Spring Festival', () => {
    expect(at(office.addCalendarHours(sh('2026-02-14 17:00'), 48))).toBe('2026-02-16 17:00');
  });

  it('adds 7 calendar days as 7 × 24 h', () => {
    expect(at(office.addCalendarDays(sh('2026-02-14 10:00'), 7))).toBe('2026-02-21 10:00');
  });
});

describe('workingMillisBetween', () => {
  it.each([
    ['2026-02-13 17:00', '2026-02-24 09:00', 12, 'Friday 1.5 h + make-up Saturday 10 h + Tuesday 0.5 h'],
    ['2025-09-30 08:30', '2025-10-09 08:30', 10, 'only 09-30 counts across the 2025 National Day break'],
    ['2026-02-15 00:00', '2026-02-23 23:59', 0, 'nothing inside the Spring Festival break'],
    ['2026-03-02 18:30', '2026-03-03 08:30', 0, 'nothing overnight'],
  ])('%s → %s is %s working hours (%s)', (a, b, hours) => {
    expect(office.workingMillisBetween(sh(a), sh(b))).toBe(hours * HOUR);
  });

  it('is negative when the end is before the start', () => {
    expect(office.workingMillisBetween(sh('2026-03-03 10:00'), sh('2026-03-02 10:00'))).toBe(-10 * HOUR);
  });
});

describe('everyDay handling units (seed 000: 含周六、日 8:30–18:30)', () => {
  it.each([
    ['2026-03-07', 'ordinary Saturday'],
    ['2026-02-17', 'Spring Festival (正月初一)'],
    ['2025-10-01', 'National Day'],
  ])('%s (%s) is a working day', (date) => {
    expect(everyDayUnit.isWorkingDay(sh(`${date} 12:00`))).toBe(true);
  });

  it('still keeps working hours: 18:30 on a holiday is not working time', () => {
    expect(everyDayUnit.isWorkingTime(sh('2026-02-17 18:30'))).toBe(false);
    expect(everyDayUnit.isWorkingTime(sh('2026-02-17 18:29'))).toBe(true);
  });

  it('rolls make-up Saturday evening + 2 h onto the holiday Sunday morning', () => {
    expect(at(everyDayUnit.addWorkingHours(sh('2026-02-14 17:00'), 2))).toBe('2026-02-15 09:00');
  });

  it('counts 5 working days as 5 calendar days during the Spring Festival', () => {
    expect(at(everyDayUnit.addWorkingDays(sh('2026-02-13 17:00'), 5))).toBe('2026-02-18 18:30');
  });
});

describe('calendarFor merges organisation and unit overrides', () => {
  it('adds an extra closure day for one unit', () => {
    // Prepare
    const unit = calendarFor(office, { holidays: ['2026-03-04'] });
    // Act / Assess
    expect(unit.isWorkingDay(sh('2026-03-04 12:00'))).toBe(false);
    expect(office.isWorkingDay(sh('2026-03-04 12:00'))).toBe(true);
  });

  it('turns a public holiday into a working day and removes it from the holidays', () => {
    const unit = calendarFor(office, { makeupWorkdays: ['2026-02-16'] });
    expect(unit.isWorkingDay(sh('2026-02-16 12:00'))).toBe(true);
    expect(unit.config.holidays.has('2026-02-16')).toBe(false);
  });

  it('replaces the working hours', () => {
    const unit = calendarFor(office, { workingHours: { start: '09:00', end: '17:00' } });
    expect(at(unit.addWorkingHours(sh('2026-03-02 16:00'), 2))).toBe('2026-03-03 10:00');
    expect(unit.workingDayMillis).toBe(8 * HOUR);
  });

  it('applies overrides in order: the unit can reopen a day the organisation closed', () => {
    const org = { holidays: ['2026-03-04'] };
    const unit = { makeupWorkdays: ['2026-03-04'] };
    expect(calendarFor(office, org).isWorkingDay(sh('2026-03-04 12:00'))).toBe(false);
    expect(calendarFor(office, org, unit).isWorkingDay(sh('2026-03-04 12:00'))).toBe(true);
  });

  it('lets a unit override switch everyDay off again', () => {
    const unit = calendarFor(everyDayUnit, { everyDay: false });
    expect(unit.isWorkingDay(sh('2026-03-07 12:00'))).toBe(false);
  });

  it('rejects an override listing one date as both holiday and working day', () => {
    expect(() => calendarFor(office, { holidays: ['2026-03-04'], makeupWorkdays: ['2026-03-04'] })).toThrow(/both holiday and working day/);
  });

  it('validates an override file and names the bad field', () => {
    // Prepare
    const json = { holidays: ['2026-02-30'], workingHours: { start: '18:00', end: '09:00' } };
    // Act
    const result = calendarOverrideSchema.safeParse(json);
    // Assess
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['holidays.0', 'workingHours.end']));
  });
});

describe('WorkCalendar configuration checks', () => {
  const base: WorkCalendarConfig = {
    timeZone: 'Asia/Shanghai',
    workingHours: { start: '08:30', end: '18:30' },
    holidays: new Set<string>(),
    makeupWorkdays: new Set<string>(),
  };

  it.each([
    [{ workingHours: { start: '18:30', end: '08:30' } }, /start < end/],
    [{ workingHours: { start: '8:30', end: '18:30' } }, /HH:MM/],
    [{ holidays: new Set(['2026-13-01']) }, /YYYY-MM-DD/],
    [{ holidays: new Set(['2026-02-14']), makeupWorkdays: new Set(['2026-02-14']) }, /both a holiday and a make-up/],
  ])('rejects %o', (patch, message) => {
    expect(() => new WorkCalendar({ ...base, ...patch })).toThrow(message);
  });

  it('fails loudly instead of looping when no working day exists', () => {
    // Prepare: every day of 2026 and 2027 closed
    const closed = new Set<string>();
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
      closed.add(new Date(t).toISOString().slice(0, 10));
    }
    const cal = new WorkCalendar({ ...base, holidays: closed });
    // Act / Assess
    expect(() => cal.addWorkingHours(sh('2026-03-02 10:00'), 1)).toThrow(/no working day/);
  });

  it('reports whether the holiday data covers a date', () => {
    expect(office.isCovered(sh('2026-12-31 12:00'))).toBe(true);
    expect(office.isCovered(sh('2027-01-04 12:00'))).toBe(false);
    expect(new WorkCalendar(base).isCovered(sh('2030-01-01 12:00'))).toBe(true);
  });
});
