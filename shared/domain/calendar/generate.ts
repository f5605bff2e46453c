/**
 * Builds the provisional holiday file (`shared/config/holidays-cn-provisional.json`) for a range
 * of years: lunar dates from {@link lunarFestivals}, statutory days and predicted 放假调休 from
 * {@link predictYear}. Pure — the script `scripts/calendar-provisional.ts` writes the result, and
 * a test checks that the committed file is exactly what this function produces.
 */
import { lunarFestivals, type LunarFestivals } from './lunar.ts';
import { predictYear, statutoryFestivals } from './predict.ts';

/** One break (or its part in this year): its name and month-days off and worked. */
export interface ProvisionalBreakJson {
  name: string;
  /** `MM-DD` of this year, days off (法定假日, 补休 and the weekend days joined to the break). */
  off: string[];
  /** `MM-DD` of this year, weekend days worked (调休上班). */
  work: string[];
}

/**
 * One provisional year as stored in the generated file: compact (month-days, one name per break)
 * because every Lambda bundle carries it.
 */
export interface ProvisionalYearJson {
  lunar: Omit<LunarFestivals, 'marginMinutes'>;
  /** `MM-DD` of the 13 statutory days (a 中秋 on 国庆 appears twice). */
  statutory: string[];
  breaks: ProvisionalBreakJson[];
}

/** The generated file's shape (validated again by `holidays.ts` when loaded). */
export interface ProvisionalFileJson {
  version: string;
  generatedBy: string;
  basis: string;
  timeZone: 'Asia/Shanghai';
  years: Record<string, ProvisionalYearJson>;
}

/** Bump when the rules or the astronomy change, so a diff of the file shows why it moved. */
export const GENERATOR_VERSION = '1';

/** Provisional arrangements for the years `from`…`to` (inclusive). */
export function generateProvisional(from: number, to: number): ProvisionalFileJson {
  const years: Record<string, ProvisionalYearJson> = {};
  for (let y = from; y <= to; y++) {
    const { marginMinutes: _margin, ...lunar } = lunarFestivals(y);
    years[String(y)] = { lunar, statutory: [], breaks: [] };
  }
  const breakOf = (date: string, name: string): ProvisionalBreakJson | undefined => {
    const year = years[date.slice(0, 4)];
    if (!year) return undefined;
    let b = year.breaks.find((x) => x.name === name);
    if (!b) {
      b = { name, off: [], work: [] };
      year.breaks.push(b);
    }
    return b;
  };
  // One year further: 元旦 on a Tuesday puts its make-up Saturday in the December before.
  for (let y = from; y <= to + 1; y++) {
    const predicted = predictYear(statutoryFestivals(y, lunarFestivals(y)));
    for (const e of predicted.statutory) years[e.date.slice(0, 4)]?.statutory.push(e.date.slice(5));
    for (const e of predicted.holidays) breakOf(e.date, e.name)?.off.push(e.date.slice(5));
    for (const e of predicted.makeupWorkdays) breakOf(e.date, e.name.replace(/调休$/, ''))?.work.push(e.date.slice(5));
  }
  const first = (b: ProvisionalBreakJson): string => [...b.off, ...b.work].sort()[0] ?? '';
  for (const year of Object.values(years)) {
    year.statutory.sort();
    for (const b of year.breaks) {
      b.off.sort();
      b.work.sort();
    }
    year.breaks.sort((a, b) => first(a).localeCompare(first(b)));
  }
  return {
    version: `${from}-${to}.${GENERATOR_VERSION}`,
    generatedBy: 'scripts/calendar-provisional.ts (shared/domain/calendar/generate.ts); do not edit by hand',
    basis:
      '全国年节及纪念日放假办法 (2024 修订) statutory days on lunar dates computed by shared/domain/calendar/lunar.ts; 放假调休 predicted by the rules of docs/decisions/040-provisional-holidays.md. PROVISIONAL: replaced by the State Council notice once loaded.',
    timeZone: 'Asia/Shanghai',
    years,
  };
}
