/**
 * Working-time calendar for `Asia/Shanghai`: which days are working days (Chinese public holidays
 * and make-up working days, 调休), which hours are working hours, and deadline arithmetic on them.
 *
 * Pure: every function takes and returns `Date`s and never reads the clock. Implemented with a
 * fixed UTC+08:00 offset — China has not observed daylight saving time since 1991, so a fixed
 * offset is exact for every date this system handles and needs no time-zone database.
 *
 * Arithmetic iterates at most once per calendar day (never per minute), so adding 15 working days
 * or 300 working hours costs a few dozen steps. See `docs/decisions/003-working-calendar.md`.
 */
import * as z from '../zod.ts';
import { SHANGHAI_OFFSET_MS } from '#domain/shanghai-time.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Asia/Shanghai is UTC+08:00 all year (no DST since 1991). */
const SHANGHAI_OFFSET = SHANGHAI_OFFSET_MS;
/** 1970-01-01 was a Thursday (getUTCDay() === 4). */
const EPOCH_WEEKDAY = 4;
/**
 * Longest run of non-working days we accept before declaring the calendar broken. The longest
 * official break is 9 days (2026 Spring Festival); a year of closures is a configuration error.
 */
const MAX_NON_WORKING_RUN = 366;

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Daily working hours as local `HH:MM` strings, `start` inclusive, `end` exclusive. */
export interface WorkingHours {
  start: string;
  end: string;
}

/** Everything a {@link WorkCalendar} needs; dates are local `YYYY-MM-DD` strings. */
export interface WorkCalendarConfig {
  /** Only Shanghai time is supported (fixed +08:00). */
  timeZone: 'Asia/Shanghai';
  /** Default 08:30–18:30 (SPEC "Time limits"; seed 000_a1eb924360c3e548.txt 四(三)1). */
  workingHours: WorkingHours;
  /** Public holidays (and any extra closure days): never working days unless `everyDay`. */
  holidays: ReadonlySet<string>;
  /** Weekend days that are working days (调休上班), plus any extra working days. */
  makeupWorkdays: ReadonlySet<string>;
  /**
   * A handling unit that works every day of the year, weekends and holidays included
   * (seed 000_a1eb924360c3e548.txt: units check for new orders every 20 min, 8:30–18:30, 含周六、日).
   * Working *hours* still apply.
   */
  everyDay?: boolean;
  /**
   * Years for which `holidays`/`makeupWorkdays` hold the official arrangement. Outside them the
   * calendar still answers (weekends off, weekdays on) but {@link WorkCalendar.isCovered} says no.
   */
  coveredYears?: ReadonlySet<number>;
  /**
   * Years whose `holidays`/`makeupWorkdays` are a prediction (no official notice loaded yet):
   * answers on their days are marked provisional (预计). See docs/decisions/040 and 041.
   */
  provisionalYears?: ReadonlySet<number>;
}

/**
 * Where a year's holiday data comes from: an official State Council notice, a provisional
 * prediction from the lunar calendar, or nothing (weekends only — never silently: deadlines on
 * such days are marked provisional too and the calendar watch raises the alarm).
 */
export type YearStatus = 'official' | 'provisional' | 'uncovered';

/**
 * Per-organisation or per-unit adjustments merged onto a base calendar by {@link calendarFor}.
 * A date added as a holiday stops being a make-up working day and vice versa.
 */
export interface CalendarOverride {
  /** Extra non-working days (e.g. a unit closed for a local event). */
  holidays?: Iterable<string>;
  /** Extra working days (e.g. a unit that works on a public holiday). */
  makeupWorkdays?: Iterable<string>;
  workingHours?: WorkingHours;
  everyDay?: boolean;
}

/** Local `YYYY-MM-DD` string, validated as a real calendar date. */
export const localDateString = z.string().check(
  z.refine((s) => parseLocalDate(s) !== undefined, {
    message: 'expected a real date as YYYY-MM-DD',
  }),
);

/** Local `HH:MM` between 00:00 and 24:00. */
export const localTimeString = z.string().check(
  z.refine((s) => parseHhmm(s) !== undefined, {
    message: 'expected a time as HH:MM between 00:00 and 24:00',
  }),
);

/** JSON shape of a {@link CalendarOverride}, for organisation/unit configuration files. */
export const calendarOverrideSchema = z.strictObject({
  holidays: z.optional(z.array(localDateString)),
  makeupWorkdays: z.optional(z.array(localDateString)),
  workingHours: z.optional(
    z.strictObject({ start: localTimeString, end: localTimeString }).check(
      z.refine((h) => (parseHhmm(h.start) ?? 0) < (parseHhmm(h.end) ?? 0), {
        message: 'start must be before end',
        path: ['end'],
      }),
    ),
  ),
  everyDay: z.optional(z.boolean()),
});

