/**
 * A State Council holiday notice (国务院办公厅关于部分节假日安排的通知) loaded at run time by an admin
 * (`PUT /admin/calendar/{year}`), and the work calendar built from the built-in files plus every
 * loaded notice. Pure: the store keeps the notices, the runtime cache decides when to rebuild.
 *
 * A notice is checked as strictly as `holidays-cn.json` (the same `holidayFileSchema`: real dates,
 * every date inside its year, none listed twice, make-up days only on Saturdays and Sundays), and in
 * addition every statutory day of the 2024 放假办法 that the lunar prediction knows for the year must
 * be a day off — a notice that makes 除夕 a working day is a typo, not an arrangement.
 * See docs/decisions/055-calendar-notices-at-runtime.md.
 */
import { fieldIssues } from '#domain/field-issues.ts';
import { WorkCalendar } from './calendar.ts';
import { CalendarNoticeSchema, type CalendarNotice, type NoticeVersion } from './notice-schema.ts';
import { calendarConfigFrom, HOLIDAYS_CN, HOLIDAYS_CN_PROVISIONAL, holidayFileSchema, type HolidayFile, type ProvisionalFile } from './holidays.ts';

export { CalendarNoticeSchema, type CalendarNotice, type NoticeVersion };

/** The longest break a notice may declare; the longest so far is 9 days (2026 春节). */
export const MAX_BREAK_DAYS = 14;

/** The years a notice may be loaded for: the law in force since 2025 (decision 040) up to a sane horizon. */
export const NOTICE_YEARS = { min: 2025, max: 2099 } as const;

/** A field the notice got wrong, with its path in the request body. */
export interface NoticeIssue {
  path: string;
  message: string;
}

const DAY = 86_400_000;
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY;
const dateOf = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

/** The days of one break, `from` to `to` inclusive. */
function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayOf(from); d <= dayOf(to); d++) out.push(dateOf(d));
  return out;
}

/** The name of the break a make-up day serves: the nearest break (by distance to its days). */
function makeupName(date: string, holidays: CalendarNotice['holidays']): string {
  const d = dayOf(date);
  const distance = (h: CalendarNotice['holidays'][number]) => Math.min(Math.abs(dayOf(h.from) - d), Math.abs(dayOf(h.to) - d));
  const nearest = [...holidays].sort((a, b) => distance(a) - distance(b))[0];
  return `${nearest?.name ?? '节假日'}调休`;
}

/** A notice as one year of the holiday data file (`holidays-cn.json`'s shape). */
export function noticeYear(notice: CalendarNotice): HolidayFile['years'][string] {
  return {
    notice: notice.number,
    url: notice.url,
    holidays: notice.holidays.flatMap((h) => daysOf(h.from, h.to).map((date) => ({ date, name: h.name }))),
    makeupWorkdays: notice.makeupWorkdays.map((date) => ({ date, name: makeupName(date, notice.holidays) })),
  };
}

/**
 * Every problem of a notice for `year`, as body paths (`holidays.1.to`, `makeupWorkdays.0`); empty
 * when it may be loaded. `raw` is the request body before any parsing.
 */
export function checkNotice(
  year: number,
  raw: unknown,
  provisional: ProvisionalFile = HOLIDAYS_CN_PROVISIONAL,
): { notice?: CalendarNotice; issues: NoticeIssue[] } {
  if (!Number.isInteger(year) || year < NOTICE_YEARS.min || year > NOTICE_YEARS.max) {
    return { issues: [{ path: 'path.year', message: `expected a year from ${NOTICE_YEARS.min} to ${NOTICE_YEARS.max}` }] };
  }
  const parsed = CalendarNoticeSchema.safeParse(raw);
  if (!parsed.success) return { issues: fieldIssues(parsed.error, { root: '(body)', unknownKeys: 'whole' }) };
  const notice = parsed.data;
  const issues: NoticeIssue[] = [];
  if (!notice.number.includes(`〔${year - 1}〕`) && !notice.number.includes(`〔${year}〕`)) {
    issues.push({ path: 'number', message: `a notice for ${year} is numbered in ${year - 1} (or ${year})` });
  }
  if (notice.publishedAt >= `${year + 1}-01-01`) issues.push({ path: 'publishedAt', message: `a notice for ${year} is published before ${year + 1}` });
  notice.holidays.forEach((h, i) => {
    if (h.from > h.to) issues.push({ path: `holidays.${i}.to`, message: `ends (${h.to}) before it starts (${h.from})` });
    else if (dayOf(h.to) - dayOf(h.from) + 1 > MAX_BREAK_DAYS)
      issues.push({ path: `holidays.${i}.to`, message: `a break of more than ${MAX_BREAK_DAYS} days` });
  });
  if (issues.length > 0) return { issues };

  // The file schema's rules, with its paths (years.<y>.holidays.<n>.date) mapped back to the body.
  const entry = noticeYear(notice);
  const rangeOfDay = notice.holidays.flatMap((h, i) => daysOf(h.from, h.to).map(() => i));
  const file = holidayFileSchema.safeParse({ version: 'runtime', source: notice.url, timeZone: 'Asia/Shanghai', years: { [String(year)]: entry } });
  for (const issue of file.error?.issues ?? []) {
    const [, , list, index] = issue.path;
    const path =
      list === 'holidays' && typeof index === 'number'
        ? `holidays.${rangeOfDay[index] ?? index}`
        : list === 'makeupWorkdays'
          ? `makeupWorkdays.${String(index)}`
          : issue.path.join('.');
    issues.push({ path, message: issue.message });
  }
  // The statutory days (全国年节及纪念日放假办法) are days off by law, whatever the arrangement.
  const predicted = provisional.years[String(year)];
  const off = new Set(entry.holidays.map((e) => e.date));
  for (const md of predicted?.statutory ?? []) {
    const date = `${year}-${md}`;
    if (!off.has(date)) issues.push({ path: 'holidays', message: `the statutory holiday ${date} is not a day off` });
  }
  return issues.length > 0 ? { issues: dedupe(issues) } : { notice, issues: [] };
}

function dedupe(issues: NoticeIssue[]): NoticeIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The holiday data with the loaded notices applied: each notice replaces its year whole, whether the
 * year was built in, predicted or missing (the newest version per year is passed in).
 */
export function holidayFileWith(notices: readonly Pick<NoticeVersion, 'year' | 'version' | 'notice'>[], base: HolidayFile = HOLIDAYS_CN): HolidayFile {
  if (notices.length === 0) return base;
  const years = { ...base.years };
  for (const n of notices) years[String(n.year)] = noticeYear(n.notice);
  const tag = notices.map((n) => `${n.year}v${n.version}`).join(',');
  return { ...base, version: `${base.version}+${tag}`, years };
}

/** The office calendar (mainland China, 08:30–18:30) from the built-in files and the loaded notices. */
export function calendarWithNotices(
  notices: readonly Pick<NoticeVersion, 'year' | 'version' | 'notice'>[],
  provisional: ProvisionalFile = HOLIDAYS_CN_PROVISIONAL,
): WorkCalendar {
  return new WorkCalendar(calendarConfigFrom(holidayFileWith(notices), provisional));
}
