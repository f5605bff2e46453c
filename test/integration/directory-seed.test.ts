/**
 * The deploy-time (and local start-up) seed of the `DIR` partition on dynalite (decision 056): conditional
 * PutItems only, written only while the table holds no directory, resumable, audited.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#app/container.ts';
import { directory, routing } from '#config/index.ts';
import { seedEntries, type DirectoryEntries } from '#domain/directory-entries.ts';
import { ensureTable, startDynalite, type LocalDynamo } from '#local/dynamo.ts';
import { loadDirectory } from '#store/directory-reader.ts';
import { seedDirectory } from '#store/directory-seed.ts';
import { DynamoDirectoryStore } from '#store/directory-store.ts';
import { handler as seedHandler, PHYSICAL_ID } from '#functions/directory-seed/handler.ts';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

let dynamo: LocalDynamo;
let doc: DynamoDBDocumentClient;
let n = 0;
const demo = seedEntries(directory, routing);
const audit = { at: '2026-12-02T08:00:00.000Z', by: 'deploy:ComplaintLoop-prod', note: 'seeded at deploy by ComplaintLoop-prod' };

beforeAll(async () => {
  dynamo = await startDynalite();
  doc = documentClient(dynamo.client);
});
afterAll(async () => {
  await dynamo.close();
});

/** A fresh table per test. */
async function table(): Promise<string> {
  const name = `seed-${n++}`;
  await ensureTable(dynamo.client, name);
  return name;
}
async function dirItems(tableName: string): Promise<Record<string, unknown>[]> {
  const out = await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'DIR' } }));
  return out.Items ?? [];
}
/** Entries in a stable order (the table returns them by sort key). */
const sorted = (e: DirectoryEntries | undefined) =>
  e && { ...e, units: [...e.units].sort((a, b) => a.id.localeCompare(b.id)), staff: [...e.staff].sort((a, b) => a.id.localeCompare(b.id)) };
