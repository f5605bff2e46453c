/**
 * Reads the quality worklists (decision 058) written by `quality-index.ts`: one GSI2 Query (KEYS_ONLY)
 * plus one consistent BatchGetItem per page, never a Scan. Only `read` and `case-actions` (the notice)
 * bundle this; the store that every writer carries only writes the rows.
 */
import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { QualityCount, QualityRows } from '#app/ports.ts';
import { ValidationFailed } from '#domain/errors.ts';
import type { DeterminationListSpec, DeterminationRow, RectificationListSpec, RectificationRow } from '#domain/quality.ts';
import { determinationRowKey, rectificationPartition, rectificationRowKey } from './quality-index.ts';

/** The quality worklists of one table. */
export class DynamoQualityRows implements QualityRows {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Rows a count reads at most (tests lower it). */
    private readonly countCap = COUNT_ROWS,
  ) {}

  listDeterminations(spec: DeterminationListSpec): Promise<{ items: DeterminationRow[]; cursor?: string }> {
    return listDeterminationRows(this.doc, this.tableName, spec);
  }

  listRectifications(spec: RectificationListSpec): Promise<{ items: RectificationRow[]; cursor?: string }> {
    return listRectificationRows(this.doc, this.tableName, spec);
  }

  countDeterminations(spec: Omit<DeterminationListSpec, 'limit' | 'cursor'>): Promise<QualityCount> {
    return countRows(this.doc, this.tableName, determinationQuery(spec), FILTER_ATTRIBUTES, (item) => keepsDetermination(item, spec), this.countCap);
  }

  countRectifications(spec: Omit<RectificationListSpec, 'limit' | 'cursor'>): Promise<QualityCount> {
    const q = rectificationQuery(spec);
    return countRows(this.doc, this.tableName, q, FILTER_ATTRIBUTES, (item) => keepsRectification(item, spec, q.pk), this.countCap);
  }
}

/** The attributes the lists' filters read (a count fetches these, not the rows). */
const FILTER_ATTRIBUTES = ['PK', 'SK', 'state', 'status', 'unitId', 'justified', 'subjectStaffIds', 'dueAt'];

/**
 * The size of a whole list (`count=true`): GSI2 is KEYS_ONLY, so its Query cannot evaluate the lists'
 * filters (subject, unit, finding, due vs returned) — \`Select: COUNT\` would count rows the list drops.
 * Instead the index keys are paged (never a Scan; at most {@link COUNT_ROWS} keys) and each page's items are
 * read consistently (BatchGetItem of 100) with only the filter attributes, through the list's own predicate —
 * also exact while the index lags the items, as the list is. Cost: the index pages (eventually consistent,
 * ≈ 0.5 RCU per 4 KB of keys, ~50 keys) plus 1 consistent RCU per row (the projected attributes are < 4 KB).
 */
async function countRows(
  doc: DynamoDBDocumentClient,
  tableName: string,
  q: { input: Omit<QueryCommandInput, 'TableName' | 'IndexName'> },
  attributes: string[],
  keeps: (item: Record<string, unknown>) => boolean,
  cap: number,
): Promise<QualityCount> {
  let total = 0;
  let read = 0;
  let start: Record<string, unknown> | undefined;
  while (read < cap) {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI2',
        ...q.input,
        ProjectionExpression: 'PK, SK',
        Limit: cap - read,
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    read += out.Items?.length ?? 0;
    const keys = (out.Items ?? []).map((it) => ({ PK: String(it['PK']), SK: String(it['SK']) }));
    for (let i = 0; i < keys.length; i += 100) {
      const byKey = await itemsOf(doc, tableName, keys.slice(i, i + 100), attributes);
      for (const item of byKey.values()) if (keeps(item)) total++;
    }
    start = out.LastEvaluatedKey;
    if (!start) return { count: total, capped: false };
  }
  return { count: total, capped: true };
}

/**
 * Rows one count reads at most (≈ 1,000 consistent RCU plus ~13 RCU of index pages): a worklist is far
 * below; beyond it the answer is a lower bound (`countCapped`) rather than an unbounded read every 30 s.
 */
const COUNT_ROWS = 1000;

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
async function itemsOf(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: { PK: string; SK: string }[],
  attributes?: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const byKey = new Map<string, Record<string, unknown>>();
  let pending: Record<string, unknown>[] = keys;
  const projection = attributes && {
    ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
  };
  while (pending.length > 0) {
    const got = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true, ...projection } } }));
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

