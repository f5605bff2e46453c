/**
 * Quality's monthly notice for `case-actions` (decision 058): the rows reader and the planned
 * complaint service. Locally, the injected container's table and service.
 */
import { decideRectificationNotice, decideWith, type CommandOf } from '#domain/lifecycle.ts';
import type { Actor } from '#domain/model.ts';
import { DynamoQualityRows } from '#store/quality-lists.ts';
import { RectificationNotices } from '../quality.ts';
import { complaintService } from './complaints.ts';
import { injectedContainer } from './registry.ts';
import { tableFromEnv } from './table.ts';

let notices: RectificationNotices | undefined;

/** The one command the notice issues, per complaint named. */
const NOTICE = decideWith({ rectification_notice: decideRectificationNotice });

export function rectificationNotices(): RectificationNotices {
  const injected = injectedContainer();
  const service = complaintService();
  const act = (id: string, command: CommandOf<'rectification_notice'>, actor: Actor, key?: string) => service.act(id, command, actor, key, NOTICE);
  if (injected) return new RectificationNotices({ store: new DynamoQualityRows(injected.doc, injected.tableName), act });
  const { doc, tableName } = tableFromEnv();
  notices ??= new RectificationNotices({ store: new DynamoQualityRows(doc, tableName), act });
  return notices;
}
