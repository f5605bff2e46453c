/**
 * Shanghai time and Chinese durations, written once for every text the system sends (escalation
 * e-mails, SLA marks in the history, the complainant's SMS). Shanghai is UTC+08:00 all year — no DST
 * since 1991 (decision 003) — so a fixed offset is exact and needs no time-zone database.
 */

const MINUTE = 60_000;

/** UTC+08:00 in milliseconds. */
export const SHANGHAI_OFFSET_MS = 8 * 60 * MINUTE;

/** The instant shifted to Shanghai wall-clock time: read it with the `getUTC…` methods. */
export const shanghaiWallClock = (at: string | Date | number): Date => new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS);

/** `2026-11-26 10:05` in Shanghai time. */
export function shanghaiTime(at: string | Date): string {
  return shanghaiWallClock(at).toISOString().slice(0, 16).replace('T', ' ');
}

/** `12月2日10:30` in Shanghai time: what an SMS can afford. */
export function shanghaiMonthDay(at: Date): string {
  const t = shanghaiWallClock(at);
  return `${t.getUTCMonth() + 1}月${t.getUTCDate()}日${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
}

/** How {@link durationZh} words the two places where its readers differ. */
export interface DurationStyle {
  /** The unit of minutes after hours: `分` (`2小时15分`, the e-mails) or `分钟` (`2小时15分钟`, the history's marks). */
  minutesAfterHours: '分' | '分钟';
  /** Under one minute (and anything negative): `不足1分钟` (the e-mails) or `0分钟` (the marks). */
  underAMinute: string;
}

/** The escalation e-mails' wording. */
const MAIL_STYLE: DurationStyle = { minutesAfterHours: '分', underAMinute: '不足1分钟' };

/**
 * A duration in Chinese units: `2小时15分`, `45分钟`, `1天3小时`, `不足1分钟`. Minutes are dropped once it
 * runs to days: a reader of an overdue notice needs the order of magnitude.
 */
export function durationZh(ms: number, style: DurationStyle = MAIL_STYLE): string {
  const total = Math.max(0, Math.floor(ms / MINUTE));
  if (total < 1) return style.underAMinute;
  const days = Math.floor(total / (24 * 60));
  const hours = Math.floor((total % (24 * 60)) / 60);
  const minutes = total % 60;
  if (days > 0) return `${days}天${hours > 0 ? `${hours}小时` : ''}`;
  if (hours > 0) return `${hours}小时${minutes > 0 ? `${minutes}${style.minutesAfterHours}` : ''}`;
  return `${minutes}分钟`;
}
