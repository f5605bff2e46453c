import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkCalendar, calendarFor } from '#domain/calendar/calendar.ts';
import { generateProvisional } from '#domain/calendar/generate.ts';
import {
  CN_CALENDAR_CONFIG,
  CN_WORK_CALENDAR,
  HOLIDAYS_CN,
  HOLIDAYS_CN_PROVISIONAL,
  calendarConfigFrom,
  holidayName,
  provisionalFileSchema,
  type HolidayFile,
} from '#domain/calendar/holidays.ts';
import { lunarFestivals } from '#domain/calendar/lunar.ts';
import { missedDays, predictYear, statutoryFestivals } from '#domain/calendar/predict.ts';
import { sh } from '#test/support/sla.ts';

const DAY = 86_400_000;
const noonOf = (date: string): Date => sh(`${date} 12:00`);
const PROVISIONAL_YEARS = Object.keys(HOLIDAYS_CN_PROVISIONAL.years).map(Number);

describe('the generated provisional file', () => {
  it('is exactly what scripts/calendar-provisional.ts produces for 2027–2036 (regenerate it after changing the rules)', () => {
    // Prepare
    const committed: unknown = JSON.parse(readFileSync(new URL('../../../shared/config/holidays-cn-provisional.json', import.meta.url), 'utf8'));
    // Act
    const fresh = generateProvisional(2027, 2036);
    // Assess
    expect(committed).toEqual(fresh);
  });

  it('covers 2027–2036 and none of the officially published years', () => {
    expect(PROVISIONAL_YEARS).toEqual([2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035, 2036]);
    expect(CN_WORK_CALENDAR.yearStatus(2026)).toBe('official');
    expect(CN_WORK_CALENDAR.yearStatus(2027)).toBe('provisional');
    expect(CN_WORK_CALENDAR.yearStatus(2037)).toBe('uncovered');
  });

  it('rejects a provisional file whose statutory day is a working day, naming the entry', () => {
    // Prepare: drop 2027-10-01 from the days off
    const file = structuredClone(HOLIDAYS_CN_PROVISIONAL);
    const y = file.years['2027'];
    if (!y) throw new Error('2027 missing');
    for (const b of y.breaks) b.off = b.off.filter((md) => md !== '10-01');
    // Act
    const result = provisionalFileSchema.safeParse(file);
    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain('statutory day 2027-10-01 is not a day off');
  });
});

/** The 2024 放假办法's 13 statutory days, written by hand from the lunar dates of lunar.test.ts. */
const STATUTORY: Record<number, string[]> = {
  // 除夕 02-05; 清明 04-05; 端午 06-09; 中秋 09-15
  2027: ['01-01', '02-05', '02-06', '02-07', '02-08', '04-05', '05-01', '05-02', '06-09', '09-15', '10-01', '10-02', '10-03'],
  // 除夕 01-25; 清明 04-04; 端午 05-28; 中秋 10-03 (on 国庆)
  2028: ['01-01', '01-25', '01-26', '01-27', '01-28', '04-04', '05-01', '05-02', '05-28', '10-01', '10-02', '10-03', '10-03'],
  // 除夕 02-12; 清明 04-04; 端午 06-16; 中秋 09-22
  2029: ['01-01', '02-12', '02-13', '02-14', '02-15', '04-04', '05-01', '05-02', '06-16', '09-22', '10-01', '10-02', '10-03'],
  // 除夕 02-02; 清明 04-05; 端午 06-05; 中秋 09-12
  2030: ['01-01', '02-02', '02-03', '02-04', '02-05', '04-05', '05-01', '05-02', '06-05', '09-12', '10-01', '10-02', '10-03'],
};

describe('statutory days of the provisional years', () => {
  it.each(Object.entries(STATUTORY))('%s has the 13 statutory days of the 2024 放假办法', (year, days) => {
    const got = [...(HOLIDAYS_CN_PROVISIONAL.years[year]?.statutory ?? [])].sort();
    expect(got).toEqual([...days].sort());
  });

  it.each(Object.entries(STATUTORY))('%s: every statutory day is a day off on the office calendar', (year, days) => {
    for (const d of days) expect(CN_WORK_CALENDAR.isWorkingDay(noonOf(`${year}-${d}`)), `${year}-${d}`).toBe(false);
  });

  it('names provisional days like official ones', () => {
    expect(holidayName('2027-02-06')).toBe('春节');
    expect(holidayName('2027-01-31')).toBe('春节调休');
  });
});

