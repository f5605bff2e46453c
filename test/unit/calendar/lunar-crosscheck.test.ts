import lunar from 'lunar-javascript';
import { describe, expect, it } from 'vitest';
import provisional from '#config/holidays-cn-provisional.json' with { type: 'json' };

/**
 * Decision 040 computes the lunar dates of 2027–2036 with its own ephemeris (shared/domain/calendar/lunar.ts).
 * Here a maintained library, lunar-javascript (寿星天文历 algorithms), dates the same festivals independently:
 * the committed file's 春节 (正月初一), 除夕, 清明 (the solar term), 端午 (五月初五) and 中秋 (八月十五) must be its dates,
 * and each must be one of the year's statutory days off.
 */
const { Lunar, LunarYear } = lunar;

interface FileYear {
  lunar: { newYearsEve: string; springFestival: string; qingming: string; dragonBoat: string; midAutumn: string; leapMonth?: number };
  statutory: string[];
}
const YEARS = provisional.years as Record<string, FileYear>;

/**
 * The leap month of the 岁 from the winter solstice of `year − 1` to that of `year` (the file's convention,
 * decision 040): a leap 1–10 of lunar year `year`, or a leap 11/12 of lunar year `year − 1` (it follows the
 * solstice month, so it begins after that solstice: 2033's 闰十一月 is 2034's).
 */
function suiLeapMonth(year: number): number | undefined {
  const own = LunarYear.fromYear(year).getLeapMonth();
  const before = LunarYear.fromYear(year - 1).getLeapMonth();
  if (own > 0 && own <= 10) return own;
  return before >= 11 ? before : undefined;
}

/** The five dates (and the leap month) of `year` as lunar-javascript has them. */
function library(year: number): FileYear['lunar'] {
  const newYear = Lunar.fromYmd(year, 1, 1);
  const eve = newYear.next(-1);
  // 除夕 is the last day of the twelfth month (腊月廿九 in a short month): the library names it so itself.
  expect(eve.getMonth()).toBe(12);
  expect(eve.getFestivals()).toContain('除夕');
  const qingming = newYear.getJieQiTable()['清明'];
  if (!qingming) throw new Error(`lunar-javascript has no 清明 for ${year}`);
  return {
    newYearsEve: eve.getSolar().toYmd(),
    springFestival: newYear.getSolar().toYmd(),
    qingming: qingming.toYmd(),
    dragonBoat: Lunar.fromYmd(year, 5, 5).getSolar().toYmd(),
    midAutumn: Lunar.fromYmd(year, 8, 15).getSolar().toYmd(),
    ...(suiLeapMonth(year) !== undefined && { leapMonth: suiLeapMonth(year) }),
  };
}

describe('the provisional holiday file against lunar-javascript', () => {
  it('covers exactly 2027–2036', () => {
    expect(Object.keys(YEARS)).toEqual(['2027', '2028', '2029', '2030', '2031', '2032', '2033', '2034', '2035', '2036']);
  });

  it.each(Object.keys(YEARS))('%s: 春节, 除夕, 清明, 端午 and 中秋 are lunar-javascript’s dates', (y) => {
    // Arrange
    const year = Number(y);
    const file = YEARS[y] as FileYear;
    // Act
    const expected = library(year);
    // Assess
    expect(file.lunar).toEqual(expected);
    const { leapMonth: _leap, ...dates } = expected;
    for (const date of Object.values(dates)) {
      // Every date is of `year` (除夕 too: 春节 is never on 1 January) and a statutory day off.
      expect(date.slice(0, 4)).toBe(y);
      expect(file.statutory).toContain(date.slice(5));
    }
  });
});
