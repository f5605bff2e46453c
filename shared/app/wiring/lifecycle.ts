/** The lifecycle's configuration for the functions that decide transitions: unit directory, routing, SLA planner. */
import { directory, routing } from '#config/index.ts';
import type { LifecycleContext } from '#domain/lifecycle.ts';
import { SlaPlanner } from '#domain/sla/planner.ts';

let planner: SlaPlanner | undefined;
let context: LifecycleContext | undefined;

/** The SLA planner with the default policy and the unit directory (the work calendar comes with it). */
export function slaPlanner(): SlaPlanner {
  planner ??= new SlaPlanner({ directory });
  return planner;
}

/** What `decide` needs to run a command. */
export function lifecycle(): LifecycleContext {
  context ??= { directory, routing, deadlines: slaPlanner() };
  return context;
}
