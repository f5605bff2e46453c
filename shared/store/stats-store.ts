/**
 * Counter cells, markers and drill-down items of the statistics (decision 060), on the single table:
 * - counter cell   `STATS#<month>` / `<unitId>#<category>` — `c_<code>` numbers (`counterCode`), `tok` the intents
 *                  being applied (string set, empty between batches)
 * - marker         `STATSC#<complaintId>` / `A`           — `seq` counted, `memory`, `pending` intent (write-ahead)
 * - month item     `STATSC#<complaintId>` / `P#<month>`    — `f` drill-down tokens `<counter>|<unitId>|<category>`,
 *                  GSI7 `STATSP#<month>` / `<complaintId>` (sparse: only these items carry GSI7 keys)
 * None of them has `entity: 'complaint'` nor the keys of GSI1–6, so no list or count of complaints sees them.
 * Every write is an UpdateItem returning the new image, so the write units are counted by DynamoDB's own rule
 * (1 WCU per started KB of the larger of the old and new item; UTF-8 sizes, `item-size.ts`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { counterCode, counterOfCode } from '#domain/indicators.ts';
import type { CounterItem } from '#domain/reports.ts';
import type { Category, Complaint } from '#domain/model.ts';
import type { Counts } from '#domain/report-model.ts';
import type { CellDelta, StatsIntent, StatsMarker, StatsState, StatsStore } from '#app/ports.ts';
import { fromItem } from './complaint-records.ts';
import { itemSize } from './item-size.ts';
import { complaintKey } from './keys.ts';

type Item = Record<string, unknown>;

export const statsCellKey = (period: string, cell: string) => ({ PK: `STATS#${period}`, SK: cell });
export const statsMarkerKey = (id: string) => ({ PK: `STATSC#${id}`, SK: 'A' });
export const statsMonthKey = (id: string, period: string) => ({ PK: `STATSC#${id}`, SK: `P#${period}` });
export const statsMonthPartition = (period: string) => `STATSP#${period}`;

/** Capacity used, by DynamoDB's rules (for the bench and the decision's figures). */
export interface Capacity {
  readUnits: number;
  writeUnits: number;
  /** GSI7 writes (a write that changes an indexed item costs the index one write too). */
  indexWriteUnits: number;
}

const wcu = (item: Item | undefined) => Math.max(1, Math.ceil((item ? itemSize(item) : 0) / 1024));
const rcu = (bytes: number, consistent: boolean) => Math.max(consistent ? 1 : 0.5, (Math.ceil(bytes / 4096) || 1) * (consistent ? 1 : 0.5));

