/**
 * The quality worklists by key (decision 058): two index items in the complaint's partition, written
 * after the complaint by `save` like the 协办 rows (`assist-index.ts`), each guarded by the complaint
 * version it reflects, on GSI2 (KEYS_ONLY; a page is one Query plus one consistent BatchGetItem):
 *
 * - `CMP#<id>` / `QLT#DET`: `DETERMINE#pending` / `<repliedAt>#<id>` while a replied or ended case
 *   waits for the centre's determination of its latest reply; `DETERMINE#determined` /
 *   `<determinedAt>#<id>` once determined (the month's list: a range of the sort key).
 * - `CMP#<id>` / `QLT#RECT`: `RECT#owed` (due or returned) · `RECT#filed` · `RECT#verified` /
 *   `<unitId>#<dueAt>#<id>` — a unit's rows are a `begins_with` of the sort key, quality reads the
 *   whole partition, earliest deadline first.
 *
 * Never a Scan; the lists stay O(page) however many complaints the table holds.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationFailed } from '#domain/errors.ts';
import { maskFreeText } from '#domain/masking.ts';
import type { Complaint, ComplaintEvent } from '#domain/model.ts';
import type { DeterminationListSpec, DeterminationRow, RectificationListSpec, RectificationRow } from '#domain/quality.ts';

export type { DeterminationListSpec, DeterminationRow, RectificationListSpec, RectificationRow };
import { complaintKey } from './keys.ts';

export const determinationRowKey = (id: string) => ({ PK: complaintKey(id).PK, SK: 'QLT#DET' });
export const rectificationRowKey = (id: string) => ({ PK: complaintKey(id).PK, SK: 'QLT#RECT' });

/** Statuses in which a reply waits for (or keeps) its determination. */
const DETERMINABLE = new Set(['replied', 'closed', 'suspended', 'withdrawn']);



/** Events after which the rows may change (anything else leaves them as they are). */
const ROW_EVENTS = new Set<ComplaintEvent['type']>([
  'replied',
  'justified_determined',
  'justified_reviewed',
  'rectification_noticed',
  'rectification_filed',
  'rectification_returned',
  'rectification_verified',
  'closed',
  'callback_waived',
  'callback_recorded',
  'redispatched',
  'suspended',
  'withdrawn',
  'reopened',
  'deadline_warned',
  'deadline_breached',
  'deadline_extended',
  'deadlines_replanned',
]);

/** Whether a save of this transition must rewrite the quality rows. */
export function touchesQualityRows(c: Complaint, events: readonly ComplaintEvent[]): boolean {
  return c.reply !== undefined && events.some((e) => ROW_EVENTS.has(e.type));
}

/** The two index items of `c` as it is now. */
export function qualityIndexItems(c: Complaint): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const reply = c.reply;
  if (reply) {
    const d = c.determination;
    const determined = d !== undefined && d.round === reply.round;
    const pending = !determined && DETERMINABLE.has(c.status);
    const proposal = reply.justifiedProposal ?? reply.justified;
    const row: DeterminationRow = {
      complaintId: c.id,
      trackingCode: c.trackingCode,
      status: c.status,
      category: c.category,
      severity: c.severity,
      round: reply.round,
      repliedAt: reply.at,
      state: determined ? 'determined' : 'pending',
      ...(c.unitId !== undefined && { unitId: c.unitId }),
      ...(proposal !== undefined && { proposal }),
      ...(d && {
        justified: d.review?.justified ?? d.justified,
        ground: d.ground,
        // Staff-written reasons may quote the complainant: masked like every list.
        reason: maskFreeText(d.reason, c.complainant),
        determinedAt: d.at,
        determinedBy: d.by,
        ...(d.review && { review: { justified: d.review.justified, reason: maskFreeText(d.review.reason, c.complainant), by: d.review.by, at: d.review.at } }),
      }),
    };
    items.push({
      ...determinationRowKey(c.id),
      entity: 'determination_row',
      ...row,
      subjectStaffIds: c.subjectStaffIds,
      complaintVersion: c.version,
      ...(pending && { GSI2PK: 'DETERMINE#pending', GSI2SK: `${reply.at}#${c.id}` }),
      ...(determined && d && { GSI2PK: 'DETERMINE#determined', GSI2SK: `${d.at}#${c.id}` }),
    });
  }
  const r = c.rectification;
  if (r) {
    const deadline = c.deadlines.find((x) => x.milestone === 'rectification');
    const row: RectificationRow = {
      complaintId: c.id,
      trackingCode: c.trackingCode,
      category: c.category,
      unitId: r.unitId,
      period: r.period,
      status: r.status,
      noticedAt: r.noticedAt,
      filings: r.filings,
      ...(deadline && { dueAt: deadline.dueAt, deadlineState: deadline.state }),
      ...(r.review && { review: { outcome: r.review.outcome, reason: maskFreeText(r.review.reason, c.complainant), at: r.review.at } }),
    };
    items.push({
      ...rectificationRowKey(c.id),
      entity: 'rectification_row',
      ...row,
      subjectStaffIds: c.subjectStaffIds,
      complaintVersion: c.version,
      GSI2PK: rectificationPartition(r.status),
      GSI2SK: `${r.unitId}#${deadline?.dueAt ?? r.noticedAt}#${c.id}`,
    });
  }
  return items;
}

