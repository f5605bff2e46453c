/**
 * The lifecycle's configuration for the functions that decide transitions: the runtime directory,
 * routing and calendar (decisions 055, 056) behind live views, and the SLA planner of that snapshot.
 */
import type { LifecycleContext } from '#domain/lifecycle.ts';
import type { PointPlanner } from '#domain/sla/planner.ts';
import { LivePlanner, liveLifecycle } from '../runtime-config.ts';
import { injectedContainer } from './registry.ts';
import { runtimeConfig } from './runtime-config.ts';

let planner: PointPlanner | undefined;
let context: LifecycleContext | undefined;

/** The SLA planner with the default policy, on the current directory and work calendar. */
export function slaPlanner(): PointPlanner {
  const injected = injectedContainer();
  if (injected) return injected.sla.planner;
  planner ??= new LivePlanner(runtimeConfig());
  return planner;
}

/** What `decide` needs to run a command (refresh `runtimeConfig()` first). */
export function lifecycle(): LifecycleContext {
  const injected = injectedContainer();
  if (injected) return injected.lifecycle;
  context ??= liveLifecycle(runtimeConfig(), slaPlanner());
  return context;
}
