/**
 * `Scheduler` on Amazon EventBridge Scheduler: ONE one-time schedule per complaint (`sla-<id>`), in
 * one schedule group, invoking the `sla-check` Lambda with `{ complaintId, at }` as its event, and
 * moved in place (UpdateSchedule) when the complaint's earliest check point moves (decision 053).
 *
 * - `at(yyyy-mm-ddThh:mm:ss)` with `ScheduleExpressionTimezone: 'Asia/Shanghai'`: the expression is
 *   the LOCAL wall-clock time, without an offset (Shanghai is UTC+8 all year, no DST).
 * - `ActionAfterCompletion: 'DELETE'`: a fired schedule removes itself, so a lost `disarm` (crash,
 *   throttling) leaves nothing behind — at worst one firing that finds nothing due. Re-arming after a
 *   firing is one CreateSchedule, the same count as an UpdateSchedule of a kept schedule.
 * - Create or update: the caller says which it believes (`exists`); the other is the fallback —
 *   `ResourceNotFoundException` on update (it fired and deleted itself meanwhile) → create,
 *   `ConflictException` on create (a concurrent arm created it) → update; at most three calls.
 * - `FlexibleTimeWindow: OFF`: fire in the minute it is due (a breach is not a batch job).
 * - An instant in the past (or within the next minute) is moved to now + 1 minute: EventBridge
 *   Scheduler rejects or never fires a one-time schedule in the past. (Points already due are
 *   normally run in-process by the timer observer; this is the adapter's own guard.)
 * - `RetryPolicy`: the target is our own idempotent check, so retrying is always safe, but the
 *   15-minute sweep re-runs any due check anyway; retrying for one hour (≤ 20 attempts, exponential
 *   backoff) covers throttling and short outages, then the event goes to the dead-letter queue,
 *   where the "SLA checks that did not run" alarm watches it (`infra/constructs/sla-scheduler.ts`).
 *
 * Environment (set by `SlaScheduler.grantScheduling`): `SCHEDULE_GROUP`, `SLA_CHECK_ARN`,
 * `SCHEDULER_ROLE_ARN`, `SCHEDULER_DLQ_ARN`.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { type ArmOptions, type Clock, type Scheduler, type TimerSpec, systemClock } from '#app/ports.ts';
import { shanghaiWallClock } from '#domain/shanghai-time.ts';

let sharedClient: SchedulerClient | undefined;
/** One client per module (per Lambda container), created on first use. */
export function schedulerClient(): SchedulerClient {
  sharedClient ??= new SchedulerClient({});
  return sharedClient;
}

export const SCHEDULE_TIMEZONE = 'Asia/Shanghai';
/** Seconds; EventBridge Scheduler allows 60–86,400. */
export const MAX_EVENT_AGE_SECONDS = 3_600;
/** EventBridge Scheduler allows 0–185. */
export const MAX_RETRY_ATTEMPTS = 20;
/** A one-time schedule must lie in the future; closer than this it is pushed to now + this. */
export const MIN_LEAD_MS = 60_000;
/** Scheduler calls one `arm` makes at most (guess, fallback, guess again). */
const MAX_ARM_CALLS = 3;

/** `2026-10-08T09:00:00` — Shanghai wall-clock time of `d`, rounded UP to the whole second. */
export function shanghaiLocal(d: Date): string {
  const seconds = Math.ceil(d.getTime() / 1000) * 1000;
  return shanghaiWallClock(seconds).toISOString().slice(0, 19);
}

export interface EventBridgeSchedulerOptions {
  groupName: string;
  /** The `sla-check` Lambda. */
  targetArn: string;
  /** The execution role EventBridge Scheduler assumes to invoke the target. */
  roleArn: string;
  deadLetterArn: string;
  client?: SchedulerClient;
  clock?: Clock;
}

export class EventBridgeScheduler implements Scheduler {
  private readonly client: SchedulerClient;
  private readonly clock: Clock;

  constructor(private readonly opts: EventBridgeSchedulerOptions) {
    this.client = opts.client ?? schedulerClient();
    this.clock = opts.clock ?? systemClock;
  }

  async arm(timer: TimerSpec, { exists }: ArmOptions): Promise<void> {
    const input = this.input(timer);
    let update = exists;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(update ? new UpdateScheduleCommand(input) : new CreateScheduleCommand(input));
        return;
      } catch (error) {
        // The guess was wrong (it fired and deleted itself, or a concurrent arm created it): try the
        // other operation. A third attempt covers both happening in turn; then give up loudly.
        const wrongGuess = update ? error instanceof ResourceNotFoundException : error instanceof ConflictException;
        if (!wrongGuess || attempt >= MAX_ARM_CALLS) throw error;
        update = !update;
      }
    }
  }

  async disarm(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.opts.groupName }));
    } catch (error) {
      // Fired and deleted itself, or never created: either way it is gone.
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
  }

  /** The whole schedule: UpdateSchedule replaces every field, so create and update send the same input. */
  private input(timer: TimerSpec): CreateScheduleCommandInput {
    const earliest = this.clock.now().getTime() + MIN_LEAD_MS;
    const at = timer.at.getTime() < earliest ? new Date(earliest) : timer.at;
    return {
      Name: timer.name,
      GroupName: this.opts.groupName,
      ScheduleExpression: `at(${shanghaiLocal(at)})`,
      ScheduleExpressionTimezone: SCHEDULE_TIMEZONE,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description: `SLA check of ${timer.payload.complaintId} at ${timer.payload.at}`,
      Target: {
        Arn: this.opts.targetArn,
        RoleArn: this.opts.roleArn,
        Input: JSON.stringify(timer.payload),
        RetryPolicy: { MaximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS, MaximumRetryAttempts: MAX_RETRY_ATTEMPTS },
        DeadLetterConfig: { Arn: this.opts.deadLetterArn },
      },
    };
  }
}

/**
 * The scheduler of a Lambda from its environment, or `undefined` when the function was not given
 * one (`infra/functions.ts`: only functions that plan deadlines get the variables and the grants).
 */
export function schedulerFromEnv(env: NodeJS.ProcessEnv = process.env, clock?: Clock): EventBridgeScheduler | undefined {
  const groupName = env['SCHEDULE_GROUP'];
  const targetArn = env['SLA_CHECK_ARN'];
  const roleArn = env['SCHEDULER_ROLE_ARN'];
  const deadLetterArn = env['SCHEDULER_DLQ_ARN'];
  if (!groupName || !targetArn || !roleArn || !deadLetterArn) return undefined;
  return new EventBridgeScheduler({ groupName, targetArn, roleArn, deadLetterArn, ...(clock && { clock }) });
}