/** Minutes after local midnight for `HH:MM`, or undefined when malformed or past 24:00. */
function parseHhmm(s: string): number | undefined {
  const m = HHMM.exec(s);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

/** Day number (days since 1970-01-01) of a local `YYYY-MM-DD`, or undefined when not a real date. */
function parseLocalDate(s: string): number | undefined {
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return ms / DAY;
}

function dayNumberOf(s: string): number {
  const n = parseLocalDate(s);
  if (n === undefined) throw new RangeError(`not a date as YYYY-MM-DD: “${s}”`);
  return n;
}

function assertValidDate(d: Date, what: string): number {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new RangeError(`${what} is an invalid Date`);
  return t;
}

function assertAmount(n: number, what: string): void {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${what} must be a finite number ≥ 0, got ${n}`);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local day number (days since 1970-01-01 in Shanghai) of an instant. */
const localDay = (t: number): number => Math.floor((t + SHANGHAI_OFFSET) / DAY);
/** UTC ms of local midnight starting local day `day`. */
const dayStart = (day: number): number => day * DAY - SHANGHAI_OFFSET;

/**
 * The local date of `d` in Shanghai as `YYYY-MM-DD` (e.g. 2026-02-13T16:30Z → "2026-02-14").
 */
export function localDate(d: Date): string {
  const local = new Date(assertValidDate(d, 'date') + SHANGHAI_OFFSET);
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
}

/** The local wall-clock time of `d` in Shanghai as `HH:MM` (seconds dropped). */
export function localTime(d: Date): string {
  const local = new Date(assertValidDate(d, 'date') + SHANGHAI_OFFSET);
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/**
 * A working calendar: working days × working hours in Shanghai time. Immutable; build variants
 * with {@link calendarFor}.
 *
 * Working time on a working day is the half-open interval [start, end): 08:30 is working time,
 * 18:30 is not. A deadline may nevertheless fall exactly at `end` ("by 18:30").
 */
export class WorkCalendar {
  /** The normalised configuration this calendar was built from. */
  readonly config: Readonly<WorkCalendarConfig>;
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly holidayDays: ReadonlySet<number>;
  private readonly makeupDays: ReadonlySet<number>;
  private readonly everyDay: boolean;

  /** @throws RangeError on malformed hours or dates, or a date that is both holiday and make-up day. */
  constructor(config: WorkCalendarConfig) {
    if (config.timeZone !== 'Asia/Shanghai') {
      throw new RangeError(`unsupported time zone “${String(config.timeZone)}”: only Asia/Shanghai`);
    }
    const start = parseHhmm(config.workingHours.start);
    const end = parseHhmm(config.workingHours.end);
    if (start === undefined || end === undefined || start >= end) {
      throw new RangeError(`working hours must be HH:MM with start < end, got ${config.workingHours.start}–${config.workingHours.end}`);
    }
    this.startMs = start * MINUTE;
    this.endMs = end * MINUTE;
    this.holidayDays = new Set([...config.holidays].map(dayNumberOf));
    this.makeupDays = new Set([...config.makeupWorkdays].map(dayNumberOf));
    for (const day of this.holidayDays) {
      if (this.makeupDays.has(day)) {
        throw new RangeError(`${localDate(new Date(dayStart(day)))} is both a holiday and a make-up working day`);
      }
    }
    this.everyDay = config.everyDay ?? false;
    this.config = Object.freeze({
      ...config,
      workingHours: { ...config.workingHours },
      holidays: new Set(config.holidays),
      makeupWorkdays: new Set(config.makeupWorkdays),
      everyDay: this.everyDay,
    });
  }

  /** Length of one working day in ms (10 h for 08:30–18:30). */
  get workingDayMillis(): number {
    return this.endMs - this.startMs;
  }

  /**
   * Whether an official notice covers the local year of `d`. False means answers for that year
   * rest on the provisional prediction (or on weekends alone beyond it): load the State Council's
   * arrangement. True when the config does not declare `coveredYears` (nothing to check against).
   */
  isCovered(d: Date): boolean {
    return this.yearStatus(Number(localDate(d).slice(0, 4))) === 'official';
  }

  /** Whether `year`'s holiday data is official, provisional or missing ({@link YearStatus}). */
  yearStatus(year: number): YearStatus {
    const official = this.config.coveredYears;
    if (official === undefined || official.has(year)) return 'official';
    return this.config.provisionalYears?.has(year) ? 'provisional' : 'uncovered';
  }

  /**
   * Whether an answer spanning [a, b] rests on non-official holiday data: some local year from
   * `a` to `b` is provisional or uncovered. Never for an `everyDay` calendar, whose working days do
   * not depend on the holiday data at all.
   */
  provisionalBetween(a: Date, b: Date): boolean {
    if (this.everyDay) return false;
    const from = Number(localDate(a).slice(0, 4));
    const to = Number(localDate(b).slice(0, 4));
    for (let y = Math.min(from, to); y <= Math.max(from, to); y++) if (this.yearStatus(y) !== 'official') return true;
    return false;
  }

  /**
   * Whether the local day of `d` is a working day: always for an `everyDay` unit; otherwise not
   * on a holiday, yes on a make-up working day (调休), else Monday–Friday.
   */
  isWorkingDay(d: Date): boolean {
    return this.isWorkingDayNumber(localDay(assertValidDate(d, 'date')));
  }

  /** Whether `d` lies inside working hours [start, end) of a working day. */
  isWorkingTime(d: Date): boolean {
    const t = assertValidDate(d, 'date');
    const day = localDay(t);
    const offset = t - dayStart(day);
    return this.isWorkingDayNumber(day) && offset >= this.startMs && offset < this.endMs;
  }

  /**
   * The first instant at or after `d` that is working time: `d` itself when already in working
   * time, otherwise the start of working hours on the same or next working day.
   */
  nextWorkingInstant(d: Date): Date {
    return new Date(this.nextWorkingMs(assertValidDate(d, 'date')));
  }

  /**
   * `from` plus `ms` milliseconds of working time. Counting starts at `nextWorkingInstant(from)`;
   * with `ms = 0` the result is that instant. A result landing exactly at the end of working hours
   * stays there (18:30) rather than moving to the next morning.
   * @throws RangeError when `ms` is negative or not finite.
   */
  addWorkingMillis(from: Date, ms: number): Date {
    assertAmount(ms, 'working milliseconds');
    let t = this.nextWorkingMs(assertValidDate(from, 'from'));
    let remaining = Math.round(ms);
    for (;;) {
      const day = localDay(t);
      const available = dayStart(day) + this.endMs - t;
      if (remaining <= available) return new Date(t + remaining);
      remaining -= available;
      t = dayStart(this.nextWorkingDayNumber(day)) + this.startMs;
    }
  }

  /** `from` plus `minutes` of working time (fractions allowed); see {@link addWorkingMillis}. */
  addWorkingMinutes(from: Date, minutes: number): Date {
    assertAmount(minutes, 'working minutes');
    return this.addWorkingMillis(from, minutes * MINUTE);
  }

  /**
   * `from` plus `hours` of working time (fractions allowed: 1.5 = 90 min); see
   * {@link addWorkingMillis}. Friday 17:00 + 2 h with 08:30–18:30 hours → next working day 09:00.
   */
  addWorkingHours(from: Date, hours: number): Date {
    assertAmount(hours, 'working hours');
    return this.addWorkingMillis(from, hours * HOUR);
  }

  /**
   * The end of a period of `n` working days starting at `from`, counted as the Civil Code counts
   * periods (民法典 art. 201: the day the period starts does not count; art. 203: a period ends at
   * the close of business of its last day, and a last day that is a holiday moves to the next
   * working day). The result is the end of working hours (e.g. 18:30) of the n-th working day
   * strictly after `from`'s local day, whatever the time of day of `from` — intake at 09:00 or
   * at 20:00 on Monday gives the same deadline. `n = 0` gives `nextWorkingInstant(from)`.
   * See docs/decisions/044-civil-code-deadlines.md.
   *
   * Example: Friday 2026-02-13 17:00 + 1 working day → make-up Saturday 2026-02-14 18:30;
   * + 2 → Tuesday 2026-02-24 18:30 (the Spring Festival break 02-15…02-23 is skipped).
   * @throws RangeError when `n` is not a non-negative integer.
   */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be an integer ≥ 0, got ${n}`);
    const t = assertValidDate(from, 'from');
    if (n === 0) return new Date(this.nextWorkingMs(t));
    let day = localDay(t);
    for (let i = 0; i < n; i++) day = this.nextWorkingDayNumber(day);
    return new Date(dayStart(day) + this.endMs);
  }

  /**
   * Where a deadline at `d` may stand on this calendar: `d` itself when it is working time or
   * exactly the close of a working day ("by 18:30"), otherwise the next working instant. A
   * wall-clock limit of someone who keeps office hours (24 h from Friday 15:00) thus never ends
   * on a Saturday or at night (SPEC "Time limits").
   */
  nextDeadlineInstant(d: Date): Date {
    const t = assertValidDate(d, 'date');
    if (this.isWorkingTime(d) || this.isWorkingTime(new Date(t - 1))) return d;
    return new Date(this.nextWorkingMs(t));
  }

  /** `from` plus `hours` of wall-clock time (24/7, fractions allowed). */
  addCalendarHours(from: Date, hours: number): Date {
    assertAmount(hours, 'calendar hours');
    return new Date(assertValidDate(from, 'from') + Math.round(hours * HOUR));
  }

  /** `from` plus `n` calendar days (n × 24 h; exact because Shanghai has no DST). */
  addCalendarDays(from: Date, n: number): Date {
    assertAmount(n, 'calendar days');
    return new Date(assertValidDate(from, 'from') + Math.round(n * DAY));
  }

  /**
   * Working time elapsed between `a` and `b`, in ms: the overlap of [a, b) with the working
   * hours of working days. Negative when `b` is before `a` (−workingMillisBetween(b, a)), so
   * "overdue by" can be reported with the same function.
   */
  workingMillisBetween(a: Date, b: Date): number {
    const ta = assertValidDate(a, 'a');
    const tb = assertValidDate(b, 'b');
    if (tb < ta) return -this.workingMillisBetween(b, a);
    let total = 0;
    const lastDay = localDay(tb);
    for (let day = localDay(ta); day <= lastDay; day++) {
      if (!this.isWorkingDayNumber(day)) continue;
      const open = Math.max(ta, dayStart(day) + this.startMs);
      const close = Math.min(tb, dayStart(day) + this.endMs);
      if (close > open) total += close - open;
    }
    return total;
  }

  /** The local date of `d` in Shanghai as `YYYY-MM-DD`. */
  localDate(d: Date): string {
    return localDate(d);
  }

  private isWorkingDayNumber(day: number): boolean {
    if (this.everyDay) return true;
    if (this.holidayDays.has(day)) return false;
    if (this.makeupDays.has(day)) return true;
    const weekday = (((day + EPOCH_WEEKDAY) % 7) + 7) % 7;
    return weekday !== 0 && weekday !== 6;
  }

  /** The first working day strictly after `day`. */
  private nextWorkingDayNumber(day: number): number {
    for (let next = day + 1; next <= day + MAX_NON_WORKING_RUN; next++) {
      if (this.isWorkingDayNumber(next)) return next;
    }
    throw new RangeError(`no working day within ${MAX_NON_WORKING_RUN} days after ${localDate(new Date(dayStart(day)))}`);
  }

  private nextWorkingMs(t: number): number {
    const day = localDay(t);
    const offset = t - dayStart(day);
    if (this.isWorkingDayNumber(day)) {
      if (offset < this.startMs) return dayStart(day) + this.startMs;
      if (offset < this.endMs) return t;
    }
    return dayStart(this.nextWorkingDayNumber(day)) + this.startMs;
  }
}