const rectificationPartition = (status: RectificationRow['status']) => (status === 'due' || status === 'returned' ? 'RECT#owed' : `RECT#${status}`);

/** Writes the rows of `c`; a row already written from a newer version is kept. */
export async function syncQualityIndex(doc: DynamoDBDocumentClient, tableName: string, c: Complaint): Promise<void> {
  await Promise.all(
    qualityIndexItems(c).map(async (item) => {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(PK) OR complaintVersion < :v',
            ExpressionAttributeValues: { ':v': c.version },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }),
  );
}

const ID = 'C[0-9A-HJKMNP-TV-Z]{16}';
const INSTANT = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';
const DET_SK = new RegExp(`^${INSTANT}#(${ID})$`);
const RECT_SK = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}#${INSTANT}#(${ID})$`);
const invalidCursor = () => new ValidationFailed('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor returned by this list' }]);

function startKey(cursor: string | undefined, pk: string, pattern: RegExp, key: (id: string) => { PK: string; SK: string }): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalidCursor();
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = pattern.exec(sortKey);
  if (!match) throw invalidCursor();
  return { ...key(match[1] ?? ''), GSI2PK: pk, GSI2SK: sortKey };
}

/** Reads the index items a page of keys names, consistently (the index may lag the items). */
async function itemsOf(doc: DynamoDBDocumentClient, tableName: string, keys: { PK: string; SK: string }[]): Promise<Map<string, Record<string, unknown>>> {
  const byKey = new Map<string, Record<string, unknown>>();
  let pending: Record<string, unknown>[] = keys;
  while (pending.length > 0) {
    const got = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
    for (const item of got.Responses?.[tableName] ?? []) byKey.set(`${String(item['PK'])}|${String(item['SK'])}`, item);
    pending = got.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return byKey;
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { PK: _pk, SK: _sk, GSI2PK: _g, GSI2SK: _s, entity: _e, subjectStaffIds: _subjects, complaintVersion: _v, ...row } = item;
  return row as T;
};

const isSubjectOf = (item: Record<string, unknown>, staffId: string | undefined) =>
  staffId !== undefined && Array.isArray(item['subjectStaffIds']) && item['subjectStaffIds'].some((s) => typeof s === 'string' && s.toLowerCase() === staffId.toLowerCase());


/** One page of the determination list, oldest first. */
export async function listDeterminationRows(doc: DynamoDBDocumentClient, tableName: string, spec: DeterminationListSpec): Promise<{ items: DeterminationRow[]; cursor?: string }> {
  const pk = `DETERMINE#${spec.state}`;
  const start = startKey(spec.cursor, pk, DET_SK, determinationRowKey);
  const range = spec.fromAt !== undefined || spec.toAt !== undefined;
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: range ? 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to' : 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(range && { ':from': spec.fromAt ?? '0', ':to': `${spec.toAt ?? '9'}~` }) },
      Limit: spec.limit,
      ...(start && { ExclusiveStartKey: start }),
    }),
  );
  const keys = (out.Items ?? []).map((it) => ({ PK: String(it['PK']), SK: String(it['SK']) }));
  const byKey = await itemsOf(doc, tableName, keys);
  const items: DeterminationRow[] = [];
  for (const k of keys) {
    const item = byKey.get(`${k.PK}|${k.SK}`);
    if (!item || item['state'] !== spec.state || isSubjectOf(item, spec.excludeSubject)) continue;
    if (spec.unitId !== undefined && item['unitId'] !== spec.unitId) continue;
    if (spec.justified !== undefined && item['justified'] !== spec.justified) continue;
    items.push(strip<DeterminationRow>(item));
  }
  const last = out.LastEvaluatedKey?.['GSI2SK'];
  return { items, ...(typeof last === 'string' && { cursor: Buffer.from(last).toString('base64url') }) };
}


/** One page of rectifications, a unit's or all, earliest deadline first per unit. */
export async function listRectificationRows(doc: DynamoDBDocumentClient, tableName: string, spec: RectificationListSpec): Promise<{ items: RectificationRow[]; cursor?: string }> {
  const pk = rectificationPartition(spec.status ?? 'due');
  const start = startKey(spec.cursor, pk, RECT_SK, rectificationRowKey);
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: spec.unitId !== undefined ? 'GSI2PK = :pk AND begins_with(GSI2SK, :unit)' : 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(spec.unitId !== undefined && { ':unit': `${spec.unitId}#` }) },
      Limit: spec.limit,
      ...(start && { ExclusiveStartKey: start }),
    }),
  );
  const keys = (out.Items ?? []).map((it) => ({ PK: String(it['PK']), SK: String(it['SK']) }));
  const byKey = await itemsOf(doc, tableName, keys);
  const items: RectificationRow[] = [];
  for (const k of keys) {
    const item = byKey.get(`${k.PK}|${k.SK}`);
    if (!item || isSubjectOf(item, spec.excludeSubject)) continue;
    if (rectificationPartition(item['status'] as RectificationRow['status']) !== pk) continue;
    if (spec.status !== undefined && item['status'] !== spec.status) continue;
    if (spec.unitId !== undefined && item['unitId'] !== spec.unitId) continue;
    items.push(strip<RectificationRow>(item));
  }
  const last = out.LastEvaluatedKey?.['GSI2SK'];
  return { items, ...(typeof last === 'string' && { cursor: Buffer.from(last).toString('base64url') }) };
}
