/**
 * A kill -9 inside dynalite's write of an SLA mark (issue 10 item 1, decision 037): dynalite deletes the
 * complaint's old index entries, then puts the new ones, then the item — separate LevelDB writes. Killed
 * between the deletes and the puts, the item keeps its old state but is in no GSI2 `DUE#` partition:
 * the start-up sweep and the timer restore (both read GSI2) never see it again, and its breach is never
 * marked. This is the restart test's "one breach short" under load, made deterministic.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Complaint } from '#domain/model.ts';
import { startChildStack, type ChildStack } from '#test/support/child-stack.ts';
import { intakeBody } from '#test/support/fixtures.ts';

const T0 = Date.parse('2026-11-24T08:30:00+08:00');

let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

function startStack(dir: string, env: Record<string, string>): Promise<ChildStack> {
  return startChildStack(dir, env, { preload: ['./test/support/dynalite-torn-write.ts'], onSpawn: (proc) => (child = proc) });
}

async function complaintItems(endpoint: string): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  // A Scan is fine in a test.
  const out = await doc.send(new ScanCommand({ TableName: 'complaints' }));
  doc.destroy();
  return (out.Items ?? []).filter((it) => it['entity'] === 'complaint');
}

describe('a kill -9 inside the local store write of an SLA mark', () => {
  it('still marks the breach after the restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'complaints-torn-'));
    // ×1800: the dispatch warning is due 3.2 s real after the intake; the check's mark kills the process.
    const first = await startStack(dataDir, { CLOCK_SPEED: '1800', FAKE_CLOCK_START: new Date(T0).toISOString(), DYNALITE_FAULT: 'kill-between-index-writes' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.proc.once('exit', (_code, signal) => resolve(signal)));
    const res = await fetch(`${first.url}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'torn-write-1' },
      body: JSON.stringify(intakeBody({ phone: '13910007919', waybillNo: 'EC100000001CN' })),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await exited).toBe('SIGKILL');

    // Restart at 12:00 the next day: the warning and the breach have both passed.
    const second = await startStack(dataDir, { CLOCK_SPEED: '1', FAKE_CLOCK_START: new Date(T0 + 27.5 * 3_600_000).toISOString() });
    let types: string[] = [];
    for (let waited = 0; waited < 5_000; waited += 200) {
      const item = (await complaintItems(second.dynamo)).find((it) => it['id'] === id) as unknown as Complaint | undefined;
      types = (item?.history ?? []).map((e) => e.type);
      if (types.includes('deadline_breached')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(types).toContain('deadline_breached');
  }, 60_000);
});
