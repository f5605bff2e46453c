/**
 * The SLA timers of a function that decides transitions: planned check points become schedules, and a
 * point already due runs its check at once, in-process (the leaders' notice). The sweep is not built
 * here: only `sla-sweep` needs it (`./sla.ts`).
 */
import { schedulerFromEnv } from '#adapters/aws/scheduler.ts';
import { log } from '#adapters/log.ts';
import { UNCONFIGURED_SCHEDULER } from '../sla.ts';
import { SlaCheck } from '../sla-check.ts';
import { SlaTimers } from '../sla-timers.ts';
import { slaPlanner } from './lifecycle.ts';
import { escalationOutbox } from './notify.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let built: SlaTimers | undefined;

/** The transition observer that keeps each complaint's schedules in step with its deadlines. */
export function slaTimers(): SlaTimers {
  const injected = injectedContainer();
  if (injected) return injected.sla.timers;
  if (built) return built;
  const planner = slaPlanner();
  const timers = new SlaTimers({ scheduler: schedulerFromEnv() ?? UNCONFIGURED_SCHEDULER, planner, clock: clock(), logger: log });
  const check = new SlaCheck({ store: tableFromEnv().store, clock: clock(), planner, queue: escalationOutbox(), timers, logger: log });
  timers.setRunner((payload) => check.run(payload));
  built = timers;
  return built;
}
