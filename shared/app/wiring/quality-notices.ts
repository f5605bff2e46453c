/**
 * Quality's monthly notice for `case-actions` (decision 058): the rows reader and the planned
 * complaint service. Locally, the injected container's table and service.
 */
import { DynamoQualityRows } from '#store/quality-lists.ts';
import { RectificationNotices } from '../quality.ts';
import { complaintService } from './complaints.ts';
import { injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let notices: RectificationNotices | undefined;

export function rectificationNotices(): RectificationNotices {
  const injected = injectedContainer();
  const service = complaintService();
  const act = service.act.bind(service);
  if (injected) return new RectificationNotices({ store: new DynamoQualityRows(injected.doc, injected.tableName), act });
  const { doc, tableName } = tableFromEnv();
  notices ??= new RectificationNotices({ store: new DynamoQualityRows(doc, tableName), act });
  return notices;
}
