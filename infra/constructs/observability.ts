/**
 * What an operator watches (issue 10 item 4, decision 054): one CloudWatch dashboard of the system's
 * own EMF metrics (`#app/metrics.ts`, namespace `ComplaintLoop`) beside the AWS ones — intake per
 * channel, breaches per milestone, escalations, SMS, outbox age, API 5xx and latency, Lambda errors and
 * throttles, dead-letter queue depth — and the alarms that are not about one resource: the outbox
 * older than 5 minutes and a spike of breaches. The per-resource alarms (DLQs, API 5xx, functions)
 * are `Monitoring`'s; every alarm notifies its one topic.
 *
 * Per-dimension graphs use SEARCH, so a channel or milestone added to a vocabulary appears without a
 * change here; alarms watch the dimensionless total each metric is also published as.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRIC_NAMESPACE, type MetricName } from '#app/metrics.ts';
import type { Monitoring } from './monitoring.ts';

/** The outbox alarm fires when the oldest pending side effect a sweep sees is older than this. */
const OUTBOX_AGE_ALARM_MILLIS = 5 * 60_000;
/** The window of the breach-spike alarm (its threshold is the stage's `breachSpikeThreshold`). */
const BREACH_SPIKE_WINDOW = Duration.minutes(15);

export interface ObservabilityProps {
  monitoring: Monitoring;
  api: HttpApi;
  functions: ReadonlyMap<string, IFunction>;
  /** Each dead-letter queue by a readable name. */
  deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** More deadlines breached than this in 15 minutes raises the alarm. */
  breachSpikeThreshold: number;
}

const PERIOD = Duration.minutes(5);

/** The dimensionless total of one of our metrics. */
function total(name: MetricName, statistic = 'Sum', period: Duration = PERIOD): Metric {
  return new Metric({ namespace: METRIC_NAMESPACE, metricName: name, statistic, period });
}

/** One line per value of `dimension` (SEARCH: values appear as they are emitted). */
function perDimension(name: MetricName, dimension: string, label: string): IMetric {
  return new MathExpression({
    expression: `SEARCH('{${METRIC_NAMESPACE},${dimension}} MetricName="${name}"', 'Sum', ${PERIOD.toSeconds()})`,
    label,
    period: PERIOD,
  });
}

export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly outboxAgeAlarm: Alarm;
  readonly breachSpikeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { monitoring, api } = props;

    this.outboxAgeAlarm = new Alarm(this, 'OutboxAge', {
      // The sweep runs every 15 minutes and reports 0 when nothing is pending: its maximum per run.
      metric: total(METRIC.outboxAge, 'Maximum', Duration.minutes(15)),
      threshold: OUTBOX_AGE_ALARM_MILLIS,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'A side effect (escalation e-mail, complainant SMS) has been pending for more than 5 minutes: the queue or its consumer is stuck (decision 037)',
    });
    this.breachSpikeAlarm = new Alarm(this, 'BreachSpike', {
      metric: total(METRIC.breach, 'Sum', BREACH_SPIKE_WINDOW),
      threshold: props.breachSpikeThreshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `More than ${props.breachSpikeThreshold} deadlines breached within 15 minutes: a unit is not working its list, or the calendar is wrong`,
    });
    for (const alarm of [this.outboxAgeAlarm, this.breachSpikeAlarm]) alarm.addAlarmAction(monitoring.action);

    const fns = [...props.functions];
    const graph = (title: string, left: IMetric[], opts: { right?: IMetric[]; width?: number } = {}) =>
      new GraphWidget({ title, left, ...(opts.right && { right: opts.right }), width: opts.width ?? 8, height: 6 });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.hours(24),
    });
    this.dashboard.addWidgets(
      graph('Intake per channel (new cases; repeats right)', [perDimension(METRIC.intake, 'channel', 'new')], {
        right: [perDimension(METRIC.repeat, 'channel', 'repeat')],
      }),
      graph('Deadlines breached per milestone', [perDimension(METRIC.breach, 'milestone', 'breached')]),
      graph('Escalations sent / failed per level', [perDimension(METRIC.escalationSent, 'level', 'sent')], {
        right: [perDimension(METRIC.escalationFailed, 'level', 'failed')],
      }),
    );
    this.dashboard.addWidgets(
      graph('SMS parts sent / failed per purpose', [perDimension(METRIC.smsParts, 'purpose', 'parts')], {
        right: [perDimension(METRIC.smsFailed, 'purpose', 'failed'), perDimension(METRIC.smsWithheld, 'reason', 'withheld')],
      }),
      graph('Outbox age (oldest pending, ms)', [total(METRIC.outboxAge, 'Maximum', Duration.minutes(15))]),
      graph('API 5xx and latency', [api.metricServerError({ period: PERIOD, statistic: 'Sum' }), total(METRIC.serverError)], {
        right: [api.metricLatency({ period: PERIOD, statistic: 'p50' }), api.metricLatency({ period: PERIOD, statistic: 'p99' })],
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors',
        fns.map(([name, fn]) => fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: name })),
        { width: 8 },
      ),
      graph(
        'Lambda throttles',
        fns.map(([name, fn]) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label: name })),
        { width: 8 },
      ),
      graph(
        'Dead-letter queue depth',
        Object.entries(props.deadLetterQueues).map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum', label: name }),
        ),
      ),
    );
  }
}
