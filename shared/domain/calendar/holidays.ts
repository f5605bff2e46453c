/**
 * The official Chinese public-holiday arrangement (国务院办公厅关于部分节假日安排的通知), loaded
 * from the versioned data file `shared/config/holidays-cn.json` and validated once at module load:
 * a bad or missing file fails the cold start and the tests, never a request. The files are read beside
 * the code, not imported (`#config/holiday-files.ts`): a Lambda ships them next to its bundle (decision 073).
 *
 * Yearly update: see `docs/decisions/003-working-calendar.md`.
 */
import * as z from '../zod.ts';
import { readHolidayFile } from '#config/holiday-files.ts';
import { WorkCalendar, localDateString, type WorkCalendarConfig } from '#domain/calendar/calendar.ts';

const entrySchema = z.strictObject({ date: localDateString, name: z.string().check(z.minLength(1)) });

const yearSchema = z.strictObject({
  /** Notice number, e.g. 国办发明电〔2025〕7号. */
  notice: z.string().check(z.minLength(1)),
  url: z.url(),
  holidays: z.array(entrySchema).check(z.minLength(1)),
  makeupWorkdays: z.array(entrySchema),
});

/** Weekday (0 = Sunday) of a validated `YYYY-MM-DD`. */
const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Shape and consistency rules of `holidays-cn.json`. */
export const holidayFileSchema = z
  .strictObject({
    version: z.string().check(z.minLength(1)),
    source: z.string().check(z.minLength(1)),
    timeZone: z.literal('Asia/Shanghai'),
    years: z.record(z.string().check(z.regex(/^\d{4}$/)), yearSchema),
  })
  .check(
    z.superRefine((file, ctx) => {
      for (const [year, data] of Object.entries(file.years)) {
        const seen = new Set<string>();
        const check = (list: 'holidays' | 'makeupWorkdays', index: number, date: string): void => {
          const path = ['years', year, list, index, 'date'];
          if (!date.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path, message: `${date} is not in ${year}` });
          if (seen.has(date)) ctx.addIssue({ code: 'custom', path, message: `${date} is listed twice` });
          seen.add(date);
        };
        data.holidays.forEach((e, i) => {
          check('holidays', i, e.date);
        });
        data.makeupWorkdays.forEach((e, i) => {
          check('makeupWorkdays', i, e.date);
          // 调休上班 only ever moves a weekend day; a weekday here is a typo.
          const wd = weekdayOf(e.date);
          if (wd !== 0 && wd !== 6) {
            ctx.addIssue({
              code: 'custom',
              path: ['years', year, 'makeupWorkdays', i, 'date'],
              message: `${e.date} is not a Saturday or Sunday`,
            });
          }
        });
      }
    }),
  );

/** The parsed contents of a holiday data file. */
export type HolidayFile = z.infer<typeof holidayFileSchema>;

const monthDay = z.string().check(z.regex(/^\d\d-\d\d$/));

const provisionalYearSchema = z.strictObject({
  /** The lunar dates the statutory days were computed from (lunar.ts). */
  lunar: z.strictObject({
    newYearsEve: localDateString,
    springFestival: localDateString,
    qingming: localDateString,
    dragonBoat: localDateString,
    midAutumn: localDateString,
    leapMonth: z.optional(z.number().check(z.int()).check(z.minimum(1)).check(z.maximum(12))),
  }),
  /** `MM-DD` of the 13 statutory days (法定假日) of the 2024 放假办法. */
  statutory: z.array(monthDay).check(z.length(13)),
  /** Each break with its days off and make-up working days, as `MM-DD` of this year. */
  breaks: z.array(z.strictObject({ name: z.string().check(z.minLength(1)), off: z.array(monthDay), work: z.array(monthDay) })).check(z.minLength(1)),
});

/** A provisional year's days off and make-up working days as dated entries (`春节`, `春节调休`). */
export function provisionalEntries(
  year: string,
  data: z.infer<typeof provisionalYearSchema>,
): { holidays: Array<{ date: string; name: string }>; makeupWorkdays: Array<{ date: string; name: string }> } {
  return {
    holidays: data.breaks.flatMap((b) => b.off.map((md) => ({ date: `${year}-${md}`, name: b.name }))),
    makeupWorkdays: data.breaks.flatMap((b) => b.work.map((md) => ({ date: `${year}-${md}`, name: `${b.name}调休` }))),
  };
}

