/**
 * The complaint service of the functions that decide transitions (decision 042): the lifecycle
 * commands take {@link complaintService}; intake and the inbound channels take `intakeService`
 * (`./intake.ts`), which adds the receipt SMS. Built once per container from the environment;
 * locally, the injected container's service.
 */
import { log } from '#http/log.ts';
import { DynamoIntakeLedger } from '#store/intake-ledger.ts';
import { ComplaintService, type TransitionObserver } from '../complaints.ts';
import { queuedObservers } from '../notifications.ts';
import { lifecycle } from './lifecycle.ts';
import { runtimeConfig } from './runtime-config.ts';
import { escalationOutbox } from './notify.ts';
import { clock, injectedContainer } from './registry.ts';
import { slaTimers } from './sla-timers.ts';
import { tableFromEnv } from './table.ts';

let commands: ComplaintService | undefined;

/**
 * A service that decides and plans, with the observers every transition has: those that tell people
 * by the durable queue (progress updates, result on closure, contested withdrawal) and the SLA timers,
 * plus `extra` ones.
 */
export function plannedService(extra: TransitionObserver[] = []): ComplaintService {
  const { doc, tableName, store } = tableFromEnv();
  return new ComplaintService({
    store,
    intake: new DynamoIntakeLedger(doc, tableName),
    clock: clock(),
    lifecycle: lifecycle(),
    observers: [...extra, ...queuedObservers(escalationOutbox(), clock()), slaTimers()],
    logger: log,
    config: runtimeConfig(),
  });
}

/**
 * For the lifecycle commands. Without the receipt SMS: it acts only on a received complaint or a
 * counted public repeat, which only intake produces, so a command could never send one.
 */
export function complaintService(): ComplaintService {
  const injected = injectedContainer();
  if (injected) return injected.service;
  commands ??= plannedService();
  return commands;
}
