/**
 * Daily calendar watch (run by a scheduled Lambda, `functions/calendar-watch/handler.ts`):
 * publishes whether next year's holidays are still provisional as a metric — the stack's
 * CloudWatch alarm watches it — and, while the watch alarms, e-mails the administrators once a
 * day with the runbook of docs/decisions/003-working-calendar.md.
 */
import type { WorkCalendar } from '#domain/calendar/calendar.ts';
import { readCalendarWatch, type CalendarWatchReading } from '#domain/calendar/watch.ts';
import type { Clock, Mailer, MetricSink } from './ports.ts';

/** The metric the stack's alarm watches: 1 while the alarm condition holds, else 0; emitted every run. */
export const CALENDAR_ALARM_METRIC = 'CalendarNotOfficial';

export interface CalendarWatchDeps {
  calendar: WorkCalendar;
  clock: Clock;
  mailer: Mailer;
  metrics: MetricSink;
  /** Who loads the State Council notice (admins); no address → metric only. */
  adminEmails: readonly string[];
}

/** What one run did. */
export interface CalendarWatchResult extends CalendarWatchReading {
  mailed: boolean;
}

/** Runs the watch once (idempotent per Shanghai day through the mail's dedupe key). */
export async function runCalendarWatch(deps: CalendarWatchDeps): Promise<CalendarWatchResult> {
  const reading = readCalendarWatch(deps.calendar, deps.clock.now());
  deps.metrics.put(CALENDAR_ALARM_METRIC, reading.alarm ? 1 : 0);
  if (!reading.alarm || deps.adminEmails.length === 0) return { ...reading, mailed: false };
  const year = reading.yearStatus === 'official' ? reading.nextYear : reading.year;
  await deps.mailer.send({
    to: [...deps.adminEmails],
    subject: `【节假日数据待更新】${year}年国务院节假日安排尚未载入`,
    text: [
      `${reading.reason}。`,
      '',
      `在载入官方通知之前，涉及${year}年的所有时限都标为“预计”，投诉人查询页面和提醒邮件同样注明。`,
      '',
      '处理步骤（docs/decisions/003-working-calendar.md “Yearly update”）：',
      `1. 在 www.gov.cn 查找《国务院办公厅关于${year}年部分节假日安排的通知》；`,
      '2. 把通知的放假日期和调休上班日期载入节假日数据（通知编号、网址、每一天）；',
      '3. 载入后本提醒自动停止，已计算的预计时限在下次变更时按官方安排重算。',
      '',
      '本邮件每天发送一次，直到官方安排载入为止。',
    ].join('\n'),
    dedupeKey: `calendar-watch:${year}:${reading.today}`,
  });
  return { ...reading, mailed: true };
}

/** A {@link MetricSink} that writes CloudWatch Embedded Metric Format lines (no SDK call, no extra IAM). */
export function emfMetrics(namespace: string, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`), now: () => number = Date.now): MetricSink {
  return {
    put(name, value, dimensions = {}) {
      const keys = Object.keys(dimensions);
      write(
        JSON.stringify({
          _aws: { Timestamp: now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [keys], Metrics: [{ Name: name, Unit: 'Count' }] }] },
          ...dimensions,
          [name]: value,
        }),
      );
    },
  };
}
