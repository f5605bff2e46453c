import { describe, expect, it } from 'vitest';
import { CALENDAR_ALARM_METRIC, emfMetrics, runCalendarWatch } from '#app/calendar-watch.ts';
import type { MetricSink } from '#app/ports.ts';
import type { MailMessage, Mailer } from '#app/ports.ts';
import { renderEscalationMail } from '#app/escalation-mail.ts';
import { directory } from '#config/index.ts';
import { WorkCalendar } from '#domain/calendar/calendar.ts';
import { CN_CALENDAR_CONFIG, CN_WORK_CALENDAR } from '#domain/calendar/holidays.ts';
import { readCalendarWatch } from '#domain/calendar/watch.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import { ManualClock } from '#adapters/local/clock.ts';
import { complaint } from '#test/support/complaint.ts';
import { sh } from '#test/support/sla.ts';

/** The shipped calendar with 2027 made official, as after an administrator loads its notice. */
const with2027Official = new WorkCalendar({ ...CN_CALENDAR_CONFIG, coveredYears: new Set([2024, 2025, 2026, 2027]) });

class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(m: MailMessage) {
    this.sent.push(m);
    return { messageId: `m${this.sent.length}` };
  }
}
const recordingMetrics = () => {
  const points: Array<[string, number]> = [];
  const sink: MetricSink = { put: (name, value) => void points.push([name, value]) };
  return { sink, points };
};

describe('reading the calendar watch', () => {
  it('stays quiet on 31 October while next year is provisional', () => {
    expect(readCalendarWatch(CN_WORK_CALENDAR, sh('2026-10-31 23:59')).alarm).toBe(false);
  });

  it('alarms from 1 November (Shanghai date) when next year is still provisional', () => {
    // 2026-10-31T16:00Z is already 1 November in Shanghai
    const reading = readCalendarWatch(CN_WORK_CALENDAR, new Date('2026-10-31T16:00:00Z'));
    expect(reading).toMatchObject({ today: '2026-11-01', nextYear: 2027, nextYearStatus: 'provisional', alarm: true });
    expect(reading.reason).toContain('2027年仍为预计安排');
  });

  it('stops once next year is official', () => {
    expect(readCalendarWatch(with2027Official, sh('2026-12-01 09:00')).alarm).toBe(false);
  });

  it('alarms on any day of a year that is itself provisional', () => {
    expect(readCalendarWatch(CN_WORK_CALENDAR, sh('2027-03-01 09:00'))).toMatchObject({ yearStatus: 'provisional', alarm: true });
  });

  it('says so louder for a year with no data at all (2037: weekends only)', () => {
    expect(readCalendarWatch(CN_WORK_CALENDAR, sh('2036-11-02 09:00')).reason).toContain('2037年没有任何节假日数据');
  });
});

describe('the daily calendar-watch use case', () => {
  it('publishes 1 and e-mails the admins once per Shanghai day, with the runbook', async () => {
    // Prepare
    const mailer = new RecordingMailer();
    const { sink, points } = recordingMetrics();
    const clock = new ManualClock(sh('2026-11-02 09:00'));
    // Act
    const result = await runCalendarWatch({ calendar: CN_WORK_CALENDAR, clock, mailer, metrics: sink, adminEmails: ['admin@example.cn'] });
    // Assess
    expect(result).toMatchObject({ alarm: true, mailed: true });
    expect(points).toEqual([[CALENDAR_ALARM_METRIC, 1]]);
    expect(mailer.sent[0]).toMatchObject({ to: ['admin@example.cn'], dedupeKey: 'calendar-watch:2027:2026-11-02' });
    expect(mailer.sent[0]?.subject).toBe('【节假日数据待更新】2027年国务院节假日安排尚未载入');
    expect(mailer.sent[0]?.text).toContain('预计');
  });

  it('publishes 0 and sends nothing when next year is official', async () => {
    const mailer = new RecordingMailer();
    const { sink, points } = recordingMetrics();
    const result = await runCalendarWatch({
      calendar: with2027Official,
      clock: new ManualClock(sh('2026-12-01 09:00')),
      mailer,
      metrics: sink,
      adminEmails: ['admin@example.cn'],
    });
    expect(result.mailed).toBe(false);
    expect(points).toEqual([[CALENDAR_ALARM_METRIC, 0]]);
    expect(mailer.sent).toEqual([]);
  });

  it('writes the metric as a CloudWatch Embedded Metric Format line', () => {
    const lines: string[] = [];
    emfMetrics(
      'ComplaintLoop',
      (l) => lines.push(l),
      () => 1_800_000_000_000,
    ).put(CALENDAR_ALARM_METRIC, 1);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({
      _aws: {
        Timestamp: 1_800_000_000_000,
        CloudWatchMetrics: [{ Namespace: 'ComplaintLoop', Dimensions: [[]], Metrics: [{ Name: 'CalendarNotOfficial', Unit: 'Count' }] }],
      },
      CalendarNotOfficial: 1,
    });
  });
});

describe('provisional deadlines in escalation e-mails', () => {
  const breach: EscalationMessage = {
    complaintId: 'C8KXQ2M4N6P8R0T2V',
    milestone: 'reply',
    round: 1,
    level: 'breach',
    severity: 'major',
    unitId: 'gz-branch',
    dueAt: '2027-02-04T02:00:00.000Z',
    overdueMillis: 0,
    decidedAt: '2027-02-04T02:00:00.000Z',
  };

  it('says 预计 next to a deadline computed on a provisional year', () => {
    const c = complaint({
      deadlines: [
        {
          milestone: 'reply',
          round: 1,
          startedAt: '2027-01-29T02:00:00.000Z',
          dueAt: '2027-02-04T02:00:00.000Z',
          warnAt: '2027-02-03T02:00:00.000Z',
          state: 'pending',
          provisional: true,
        },
      ],
    });
    const mail = renderEscalationMail(breach, c, directory, new Date('2027-02-04T03:00:00.000Z'));
    expect(mail.text).toContain('应于 2027-02-04 10:00 前完成（预计：节假日安排尚未公布）');
  });

  it('does not say 预计 for an official deadline', () => {
    const c = complaint({
      deadlines: [
        {
          milestone: 'reply',
          round: 1,
          startedAt: '2026-11-24T02:00:00.000Z',
          dueAt: '2026-11-25T10:30:00.000Z',
          warnAt: '2026-11-25T08:30:00.000Z',
          state: 'pending',
        },
      ],
    });
    const mail = renderEscalationMail({ ...breach, dueAt: '2026-11-25T10:30:00.000Z' }, c, directory, new Date('2026-11-25T11:00:00.000Z'));
    expect(mail.text).not.toContain('预计');
  });
});
