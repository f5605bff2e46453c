/**
 * The kill test (docs/decisions/032): the local stack runs in a child process on a data folder; with the
 * fault hook it dies by SIGKILL right after claiming a message and before filing it. Restarted on the same
 * data, the provider's retry of the same message id takes the dead claim over and files exactly one complaint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CHANNEL_SECRET } from '#http/channel.ts';
import { signatureHeaders } from '#http/signature.ts';
import { startLocalStack } from '#local/stack.ts';
import { messageKey } from '#store/keys.ts';

const LEASE_SECONDS = 2;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'channel-kill-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
});

/** `npm start` on the data folder, on a free port; resolves with its URL once it listens. */
async function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<NodeJS.Signals | number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, CHANNEL_CLAIM_LEASE_SECONDS: String(LEASE_SECONDS), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /API\s+(http:\/\/localhost:\d+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((how) => reject(new Error(`local stack exited (${String(how)}) before listening:\n${output}`)));
  });
  return { child, url, exited };
}

function send(url: string, raw: string): Promise<Response> {
  return fetch(`${url}/channels/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signatureHeaders(LOCAL_CHANNEL_SECRET, new Date(), raw) },
    body: raw,
  });
}

/** Opens the data folder in this process (no child running) and reads the claim and the complaints. */
async function inspect(messageId: string) {
  const stack = await startLocalStack({ dataDir, rateLimit: false, sweepEveryMinutes: 0 });
  try {
    const { doc, tableName } = stack.container;
    const claim = (await doc.send(new GetCommand({ TableName: tableName, Key: messageKey('sms', messageId), ConsistentRead: true }))).Item;
    const complaints =
      (await doc.send(new ScanCommand({ TableName: tableName, FilterExpression: 'entity = :c', ExpressionAttributeValues: { ':c': 'complaint' } }))).Items ??
      [];
    return { claim, complaints };
  } finally {
    await stack.close();
  }
}

describe('a delivery killed between claim and complaint', () => {
  it('is taken over by the retry after the lease, which files exactly one complaint', { timeout: 180_000 }, async () => {
    // Prepare: one signed SMS, sent twice with the same message id (the provider's retry)
    const messageId = `kill-${crypto.randomUUID()}`;
    const from = '+8613700099999';
    const raw = JSON.stringify({ messageId, from, to: '95580', text: '邮件EA123456785CN寄了十天还没到', receivedAt: new Date().toISOString() });
    const doomed = await startChild({ CHANNEL_FAULT: 'kill-after-claim' });

    // Act 1: the first delivery kills the process after claiming
    const first = await send(doomed.url, raw).then(
      (res) => res.status,
      (error: unknown) => error,
    );
    const death = await doomed.exited;
    const afterCrash = await inspect(messageId);

    // Act 2: restarted without the fault, the retry waits out the lease if it must
    const revived = await startChild({});
    let retry = await send(revived.url, raw);
    const whileLeased = retry.status;
    if (retry.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, Number(retry.headers.get('retry-after') ?? LEASE_SECONDS) * 1000));
      retry = await send(revived.url, raw);
    }
    const answer = (await retry.json()) as { kind: string; complaintId?: string };
    const replay = (await (await send(revived.url, raw)).json()) as { kind: string; complaintId?: string };
    revived.child.kill('SIGTERM');
    await revived.exited;
    const end = await inspect(messageId);

    // Assess: the connection died with the process, leaving a claim and no complaint
    expect(first).toBeInstanceOf(TypeError);
    expect(death).toBe('SIGKILL');
    expect(afterCrash.claim?.['status']).toBe('processing');
    expect(afterCrash.complaints).toHaveLength(0);
    // the retry was told to come back (or came after the lease), then filed the complaint once
    expect([200, 503]).toContain(whileLeased);
    expect(retry.status).toBe(200);
    expect(answer).toMatchObject({ kind: 'created', complaintId: expect.any(String) });
    expect(replay).toMatchObject({ kind: 'replayed', complaintId: answer.complaintId });
    expect(end.complaints).toHaveLength(1);
    expect(end.complaints[0]).toMatchObject({ id: answer.complaintId, complainant: { phone: from } });
    expect(end.claim).toMatchObject({ status: 'done', outcome: { kind: 'created', complaintId: answer.complaintId } });
  });
});
