/**
 * The daily calendar watch, run by an EventBridge schedule: metric `ComplaintLoop/CalendarNotOfficial`
 * (1 = next year's holidays still provisional from 1 November) and a daily e-mail to the admins.
 * Recipients: `CALENDAR_ADMIN_EMAILS` (comma-separated), else the operations directors.
 */
import type { Context } from 'aws-lambda';
import { backgroundInvocation, runInvocation } from '#app/correlation.ts';
import { emfMetrics, runCalendarWatch, type CalendarWatchResult } from '#app/calendar-watch.ts';
import { METRIC_NAMESPACE } from '#app/metrics.ts';
import { systemClock } from '#app/ports.ts';
import { SesMailer } from '#adapters/aws/mail.ts';
import { directory } from '#config/index.ts';
import { CN_WORK_CALENDAR } from '#domain/calendar/holidays.ts';

// Built on first use: the module loads (and the bundle test imports it) without MAIL_FROM.
let mailer: SesMailer | undefined;
const metrics = emfMetrics(METRIC_NAMESPACE);
const configured = (process.env['CALENDAR_ADMIN_EMAILS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const adminEmails = configured.length > 0 ? configured : directory.organisation.operationsDirectors.map((p) => p.email);

export const handler = async (_event?: unknown, context?: Context): Promise<CalendarWatchResult> =>
  runInvocation(context?.awsRequestId ?? 'calendar-watch', backgroundInvocation('calendar-watch', context), () =>
    runCalendarWatch({ calendar: CN_WORK_CALENDAR, clock: systemClock, mailer: (mailer ??= new SesMailer()), metrics, adminEmails }),
  );
