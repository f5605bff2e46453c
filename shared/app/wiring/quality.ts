/**
 * The quality worklists for `read` (decision 058): the rows reader only — no planner, no calendar.
 * Locally, the injected container's table.
 */
import { DynamoQualityRows } from '#store/quality-lists.ts';
import { QualityWorklists } from '../quality.ts';
import { injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let lists: QualityWorklists | undefined;

export function qualityWorklists(): QualityWorklists {
  const injected = injectedContainer();
  if (injected) return new QualityWorklists(new DynamoQualityRows(injected.doc, injected.tableName));
  const { doc, tableName } = tableFromEnv();
  lists ??= new QualityWorklists(new DynamoQualityRows(doc, tableName));
  return lists;
}
