/**
 * Test-only helpers that look at the table directly (a Scan is fine here, never on a request path). The statistics'
 * own items (`STATS#…` counter cells, `STATSC#…` markers and month items, decision 060) are written by the
 * aggregator after a complaint write; they are not what a request wrote, so the counts leave them out.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '#local/stack.ts';

export async function countItems(stack: LocalStack): Promise<number> {
  const { doc, tableName } = stack.container;
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        Select: 'COUNT',
        FilterExpression: 'NOT begins_with(PK, :stats)',
        ExpressionAttributeValues: { ':stats': 'STATS' },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}
