import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
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

const ID = 'C3M9Q2W7X1B4K8D0F';
const timer = (at: string): TimerSpec => ({ name: timerName(ID), at: new Date(at), payload: { complaintId: ID, at } });
const notFound = () => new ResourceNotFoundException({ message: 'not found', Message: 'not found', $metadata: {} });
const conflict = () => new ConflictException({ message: 'Schedule already exists', Message: 'Schedule already exists', $metadata: {} });
/** Every Scheduler command sent, in order: `Create sla-… at(…)`. */
const sent = () =>
  scheduler.calls().map((c) => {
    const input = c.args[0].input as { Name: string; ScheduleExpression?: string };
    return `${c.args[0].constructor.name.replace(/ScheduleCommand$/, '')} ${input.Name}${input.ScheduleExpression ? ` ${input.ScheduleExpression}` : ''}`;
  });

describe('EventBridgeScheduler.arm', () => {
  it('creates the complaint’s one schedule in Shanghai local time that deletes itself, with retries and a dead-letter queue', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const t = timer('2026-10-13T09:30:00.000Z'); // 17:30 in Shanghai

    await adapter().arm(t, { exists: false });

    expect(sent()).toEqual([`Create sla-${ID} at(2026-10-13T17:30:00)`]);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: `sla-${ID}`,
      GroupName: 'complaints-sla',
      ScheduleExpression: 'at(2026-10-13T17:30:00)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description: `SLA check of ${ID} at 2026-10-13T09:30:00.000Z`,
      Target: {
        Arn: ARNS.targetArn,
        RoleArn: ARNS.roleArn,
        Input: JSON.stringify({ complaintId: ID, at: '2026-10-13T09:30:00.000Z' }),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
        DeadLetterConfig: { Arn: ARNS.deadLetterArn },
      },
    });
  });

  it('moves a schedule that exists in place with one UpdateSchedule carrying the whole definition', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    const t = timer('2026-10-14T01:00:00.000Z');

    await adapter().arm(t, { exists: true });

    expect(sent()).toEqual([`Update sla-${ID} at(2026-10-14T09:00:00)`]);
    scheduler.on(CreateScheduleCommand).resolves({});
    await adapter().arm(t, { exists: false });
    // UpdateSchedule replaces every field: it must send exactly what a create would.
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toEqual(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input);
  });

  it('creates the schedule when the one it meant to update has fired and deleted itself (ResourceNotFound)', async () => {
    scheduler.on(UpdateScheduleCommand).rejects(notFound()).on(CreateScheduleCommand).resolves({});
    await adapter().arm(timer('2026-10-13T09:30:00.000Z'), { exists: true });
    expect(sent()).toEqual([`Update sla-${ID} at(2026-10-13T17:30:00)`, `Create sla-${ID} at(2026-10-13T17:30:00)`]);
  });

  it('updates the schedule when a concurrent arm created it first (Conflict), so the last arm wins', async () => {
    scheduler.on(CreateScheduleCommand).rejects(conflict()).on(UpdateScheduleCommand).resolves({});
    await adapter().arm(timer('2026-10-13T09:30:00.000Z'), { exists: false });
    expect(sent()).toEqual([`Create sla-${ID} at(2026-10-13T17:30:00)`, `Update sla-${ID} at(2026-10-13T17:30:00)`]);
  });

  it('gives up after three calls when create and update keep racing, and says why', async () => {
    scheduler.on(CreateScheduleCommand).rejects(conflict()).on(UpdateScheduleCommand).rejects(notFound());
    await expect(adapter().arm(timer('2026-10-13T09:30:00.000Z'), { exists: false })).rejects.toBeInstanceOf(ConflictException);
    expect(sent().map((c) => c.split(' ')[0])).toEqual(['Create', 'Update', 'Create']);
  });

  it('rethrows any other error (the observer logs it and the sweep catches the lost timer)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ValidationException({ message: 'bad expression', Message: 'bad expression', $metadata: {} }));
    await expect(adapter().arm(timer('2026-10-13T09:30:00.000Z'), { exists: false })).rejects.toBeInstanceOf(ValidationException);
    expect(sent()).toHaveLength(1);
  });

  it('moves an instant in the past (or within the minute) to now + 1 minute, since a past one-time schedule never fires', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await adapter().arm(timer('2026-09-30T08:00:00.000Z'), { exists: false });
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.ScheduleExpression).toBe('at(2026-09-30T17:01:00)');
  });

  it('rounds sub-second instants up, so the check never runs before the point is due', () => {
    expect(shanghaiLocal(new Date('2026-10-07T16:00:00.001Z'))).toBe('2026-10-08T00:00:01');
    expect(shanghaiLocal(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01T00:00:00');
  });

  it('names the timer after the complaint alone, within EventBridge’s 64 characters of [0-9a-zA-Z-_.]', () => {
    expect(timerName(ID)).toBe('sla-C3M9Q2W7X1B4K8D0F');
    expect(timerName(ID)).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
  });
});

describe('EventBridgeScheduler.disarm', () => {
  it('deletes the complaint’s schedule in the group', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    await adapter().disarm(`sla-${ID}`);
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([{ Name: `sla-${ID}`, GroupName: 'complaints-sla' }]);
  });

  it('treats ResourceNotFoundException (fired and deleted, or never created) as success', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(notFound());
    await expect(adapter().disarm('sla-gone')).resolves.toBeUndefined();
  });

  it('rethrows a throttled delete', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new Error('ThrottlingException'));
    await expect(adapter().disarm('sla-bad')).rejects.toThrow('ThrottlingException');
  });
});

describe('schedulerFromEnv', () => {
  it('builds the adapter from the variables SlaScheduler.grantScheduling sets, and nothing without them', () => {
    const env = { SCHEDULE_GROUP: ARNS.groupName, SLA_CHECK_ARN: ARNS.targetArn, SCHEDULER_ROLE_ARN: ARNS.roleArn, SCHEDULER_DLQ_ARN: ARNS.deadLetterArn };
    expect(schedulerFromEnv(env)).toBeInstanceOf(EventBridgeScheduler);
    expect(schedulerFromEnv({ ...env, SLA_CHECK_ARN: undefined })).toBeUndefined();
  });
});
