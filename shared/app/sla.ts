/**
 * The SLA pieces wired together (composition root helper): the planner's earliest check point of a
 * complaint becomes its one timer (`SlaTimers`, a transition observer), the timer runs the check
 * (`SlaCheck`), the sweep (`SlaSweep`) re-runs checks whose timers were lost. See
 * `docs/decisions/004-sla-timers.md` and `053-one-timer-per-complaint.md`.
 */
import type { PointPlanner } from '#domain/sla/planner.ts';
import type { Logger, Clock, ComplaintStore, EscalationQueue, Scheduler } from './ports.ts';
import type { DurableEscalationQueue } from './escalation-outbox.ts';
import { SlaCheck } from './sla-check.ts';
import { SlaSweep, type SlaSweepOptions } from './sla-sweep.ts';
import { SlaTimers } from './sla-timers.ts';

export interface SlaServices {
  planner: PointPlanner;
  scheduler: Scheduler;
  timers: SlaTimers;
  check: SlaCheck;
  sweep: SlaSweep;
}

export interface SlaDeps {
  store: ComplaintStore;
  clock: Clock;
  planner: PointPlanner;
  scheduler: Scheduler;
  queue: EscalationQueue;
  logger: Logger;
  /** Run points that are due when planned (the leaders notice) in-process at once (default true). */
  direct?: boolean;
  sweep?: SlaSweepOptions;
  /** Unsent escalations the sweep redrives (decision 037). */
  outbox?: DurableEscalationQueue;
}

export function buildSla(deps: SlaDeps): SlaServices {
  const { store, clock, planner, scheduler, queue, logger } = deps;
  const timers = new SlaTimers({ scheduler, planner, clock, logger });
  const check = new SlaCheck({ store, clock, planner, queue, timers, logger });
  if (deps.direct !== false) timers.setRunner((payload) => check.run(payload));
  const sweep = new SlaSweep({ store, clock, check, logger, timers, ...(deps.outbox && { outbox: deps.outbox }) }, deps.sweep);
  return { planner, scheduler, timers, check, sweep };
}

/** For a function that was given no scheduler (`infra/functions.ts`): fails loudly if it ever plans. */
export const UNCONFIGURED_SCHEDULER: Scheduler = {
  arm: async () => {
    throw new Error('The SLA scheduler is not configured for this function: SCHEDULE_GROUP/SLA_CHECK_ARN/SCHEDULER_ROLE_ARN/SCHEDULER_DLQ_ARN are not set');
  },
  disarm: async () => {
    throw new Error('The SLA scheduler is not configured for this function');
  },
};
