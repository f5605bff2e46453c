/**
 * The whole complaint store — records and lists — for the functions that list or page the due index
 * (`read`, `sla-check`/`sla-sweep`): the same document client and table as {@link tableFromEnv}. The
 * deciding functions use `tableFromEnv().store`, the records alone, and do not bundle the lists.
 */
import { DynamoComplaintStore } from '#store/dynamo-store.ts';
import { tableFromEnv } from './table.ts';

let built: DynamoComplaintStore | undefined;

/** Built on first use, like the table it reads. */
export function listingStoreFromEnv(): DynamoComplaintStore {
  if (built) return built;
  const { doc, tableName } = tableFromEnv();
  built = new DynamoComplaintStore(doc, tableName);
  return built;
}
