/**
 * Embedded DynamoDB: dynalite (DynamoDB protocol on LevelDB), in this process. The table is created
 * from the same definition the CDK stack uses (`shared/store/table.ts`).
 */
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import dynalite from 'dynalite';
import { createTableInput } from '#store/table.ts';

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /**
   * The data folder's last process died without closing it (kill -9, crash): its last writes may be torn,
   * see `reindexTable`. Always false in memory.
   */
  uncleanShutdown: boolean;
  close(): Promise<void>;
}

/** Starts dynalite on a free loopback port; `path` keeps data on disk (LevelDB), else in memory. */
export async function startDynalite(opts: { path?: string; port?: number } = {}): Promise<LocalDynamo> {
  // Present while a process has the folder open; removed by `close()`. Found at start: the last one died.
  const openMarker = opts.path !== undefined ? `${opts.path}.open` : undefined;
  const uncleanShutdown = openMarker !== undefined && existsSync(openMarker);
  const server = dynalite({ ...(opts.path !== undefined && { path: opts.path }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // The client keeps its sockets (keep-alive, one attempt): a server closing an idle one after Node's
  // default 5 s races with its reuse and fails a request with "socket hang up". Idle sockets stay open.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  if (openMarker) await writeFile(openMarker, `${process.pid}\n`);
  return {
    endpoint,
    client,
    uncleanShutdown,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (openMarker) await rm(openMarker, { force: true });
    },
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
}

/** Creates the table unless it exists (data under DATA_DIR survives restarts), and waits until it is ACTIVE. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
  // dynalite, like DynamoDB, answers ResourceNotFound to item requests while a table is CREATING.
  for (let waited = 0; ; waited += 10) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (waited > 10_000) throw new Error(`Table ${tableName} is still ${Table?.TableStatus ?? 'missing'} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Re-puts every item unchanged, so that dynalite writes each item's index entries again. dynalite is
 * not atomic the way DynamoDB is: a write deletes the item's old index entries, then puts the new ones,
 * then the item (`dynalite/db/index.js` `updateIndexes`), each its own LevelDB write. A kill -9 between
 * the deletes and the puts leaves the item in its old state but in none of the indexes whose key
 * moved — a complaint out of every GSI2 `DUE#` partition is never swept, never re-timed, never
 * breached (the restart test's "one breach short"). Run once before serving, after an unclean
 * shutdown only; a Scan, local only, O(items). Left as is: index entries of a write whose item never
 * landed (the request was never answered) point at a key the item does not have; the readers
 * re-read the item and find nothing to do.
 */
export async function reindexTable(client: DynamoDBClient, tableName: string): Promise<number> {
  let items = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: tableName, ...(start && { ExclusiveStartKey: start }) }));
    const page = out.Items ?? [];
    // A few at once: the client keeps 64 sockets; dynalite locks per item key.
    for (let i = 0; i < page.length; i += 16)
      await Promise.all(page.slice(i, i + 16).map((item) => client.send(new PutItemCommand({ TableName: tableName, Item: item }))));
    items += page.length;
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