/**
 * Shape of the generated `holidays-cn-provisional.json` (scripts/calendar-provisional.ts); each
 * year is checked like an official one (real dates, no duplicates, make-up days on weekends) and
 * every statutory day must be a day off.
 */
export const provisionalFileSchema = z
  .strictObject({
    version: z.string().check(z.minLength(1)),
    generatedBy: z.string().check(z.minLength(1)),
    basis: z.string().check(z.minLength(1)),
    timeZone: z.literal('Asia/Shanghai'),
    years: z.record(z.string().check(z.regex(/^\d{4}$/)), provisionalYearSchema),
  })
  .check(
    z.superRefine((file, ctx) => {
      const asOfficial = holidayFileSchema.safeParse({
        version: file.version,
        source: file.basis,
        timeZone: file.timeZone,
        years: Object.fromEntries(
          Object.entries(file.years).map(([y, v]) => [y, { notice: 'provisional', url: 'https://www.gov.cn/', ...provisionalEntries(y, v) }]),
        ),
      });
      for (const issue of asOfficial.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      for (const [year, data] of Object.entries(file.years)) {
        const off = new Set(data.breaks.flatMap((b) => b.off));
        data.statutory.forEach((md, i) => {
          if (!off.has(md)) ctx.addIssue({ code: 'custom', path: ['years', year, 'statutory', i], message: `statutory day ${year}-${md} is not a day off` });
        });
      }
    }),
  );

/** The parsed contents of the provisional holiday file. */
export type ProvisionalFile = z.infer<typeof provisionalFileSchema>;

/** The validated contents of `shared/config/holidays-cn-provisional.json` (2027–2036). */
export const HOLIDAYS_CN_PROVISIONAL: ProvisionalFile = provisionalFileSchema.parse(readHolidayFile('holidays-cn-provisional.json'));

/** The validated contents of `shared/config/holidays-cn.json`. */
export const HOLIDAYS_CN: HolidayFile = holidayFileSchema.parse(readHolidayFile('holidays-cn.json'));

/** Default working hours, 08:30–18:30 (SPEC "Time limits"; seed 000_a1eb924360c3e548.txt 四(三)1). */
export const DEFAULT_WORKING_HOURS = { start: '08:30', end: '18:30' } as const;

/**
 * A calendar configuration from a holiday data file: Monday–Friday 08:30–18:30 minus the
 * holidays, plus the make-up working days. The official file's years are `coveredYears`; each
 * year of `provisional` that the official file lacks is used as well and listed in
 * `provisionalYears` — an official notice always replaces the prediction of its year whole.
 */
export function calendarConfigFrom(file: HolidayFile, provisional?: ProvisionalFile): WorkCalendarConfig {
  const predicted = Object.entries(provisional?.years ?? {}).filter(([y]) => file.years[y] === undefined);
  const years = [...Object.values(file.years), ...predicted.map(([y, v]) => provisionalEntries(y, v))];
  return {
    timeZone: 'Asia/Shanghai',
    workingHours: { ...DEFAULT_WORKING_HOURS },
    holidays: new Set(years.flatMap((y) => y.holidays.map((e) => e.date))),
    makeupWorkdays: new Set(years.flatMap((y) => y.makeupWorkdays.map((e) => e.date))),
    everyDay: false,
    coveredYears: new Set(Object.keys(file.years).map(Number)),
    ...(provisional && { provisionalYears: new Set(predicted.map(([y]) => Number(y))) }),
  };
}

/** The mainland-China office calendar: `holidays-cn.json`, then the provisional years (not `everyDay`). */
export const CN_CALENDAR_CONFIG: WorkCalendarConfig = calendarConfigFrom(HOLIDAYS_CN, HOLIDAYS_CN_PROVISIONAL);

/** A ready {@link WorkCalendar} for {@link CN_CALENDAR_CONFIG}. */
export const CN_WORK_CALENDAR: WorkCalendar = new WorkCalendar(CN_CALENDAR_CONFIG);

/** The holiday or make-up day name for a local date (`春节`, `春节调休`), if any. */
export function holidayName(
  date: string,
  file: HolidayFile = HOLIDAYS_CN,
  provisional: ProvisionalFile | undefined = HOLIDAYS_CN_PROVISIONAL,
): string | undefined {
  const key = date.slice(0, 4);
  const predicted = provisional?.years[key];
  const year = file.years[key] ?? (predicted && provisionalEntries(key, predicted));
  if (!year) return undefined;
  return [...year.holidays, ...year.makeupWorkdays].find((e) => e.date === date)?.name;
}
