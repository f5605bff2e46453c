/**
 * The whole complaint store on DynamoDB: {@link DynamoComplaintRecords} (the item, the conditional
 * writes) and the lists — worklists and their counts, the due index the sweep pages through, the 协办
 * tasks. Only the functions that list (`read`, `sla-sweep`, the local container) bundle this module;
 * the deciding functions carry the records alone.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { listItemView, type ListItemView } from '#domain/access.ts';
import { ValidationFailed } from '#domain/errors.ts';
import type { Complaint } from '#domain/model.ts';
import type { ComplaintStore, ListSpec } from '#app/ports.ts';
import type { AssistRow } from '#domain/assist.ts';
import { listAssistTasks } from './assist-index.ts';
import { DynamoComplaintRecords } from './complaint-records.ts';
import { queueFilter } from './queue-filter.ts';
import { complaintKey, duePartition, statusPartition, unitPartition } from './keys.ts';
import { earliestInShards } from './queries.ts';

export class DynamoComplaintStore extends DynamoComplaintRecords implements ComplaintStore {
  async list(spec: ListSpec): Promise<{ items: ListItemView[]; cursor?: string }> {
    const q = listQuery(this.tableName, spec);
    const out = await this.doc
      .send(
        new QueryCommand({
          ...q.input,
          Limit: spec.limit,
          ...(spec.cursor !== undefined && { ExclusiveStartKey: decodeCursor(spec.cursor, q.list) }),
        }),
      )
      .catch((error: unknown) => {
        // Whatever DynamoDB still finds wrong with a start key is the caller's cursor, not our fault.
        if (spec.cursor !== undefined && error instanceof Error && error.name === 'ValidationException') throw invalidCursor(error);
        throw error;
      });
    const items = (out.Items ?? []).map((it) => listItemView(it as Complaint));
    return { items, ...(out.LastEvaluatedKey && { cursor: encodeCursor(out.LastEvaluatedKey, q.list.skName) }) };
  }

  async count(spec: Omit<ListSpec, 'limit' | 'cursor'>): Promise<number> {
    const q = listQuery(this.tableName, spec);
    let total = 0;
    let start: Record<string, unknown> | undefined;
    // Each page reads at most 1 MB of the partition; a worklist partition is small (open cases of one
    // unit or one open status), the cap only bounds a pathological one.
    for (let page = 0; page < COUNT_PAGES; page++) {
      const out = await this.doc.send(new QueryCommand({ ...q.input, Select: 'COUNT', ...(start && { ExclusiveStartKey: start }) }));
      total += out.Count ?? 0;
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    return total;
  }

  async dueBefore(instant: string, limit: number, after?: string): Promise<{ id: string; nextDueAt: string }[]> {
    const items = await earliestInShards(this.doc, this.tableName, duePartition, instant, limit, after);
    return items.map((it) => {
      const sk = String(it['GSI2SK']);
      const cut = sk.lastIndexOf('#');
      return { id: sk.slice(cut + 1), nextDueAt: sk.slice(0, cut) };
    });
  }

  /** The open 协办 tasks of one unit by deadline, by key (decision 048); see `assist-index.ts`. */
  async listAssists(spec: { unitId: string; limit: number; cursor?: string; excludeSubject?: string }): Promise<{ items: AssistRow[]; cursor?: string }> {
    return listAssistTasks(this.doc, this.tableName, spec);
  }
}

/** Pages a count reads at most (1 MB each). */
const COUNT_PAGES = 20;

/** The Query of a list: the partition's key condition, severity, the subject exclusion, the queue filter. */
function listQuery(tableName: string, spec: Omit<ListSpec, 'limit' | 'cursor'>) {
  const byUnit = spec.partition.kind === 'unit';
  const index = byUnit ? 'GSI1' : 'GSI5';
  const pkName = byUnit ? 'GSI1PK' : 'GSI5PK';
  const skName = byUnit ? 'GSI1SK' : 'GSI5SK';
  const pk = spec.partition.kind === 'unit' ? unitPartition(spec.partition.unitId) : statusPartition(spec.partition.status);
  const names: Record<string, string> = { '#pk': pkName };
  const values: Record<string, unknown> = { ':pk': pk };
  let keyCondition = '#pk = :pk';
  if (spec.partition.kind === 'unit' && spec.partition.status) {
    names['#sk'] = 'GSI1SK';
    values[':prefix'] = `${spec.partition.status}#`;
    keyCondition += ' AND begins_with(#sk, :prefix)';
  }
  const filters: string[] = [];
  if (spec.severity) {
    names['#severity'] = 'severity';
    values[':severity'] = spec.severity;
    filters.push('#severity = :severity');
  }
  if (spec.excludeSubject) {
    names['#subjects'] = 'subjectStaffIds';
    values[':me'] = spec.excludeSubject;
    filters.push('NOT contains(#subjects, :me)');
  }
  const queue = queueFilter(spec.queue);
  filters.push(...queue.expressions);
  Object.assign(names, queue.names);
  Object.assign(values, queue.values);
  return {
    input: {
      TableName: tableName,
      IndexName: index,
      KeyConditionExpression: keyCondition,
      ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      // Unit worklists: priority and severity first (ascending rank). Status lists: newest first.
      ScanIndexForward: byUnit,
    },
    list: { pkName, pk, skName, prefix: values[':prefix'] as string | undefined },
  };
}

/**
 * A list cursor carries only the index sort key of the last item (`<status>#<rank>#<createdAt>#<id>` on
 * GSI1, `<createdAt>#<id>` on GSI5); the rest of the start key (table PK/SK, index PK) is rebuilt from the
 * list being read. A crafted cursor can therefore only name a position inside the caller's own list,
 * never another index's keys or another partition (decision 035).
 */
function encodeCursor(key: Record<string, unknown>, skName: string): string {
  return Buffer.from(String(key[skName])).toString('base64url');
}

const COMPLAINT_ID = 'C[0-9A-HJKMNP-TV-Z]{16}';
const INSTANT = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:\\d{2})';
const SORT_KEYS: Record<string, RegExp> = {
  GSI1SK: new RegExp(`^[a-z_]{1,20}#[01][0-3]#${INSTANT}#(${COMPLAINT_ID})$`),
  GSI5SK: new RegExp(`^${INSTANT}#(${COMPLAINT_ID})$`),
};

const invalidCursor = (cause?: unknown) =>
  new ValidationFailed('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor returned by this list' }], { cause });

/** The start key for a cursor of this very list: a plausible sort key of its index, inside its key condition. */
function decodeCursor(cursor: string, list: { pkName: string; pk: string; skName: string; prefix?: string | undefined }): Record<string, string> {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalidCursor();
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = SORT_KEYS[list.skName]?.exec(sortKey);
  if (!match || (list.prefix !== undefined && !sortKey.startsWith(list.prefix))) throw invalidCursor();
  return { ...complaintKey(match[1] ?? ''), [list.pkName]: list.pk, [list.skName]: sortKey };
}
