/**
 * The Lambda path of the composition root (decision 042): with no container injected, the very
 * handlers build their own few ports from the environment (`TABLE_NAME`, `DYNAMODB_ENDPOINT`), as in
 * AWS. The local stack and the other tests inject a container, so only this file runs that path.
 */
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as intake } from '#functions/intake/handler.ts';
import { handler as track } from '#functions/track/handler.ts';
import type { ApiEvent, ApiResult } from '#http/handler.ts';
import { ensureTable, startDynalite, type LocalDynamo } from '#local/dynamo.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { directoryConfig } from '#app/wiring/directory-config.ts';
import { directory as builtInDirectory, routing as builtInRouting } from '#config/index.ts';
import { seedEntries } from '#domain/directory-entries.ts';
import { documentClient } from '#app/wiring/table.ts';
import { DynamoDirectoryStore } from '#store/directory-store.ts';

const context = { awsRequestId: 'req-wiring' } as Context;
const event = (over: Partial<ApiEvent> & Record<string, unknown>): ApiEvent =>
  ({
    version: '2.0',
    headers: { 'content-type': 'application/json' },
    requestContext: { requestId: 'r-wiring' },
    isBase64Encoded: false,
    ...over,
  }) as unknown as ApiEvent;
const json = (res: unknown): Record<string, unknown> => JSON.parse(String((res as { body?: string }).body)) as Record<string, unknown>;

let dynamo: LocalDynamo;
const saved = { ...process.env };
beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.client, 'wired-from-env');
  Object.assign(process.env, {
    TABLE_NAME: 'wired-from-env',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: 'ap-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});
afterAll(async () => {
  process.env = saved;
  await dynamo.close();
});

describe('a Lambda wired from its environment', () => {
  it('files a complaint through the intake function and finds it through the track function, which wires only reads', async () => {
    // Prepare: no container injected; no queue, SMS or scheduler configured (their side effects fail
    // loudly and are logged, the intake itself must not).
    const body = JSON.stringify(intakeBody());
    // Act
    const filed = await intake(event({ routeKey: 'POST /complaints', rawPath: '/complaints', body }), context);
    const code = String(json(filed)['trackingCode']);
    const tracked = await track(event({ routeKey: 'GET /track/{code}', rawPath: `/track/${code}`, pathParameters: { code } }), context);
    // Assess
    expect((filed as ApiResult).statusCode).toBe(201);
    expect((tracked as ApiResult).statusCode).toBe(200);
    expect(json(tracked)['trackingCode']).toBe(code);
  });

  it('reads the directory for the drill-down and the reports from the table, without building a calendar', async () => {
    // Prepare: the table holds no directory yet (no function falls back to the demo files, decision 056); then one
    // whose first unit is renamed.
    const before = await directoryConfig().refresh();
    const entries = seedEntries(builtInDirectory, builtInRouting);
    const [first, ...rest] = entries.units;
    if (!first) throw new Error('units.json lists no unit');
    await new DynamoDirectoryStore(documentClient(dynamo.client), 'wired-from-env').seed(
      { ...entries, units: [{ ...first, name: 'Renamed in the table' }, ...rest] },
      { at: '2026-03-02T02:00:00.000Z', by: 'test' },
    );
    // Act: within the minute the cached snapshot; a minute later, the table's.
    const cached = await directoryConfig().refresh();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    const loaded = await directoryConfig()
      .refresh()
      .finally(() => vi.useRealTimers());
    // Assess
    expect(before.source).toBe('empty');
    expect(before).not.toHaveProperty('calendar');
    expect(cached).toBe(before);
    expect(loaded.source).toBe('table');
    expect(loaded.directory.units.find((u) => u.id === first.id)?.name).toBe('Renamed in the table');
    expect(loaded).not.toHaveProperty('calendar');
  });
});
