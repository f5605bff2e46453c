/**
 * Reads the quality worklists (decision 058) written by `quality-index.ts`: one GSI2 Query (KEYS_ONLY)
 * plus one consistent BatchGetItem per page, never a Scan. Only `read` and `case-actions` (the notice)
 * bundle this; the store that every writer carries only writes the rows.
 */
import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QualityRows } from '#app/ports.ts';
import { ValidationFailed } from '#domain/errors.ts';
import type { DeterminationListSpec, DeterminationRow, RectificationListSpec, RectificationRow } from '#domain/quality.ts';
import { determinationRowKey, rectificationPartition, rectificationRowKey } from './quality-index.ts';

/** The quality worklists of one table. */
export class DynamoQualityRows implements QualityRows {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  listDeterminations(spec: DeterminationListSpec): Promise<{ items: DeterminationRow[]; cursor?: string }> {
    return listDeterminationRows(this.doc, this.tableName, spec);
  }

  listRectifications(spec: RectificationListSpec): Promise<{ items: RectificationRow[]; cursor?: string }> {
    return listRectificationRows(this.doc, this.tableName, spec);
  }
}

const ID = 'C[0-9A-HJKMNP-TV-Z]{16}';
const INSTANT = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';
const DET_SK = new RegExp(`^${INSTANT}#(${ID})$`);
const RECT_SK = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}#${INSTANT}#(${ID})$`);
const invalidCursor = () => new ValidationFailed('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor returned by this list' }]);

function startKey(
  cursor: string | undefined,
  pk: string,
  pattern: RegExp,
  key: (id: string) => { PK: string; SK: string },
): Record<string, string> | undefined {
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
  staffId !== undefined &&
  Array.isArray(item['subjectStaffIds']) &&
  item['subjectStaffIds'].some((s) => typeof s === 'string' && s.toLowerCase() === staffId.toLowerCase());

/** One page of the determination list, oldest first. */
async function listDeterminationRows(
  doc: DynamoDBDocumentClient,
  tableName: string,
  spec: DeterminationListSpec,
): Promise<{ items: DeterminationRow[]; cursor?: string }> {
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
async function listRectificationRows(
  doc: DynamoDBDocumentClient,
  tableName: string,
  spec: RectificationListSpec,
): Promise<{ items: RectificationRow[]; cursor?: string }> {
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
