/**
 * The SLA clock. Functions that plan deadlines keep one one-time EventBridge Scheduler schedule per
 * complaint (created, moved in place, deleted) in one schedule group; each fires `sla-check` through an execution role that may invoke that function and
 * nothing else. Invocations that fail to be delivered, and `sla-check` runs that fail after Lambda's
 * retries, land in one dead-letter queue ("SLA checks that did not run"). A rule runs `sla-sweep` every
 * 15 minutes as the safety net for lost schedules.
 */
import { ArnFormat, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcard } from '../nag.ts';
import type { ComplaintFunction } from './lambda-function.ts';

export interface SlaSchedulerProps {
  removalPolicy: RemovalPolicy;
}

/**
 * What a planning function may do with schedules, in the group only: create a complaint's one
 * schedule, move it in place, delete it (decision 053). No GetSchedule/ListSchedules: the adapter
 * never reads a schedule, it falls back from update to create (and back) on the error it gets.
 */
export const SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'] as const;

export class SlaScheduler extends Construct {
  readonly group: ScheduleGroup;
  /** The execution role the schedules run as. */
  readonly role: Role;
  readonly deadLetterQueue: Queue;
  /** `arn:…:schedule/<group>/*`: every schedule in the group. */
  readonly schedulesArn: string;
  private slaCheckArn?: string;

  constructor(scope: Construct, id: string, props: SlaSchedulerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new ScheduleGroup(this, 'Group', { removalPolicy: props.removalPolicy });
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself a dead-letter queue (EventBridge Scheduler, the sweep rule and Lambda asynchronous invocations of the SLA functions); cdk-nag only recognises DLQs named in another queue’s redrive policy.',
    );

    const groupArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule-group',
      resourceName: this.group.scheduleGroupName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.role = new Role(this, 'ExecutionRole', {
      // Confused-deputy guard: only schedules of this account's group may assume the role.
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnEquals: { 'aws:SourceArn': groupArn } },
      }),
      description: 'complaint-loop SLA schedules: invoke sla-check only',
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));

    this.schedulesArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Makes `sla-check` the target: the execution role may invoke exactly this function. `arn` is the
   * ARN from the function's fixed name, which `sla-check` itself can carry in its environment.
   */
  setTarget(slaCheck: ComplaintFunction, arn: string): void {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [slaCheck.fn.functionArn] }));
    this.slaCheckArn = arn;
  }

  /**
   * A function that plans deadlines: create/update/delete schedules in the group, pass exactly the execution
   * role to the scheduler, and the names it needs to build a schedule.
   */
  grantScheduling(fn: ComplaintFunction): void {
    if (this.slaCheckArn === undefined) throw new Error('Set the sla-check target before granting scheduling');
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...SCHEDULE_ACTIONS], resources: [this.schedulesArn] }));
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledgeWildcard(
      fn.role,
      this.schedulesArn,
      'Schedules are created at run time, one per complaint, with names unknown at deploy time; the wildcard is confined to this stack’s schedule group.',
    );
    fn.addEnvironment('SCHEDULE_GROUP', this.group.scheduleGroupName);
    fn.addEnvironment('SCHEDULER_ROLE_ARN', this.role.roleArn);
    fn.addEnvironment('SCHEDULER_DLQ_ARN', this.deadLetterQueue.queueArn);
    fn.addEnvironment('SLA_CHECK_ARN', this.slaCheckArn);
  }

  /** The safety-net sweep, every 15 minutes; failed deliveries go to the same dead-letter queue. */
  scheduleSweep(sweep: IFunction): Rule {
    return new Rule(this, 'SweepRule', {
      description: 'complaint-loop: sla-sweep safety net for lost schedules',
      schedule: Schedule.rate(Duration.minutes(15)),
      targets: [new LambdaFunction(sweep, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }
}
