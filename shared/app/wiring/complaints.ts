/**
 * The complaint service of the functions that decide transitions (decision 042): the lifecycle
 * commands take {@link complaintService}; intake and the inbound channels take `intakeService`
 * (`./intake.ts`), the same service. Built once per container from the environment;
 * locally, the injected container's service.
 */
import { log } from '#adapters/log.ts';
import { DynamoIntakeLedger } from '#store/intake-ledger.ts';
import { ComplaintService } from '../complaints.ts';
import { effectsOf } from '../effects.ts';
import { lifecycle } from './lifecycle.ts';
import { runtimeConfig } from './runtime-config.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let commands: ComplaintService | undefined;

/**
 * A service that decides and plans. It calls no SMS, queue or scheduler: what a transition owes
 * (receipt, notices, timers) is recorded in its own write and carried out by the outbox dispatcher
 * (`functions/outbox-dispatcher`, decision 051).
 */
export function plannedService(): ComplaintService {
  const { doc, tableName, store } = tableFromEnv();
  return new ComplaintService({
    store,
    intake: new DynamoIntakeLedger(doc, tableName),
    clock: clock(),
    lifecycle: lifecycle(),
    effectsOf,
    logger: log,
    config: runtimeConfig(),
  });
}

/** For the lifecycle commands. */
export function complaintService(): ComplaintService {
  const injected = injectedContainer();
  if (injected) return injected.service;
  commands ??= plannedService();
  return commands;
}