/**
 * A calendar built from `base` with `overrides` merged in order (organisation first, then unit):
 * extra holidays and working days are added (a date moved to one list leaves the other), working
 * hours and `everyDay` replace the base values when given. `undefined` overrides are skipped.
 *
 * @example calendarFor(CN_CALENDAR_CONFIG, orgOverride, { everyDay: true })
 * @throws RangeError when one override lists the same date as both holiday and working day.
 */
export function calendarFor(base: WorkCalendar | WorkCalendarConfig, ...overrides: ReadonlyArray<CalendarOverride | undefined>): WorkCalendar {
  const start = base instanceof WorkCalendar ? base.config : base;
  const holidays = new Set(start.holidays);
  const makeupWorkdays = new Set(start.makeupWorkdays);
  let workingHours = start.workingHours;
  let everyDay = start.everyDay ?? false;
  for (const o of overrides) {
    if (!o) continue;
    const extraHolidays = new Set(o.holidays ?? []);
    for (const day of o.makeupWorkdays ?? []) {
      if (extraHolidays.has(day)) throw new RangeError(`override lists ${day} as both holiday and working day`);
      holidays.delete(day);
      makeupWorkdays.add(day);
    }
    for (const day of extraHolidays) {
      makeupWorkdays.delete(day);
      holidays.add(day);
    }
    if (o.workingHours) workingHours = o.workingHours;
    if (o.everyDay !== undefined) everyDay = o.everyDay;
  }
  return new WorkCalendar({ ...start, workingHours, holidays, makeupWorkdays, everyDay });
}
