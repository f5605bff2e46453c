/**
 * The never-silent calendar (SPEC "Time limits", decision 041): a daily run of `calendar-watch` at
 * 09:00 Asia/Shanghai and an alarm on its metric `ComplaintLoop/CalendarNotOfficial`. Missing data
 * breaches too — a watch that stopped running must not look like a calendar that is fine.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CALENDAR_ALARM_METRIC } from '#app/calendar-watch.ts';
import { METRIC_NAMESPACE } from '#app/metrics.ts';

export interface CalendarWatchProps {
  fn: IFunction;
  /** Where a run that could not be delivered goes. */
  deadLetterQueue: IQueue;
  alarmAction: IAlarmAction;
}

export class CalendarWatch extends Construct {
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: CalendarWatchProps) {
    super(scope, id);
    // 01:00 UTC = 09:00 in Shanghai, when an admin reads the e-mail.
    this.rule = new Rule(this, 'Daily', {
      description: 'complaint-loop: is next year’s holiday arrangement still provisional? (daily)',
      schedule: Schedule.cron({ minute: '0', hour: '1' }),
      targets: [new LambdaFunction(props.fn, { deadLetterQueue: props.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    this.alarm = new Alarm(this, 'NotOfficial', {
      metric: new Metric({ namespace: METRIC_NAMESPACE, metricName: CALENDAR_ALARM_METRIC, statistic: 'Maximum', period: Duration.days(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
      alarmDescription: 'The holiday calendar of this or next year is provisional: load the State Council notice (decision 003, yearly update)',
    });
    this.alarm.addAlarmAction(props.alarmAction);
  }
}
