/** The complaint service of the functions that only read (`read`, `track`): store and intake ledger, nothing else. */
import { directory, routing } from '#config/index.ts';
import type { DeadlinePlanner } from '#domain/lifecycle.ts';
import { log } from '#adapters/log.ts';
import { DynamoIntakeLedger } from '#store/intake-ledger.ts';
import { AssistWorklist } from '../assists.ts';
import { ComplaintService } from '../complaints.ts';
import { clock, injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

/**
 * The planner of a function that only reads (`read`, `track`): reads never plan, so they need not
 * carry the work calendar; a write that reached it by mistake fails loudly instead of planning nothing.
 */
export const READS_PLAN_NOTHING: DeadlinePlanner = {
  plan: () => {
    throw new Error('This function only reads: it has no SLA planner');
  },
};

let reader: ComplaintService | undefined;
let worklist: AssistWorklist | undefined;

/** The 协办 worklist of `GET /assists` (decision 048): the store only. */
export function assistWorklist(): AssistWorklist {
  const injected = injectedContainer();
  if (injected) return new AssistWorklist(injected.store);
  worklist ??= new AssistWorklist(tableFromEnv().store);
  return worklist;
}

/**
 * For `get`, `list` and `track`: reads plan nothing and notify no one, so this service has no
 * planner (the work calendar stays out of the bundle) and no observers; the functions' IAM role
 * cannot write either (`infra/functions.ts`: `table: 'read'`).
 */
export function complaintReader(): ComplaintService {
  const injected = injectedContainer();
  if (injected) return injected.service;
  if (reader) return reader;
  const { doc, tableName, store } = tableFromEnv();
  reader = new ComplaintService({
    store,
    intake: new DynamoIntakeLedger(doc, tableName),
    clock: clock(),
    lifecycle: { directory, routing, deadlines: READS_PLAN_NOTHING },
    observers: [],
    logger: log,
  });
  return reader;
}
