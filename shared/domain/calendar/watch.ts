/**
 * The calendar watch: is the holiday data of the coming year official yet? Pure — the daily use
 * case (`shared/app/calendar-watch.ts`) and the local start-up warning both ask it.
 *
 * Rule (docs/decisions/041-never-silent-calendar.md): the State Council publishes next year's
 * notice in October–December (2026's on 4 November 2025); from 1 November (Shanghai date) a next
 * year that is still provisional or uncovered raises the alarm, and a current year that is not
 * official raises it on every day.
 */
import { localDate, type WorkCalendar, type YearStatus } from './calendar.ts';

/** What the watch found on one day. */
export interface CalendarWatchReading {
  /** Shanghai date the reading was taken on. */
  today: string;
  year: number;
  yearStatus: YearStatus;
  nextYear: number;
  nextYearStatus: YearStatus;
  /** True when an administrator must load a State Council notice now. */
  alarm: boolean;
  /** Why, in Chinese, for the e-mail and the log; empty without an alarm. */
  reason: string;
}

/** 1 November: from this month-day on, next year's notice is expected (2024–2026: 25 Oct–4 Nov). */
export const WATCH_FROM_MONTH_DAY = '11-01';

/** Reads the calendar's coverage at `now` (see the module comment for the rule). */
export function readCalendarWatch(calendar: WorkCalendar, now: Date): CalendarWatchReading {
  const today = localDate(now);
  const year = Number(today.slice(0, 4));
  const yearStatus = calendar.yearStatus(year);
  const nextYear = year + 1;
  const nextYearStatus = calendar.yearStatus(nextYear);
  const describe = (y: number, s: YearStatus): string =>
    s === 'provisional' ? `${y}年仍为预计安排（按法定假日和往年规则推算）` : `${y}年没有任何节假日数据（只按周末计算）`;
  const reasons: string[] = [];
  if (yearStatus !== 'official') reasons.push(`${describe(year, yearStatus)}，本年的时限均为预计`);
  if (nextYearStatus !== 'official' && today.slice(5) >= WATCH_FROM_MONTH_DAY)
    reasons.push(`${describe(nextYear, nextYearStatus)}，国务院办公厅通知一般于11月前后发布`);
  const reason = reasons.join('；');
  return { today, year, yearStatus, nextYear, nextYearStatus, alarm: reason !== '', reason };
}