export class DynamoStatsStore implements StatsStore {
  readonly capacity: Capacity = { readUnits: 0, writeUnits: 0, indexWriteUnits: 0 };

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly complaints?: { getWithHistory(id: string): Promise<Complaint | undefined> },
  ) {}

  async state(complaintId: string): Promise<StatsState> {
    const periods = new Map<string, Set<string>>();
    let marker: StatsMarker | undefined;
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': `STATSC#${complaintId}` },
          ConsistentRead: true,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      const items = (out.Items ?? []) as Item[];
      this.capacity.readUnits += rcu(
        items.reduce((n, i) => n + itemSize(i), 0),
        true,
      );
      for (const item of items) {
        if (item['SK'] === 'A') {
          marker = {
            seq: Number(item['seq'] ?? 0),
            memory: item['memory'] as StatsMarker['memory'],
            ...(item['pending'] !== undefined && { pending: item['pending'] as StatsIntent }),
          };
        } else if (typeof item['SK'] === 'string' && item['SK'].startsWith('P#')) {
          periods.set(item['SK'].slice(2), new Set((item['f'] as Set<string> | undefined) ?? []));
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return { ...(marker && { marker }), periods };
  }

  async begin(complaintId: string, fromSeq: number | undefined, marker: StatsMarker & { pending: StatsIntent }): Promise<boolean> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: statsMarkerKey(complaintId),
          UpdateExpression: 'SET seq = :seq, #memory = :memory, pending = :pending, entity = :entity',
          ConditionExpression: fromSeq === undefined ? 'attribute_not_exists(PK)' : 'seq = :from AND attribute_not_exists(pending)',
          ExpressionAttributeNames: { '#memory': 'memory' },
          ExpressionAttributeValues: {
            ':seq': marker.seq,
            ':memory': marker.memory,
            ':pending': marker.pending,
            ':entity': 'stats-marker',
            ...(fromSeq !== undefined && { ':from': fromSeq }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      this.capacity.writeUnits += wcu(out.Attributes);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async applyCell(delta: CellDelta): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    let i = 0;
    for (const [counter, n] of Object.entries(delta.counts)) {
      if (n === 0) continue;
      names[`#k${i}`] = counterCode(counter);
      values[`:v${i}`] = n;
      adds.push(`#k${i} :v${i}`);
      i++;
    }
    values[':tok'] = new Set(delta.tokens);
    const guards = delta.tokens.map((t, j) => {
      values[`:t${j}`] = t;
      return `NOT contains(tok, :t${j})`;
    });
    const [unitId, category] = splitCellKey(delta.cell);
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: statsCellKey(delta.period, delta.cell),
          UpdateExpression: `ADD ${[...adds, 'tok :tok'].join(', ')} SET period = :period, unitId = :unit, category = :category, entity = :entity`,
          ConditionExpression: `attribute_not_exists(tok) OR (${guards.join(' AND ')})`,
          ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
          ExpressionAttributeValues: { ...values, ':period': delta.period, ':unit': unitId, ':category': category, ':entity': 'stats-cell' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      this.capacity.writeUnits += wcu(out.Attributes);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async addTokens(complaintId: string, period: string, tokens: string[]): Promise<void> {
    if (tokens.length === 0) return;
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: statsMonthKey(complaintId, period),
        UpdateExpression: 'ADD f :f SET GSI7PK = :pk, GSI7SK = :sk, complaintId = :id, period = :period, entity = :entity',
        ExpressionAttributeValues: {
          ':f': new Set(tokens),
          ':pk': statsMonthPartition(period),
          ':sk': complaintId,
          ':id': complaintId,
          ':period': period,
          ':entity': 'stats-month',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    this.capacity.writeUnits += wcu(out.Attributes);
    this.capacity.indexWriteUnits += wcu(out.Attributes);
  }

  async removeTokens(complaintId: string, period: string, tokens: string[]): Promise<void> {
    if (tokens.length === 0) return;
    const out = await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: statsMonthKey(complaintId, period),
          UpdateExpression: 'DELETE f :f',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':f': new Set(tokens) },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return { Attributes: undefined };
        throw error;
      });
    if (out.Attributes) {
      this.capacity.writeUnits += wcu(out.Attributes);
      this.capacity.indexWriteUnits += wcu(out.Attributes);
    }
  }

  async finish(complaintId: string, token: string): Promise<void> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: statsMarkerKey(complaintId),
          UpdateExpression: 'REMOVE pending',
          ConditionExpression: 'pending.#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': token },
          ReturnValues: 'ALL_OLD',
        }),
      );
      this.capacity.writeUnits += wcu(out.Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async releaseCell(period: string, cell: string, tokens: string[]): Promise<void> {
    const out = await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: statsCellKey(period, cell),
          UpdateExpression: 'DELETE tok :tok',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':tok': new Set(tokens) },
          ReturnValues: 'ALL_OLD',
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return { Attributes: undefined };
        throw error;
      });
    if (out.Attributes) this.capacity.writeUnits += wcu(out.Attributes);
  }

  fullComplaint(complaintId: string): Promise<Complaint | undefined> {
    return this.complaints ? this.complaints.getWithHistory(complaintId) : Promise.resolve(undefined);
  }

  /** Every counter cell of one month: one Query of `STATS#<month>` (O(units × categories) items, never a Scan). */
  async monthCells(period: string): Promise<CounterItem[]> {
    const items: CounterItem[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': `STATS#${period}` },
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      const page = (out.Items ?? []) as Item[];
      this.capacity.readUnits += rcu(
        page.reduce((n, i) => n + itemSize(i), 0),
        false,
      );
      for (const item of page) items.push(cellItem(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * One page of a month's drill-down items (GSI7 `STATSP#<month>`), each complaint id with its tokens; `start` is
   * the complaint id after which to read.
   */
  async monthPage(period: string, start: string | undefined, limit: number): Promise<{ items: { complaintId: string; tokens: Set<string> }[]; next?: string }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI7',
        KeyConditionExpression: 'GSI7PK = :pk',
        ExpressionAttributeValues: { ':pk': statsMonthPartition(period) },
        Limit: limit,
        ...(start !== undefined && { ExclusiveStartKey: { GSI7PK: statsMonthPartition(period), GSI7SK: start, ...statsMonthKey(start, period) } }),
      }),
    );
    const page = (out.Items ?? []) as Item[];
    this.capacity.readUnits += rcu(
      page.reduce((n, i) => n + itemSize(i), 0),
      false,
    );
    const items = page.map((i) => ({ complaintId: String(i['GSI7SK']), tokens: new Set((i['f'] as Set<string> | undefined) ?? []) }));
    const last = out.LastEvaluatedKey?.['GSI7SK'];
    return { items, ...(typeof last === 'string' && { next: last }) };
  }

  /** Complaints by id, for drill-down rows: BatchGetItem in chunks of 100, unprocessed keys retried. */
  async getMany(ids: readonly string[]): Promise<Complaint[]> {
    const out: Complaint[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] = ids.slice(i, i + 100).map(complaintKey);
      for (let round = 0; keys.length > 0 && round < 10; round++) {
        const got = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        const items = (got.Responses?.[this.tableName] ?? []) as Item[];
        this.capacity.readUnits += items.reduce((n, it) => n + rcu(itemSize(it), false), 0);
        out.push(...items.map(fromItem));
        keys = (got.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return out;
  }

  async marker(complaintId: string): Promise<Item | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: statsMarkerKey(complaintId), ConsistentRead: true }));
    return out.Item;
  }
}

function splitCellKey(cell: string): [string, string] {
  const i = cell.lastIndexOf('#');
  return [cell.slice(0, i), cell.slice(i + 1)];
}

function cellItem(item: Item): CounterItem {
  const counts: Counts = {};
  for (const [k, v] of Object.entries(item)) {
    if (!/^c_[0-9a-z]+$/.test(k) || typeof v !== 'number') continue;
    const id = counterOfCode(k);
    if (id !== undefined && v !== 0) counts[id] = v;
  }
  return { period: String(item['period']), unitId: String(item['unitId']), category: item['category'] as Category, counts };
}