/** The determination list's Query: its state's partition, a range of the sort key for from/to. */
function determinationQuery(spec: Omit<DeterminationListSpec, 'limit' | 'cursor'>) {
  const pk = `DETERMINE#${spec.state}`;
  const range = spec.fromAt !== undefined || spec.toAt !== undefined;
  return {
    pk,
    input: {
      KeyConditionExpression: range ? 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to' : 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(range && { ':from': spec.fromAt ?? '0', ':to': `${spec.toAt ?? '9'}~` }) },
    },
  };
}

/** Whether a row read consistently is still on the list (the index may lag the items). */
function keepsDetermination(item: Record<string, unknown>, spec: Omit<DeterminationListSpec, 'limit' | 'cursor'>): boolean {
  if (item['state'] !== spec.state || isSubjectOf(item, spec.excludeSubject)) return false;
  if (spec.unitId !== undefined && item['unitId'] !== spec.unitId) return false;
  return spec.justified === undefined || item['justified'] === spec.justified;
}

/** One page of the determination list, oldest first. */
async function listDeterminationRows(
  doc: DynamoDBDocumentClient,
  tableName: string,
  spec: DeterminationListSpec,
): Promise<{ items: DeterminationRow[]; cursor?: string }> {
  const q = determinationQuery(spec);
  const start = startKey(spec.cursor, q.pk, DET_SK, determinationRowKey);
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'GSI2',
      ...q.input,
      Limit: spec.limit,
      ...(start && { ExclusiveStartKey: start }),
    }),
  );
  const keys = (out.Items ?? []).map((it) => ({ PK: String(it['PK']), SK: String(it['SK']) }));
  const byKey = await itemsOf(doc, tableName, keys);
  const items: DeterminationRow[] = [];
  for (const k of keys) {
    const item = byKey.get(`${k.PK}|${k.SK}`);
    if (item && keepsDetermination(item, spec)) items.push(strip<DeterminationRow>(item));
  }
  const last = out.LastEvaluatedKey?.['GSI2SK'];
  return { items, ...(typeof last === 'string' && { cursor: Buffer.from(last).toString('base64url') }) };
}

/** The rectification list's Query: its status's partition, a unit's rows by prefix. */
function rectificationQuery(spec: Omit<RectificationListSpec, 'limit' | 'cursor'>) {
  const pk = rectificationPartition(spec.status ?? 'due');
  return {
    pk,
    input: {
      KeyConditionExpression: spec.unitId !== undefined ? 'GSI2PK = :pk AND begins_with(GSI2SK, :unit)' : 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(spec.unitId !== undefined && { ':unit': `${spec.unitId}#` }) },
    },
  };
}

function keepsRectification(item: Record<string, unknown>, spec: Omit<RectificationListSpec, 'limit' | 'cursor'>, pk: string): boolean {
  if (isSubjectOf(item, spec.excludeSubject)) return false;
  if (rectificationPartition(item['status'] as RectificationRow['status']) !== pk) return false;
  if (spec.status !== undefined && item['status'] !== spec.status) return false;
  if (spec.dueBefore !== undefined && !(typeof item['dueAt'] === 'string' && Date.parse(item['dueAt']) <= Date.parse(spec.dueBefore))) return false;
  return spec.unitId === undefined || item['unitId'] === spec.unitId;
}

/** One page of rectifications, a unit's or all, earliest deadline first per unit. */
async function listRectificationRows(
  doc: DynamoDBDocumentClient,
  tableName: string,
  spec: RectificationListSpec,
): Promise<{ items: RectificationRow[]; cursor?: string }> {
  const q = rectificationQuery(spec);
  const start = startKey(spec.cursor, q.pk, RECT_SK, rectificationRowKey);
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'GSI2',
      ...q.input,
      Limit: spec.limit,
      ...(start && { ExclusiveStartKey: start }),
    }),
  );
  const keys = (out.Items ?? []).map((it) => ({ PK: String(it['PK']), SK: String(it['SK']) }));
  const byKey = await itemsOf(doc, tableName, keys);
  const items: RectificationRow[] = [];
  for (const k of keys) {
    const item = byKey.get(`${k.PK}|${k.SK}`);
    if (item && keepsRectification(item, spec, q.pk)) items.push(strip<RectificationRow>(item));
  }
  const last = out.LastEvaluatedKey?.['GSI2SK'];
  return { items, ...(typeof last === 'string' && { cursor: Buffer.from(last).toString('base64url') }) };
}
