/**
 * The complaint store on DynamoDB (dynalite locally: same protocol, same code).
 * Invariants live in condition expressions: `attribute_not_exists(PK)` on create, `version = :v`
 * on every transition, so that exactly one of several concurrent writers wins and history never
 * has a gap — without transactions, which dynalite lacks and production does not need.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { listItemView, type ListItemView } from '#domain/access.ts';
import { Conflict, NotFound, Unprocessable, ValidationFailed } from '#domain/errors.ts';
import type { Transition } from '#domain/lifecycle.ts';
import { laterInstant, lastSeq, type Category, type Complaint, type ComplaintEvent, type Status } from '#domain/model.ts';
import type { Effect } from '#app/effects.ts';
import type { AppendOptions, ChangePublisher, ComplaintStore, ListSpec, SystemEvent } from '#app/ports.ts';
import type { AssistRow } from '#domain/assist.ts';
import { listAssistTasks, syncAssistIndex } from './assist-index.ts';
import { syncQualityIndex, touchesQualityRows } from './quality-index.ts';
import { countAtUnit, recordAtUnit } from './cluster-index.ts';
import { mergeHistory, planSeal, type HistoryPage } from './history-pages.ts';
import { DYNAMODB_ITEM_LIMIT, itemSize } from './item-size.ts';
import { queueFilter } from './queue-filter.ts';
import { QUEUE_ATTRIBUTE_NAMES } from '#domain/queues.ts';
import {
  complaintKey,
  duePartition,
  EFFECT_ATTRIBUTE_PREFIX,
  historyPageKey,
  indexAttributes,
  phonePartition,
  statusPartition,
  unitPartition,
} from './keys.ts';
import { effectItemAttributes } from './outbox-store.ts';
import { earliestInShards, trackingCodeOwner } from './queries.ts';

/** Attributes that never change after creation, or that are written only by list_append. */
const IMMUTABLE = new Set(['PK', 'SK', 'id', 'createdAt', 'history', 'entity', 'trackingCode']);

type Item = Record<string, unknown>;

