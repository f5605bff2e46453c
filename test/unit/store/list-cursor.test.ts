import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationFailed } from '#domain/errors.ts';
import { DynamoComplaintStore } from '#store/dynamo-store.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' }));
const mock = mockClient(doc);
const store = new DynamoComplaintStore(doc, 'complaints');
const id = 'C0123456789ABCDEF';
const cursorOf = (sortKey: string) => Buffer.from(sortKey).toString('base64url');

afterEach(() => mock.reset());

describe('list cursors (decision 035)', () => {
  it('hands out only the index sort key and rebuilds the rest of the start key from the list being read', async () => {
    // Prepare
    const sortKey = `dispatched#11#2026-03-02T01:00:00.000Z#${id}`;
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: { PK: `CMP#${id}`, SK: 'A', GSI1PK: 'UNIT#gz-tianhe', GSI1SK: sortKey } })
      .resolves({ Items: [] });
    // Act
    const page = await store.list({ partition: { kind: 'unit', unitId: 'gz-tianhe', status: 'dispatched' }, limit: 1 });
    await store.list({
      partition: { kind: 'unit', unitId: 'gz-tianhe', status: 'dispatched' },
      limit: 1,
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    });
    // Assess
    expect(page.cursor).toBe(cursorOf(sortKey));
    expect(mock.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      PK: `CMP#${id}`,
      SK: 'A',
      GSI1PK: 'UNIT#gz-tianhe',
      GSI1SK: sortKey,
    });
  });

  it.each([
    ['JSON of another index’s key', cursorOf(JSON.stringify({ PK: `CMP#${id}`, SK: 'A', GSI5PK: 'STATUS#received', GSI1SK: 'x' }))],
    ['a worklist sort key on a status list', cursorOf(`received#11#2026-03-02T01:00:00.000Z#${id}`)],
    ['a sort key with no complaint id', cursorOf('2026-03-02T01:00:00.000Z#../x')],
    ['not base64url', 'a+b/c='],
  ])('refuses %s with a ValidationFailed naming cursor, before any query', async (_, cursor) => {
    await expect(store.list({ partition: { kind: 'status', status: 'received' }, limit: 5, cursor })).rejects.toMatchObject({ issues: [{ path: 'cursor' }] });
    expect(mock.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('refuses a worklist cursor outside the requested status (DynamoDB would call it outside the query boundaries)', async () => {
    const cursor = cursorOf(`closed#11#2026-03-02T01:00:00.000Z#${id}`);
    await expect(store.list({ partition: { kind: 'unit', unitId: 'gz-tianhe', status: 'dispatched' }, limit: 5, cursor })).rejects.toBeInstanceOf(
      ValidationFailed,
    );
  });

  it('turns a ValidationException DynamoDB still raises on a start key into a ValidationFailed naming cursor', async () => {
    // Prepare
    const error = Object.assign(new Error('The provided starting key is invalid'), { name: 'ValidationException' });
    mock.on(QueryCommand).rejects(error);
    // Act
    const listing = store.list({ partition: { kind: 'status', status: 'received' }, limit: 5, cursor: cursorOf(`2026-03-02T01:00:00.000Z#${id}`) });
    // Assess
    await expect(listing).rejects.toBeInstanceOf(ValidationFailed);
    await expect(listing).rejects.toMatchObject({ issues: [{ path: 'cursor' }] });
  });
});
