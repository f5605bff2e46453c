/**
 * The cluster rule's index by key (seed 004: the third complaint of one category against one unit
 * within 7 days is major; docs/decisions/045-cluster-rule-by-key.md).
 *
 * One item per (unit, category, Shanghai day of receipt), `CLUSTER#<unitId>#<category>` /
 * `D#<yyyy-mm-dd>`, holds a string set `ids` of `<createdAt>#<id>`. A complaint is added when it
 * reaches a unit, BEFORE the assignment is saved: `ADD` on a set is idempotent, so a retry or a
 * re-decided write adds nothing twice, and a crash between the two writes leaves a candidate too
 * many, never one too few. Nothing is removed (a removal racing a move back would lose a real
 * complaint): the set is a superset of the complaints at the unit, and a count that could fire the
 * rule is confirmed on the complaint items themselves, which say where each complaint is now.
 *
 * A count reads the ≤ 8 day items of its window (plus, when it reaches the threshold, the few
 * complaints in them): the same at 1,000 and at 1,000,000 stored complaints.
 */
import { BatchGetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDate } from '#domain/calendar/calendar.ts';
import type { Category, Complaint } from '#domain/model.ts';
import { clusterDayKey, complaintKey } from './keys.ts';

/** Day items outlive any window that reads them; a month is plenty (the window is 7 days). */
const CLUSTER_DAY_TTL_SECONDS = 31 * 86_400;
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;

/** Adds the complaint to the day item of the unit it is at (idempotent). */
export async function recordAtUnit(
  doc: DynamoDBDocumentClient,
  tableName: string,
  c: Pick<Complaint, 'id' | 'unitId' | 'category' | 'createdAt'>,
): Promise<void> {
  if (!c.unitId) return;
  const received = new Date(c.createdAt);
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: clusterDayKey(c.unitId, c.category, localDate(received)),
      UpdateExpression: 'ADD #ids :id SET #entity = :entity, #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
      ExpressionAttributeNames: { '#ids': 'ids', '#entity': 'entity', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: {
        ':id': new Set([`${c.createdAt}#${c.id}`]),
        ':entity': 'cluster_day',
        ':expiresAt': Math.floor(received.getTime() / 1000) + CLUSTER_DAY_TTL_SECONDS,
      },
    }),
  );
}

/**
 * How many complaints of `category` received since `since` are at the unit, `excludeId` left out.
 * Below `confirmFrom` candidates the candidate count is the answer (a stale candidate can only make
 * it larger); from there on each candidate is confirmed to be at the unit now.
 */
export async function countAtUnit(
  doc: DynamoDBDocumentClient,
  tableName: string,
  unitId: string,
  category: Category,
  since: string,
  excludeId: string | undefined,
  confirmFrom: number,
): Promise<number> {
  const candidates = await candidatesAtUnit(doc, tableName, unitId, category, since, excludeId);
  if (candidates.length < confirmFrom) return candidates.length;
  let confirmed = 0;
  for (let i = 0; i < candidates.length; i += BATCH_GET_LIMIT) {
    let keys: Record<string, unknown>[] = candidates.slice(i, i + BATCH_GET_LIMIT).map(complaintKey);
    while (keys.length > 0) {
      const out = await doc.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: keys,
              ProjectionExpression: '#id, #unitId',
              ExpressionAttributeNames: { '#id': 'id', '#unitId': 'unitId' },
              ConsistentRead: true,
            },
          },
        }),
      );
      confirmed += (out.Responses?.[tableName] ?? []).filter((item) => item['unitId'] === unitId).length;
      keys = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return confirmed;
}

/** The ids in the window's day items: one Query of the days from `since`'s on (≤ 8 for a prompt assignment). */
async function candidatesAtUnit(
  doc: DynamoDBDocumentClient,
  tableName: string,
  unitId: string,
  category: Category,
  since: string,
  excludeId: string | undefined,
): Promise<string[]> {
  const first = clusterDayKey(unitId, category, localDate(new Date(since)));
  const ids = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND SK >= :first',
        ExpressionAttributeValues: { ':pk': first.PK, ':first': first.SK },
        ConsistentRead: true,
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of out.Items ?? []) {
      const set = item['ids'];
      if (!(set instanceof Set)) continue;
      for (const entry of set) {
        if (typeof entry !== 'string') continue;
        // `<createdAt>#<id>`: ISO instants compare as strings, so the window is exact to the ms.
        const cut = entry.lastIndexOf('#');
        const id = entry.slice(cut + 1);
        if (entry.slice(0, cut) >= since && id !== excludeId) ids.add(id);
      }
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return [...ids];
}
