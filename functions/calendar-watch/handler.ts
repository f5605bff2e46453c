/**
 * The daily calendar watch, run by an EventBridge schedule: metric `ComplaintLoop/CalendarNotOfficial`
 * (1 = next year's holidays still provisional from 1 November) and a daily e-mail to the admins.
 * Recipients: `CALENDAR_ADMIN_EMAILS` (comma-separated), else the operations directors of the runtime
 * directory. The calendar is the built-in files plus the notices loaded at run time.
 */
import type { Context } from 'aws-lambda';
import { backgroundInvocation, runInvocation } from '#app/correlation.ts';
import { emfMetrics, runCalendarWatch, type CalendarWatchResult } from '#app/calendar-watch.ts';
import { METRIC_NAMESPACE } from '#app/metrics.ts';
import { systemClock } from '#app/ports.ts';
import { SesMailer } from '#adapters/aws/mail.ts';
import { runtimeConfig } from '#app/wiring/runtime-config.ts';

// Built on first use: the module loads (and the bundle test imports it) without MAIL_FROM.
let mailer: SesMailer | undefined;
const metrics = emfMetrics(METRIC_NAMESPACE);
const configured = (process.env['CALENDAR_ADMIN_EMAILS'] ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

export const handler = async (_event?: unknown, context?: Context): Promise<CalendarWatchResult> =>
  runInvocation(context?.awsRequestId ?? 'calendar-watch', backgroundInvocation('calendar-watch', context), async () => {
    // The built-in files plus the notices admins loaded (decision 055): a loaded year stops alarming.
    const { calendar, directory } = await runtimeConfig().refresh();
    const adminEmails = configured.length > 0 ? configured : directory.organisation.operationsDirectors.map((p) => p.email);
    mailer ??= new SesMailer();
    return runCalendarWatch({ calendar, clock: systemClock, mailer, metrics, adminEmails });
  });
