/**
 * Query shapes that several stores share: the earliest entries of a sharded GSI2 partition (open
 * complaints by due time, escalations waiting for a re-drive) and the owner of a tracking code (GSI4).
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { trackingPartition } from './keys.ts';
import { DUE_SHARDS } from './table.ts';

/**
 * The `limit` earliest GSI2 sort keys at or before `until` over every shard of a sharded partition:
 * each shard's `limit` earliest, merged and cut, is the global `limit` earliest. `after` (a previous
 * page's last sort key) pages on: `\u0000` appended is the smallest sort key greater than it.
 */
export async function earliestInShards(
  doc: DynamoDBDocumentClient,
  tableName: string,
  partitionOf: (shard: number) => string,
  until: string,
  limit: number,
  after?: string,
): Promise<Record<string, unknown>[]> {
  const shards = await Promise.all(
    Array.from({ length: DUE_SHARDS }, (_, shard) =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: after === undefined ? 'GSI2PK = :pk AND GSI2SK <= :until' : 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :until',
          ExpressionAttributeValues: { ':pk': partitionOf(shard), ':until': `${until}#~`, ...(after !== undefined && { ':from': `${after}\u0000` }) },
          Limit: limit,
        }),
      ),
    ),
  );
  return shards
    .flatMap((out) => out.Items ?? [])
    .sort((a, b) => (String(a['GSI2SK']) < String(b['GSI2SK']) ? -1 : 1))
    .slice(0, limit);
}

/** The `PK` of the item a tracking code belongs to (a complaint `CMP#…` or a public repeat's receipt `RCPT#…`). */
export async function trackingCodeOwner(doc: DynamoDBDocumentClient, tableName: string, code: string): Promise<string | undefined> {
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'GSI4',
      KeyConditionExpression: 'GSI4PK = :pk',
      ExpressionAttributeValues: { ':pk': trackingPartition(code) },
      Limit: 1,
    }),
  );
  const pk = out.Items?.[0]?.['PK'];
  return typeof pk === 'string' ? pk : undefined;
}