/** Any local date of a provisional year. */
const provisionalDate = fc.integer({ min: Date.UTC(2027, 0, 1), max: Date.UTC(2036, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));

describe('provisional calendar properties', () => {
  const statutory = new Set(PROVISIONAL_YEARS.flatMap((y) => HOLIDAYS_CN_PROVISIONAL.years[String(y)]?.statutory.map((md) => `${y}-${md}`) ?? []));
  const makeup = new Set(
    PROVISIONAL_YEARS.flatMap((y) => HOLIDAYS_CN_PROVISIONAL.years[String(y)]?.breaks.flatMap((b) => b.work.map((md) => `${y}-${md}`)) ?? []),
  );

  it('no statutory holiday of a provisional year is a working day', () => {
    fc.assert(
      fc.property(provisionalDate, (date) => {
        if (statutory.has(date)) expect(CN_WORK_CALENDAR.isWorkingDay(noonOf(date))).toBe(false);
      }),
      { numRuns: 3_000 },
    );
    // and exhaustively: there are only 13 a year
    for (const date of statutory) expect(CN_WORK_CALENDAR.isWorkingDay(noonOf(date)), date).toBe(false);
  });

  it('every make-up working day is a weekend day that is not a statutory holiday', () => {
    fc.assert(
      fc.property(provisionalDate, (date) => {
        if (!makeup.has(date)) return;
        const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
        expect([0, 6]).toContain(wd);
        expect(statutory.has(date)).toBe(false);
        expect(CN_WORK_CALENDAR.isWorkingDay(noonOf(date))).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it('keeps the number of working days of each provisional year as weekdays minus the 13 statutory days', () => {
    for (const year of PROVISIONAL_YEARS) {
      let working = 0;
      let weekdays = 0;
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
        const date = new Date(t).toISOString().slice(0, 10);
        if (CN_WORK_CALENDAR.isWorkingDay(noonOf(date))) working++;
        const wd = new Date(t).getUTCDay();
        if (wd !== 0 && wd !== 6) weekdays++;
      }
      // A statutory day on a weekend is made up by a weekday, so the year loses exactly 13 days —
      // ± one where a 元旦 make-up Saturday falls in the December before.
      expect(Math.abs(working - (weekdays - 13)), String(year)).toBeLessThanOrEqual(1);
    }
  });

  it('never asks for more than 6 working days in a row (2027–2036)', () => {
    let run = 0;
    let longest = 0;
    for (let t = Date.UTC(2027, 0, 1); t < Date.UTC(2037, 0, 1); t += DAY) {
      run = CN_WORK_CALENDAR.isWorkingDay(noonOf(new Date(t).toISOString().slice(0, 10))) ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeLessThanOrEqual(6);
  });
});

describe('the prediction rules against the published notices', () => {
  it.each([2025, 2026])('%s: predicted working days match the State Council notice on every day of the year', (year) => {
    // Prepare
    const official = HOLIDAYS_CN.years[String(year)];
    if (!official) throw new Error(`${year} missing`);
    // Act
    const predicted = predictYear(statutoryFestivals(year, lunarFestivals(year)));
    const misses = missedDays(year, predicted, official);
    // Assess: the figure quoted in docs/decisions/040-provisional-holidays.md
    console.log(`${year}: ${misses.length} day(s) predicted wrongly`);
    expect(misses).toEqual([]);
  });

  it('counts a day the prediction gets wrong (so the figure above can fail)', () => {
    const official = HOLIDAYS_CN.years['2026'];
    if (!official) throw new Error('2026 missing');
    const predicted = predictYear(statutoryFestivals(2026, lunarFestivals(2026)));
    const wrong = { ...predicted, makeupWorkdays: predicted.makeupWorkdays.filter((e) => e.date !== '2026-02-28') };
    expect(missedDays(2026, wrong, official)).toEqual([{ date: '2026-02-28', predicted: 'off', official: 'working' }]);
  });
});

describe('official notices replace the prediction', () => {
  it('uses a loaded official 2027 instead of the predicted one, day for day', () => {
    // Prepare: an "official" 2027 that keeps 2027-01-31 a plain Sunday
    const file: HolidayFile = structuredClone(HOLIDAYS_CN);
    file.years['2027'] = { notice: '国办发明电〔2026〕X号', url: 'https://www.gov.cn/', holidays: [{ date: '2027-01-01', name: '元旦' }], makeupWorkdays: [] };
    // Act
    const cal = new WorkCalendar(calendarConfigFrom(file, HOLIDAYS_CN_PROVISIONAL));
    // Assess
    expect(cal.yearStatus(2027)).toBe('official');
    expect(cal.yearStatus(2028)).toBe('provisional');
    expect(cal.isWorkingDay(noonOf('2027-01-31'))).toBe(false);
    expect(cal.isWorkingDay(noonOf('2027-02-08'))).toBe(true);
    expect(CN_WORK_CALENDAR.isWorkingDay(noonOf('2027-01-31'))).toBe(true);
  });

  it('marks an answer provisional when it spans a non-official year, never for an every-day unit', () => {
    expect(CN_WORK_CALENDAR.provisionalBetween(noonOf('2026-12-31'), noonOf('2026-12-31'))).toBe(false);
    expect(CN_WORK_CALENDAR.provisionalBetween(noonOf('2026-12-31'), noonOf('2027-01-04'))).toBe(true);
    expect(CN_WORK_CALENDAR.provisionalBetween(noonOf('2037-03-01'), noonOf('2037-03-02'))).toBe(true);
    expect(calendarFor(CN_CALENDAR_CONFIG, { everyDay: true }).provisionalBetween(noonOf('2027-02-01'), noonOf('2027-02-10'))).toBe(false);
  });
});
