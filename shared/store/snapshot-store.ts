/**
 * The monthly snapshots in the table (decision 061): one item per closed statistics month, `PK = SNAP#<period>`,
 * `SK = A`, put once under `attribute_not_exists(PK)` — never overwritten, never deleted (no TTL). The only
 * later writes touch the e-mail fields: a lease (`mailClaimUntil`) while a run sends, then `mailedAt`.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SnapshotRecord, SnapshotStore } from '#app/ports.ts';
import { itemSize } from './item-size.ts';

export const snapshotKey = (period: string) => ({ PK: `SNAP#${period}`, SK: 'A' });

/** The item of a record: the report as a JSON string (one attribute, counted by its UTF-8 bytes). */
function toSnapshotItem(record: SnapshotRecord): Record<string, unknown> {
  const { report, ...rest } = record;
  return { ...snapshotKey(record.period), entity: 'report_snapshot', ...rest, ...(report && { report: JSON.stringify(report) }) };
}

export class DynamoSnapshotStore implements SnapshotStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  sizeOf(record: SnapshotRecord): number {
    return itemSize(toSnapshotItem(record));
  }

  async get(period: string): Promise<SnapshotRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: snapshotKey(period), ConsistentRead: true }));
    const item = out.Item;
    if (!item) return undefined;
    const { PK: _pk, SK: _sk, entity: _entity, mailClaimUntil: _lease, report, ...rest } = item;
    return { ...(rest as Omit<SnapshotRecord, 'report'>), ...(typeof report === 'string' && { report: JSON.parse(report) as SnapshotRecord['report'] }) };
  }

  async create(record: SnapshotRecord): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: toSnapshotItem(record), ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async claimMail(period: string, now: string, until: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: snapshotKey(period),
          UpdateExpression: 'SET mailClaimUntil = :until',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(mailedAt) AND (attribute_not_exists(mailClaimUntil) OR mailClaimUntil < :now)',
          ExpressionAttributeValues: { ':until': until, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markMailed(period: string, at: string, messageId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: snapshotKey(period),
        UpdateExpression: 'SET mailedAt = :at, messageId = :id REMOVE mailClaimUntil',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(mailedAt)',
        ExpressionAttributeValues: { ':at': at, ':id': messageId },
      }),
    );
  }
}
