import { describe, expect, it } from 'vitest';
import { beijingDay, isoOfDay, lunarFestivals, newMoonJde, solarTermInYear } from '#domain/calendar/lunar.ts';

/**
 * Published dates (Purple Mountain Observatory 《中国天文年历》 via the usual almanacs; 2024–2026 also
 * stand in the State Council notices of holidays-cn.json): 春节, 清明, 端午, 中秋 and leap months.
 */
const PUBLISHED: Record<number, { spring: string; qingming: string; dragon: string; mid: string; leap?: number }> = {
  2024: { spring: '2024-02-10', qingming: '2024-04-04', dragon: '2024-06-10', mid: '2024-09-17' },
  2025: { spring: '2025-01-29', qingming: '2025-04-04', dragon: '2025-05-31', mid: '2025-10-06', leap: 6 },
  2026: { spring: '2026-02-17', qingming: '2026-04-05', dragon: '2026-06-19', mid: '2026-09-25' },
  2027: { spring: '2027-02-06', qingming: '2027-04-05', dragon: '2027-06-09', mid: '2027-09-15' },
  2028: { spring: '2028-01-26', qingming: '2028-04-04', dragon: '2028-05-28', mid: '2028-10-03', leap: 5 },
  2029: { spring: '2029-02-13', qingming: '2029-04-04', dragon: '2029-06-16', mid: '2029-09-22' },
  2030: { spring: '2030-02-03', qingming: '2030-04-05', dragon: '2030-06-05', mid: '2030-09-12' },
  2031: { spring: '2031-01-23', qingming: '2031-04-05', dragon: '2031-06-24', mid: '2031-10-01', leap: 3 },
  2032: { spring: '2032-02-11', qingming: '2032-04-04', dragon: '2032-06-12', mid: '2032-09-19' },
  2033: { spring: '2033-01-31', qingming: '2033-04-04', dragon: '2033-06-01', mid: '2033-09-08' },
  // 2033's leap month is 闰十一月 (GB/T 33661-2017), in the 岁 that ends at the 2034 solstice.
  2034: { spring: '2034-02-19', qingming: '2034-04-05', dragon: '2034-06-20', mid: '2034-09-27', leap: 11 },
  2035: { spring: '2035-02-08', qingming: '2035-04-05', dragon: '2035-06-10', mid: '2035-09-16' },
  2036: { spring: '2036-01-28', qingming: '2036-04-04', dragon: '2036-05-30', mid: '2036-10-04', leap: 6 },
};

describe('lunar festivals from new moons and solar terms', () => {
  it.each(Object.entries(PUBLISHED))('%s: 春节, 清明, 端午, 中秋 and the leap month match the published calendar', (year, p) => {
    // Act
    const l = lunarFestivals(Number(year));
    // Assess
    expect({ spring: l.springFestival, qingming: l.qingming, dragon: l.dragonBoat, mid: l.midAutumn, leap: l.leapMonth }).toEqual({ ...p, leap: p.leap });
  });

  it('puts 除夕 on the day before 春节 (2027-02-05, a Friday)', () => {
    expect(lunarFestivals(2027).newYearsEve).toBe('2027-02-05');
  });

  it('starts the first month of 2027 on the Beijing day of the new moon of lunation 335', () => {
    expect(isoOfDay(beijingDay(newMoonJde(335)).day)).toBe('2027-02-06');
  });

  it('puts the 2026 winter solstice on 12-22 and 清明 2027 on 04-05, Beijing time', () => {
    expect(isoOfDay(beijingDay(solarTermInYear(2026, 270)).day)).toBe('2026-12-22');
    expect(isoOfDay(beijingDay(solarTermInYear(2027, 15)).day)).toBe('2027-04-05');
  });
});
