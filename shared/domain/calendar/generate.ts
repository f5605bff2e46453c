/**
 * Builds the provisional holiday file (`shared/config/holidays-cn-provisional.json`) for a range
 * of years: lunar dates from {@link lunarFestivals}, statutory days and predicted 放假调休 from
 * {@link predictYear}. Pure — the script `scripts/calendar-provisional.ts` writes the result, and
 * a test checks that the committed file is exactly what this function produces.
 */
import { lunarFestivals, type LunarFestivals } from './lunar.ts';
import { predictYear, statutoryFestivals, type DatedEntry } from './predict.ts';

/** One provisional year as stored in the generated file. */
export interface ProvisionalYearJson {
  lunar: Omit<LunarFestivals, 'marginMinutes'>;
  statutory: DatedEntry[];
  holidays: DatedEntry[];
  makeupWorkdays: DatedEntry[];
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
    years[String(y)] = { lunar, statutory: [], holidays: [], makeupWorkdays: [] };
  }
  // One year further: 元旦 on a Tuesday puts its make-up Saturday in the December before.
  for (let y = from; y <= to + 1; y++) {
    const festivals = statutoryFestivals(y, lunarFestivals(y));
    const predicted = predictYear(festivals);
    for (const key of ['statutory', 'holidays', 'makeupWorkdays'] as const) {
      for (const e of predicted[key]) years[e.date.slice(0, 4)]?.[key].push(e);
    }
  }
  for (const year of Object.values(years)) {
    for (const key of ['statutory', 'holidays', 'makeupWorkdays'] as const) year[key].sort((a, b) => a.date.localeCompare(b.date));
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
