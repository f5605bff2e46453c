/**
 * The quality use cases (decision 058): the worklists for `read` (store only), the monthly notice for
 * `case-actions` (the planned complaint service). Locally, the injected container's store and service.
 */
import { QualityWorklists, RectificationNotices } from '../quality.ts';
import { complaintService } from './complaints.ts';
import { injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let lists: QualityWorklists | undefined;
let notices: RectificationNotices | undefined;

export function qualityWorklists(): QualityWorklists {
  const injected = injectedContainer();
  if (injected) return new QualityWorklists(injected.store);
  lists ??= new QualityWorklists(tableFromEnv().store);
  return lists;
}

export function rectificationNotices(): RectificationNotices {
  const injected = injectedContainer();
  const service = complaintService();
  const act = service.act.bind(service);
  if (injected) return new RectificationNotices({ store: injected.store, act });
  notices ??= new RectificationNotices({ store: tableFromEnv().store, act });
  return notices;
}