export class DynamoComplaintStore implements ComplaintStore {
  /**
   * `feed`: told of every committed write of a complaint item (the local stack's stand-in for
   * DynamoDB Streams, decision 051); absent in AWS, where the table's stream is the feed.
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly feed?: ChangePublisher,
  ) {}

  /**
   * `effects`: what the new complaint owes (receipt SMS, timers …), recorded in the same conditional
   * PutItem — the transactional outbox (decision 051).
   */
  async create(complaint: Complaint, effects: Effect[] = []): Promise<{ created: boolean; complaint: Complaint }> {
    const item = { ...toItem(complaint), ...effectItemAttributes(complaint.id, effects, complaint.updatedAt) };
    guardItemSize(item, complaint.id);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      this.feed?.publish({ eventName: 'INSERT', keys: complaintKey(complaint.id), newImage: item });
      return { created: true, complaint };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(complaint.id);
      if (!existing) throw new Conflict('The complaint id is taken but cannot be read', { id: complaint.id }, { cause: error });
      return { created: false, complaint: existing };
    }
  }

  async get(id: string): Promise<Complaint | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: complaintKey(id), ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  /**
   * The complaint with its whole history: the item, plus a Query of its history pages when it has
   * any (docs/decisions/033-history-pages.md). For readers of the history, not for transitions.
   */
  async getWithHistory(id: string): Promise<Complaint | undefined> {
    const complaint = await this.get(id);
    const sealed = complaint?.historySealed;
    if (!complaint || !sealed) return complaint;
    const pages: Pick<HistoryPage, 'events'>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      // Pages 1…n only: a page cut by a write that then lost its version check is ignored.
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
          ExpressionAttributeValues: { ':pk': complaintKey(id).PK, ':first': historyPageKey(id, 1).SK, ':last': historyPageKey(id, sealed.pages).SK },
          ConsistentRead: true,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      for (const page of out.Items ?? []) pages.push({ events: (page['events'] ?? []) as ComplaintEvent[] });
      start = out.LastEvaluatedKey;
    } while (start);
    return { ...complaint, history: mergeHistory(complaint.history, pages) };
  }

  /**
   * One conditional UpdateItem, as always. When the item would outgrow its budget by DynamoDB's
   * rules, the oldest committed events are first written to history pages (deterministic content,
   * so a retry or a lost race rewrites the same page) and the update re-sets the shortened history.
   */
  async save(transition: Transition, expectedVersion: number, effects: Effect[] = []): Promise<void> {
    const { complaint, pages } = planSeal(transition.complaint, transition.events.length, (c) => itemSize(toItem(c)));
    const item = toItem(complaint);
    // The effects the transition owes ride on the same UpdateItem (decision 051); each is its own
    // top-level attribute, so this write never touches those a dispatcher is clearing meanwhile.
    const owed = effectItemAttributes(complaint.id, effects, complaint.updatedAt);
    guardItemSize(item, complaint.id);
    if (pages.length > 0) {
      await Promise.all(pages.map((page) => this.doc.send(new PutCommand({ TableName: this.tableName, Item: page }))));
    }
    const names: Record<string, string> = { '#version': 'version', '#history': 'history' };
    const values: Record<string, unknown> = { ':expected': expectedVersion };
    const sets: string[] = [];
    if (pages.length > 0) {
      values[':history'] = complaint.history;
      sets.push('#history = :history');
    } else {
      values[':events'] = transition.events;
      sets.push('#history = list_append(#history, :events)');
    }
    const removes: string[] = [];
    const all = new Set([...Object.keys(item), ...MUTABLE_OPTIONAL]);
    let i = 0;
    for (const name of all) {
      if (IMMUTABLE.has(name)) continue;
      const alias = `#a${i}`;
      names[alias] = name;
      const value = item[name];
      if (value === undefined) {
        removes.push(alias);
      } else {
        values[`:v${i}`] = value;
        sets.push(`${alias} = :v${i}`);
      }
      i++;
    }
    for (const [name, value] of Object.entries(owed)) {
      names[`#a${i}`] = name;
      values[`:v${i}`] = value;
      sets.push(`#a${i} = :v${i}`);
      i++;
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: complaintKey(complaint.id),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      this.feed?.publish({ eventName: 'MODIFY', keys: complaintKey(complaint.id), newImage: { ...item, ...owed } });
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new Conflict(
          'The complaint was changed by someone else; reload it and try again',
          { id: complaint.id, expectedVersion },
          { cause: error, code: 'version-conflict' },
        );
      }
      throw error;
    }
    // 协办 worklist rows follow the complaint (decision 048): after a task changed, or while one is open (its deadline may move).
    if (transition.events.some((e) => e.type.startsWith('assist_')) || complaint.assists?.some((t) => t.status === 'open')) {
      await syncAssistIndex(this.doc, this.tableName, complaint);
    }
    // The determination and rectification worklists follow the complaint too (decision 058).
    if (touchesQualityRows(complaint, transition.events)) await syncQualityIndex(this.doc, this.tableName, complaint);
  }

  /**
   * System events go through `save` (one UpdateItem, `version = :expected`, `list_append`), so they
   * can never overwrite a concurrent transition: on a conflict we re-read and try again.
   */
  async appendSystemEvents(id: string, events: SystemEvent[], opts: AppendOptions = {}): Promise<{ appended: boolean; complaint: Complaint }> {
    const key = events[0]?.key;
    const attempts = opts.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const before = await this.get(id);
      if (!before) throw new NotFound(`Complaint ${id} not found`, { id });
      if (key !== undefined && before.history.some((e) => e.key === key)) return { appended: false, complaint: before };
      const numbered: ComplaintEvent[] = events.map((e, i) => ({ ...e, seq: lastSeq(before) + i + 1 }));
      const last = numbered[numbered.length - 1]?.at ?? before.updatedAt;
      let next: Complaint = {
        ...before,
        version: before.version + 1,
        updatedAt: laterInstant(last, before.updatedAt),
        history: [...before.history, ...numbered],
      };
      if (opts.replan) next = { ...next, ...opts.replan(before, next) };
      try {
        await this.save({ complaint: next, events: numbered }, before.version);
        return { appended: true, complaint: next };
      } catch (error) {
        if (!(error instanceof Conflict) || attempt >= attempts) throw error;
      }
    }
  }

  async findByTrackingCode(code: string): Promise<Complaint | undefined> {
    const id = await trackingCodeOwner(this.doc, this.tableName, code);
    // The index also holds receipts of public repeats (`RCPT#…`, see intake-ledger.ts): not complaints.
    return id?.startsWith('CMP#') ? this.get(id.slice('CMP#'.length)) : undefined;
  }

  async findByPhone(phone: string, limit = 50): Promise<{ id: string; status: Status; waybillNo?: string }[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': phonePartition(phone) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((it) => ({
      id: String(it['id']),
      status: it['status'] as Status,
      ...(typeof it['waybillNo'] === 'string' && { waybillNo: it['waybillNo'] }),
    }));
  }

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

  /** By key, from the cluster day items (decision 045); see `cluster-index.ts`. */
  async countRecentByUnitCategory(unitId: string, category: Category, since: string, excludeId?: string, confirmFrom = 1): Promise<number> {
    return countAtUnit(this.doc, this.tableName, unitId, category, since, excludeId, confirmFrom);
  }

  async recordAtUnit(complaint: Complaint): Promise<void> {
    await recordAtUnit(this.doc, this.tableName, complaint);
  }

  /** The open 协办 tasks of one unit by deadline, by key (decision 048); see `assist-index.ts`. */
  async listAssists(spec: { unitId: string; limit: number; cursor?: string; excludeSubject?: string }): Promise<{ items: AssistRow[]; cursor?: string }> {
    return listAssistTasks(this.doc, this.tableName, spec);
  }
}

