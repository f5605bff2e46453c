/**
 * The archive's view of the table (decision 065): the year partitions of GSI2 (`ENDED#<year>`,
 * `ARCHIVED#<year>`, see `keys.ts`), read by Query only, and the one write that rewrites a case's
 * history pages — minimisation, the only change a sealed page ever gets.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { archivedPartition, endedPartition } from '#domain/archive.ts';
import { Conflict } from '#domain/errors.ts';
import type { Complaint, ComplaintEvent } from '#domain/model.ts';
import type { ArchiveIndex, ArchiveIndexEntry } from '#app/ports.ts';
import { toItem } from './complaint-records.ts';
import { complaintKey, EFFECT_ATTRIBUTE_PREFIX } from './keys.ts';

export class DynamoArchiveIndex implements ArchiveIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  ended(year: number, limit: number, after?: string): Promise<ArchiveIndexEntry[]> {
    return this.partition(endedPartition(year), '~', limit, after);
  }

  archived(year: number, until: string, limit: number, after?: string): Promise<ArchiveIndexEntry[]> {
    return this.partition(archivedPartition(year), `${until}#~`, limit, after);
  }

  private async partition(pk: string, until: string, limit: number, after?: string): Promise<ArchiveIndexEntry[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: after === undefined ? 'GSI2PK = :pk AND GSI2SK <= :until' : 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :until',
        ExpressionAttributeValues: { ':pk': pk, ':until': until, ...(after !== undefined && { ':from': `${after}\u0000` }) },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((it) => {
      const sortKey = String(it['GSI2SK']);
      return { id: sortKey.slice(sortKey.lastIndexOf('#') + 1), sortKey };
    });
  }

  /**
   * Pages first (each rewritten whole: masking is idempotent, so a run cut short and re-run writes
   * the same), then the case item by a PutItem guarded by its version, keeping any effect still owed.
   */
  async rewrite(next: Complaint, expectedVersion: number, maskEvents: (events: ComplaintEvent[]) => ComplaintEvent[]): Promise<void> {
    const key = complaintKey(next.id);
    const pages = next.historySealed?.pages ?? 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :page)',
          ExpressionAttributeValues: { ':pk': key.PK, ':page': 'H#' },
          ConsistentRead: true,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      for (const page of out.Items ?? []) {
        const events = (page['events'] ?? []) as ComplaintEvent[];
        await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...page, events: maskEvents(events) } }));
      }
      start = out.LastEvaluatedKey;
    } while (start && pages > 0);
    const current = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const owed = Object.fromEntries(
      Object.entries(current.Item ?? {}).filter(([k]) => k.startsWith(EFFECT_ATTRIBUTE_PREFIX) || k === 'GSI6PK' || k === 'GSI6SK'),
    );
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: Object.assign(toItem(next), owed),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new Conflict('The case changed while it was being minimised', { id: next.id, expectedVersion }, { cause: error, code: 'version-conflict' });
      throw error;
    }
  }
}
