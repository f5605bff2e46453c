/**
 * The outbox kill test (decision 051): the local stack runs in a child process on a data folder; with
 * `OUTBOX_FAULT=kill-before-effects` it dies by SIGKILL after the intake's write committed and before the
 * receipt SMS went out. Restarted on the same data, its start-up drain sends the receipt — exactly once,
 * also across a retry of the intake and another restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { intakeBody } from '#test/support/fixtures.ts';

let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'outbox-kill-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
});

/** `npm start` on the data folder, on a free port; resolves with its URL once it listens. */
async function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<NodeJS.Signals | number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, RATE_LIMIT: 'off', ...env },
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

const outboxDir = () => join(dataDir, 'outbox');
const receiptsTo = async (phone: string) => (await readSmsOutbox(outboxDir())).filter((l) => l.to === phone && l.dedupeKey.startsWith('receipt#'));

function file(url: string, body: unknown, key: string): Promise<Response> {
  return fetch(`${url}/complaints`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
}

describe('a process killed between the intake write and the receipt SMS', () => {
  it('sends the receipt exactly once after the restart, also across a retried intake and a second restart', { timeout: 180_000 }, async () => {
    // Prepare: one public intake with a mobile, in a stack that dies after committing it
    const phone = '+8613700088888';
    const body = intakeBody({ phone: '13700088888', waybillNo: 'EK123456785CN' });
    const key = `kill-${crypto.randomUUID()}`;
    const doomed = await startChild({ OUTBOX_FAULT: 'kill-before-effects' });

    // Act 1: the intake commits; the process dies before any effect
    // The answer may or may not have left before the kill: either way the write committed.
    const first = await file(doomed.url, body, key).then(
      (res) => res.status,
      () => 'connection lost',
    );
    const death = await doomed.exited;
    const afterCrash = await receiptsTo(phone);

    // Act 2: restarted without the fault; the start-up drain sends what was owed; the browser retries its intake
    const revived = await startChild({});
    const retry = await file(revived.url, body, key);
    const answer = (await retry.json()) as { id: string };
    for (let waited = 0; (await receiptsTo(phone)).length === 0 && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    revived.child.kill('SIGTERM');
    await revived.exited;

    // Act 3: a second restart owes nothing any more
    const again = await startChild({});
    await new Promise((r) => setTimeout(r, 500));
    again.child.kill('SIGTERM');
    await again.exited;

    // Assess: the kill came after the write (the answer may or may not have left), before the SMS
    expect(death).toBe('SIGKILL');
    expect([201, 'connection lost']).toContain(first);
    expect(afterCrash).toEqual([]);
    // the retry is answered from the committed complaint; its receipt went out once, to the phone on file
    expect([200, 201]).toContain(retry.status);
    const receipts = await receiptsTo(phone);
    expect(receipts.map((r) => r.dedupeKey)).toEqual([`receipt#${answer.id}`]);
    expect(receipts[0]?.text).toContain('您的投诉已受理');
  });
});
