import { describe, expect, it } from 'vitest';
import { CN_CALENDAR_CONFIG, HOLIDAYS_CN, calendarConfigFrom, holidayFileSchema, holidayName, type HolidayFile } from '#domain/calendar/holidays.ts';

/** Every date from `from` to `to` inclusive. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const datesOf = (year: string, list: 'holidays' | 'makeupWorkdays'): string[] => (HOLIDAYS_CN.years[year]?.[list] ?? []).map((e) => e.date).sort();

/**
 * The State Council notices, transcribed independently of the JSON file:
 * 2024 国办发明电〔2023〕7号, 2025 国办发明电〔2024〕12号, 2026 国办发明电〔2025〕7号.
 */
const OFFICIAL: Record<string, { holidays: string[]; makeup: string[] }> = {
  '2024': {
    holidays: [
      '2024-01-01',
      ...days('2024-02-10', '2024-02-17'),
      ...days('2024-04-04', '2024-04-06'),
      ...days('2024-05-01', '2024-05-05'),
      '2024-06-10',
      ...days('2024-09-15', '2024-09-17'),
      ...days('2024-10-01', '2024-10-07'),
    ],
    makeup: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  '2025': {
    holidays: [
      '2025-01-01',
      ...days('2025-01-28', '2025-02-04'),
      ...days('2025-04-04', '2025-04-06'),
      ...days('2025-05-01', '2025-05-05'),
      ...days('2025-05-31', '2025-06-02'),
      ...days('2025-10-01', '2025-10-08'),
    ],
    makeup: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  '2026': {
    holidays: [
      ...days('2026-01-01', '2026-01-03'),
      ...days('2026-02-15', '2026-02-23'),
      ...days('2026-04-04', '2026-04-06'),
      ...days('2026-05-01', '2026-05-05'),
      ...days('2026-06-19', '2026-06-21'),
      ...days('2026-09-25', '2026-09-27'),
      ...days('2026-10-01', '2026-10-07'),
    ],
    makeup: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

describe('holidays-cn.json matches the State Council arrangements', () => {
  it.each(Object.keys(OFFICIAL))('%s holidays are exactly the official days off', (year) => {
    expect(datesOf(year, 'holidays')).toEqual([...(OFFICIAL[year]?.holidays ?? [])].sort());
  });

  it.each(Object.keys(OFFICIAL))('%s make-up working days are exactly the official ones', (year) => {
    expect(datesOf(year, 'makeupWorkdays')).toEqual([...(OFFICIAL[year]?.makeup ?? [])].sort());
  });

  it('covers exactly 2024, 2025 and 2026', () => {
    expect([...(CN_CALENDAR_CONFIG.coveredYears ?? [])].sort()).toEqual([2024, 2025, 2026]);
  });

  it('names the holiday and the make-up day', () => {
    expect(holidayName('2026-02-17')).toBe('春节');
    expect(holidayName('2026-02-14')).toBe('春节调休');
    expect(holidayName('2026-03-04')).toBeUndefined();
  });
});

describe('holidayFileSchema rejects a broken data file', () => {
  const clone = (): HolidayFile => structuredClone(HOLIDAYS_CN);

  it('accepts the shipped file', () => {
    expect(holidayFileSchema.safeParse(clone()).success).toBe(true);
  });

  it('rejects a make-up working day that is not a weekend day, naming the entry', () => {
    // Prepare: 2026-02-13 is a Friday
    const file = clone();
    file.years['2026']?.makeupWorkdays.push({ date: '2026-02-13', name: '春节调休' });
    // Act
    const result = holidayFileSchema.safeParse(file);
    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe('years.2026.makeupWorkdays.6.date');
    expect(result.error?.issues[0]?.message).toMatch(/not a Saturday or Sunday/);
  });

  it('rejects a date filed under the wrong year', () => {
    const file = clone();
    file.years['2025']?.holidays.push({ date: '2026-03-04', name: '错年' });
    const result = holidayFileSchema.safeParse(file);
    expect(result.error?.issues.map((i) => i.message)).toContain('2026-03-04 is not in 2025');
  });

  it('rejects a date listed both as holiday and make-up day', () => {
    const file = clone();
    file.years['2026']?.holidays.push({ date: '2026-02-14', name: '春节' });
    const result = holidayFileSchema.safeParse(file);
    expect(result.error?.issues.map((i) => i.message)).toContain('2026-02-14 is listed twice');
  });

  it('rejects an impossible date', () => {
    const file = clone();
    file.years['2026']?.holidays.push({ date: '2026-02-30', name: '春节' });
    expect(holidayFileSchema.safeParse(file).success).toBe(false);
  });

  it('builds a calendar configuration from another file', () => {
    // Prepare: a file with one year and one holiday
    const file: HolidayFile = {
      version: 't',
      source: 't',
      timeZone: 'Asia/Shanghai',
      years: { '2030': { notice: 'n', url: 'https://www.gov.cn/', holidays: [{ date: '2030-01-01', name: '元旦' }], makeupWorkdays: [] } },
    };
    // Act
    const config = calendarConfigFrom(file);
    // Assess
    expect([...config.holidays]).toEqual(['2030-01-01']);
    expect([...(config.coveredYears ?? [])]).toEqual([2030]);
    expect(config.workingHours).toEqual({ start: '08:30', end: '18:30' });
  });
});
