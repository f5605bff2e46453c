/**
 * Embedded DynamoDB: dynalite (DynamoDB protocol on LevelDB), in this process. The table is created
 * from the same definition the CDK stack uses (`shared/store/table.ts`).
 */
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import dynalite from 'dynalite';
import { createTableInput } from '#store/table.ts';

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

/** Starts dynalite on a free loopback port; `path` keeps data on disk (LevelDB), else in memory. */
export async function startDynalite(opts: { path?: string; port?: number } = {}): Promise<LocalDynamo> {
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
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