/**
 * A save that would still exceed DynamoDB's 400 KB after sealing pages (a state that grew too big,
 * not its history) is refused as content, never sent to fail as a 500 — nor accepted by dynalite,
 * which counts UTF-16 units, when AWS would reject it.
 */
function guardItemSize(item: Item, id: string): void {
  const bytes = itemSize(item);
  if (bytes <= DYNAMODB_ITEM_LIMIT) return;
  throw new Unprocessable(
    'complaint-too-large',
    `The complaint would exceed DynamoDB's item limit (${bytes} of ${DYNAMODB_ITEM_LIMIT} bytes)`,
    [{ path: '', message: 'This complaint cannot take more; shorten the text' }],
    {
      id,
      bytes,
    },
  );
}

/** Optional attributes that a transition may clear: always named so that REMOVE reaches them. */
const MUTABLE_OPTIONAL = [
  'unitId',
  'handlerId',
  'firstContactAt',
  'reply',
  'callback',
  'suspension',
  'withdrawal',
  'closedAt',
  'nextDueAt',
  'signedAt',
  'signDueAt',
  'firstContactEstimate',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'expiresAt',
  ...QUEUE_ATTRIBUTE_NAMES,
];

export function toItem(c: Complaint): Item {
  return { ...complaintKey(c.id), entity: 'complaint', ...c, ...indexAttributes(c) };
}

const KEY_ATTRIBUTES = [
  'PK',
  'SK',
  'entity',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'GSI4PK',
  'GSI4SK',
  'GSI5PK',
  'GSI5SK',
  'GSI6PK',
  'GSI6SK',
  'expiresAt',
  ...QUEUE_ATTRIBUTE_NAMES,
];

/** The complaint of an item: without its keys and without the outbox's effect attributes (`fx#…`), which only the dispatcher reads. */
export function fromItem(item: Item): Complaint {
  const copy: Item = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  for (const k of Object.keys(copy)) if (k.startsWith(EFFECT_ATTRIBUTE_PREFIX)) delete copy[k];
  return copy as unknown as Complaint;
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
