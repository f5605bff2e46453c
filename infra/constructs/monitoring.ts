/**
 * Alarms that mean "someone must look": a message in any dead-letter queue, API 5xx, Lambda errors and
 * throttles per function, and schedules that failed or were dropped. All notify one encrypted SNS topic
 * (e-mail subscription optional).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoringProps {
  topicKey: IKey;
  alarmEmail?: string;
}

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { masterKey: props.topicKey, enforceSSL: true, displayName: 'complaint-loop alarms' });
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);
  }

  /** Fires when the metric is above `threshold` in one period; no data is fine (nothing happened). */
  alarm(id: string, metric: IMetric, description: string, threshold = 0): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }

  /** Any message in a dead-letter queue is a failure nobody has handled yet. */
  watchDeadLetterQueue(id: string, queue: IQueue, what: string): Alarm {
    return this.alarm(
      `${id}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      `${what}: messages in the dead-letter queue`,
    );
  }

  watchFunction(name: string, fn: IFunction): void {
    this.alarm(`${name}-Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), `${name}: invocation errors`);
    this.alarm(`${name}-Throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), `${name}: throttled invocations`);
  }
}
