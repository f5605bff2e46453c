/**
 * The 协办 worklist by key (docs/decisions/048-assist-tasks.md): one index item per assist task in the
 * complaint's partition, `CMP#<id>` / `AST#<taskId>`, on GSI2 as `ASSIST#<unitId>` /
 * `<dueAt>#<id>#<taskId>` while the task is open — so an assisting unit's open tasks come back
 * earliest deadline first from one Query, never a Scan. A task that is answered or cancelled loses its
 * GSI2 keys (sparse index) and leaves the worklist.
 *
 * The complaint item is the truth; the index items are written after it, by `save`, whenever a
 * transition touches the tasks or a complaint with an open task changes (its deadline may move).
 * Each put is guarded by the complaint version it reflects, so a slower writer never overwrites a
 * newer row. GSI2 is KEYS_ONLY: a page is one Query plus one consistent BatchGetItem of the index
 * items, which also drops a row the index still lists but the item already closed.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { assistMilestone, type AssistRow } from '#domain/assist.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { maskFreeText } from '#domain/masking.ts';
import { isOpen, type Complaint } from '#domain/model.ts';
import { complaintKey } from './keys.ts';

export const assistTaskKey = (complaintId: string, taskId: string) => ({ PK: complaintKey(complaintId).PK, SK: `AST#${taskId}` });
export const assistPartition = (unitId: string) => `ASSIST#${unitId}`;

/** The index item of each task of `c`, as `c` has it now. */
export function assistIndexItems(c: Complaint): Record<string, unknown>[] {
  return (c.assists ?? []).map((t) => {
    const deadline = c.deadlines.find((d) => d.milestone === assistMilestone(t.id));
    const listed = t.status === 'open' && isOpen(c.status) && deadline !== undefined;
    const row: AssistRow = {
      complaintId: c.id,
      taskId: t.id,
      unitId: t.unitId,
      // The lead unit's words may quote the complainant: masked like every list (SPEC "Personal data").
      task: maskFreeText(t.task, c.complainant),
      status: t.status,
      requestedAt: t.requestedAt,
      requestedBy: t.requestedBy,
      trackingCode: c.trackingCode,
      category: c.category,
      severity: c.severity,
      complaintStatus: c.status,
      ...(deadline && { dueAt: deadline.dueAt, deadlineState: deadline.state }),
      ...(c.unitId !== undefined && { leadUnitId: c.unitId }),
      ...(c.waybillNo !== undefined && { waybillNo: c.waybillNo }),
    };
    return {
      ...assistTaskKey(c.id, t.id),
      entity: 'assist_task',
      ...row,
      subjectStaffIds: c.subjectStaffIds,
      complaintVersion: c.version,
      ...(listed && { GSI2PK: assistPartition(t.unitId), GSI2SK: `${deadline.dueAt}#${c.id}#${t.id}` }),
    };
  });
}

/** Writes the index items of `c`; a row already written from a newer version is kept. */
export async function syncAssistIndex(doc: DynamoDBDocumentClient, tableName: string, c: Complaint): Promise<void> {
  await Promise.all(
    assistIndexItems(c).map(async (item) => {
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

const INSTANT = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';
const SORT_KEY = new RegExp(`^${INSTANT}#(C[0-9A-HJKMNP-TV-Z]{16})#(A[1-9][0-9]{0,3})$`);
const invalidCursor = () => new ValidationFailed('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor returned by this list' }]);

/**
 * One page of the open tasks of `unitId`, earliest deadline first; `excludeSubject` drops tasks of
 * complaints about that staff member (seed 001 art. 15).
 */
export async function listAssistTasks(
  doc: DynamoDBDocumentClient,
  tableName: string,
  spec: { unitId: string; limit: number; cursor?: string; excludeSubject?: string },
): Promise<{ items: AssistRow[]; cursor?: string }> {
  const pk = assistPartition(spec.unitId);
  let start: Record<string, string> | undefined;
  if (spec.cursor !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,400}$/.test(spec.cursor)) throw invalidCursor();
    const sortKey = Buffer.from(spec.cursor, 'base64url').toString('utf8');
    const match = SORT_KEY.exec(sortKey);
    if (!match) throw invalidCursor();
    start = { ...assistTaskKey(match[1] ?? '', match[2] ?? ''), GSI2PK: pk, GSI2SK: sortKey };
  }
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: spec.limit,
      ...(start && { ExclusiveStartKey: start }),
    }),
  );
  const keys = (out.Items ?? []).map((it) => ({ PK: String(it['PK']), SK: String(it['SK']) }));
  const byKey = new Map<string, Record<string, unknown>>();
  let pending: Record<string, unknown>[] = keys;
  while (pending.length > 0) {
    const got = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
    for (const item of got.Responses?.[tableName] ?? []) byKey.set(`${String(item['PK'])}|${String(item['SK'])}`, item);
    pending = got.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  const items: AssistRow[] = [];
  for (const k of keys) {
    const item = byKey.get(`${k.PK}|${k.SK}`);
    // The index may lag the item: only rows still open at the unit are listed.
    if (item?.['status'] !== 'open' || item['unitId'] !== spec.unitId) continue;
    const subjects = Array.isArray(item['subjectStaffIds']) ? item['subjectStaffIds'] : [];
    if (spec.excludeSubject !== undefined && subjects.includes(spec.excludeSubject)) continue;
    items.push(toRow(item));
  }
  const last = out.LastEvaluatedKey?.['GSI2SK'];
  return { items, ...(typeof last === 'string' && { cursor: Buffer.from(last).toString('base64url') }) };
}

function toRow(item: Record<string, unknown>): AssistRow {
  const { PK: _pk, SK: _sk, GSI2PK: _g, GSI2SK: _s, entity: _e, subjectStaffIds: _subjects, complaintVersion: _v, ...row } = item;
  return row as unknown as AssistRow;
}
