/**
 * The one-command local stack: dynalite + the real handlers behind a local API Gateway, in one
 * process. Used by `npm start`, the integration tests, the demo and the benchmark.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildContainer, documentClient, setContainer, type Container } from '#app/container.ts';
import type { Clock } from '#app/ports.ts';
import { problemResponse } from '#http/problem.ts';
import { invokeRoute, send } from './api-gateway.ts';
import { ensureTable, startDynalite } from './dynamo.ts';
import { API_HANDLERS } from './functions.ts';
import { RateLimiter } from './rate-limit.ts';
import { serveStatic } from './static.ts';

export interface LocalStackOptions {
  port?: number;
  /** Keep data under this folder (LevelDB); in memory when absent. */
  dataDir?: string;
  tableName?: string;
  clock?: Clock;
  /** Per-client token buckets on the public routes (default on; the bench and most tests turn it off). */
  rateLimit?: boolean;
}

export interface LocalStack {
  url: string;
  container: Container;
  dynamoEndpoint: string;
  close(): Promise<void>;
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const tableName = opts.tableName ?? 'complaints';
  const dynamo = await startDynalite(opts.dataDir ? { path: join(opts.dataDir, 'dynamodb') } : {});
  await ensureTable(dynamo.client, tableName);
  const container = buildContainer({ doc: documentClient(dynamo.client), tableName, ...(opts.clock && { clock: opts.clock }) });
  setContainer(container);

  const limiter = opts.rateLimit === false ? undefined : new RateLimiter();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    invokeRoute(req, res, API_HANDLERS, url, limiter)
      .then(async (handled) => handled || serveStatic(req, res, url))
      .then((handled) => {
        if (!handled) send(res, { statusCode: 404, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, detail: `No route ${req.method} ${url.pathname}` }) });
      })
      .catch((error: unknown) => send(res, problemResponse(error)));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    container,
    dynamoEndpoint: dynamo.endpoint,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      setContainer(undefined);
      await dynamo.close();
    },
  };
}
