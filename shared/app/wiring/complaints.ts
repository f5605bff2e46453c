/**
 * The complaint service of the functions that decide transitions (decision 042): `complaintService()`
 * for the lifecycle routes, `intakeService()` (`./intake.ts`) for intake and the inbound channels, the
 * same service. Each caller hands `act` the decisions of the commands its function issues
 * (`decideWith`, decision 074). Built once per container from the environment; locally, the injected
 * container's service.
 */
import { log } from '#adapters/log.ts';
import { decideChase, decideReopen, decideSeverity, decideWith, type Decide } from '#domain/lifecycle.ts';
import { DynamoIntakeLedger } from '#store/intake-ledger.ts';
import { ComplaintService } from '../complaints.ts';
import { ComplaintTransitions, type RuleCommand } from '../transitions.ts';
import { effectsOf } from '../effects.ts';
import { lifecycle } from './lifecycle.ts';
import { runtimeConfig } from './runtime-config.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

/** The service's own commands: a repeat's chase or reopen, the cluster rule's raise. */
const RULES: Decide<RuleCommand> = decideWith({ chase: decideChase, reopen: decideReopen, severity: decideSeverity });

/** What both services are built from: the table, the clock, the live lifecycle context and the rules. */
function transitionDeps() {
  const { store } = tableFromEnv();
  return { rules: RULES, store, clock: clock(), lifecycle: lifecycle(), effectsOf, logger: log, config: runtimeConfig() };
}

/**
 * Intake's service (`intakeService`, `./intake.ts`): creates complaints, and places a repeat on its open
 * case. It calls no SMS, queue or scheduler: what a transition owes (receipt, notices, timers) is
 * recorded in its own write and carried out by the outbox dispatcher (`functions/outbox-dispatcher`,
 * decision 051).
 */
export function plannedService(): ComplaintService {
  const { doc, tableName } = tableFromEnv();
  return new ComplaintService({ ...transitionDeps(), intake: new DynamoIntakeLedger(doc, tableName) });
}

let commands: ComplaintTransitions | undefined;

/**
 * For the lifecycle commands and the system's writes: the transitions alone, without intake (its
 * severity assessment, ids, receipts and ledger). Which commands it decides is each caller's
 * `decideWith(…)`, passed to `act` (decision 074).
 */
export function complaintService(): ComplaintTransitions {
  const injected = injectedContainer();
  if (injected) return injected.service;
  commands ??= new ComplaintTransitions(transitionDeps());
  return commands;
}
