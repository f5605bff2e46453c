/** The complaint service of the functions that only read (`read`, `track`): store and intake ledger, nothing else. */
import { DynamoIntakeLedger } from '#store/intake-ledger.ts';
import { AssistWorklist } from '../assists.ts';
import { ComplaintReads, type ComplaintReader } from '../complaint-reads.ts';
import { clock, injectedContainer } from './registry.ts';
import { listingStoreFromEnv } from './listing-store.ts';
import { tableFromEnv } from './table.ts';

let reader: ComplaintReader | undefined;
let worklist: AssistWorklist | undefined;

/** The 协办 worklist of `GET /assists` (decision 048): the store only. */
export function assistWorklist(): AssistWorklist {
  const injected = injectedContainer();
  if (injected) return new AssistWorklist(injected.store);
  worklist ??= new AssistWorklist(listingStoreFromEnv());
  return worklist;
}

/**
 * For `get`, `list` and `track`: the read-only {@link ComplaintReads} (store, intake ledger, clock):
 * no lifecycle, planner, policy or directory in the bundle; the functions' IAM role cannot write
 * either (`infra/functions.ts`: `table: 'read'`).
 */
export function complaintReader(): ComplaintReader {
  const injected = injectedContainer();
  if (injected) return injected.reads;
  if (reader) return reader;
  const { doc, tableName } = tableFromEnv();
  reader = new ComplaintReads({ store: listingStoreFromEnv(), intake: new DynamoIntakeLedger(doc, tableName), clock: clock() });
  return reader;
}
