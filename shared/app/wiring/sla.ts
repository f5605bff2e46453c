/** The SLA services of a Lambda (timers, check, sweep), from its environment; the injected ones locally. */
import { schedulerFromEnv } from '#adapters/aws/scheduler.ts';
import { log } from '#adapters/log.ts';
import { buildSla, UNCONFIGURED_SCHEDULER, type SlaServices } from '../sla.ts';
import { slaPlanner } from './lifecycle.ts';
import { escalationOutbox } from './notify.ts';
import { clock, injectedContainer } from './registry.ts';
import { listingStoreFromEnv } from './listing-store.ts';

let built: SlaServices | undefined;

/** Timers (an observer of every transition), the check (`sla-check`) and the sweep (`sla-sweep`). */
export function slaServices(): SlaServices {
  const injected = injectedContainer();
  if (injected) return injected.sla;
  if (built) return built;
  const outbox = escalationOutbox();
  built = buildSla({
    store: listingStoreFromEnv(),
    clock: clock(),
    planner: slaPlanner(),
    scheduler: schedulerFromEnv() ?? UNCONFIGURED_SCHEDULER,
    queue: outbox,
    logger: log,
    outbox,
  });
  return built;
}
