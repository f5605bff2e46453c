import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient, ValidationException } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeScheduler, schedulerFromEnv, shanghaiLocal } from '#adapters/aws/scheduler.ts';
import type { TimerSpec } from '#app/ports.ts';
import { timerName } from '#app/sla-timers.ts';

// Lambda runs Node 22; only this machine runs 20 (see local/dynamo.ts).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const scheduler = mockClient(SchedulerClient);
beforeEach(() => {
  scheduler.reset();
});

const ARNS = {
  groupName: 'complaints-sla',
  targetArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:complaints-sla-check',
  roleArn: 'arn:aws-cn:iam::123456789012:role/complaints-sla-scheduler',
  deadLetterArn: 'arn:aws-cn:sqs:cn-north-1:123456789012:complaints-sla-dlq',
};
const NOW = new Date('2026-09-30T09:00:00.000Z'); // 17:00 in Shanghai
const adapter = () => new EventBridgeScheduler({ ...ARNS, client: new SchedulerClient({ region: 'cn-north-1' }), clock: { now: () => NOW } });

const timer = (at: string): TimerSpec => {
  const payload = { complaintId: 'C3M9Q2W7X1B4K8D0F', milestone: 'reply', round: 1, point: 'due' as const, version: 7 };
  return { name: timerName(payload.complaintId, { ...payload, at: new Date(at) }), at: new Date(at), payload };
};

describe('EventBridgeScheduler.schedule', () => {
  it('creates a one-time schedule in Shanghai local time that deletes itself, with retries and a dead-letter queue', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const t = timer('2026-10-13T09:30:00.000Z'); // 17:30 in Shanghai

    await adapter().schedule(t);

    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(1);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: t.name,
      GroupName: 'complaints-sla',
      ScheduleExpression: 'at(2026-10-13T17:30:00)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description: 'SLA due reply r1 of C3M9Q2W7X1B4K8D0F',
      Target: {
        Arn: ARNS.targetArn,
        RoleArn: ARNS.roleArn,
        Input: JSON.stringify(t.payload),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
        DeadLetterConfig: { Arn: ARNS.deadLetterArn },
      },
    });
  });

  it('names timers deterministically within EventBridge’s 64 characters of [0-9a-zA-Z-_.]', () => {
    const t = timer('2026-10-13T09:30:00.000Z');
    expect(t.name).toBe(`sla-C3M9Q2W7X1B4K8D0F-reply-r1-d-${(Date.parse('2026-10-13T09:30:00.000Z') / 1000).toString(36)}`);
    expect(timer('2026-10-13T09:30:00.000Z').name).toBe(t.name);
    const long = timerName('C3M9Q2W7X1B4K8D0F', { milestone: 'compensation_settle_international_extra', round: 123, point: 'quality', at: new Date() });
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^[0-9a-zA-Z_.-]+$/);
  });

  it('treats ConflictException (the name exists) as success: creating a timer is idempotent', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'Schedule already exists', Message: 'Schedule already exists', $metadata: {} }));
    await expect(adapter().schedule(timer('2026-10-13T09:30:00.000Z'))).resolves.toBeUndefined();
  });

  it('rethrows any other error (the observer logs it and the sweep catches the lost timer)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ValidationException({ message: 'bad expression', Message: 'bad expression', $metadata: {} }));
    await expect(adapter().schedule(timer('2026-10-13T09:30:00.000Z'))).rejects.toBeInstanceOf(ValidationException);
  });

  it('moves an instant in the past (or within the minute) to now + 1 minute, since a past one-time schedule never fires', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await adapter().schedule(timer('2026-09-30T08:00:00.000Z'));
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.ScheduleExpression).toBe('at(2026-09-30T17:01:00)');
  });

  it('rounds sub-second instants up, so the check never runs before the point is due', () => {
    expect(shanghaiLocal(new Date('2026-10-07T16:00:00.001Z'))).toBe('2026-10-08T00:00:01');
    expect(shanghaiLocal(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01T00:00:00');
  });
});

describe('EventBridgeScheduler.cancel', () => {
  it('deletes each named schedule in the group', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    await adapter().cancel(['sla-a', 'sla-b']);
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'sla-a', GroupName: 'complaints-sla' },
      { Name: 'sla-b', GroupName: 'complaints-sla' },
    ]);
  });

  it('treats ResourceNotFoundException (fired and deleted, or never created) as success', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} }));
    await expect(adapter().cancel(['sla-gone'])).resolves.toBeUndefined();
  });

  it('tries every name and then reports the ones that failed', async () => {
    scheduler.on(DeleteScheduleCommand, { Name: 'sla-bad' }).rejects(new Error('ThrottlingException')).on(DeleteScheduleCommand, { Name: 'sla-ok' }).resolves({});
    await expect(adapter().cancel(['sla-bad', 'sla-ok'])).rejects.toThrow('1 of 2 SLA schedules could not be deleted');
    expect(scheduler.commandCalls(DeleteScheduleCommand)).toHaveLength(2);
  });
});

describe('schedulerFromEnv', () => {
  it('builds the adapter from the variables SlaScheduler.grantScheduling sets, and nothing without them', () => {
    const env = { SCHEDULE_GROUP: ARNS.groupName, SLA_CHECK_ARN: ARNS.targetArn, SCHEDULER_ROLE_ARN: ARNS.roleArn, SCHEDULER_DLQ_ARN: ARNS.deadLetterArn };
    expect(schedulerFromEnv(env)).toBeInstanceOf(EventBridgeScheduler);
    expect(schedulerFromEnv({ ...env, SLA_CHECK_ARN: undefined })).toBeUndefined();
  });
});