/** A client that fails every call after the first `ok` (a custom resource killed half-way). */
function failingAfter(ok: number): DynamoDBDocumentClient {
  let calls = 0;
  return {
    send: (command: unknown) => {
      calls++;
      if (calls > ok) return Promise.reject(new Error('Task timed out'));
      return doc.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
}

describe('seeding the directory', () => {
  it('writes the whole directory into an empty table, every entry audited with who seeded it', async () => {
    // Arrange
    const t = await table();
    // Act
    const result = await seedDirectory(doc, t, demo, audit);
    // Assess
    expect(result).toMatchObject({ outcome: 'seeded', written: demo.units.length + demo.staff.length + 2 });
    const stored = await loadDirectory(doc, t);
    expect(sorted(stored.entries)).toEqual(sorted(demo));
    const trails = [...stored.stored.values()].map((e) => e.trail);
    expect(trails.every((trail) => trail.length === 1 && trail[0]?.action === 'seed' && trail[0]?.by === audit.by && trail[0]?.note === audit.note)).toBe(true);
  });

  it('never overwrites a table that holds a directory: the admin’s edits stay and nothing is written', async () => {
    // Arrange: seeded, then an admin renames the organisation and removes a handler.
    const t = await table();
    await seedDirectory(doc, t, demo, audit);
    const store = new DynamoDirectoryStore(doc, t);
    const before = await store.load();
    const org = before.stored.get('ORG');
    await store.putEntry(
      org,
      'ORG',
      { ...demo.organisation, name: '改过的名字' },
      { at: audit.at, by: 'admin-1', entity: 'organisation', id: 'organisation', action: 'put' },
    );
    const other: DirectoryEntries = { ...demo, organisation: { ...demo.organisation, name: '另一个种子' }, units: demo.units.slice(0, 1), staff: demo.staff };
    const snapshot = JSON.stringify(await dirItems(t));
    // Act: a redeploy with the same seed, and one with another seed.
    const same = await seedDirectory(doc, t, demo, audit);
    const changed = await seedDirectory(doc, t, other, { ...audit, at: '2027-01-01T00:00:00.000Z' });
    // Assess
    expect([same.outcome, changed.outcome]).toEqual(['kept', 'kept']);
    expect(JSON.stringify(await dirItems(t))).toBe(snapshot);
    expect((await store.load()).entries?.organisation.name).toBe('改过的名字');
  });

  it('answers kept when the same seed runs again after it finished (a redeploy), writing nothing', async () => {
    const t = await table();
    await seedDirectory(doc, t, demo, audit);
    const snapshot = JSON.stringify(await dirItems(t));
    expect((await seedDirectory(doc, t, demo, { ...audit, at: '2027-01-01T00:00:00.000Z' })).outcome).toBe('kept');
    expect(JSON.stringify(await dirItems(t))).toBe(snapshot);
  });

  it('is never seen half-written, and the same seed run again finishes what a killed run left', async () => {
    // Arrange: the first run dies after the organisation claim and two units.
    const t = await table();
    await expect(seedDirectory(failingAfter(3), t, demo, audit)).rejects.toThrow('Task timed out');
    // Assess: readers see no directory (no routing entry yet).
    expect((await loadDirectory(doc, t)).entries).toBeUndefined();
    // Act: CloudFormation's retry (or the next deploy) runs the same seed.
    const result = await seedDirectory(doc, t, demo, audit);
    // Assess
    expect(result).toMatchObject({ outcome: 'seeded', written: demo.units.length + demo.staff.length + 2 - 2 });
    expect(sorted((await loadDirectory(doc, t)).entries)).toEqual(sorted(demo));
  });

  it('leaves a half-written table alone when another seed comes: only the seed that claimed it may finish it', async () => {
    const t = await table();
    await expect(seedDirectory(failingAfter(1), t, demo, audit)).rejects.toThrow();
    const other = { ...demo, organisation: { ...demo.organisation, name: '另一个' } };
    expect((await seedDirectory(doc, t, other, audit)).outcome).toBe('kept');
    expect((await loadDirectory(doc, t)).entries).toBeUndefined();
  });
});

describe('the Custom::DirectorySeed handler', () => {
  const env = { ...process.env };
  afterAll(() => {
    process.env = env;
  });

  /** A CloudFormation request as the Provider framework hands it on. */
  const request = (type: 'Create' | 'Update' | 'Delete', seed: unknown): CloudFormationCustomResourceEvent =>
    ({
      RequestType: type,
      ServiceToken: 'arn:aws:lambda:ap-southeast-1:123456789012:function:provider',
      ResponseURL: 'https://example.invalid/',
      StackId: 'arn:aws:cloudformation:ap-southeast-1:123456789012:stack/ComplaintLoop-prod/1',
      RequestId: crypto.randomUUID(),
      LogicalResourceId: 'DirectorySeed',
      ResourceType: 'Custom::DirectorySeed',
      ...(type !== 'Create' && { PhysicalResourceId: PHYSICAL_ID }),
      ResourceProperties: { ServiceToken: 'x', Seed: JSON.stringify(seed), StackName: 'ComplaintLoop-prod' },
      ...(type === 'Update' && { OldResourceProperties: {} }),
    }) as CloudFormationCustomResourceEvent;

  it('seeds on Create (audited “seeded at deploy by <stack>”), keeps on Update with another file, does nothing on Delete', async () => {
    // Arrange: the function's environment, pointed at dynalite.
    const t = await table();
    process.env['TABLE_NAME'] = t;
    process.env['DYNAMODB_ENDPOINT'] = dynamo.endpoint;
    process.env['AWS_REGION'] = 'local';
    process.env['AWS_ACCESS_KEY_ID'] = 'local';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'local';
    // Act
    const created = await seedHandler(request('Create', demo));
    const updated = await seedHandler(request('Update', { ...demo, organisation: { ...demo.organisation, name: '改了' } }));
    const deleted = await seedHandler(request('Delete', demo));
    // Assess
    expect(created).toMatchObject({ PhysicalResourceId: PHYSICAL_ID, Data: { Outcome: 'seeded' } });
    expect(updated).toMatchObject({ PhysicalResourceId: PHYSICAL_ID, Data: { Outcome: 'kept', Written: 0 } });
    expect(deleted).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    const stored = await loadDirectory(doc, t);
    expect(stored.entries?.organisation.name).toBe(demo.organisation.name);
    expect(stored.stored.get('ORG')?.trail).toEqual([
      expect.objectContaining({ action: 'seed', by: 'deploy:ComplaintLoop-prod', note: 'seeded at deploy by ComplaintLoop-prod' }),
    ]);
  });

  it('refuses an invalid seed (a hand-edited template) and writes nothing', async () => {
    const t = await table();
    process.env['TABLE_NAME'] = t;
    await expect(seedHandler(request('Create', { ...demo, staff: [] }))).rejects.toThrow(/directory seed is invalid.*operations director/);
    expect(await dirItems(t)).toEqual([]);
  });
});
