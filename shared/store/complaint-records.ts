/**
 * The complaint records on DynamoDB (dynalite locally: same protocol, same code): the item by id,
 * tracking code or phone, and the writes; the lists are `dynamo-store.ts`, which extends this class.
 * Invariants live in condition expressions: `attribute_not_exists(PK)` on create, `version = :v`
 * on every transition, so that exactly one of several concurrent writers wins and history never
 * has a gap — without transactions, which dynalite lacks and production does not need.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, Unprocessable } from '#domain/errors.ts';
import type { Transition } from '#domain/lifecycle.ts';
import { laterInstant, lastSeq, type Category, type Complaint, type ComplaintEvent, type Status } from '#domain/model.ts';
import type { Effect } from '#app/effects.ts';
import type { AppendOptions, ChangePublisher, ComplaintRecords, SystemEvent } from '#app/ports.ts';
import { syncAssistIndex } from './assist-index.ts';
import { syncQualityIndex, touchesQualityRows } from './quality-index.ts';
import { countAtUnit, recordAtUnit } from './cluster-index.ts';
import { mergeHistory, planSeal, type HistoryPage } from './history-pages.ts';
import { DYNAMODB_ITEM_LIMIT, itemSize } from './item-size.ts';
import { QUEUE_ATTRIBUTE_NAMES } from '#domain/queues.ts';
import { complaintKey, EFFECT_ATTRIBUTE_PREFIX, historyPageKey, indexAttributes, phonePartition } from './keys.ts';
import { effectItemAttributes } from './outbox-store.ts';
import { trackingCodeOwner } from './queries.ts';

/** Attributes that never change after creation, or that are written only by list_append. */
const IMMUTABLE = new Set(['PK', 'SK', 'id', 'createdAt', 'history', 'entity', 'trackingCode']);

type Item = Record<string, unknown>;

export class DynamoComplaintRecords implements ComplaintRecords {
  /**
   * `feed`: told of every committed write of a complaint item (the local stack's stand-in for
   * DynamoDB Streams, decision 051); absent in AWS, where the table's stream is the feed.
   */
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tableName: string,
    private readonly feed?: ChangePublisher,
  ) {}

  /**
   * `effects`: what the new complaint owes (receipt SMS, timers …), recorded in the same conditional
   * PutItem — the transactional outbox (decision 051).
   */
  async create(complaint: Complaint, effects: Effect[] = []): Promise<{ created: boolean; complaint: Complaint }> {
    const item = newComplaintItem(complaint, effects);
    guardItemSize(itemSize(item), complaint.id);
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
    // The item and size planSeal measured last: those of the complaint it returns, built once, not again.
    let measured: { of: Complaint; item: Item; bytes: number } | undefined;
    const { complaint, pages } = planSeal(transition.complaint, transition.events.length, (c) => {
      const item = toItem(c);
      measured = { of: c, item, bytes: itemSize(item) };
      return measured.bytes;
    });
    const last = measured as { of: Complaint; item: Item; bytes: number } | undefined;
    const item = last?.of === complaint ? last.item : toItem(complaint);
    // The effects the transition owes ride on the same UpdateItem (decision 051); each is its own
    // top-level attribute, so this write never touches those a dispatcher is clearing meanwhile.
    const owed = effectItemAttributes(complaint.id, effects, complaint.updatedAt);
    guardItemSize(last?.of === complaint ? last.bytes : itemSize(item), complaint.id);
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

  /** By key, from the cluster day items (decision 045); see `cluster-index.ts`. */
  async countRecentByUnitCategory(unitId: string, category: Category, since: string, excludeId?: string, confirmFrom = 1): Promise<number> {
    return countAtUnit(this.doc, this.tableName, unitId, category, since, excludeId, confirmFrom);
  }

  async recordAtUnit(complaint: Complaint): Promise<void> {
    await recordAtUnit(this.doc, this.tableName, complaint);
  }
}

/**
 * A save that would still exceed DynamoDB's 400 KB after sealing pages (a state that grew too big,
 * not its history) is refused as content, never sent to fail as a 500 — nor accepted by dynalite,
 * which counts UTF-16 units, when AWS would reject it.
 */
/** Refuses an item of `bytes` (by DynamoDB's rules, `itemSize`) above the item limit. */
function guardItemSize(bytes: number, id: string): void {
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

/** The item a new complaint is written as: the complaint, its index keys, and the effects it owes (the outbox, decision 051). */
export function newComplaintItem(complaint: Complaint, effects: Effect[]): Item {
  return Object.assign(toItem(complaint), effectItemAttributes(complaint.id, effects, complaint.updatedAt));
}

/**
 * The item of a complaint: its key, the complaint, its index attributes, later ones winning. Built with
 * `Object.assign` into the fresh key object, not an object literal of spreads: on Node 20 a literal that
 * spreads in many keys the object does not have yet cost ~100 µs a complaint (Node 22: ~2 µs), and
 * `Object.assign` ~3 µs on both (decision 070).
 */
export function toItem(c: Complaint): Item {
  return Object.assign(complaintKey(c.id), { entity: 'complaint' }, c, indexAttributes(c));
}

/** The item's own attributes: its keys, its index attributes. */
const KEY_ATTRIBUTES: ReadonlySet<string> = new Set([
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
]);

/** The complaint of an item: without its keys and without the outbox's effect attributes (`fx#…`), which only the dispatcher reads. */
export function fromItem(item: Item): Complaint {
  // Copied key by key, not spread and then deleted from: 3–4× faster on Node 20 and 22 (~13 µs an item;
  // a list page reads 50), and the attribute names are the table's own, never a caller's.
  const complaint: Item = {};
  for (const k of Object.keys(item)) if (!KEY_ATTRIBUTES.has(k) && !k.startsWith(EFFECT_ATTRIBUTE_PREFIX)) complaint[k] = item[k];
  return complaint as unknown as Complaint;
}
