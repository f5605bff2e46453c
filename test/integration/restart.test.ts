/**
 * Nothing is lost across a restart of the local stack (issue 8 item 10, decision 037): the stack runs
 * in a child process (`local/start.ts`) on a data folder with a fast fake clock, a burst of
 * complaints runs into its dispatch deadlines, the process is killed with SIGKILL mid-burst, and a
 * restart on the same folder catches up. Every warning and breach marked in the table then has
 * exactly one e-mail in the outbox.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Complaint } from '#domain/model.ts';
import { startChildStack, type ChildStack } from '#test/support/child-stack.ts';
import { intakeBody } from '#test/support/fixtures.ts';

/**
 * Tuesday 2026-11-24 08:30 in Shanghai, the start of the working day: each complaint's dispatch limit
 * (2 working hours) warns 1 h 36 min and breaches 2 h after its intake — 3.2 s and 4 s real at ×1800,
 * however slowly the machine files the burst, until 18:30 (20 s real).
 */
const T0 = Date.parse('2026-11-24T08:30:00+08:00');
/** One real second is half a simulated hour. */
const SPEED = 1_800;

let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

function startStack(dir: string, env: Record<string, string>): Promise<ChildStack> {
  return startChildStack(dir, env, { onSpawn: (proc) => (child = proc) });
}

const mobile = (i: number) => `139${String(10_000_000 + i * 7919).slice(-8)}`;
const waybill = (i: number) => `EC${String(100_000_000 + i).slice(-9)}CN`;

/** Dedupe keys of every warning/breach the SLA check marked in the table (`deadline_warned` / `deadline_breached`). */
async function markedInTable(endpoint: string): Promise<string[]> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const keys: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    // A Scan is fine in a test: it reads the whole table to count what was marked.
    const out = await doc.send(new ScanCommand({ TableName: 'complaints', ...(start && { ExclusiveStartKey: start }) }));
    for (const item of out.Items ?? []) {
      if (item['entity'] !== 'complaint') continue;
      const c = item as unknown as Complaint;
      for (const e of c.history) {
        if (e.type !== 'deadline_warned' && e.type !== 'deadline_breached') continue;
        keys.push(`${c.id}#${String(e.data?.['milestone'])}#r${String(e.data?.['round'])}#${e.type === 'deadline_warned' ? 'warning' : 'breach'}`);
      }
    }
    start = out.LastEvaluatedKey;
  } while (start);
  doc.destroy();
  return keys.sort();
}

/** The dedupe key of every `.eml` in the outbox (one entry per file). */
async function emailed(dir: string): Promise<string[]> {
  const outbox = join(dir, 'outbox');
  const files = (await readdir(outbox).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
  const keys = await Promise.all(files.map(async (f) => /^X-Dedupe-Key: (.+)$/m.exec(await readFile(join(outbox, f), 'utf8'))?.[1]?.trim() ?? f));
  return keys.sort();
}

/** The ids of every complaint item in the table (a Scan: fine in a test). */
async function complaintIdsIn(endpoint: string): Promise<string[]> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: 'complaints', ...(start && { ExclusiveStartKey: start }) }));
    for (const item of out.Items ?? []) if (item['entity'] === 'complaint') ids.push(String(item['id']));
    start = out.LastEvaluatedKey;
  } while (start);
  return ids;
}

const sec = (from = 0, to = 0) => ((to - from) / 1000).toFixed(1);

/** The e-mails the SLA check's marks stand for (quality escalations and leaders' notices are recorded otherwise). */
const warningsAndBreaches = (keys: string[]) => keys.filter((k) => k.endsWith('#warning') || k.endsWith('#breach'));

describe('a restart of the local stack', () => {
  it('after a kill -9 mid-burst, e-mails every warning and breach marked in the table exactly once', async () => {
    // Prepare: the stack on a data folder, one simulated hour per real second.
    dataDir = await mkdtemp(join(tmpdir(), 'complaints-restart-'));
    const t = [Date.now()];
    const first = await startStack(dataDir, { CLOCK_SPEED: String(SPEED), FAKE_CLOCK_START: new Date(T0).toISOString() });

    // Act: a burst of intakes, 6 at a time, while the first ones' dispatch deadlines warn and breach;
    // SIGKILL as soon as 30 are in and at least 5 points are marked (or after 18 s real, 17:30
    // simulated, on a very slow machine) — whatever is in flight.
    let filed = 0;
    let stop = false;
    const burst = async (lane: number) => {
      for (let i = lane; !stop; i += 6) {
        const res = await fetch(`${first.url}/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `restart-${i}` },
          body: JSON.stringify(intakeBody({ phone: mobile(i), waybillNo: waybill(i) })),
        }).catch(() => undefined);
        if (res?.status === 201) filed++;
        await res?.arrayBuffer().catch(() => undefined);
      }
    };
    const lanes = Array.from({ length: 6 }, (_, lane) => burst(lane));
    const burstStart = Date.now();
    t.push(burstStart);
    let markedJustBefore: string[] = [];
    while (Date.now() - burstStart < 18_000) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      markedJustBefore = await markedInTable(first.dynamo);
      if (filed >= 30 && markedJustBefore.length >= 5) break;
    }
    const exited = new Promise((resolve) => first.proc.once('exit', resolve));
    first.proc.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(lanes);
    const mailsAtKill = await emailed(dataDir);
    // Marked in the table but not e-mailed when the process died: what used to be lost for good.
    const unsentAtKill = markedJustBefore.filter((k) => !mailsAtKill.includes(k)).length;

    // Restart on the same folder at 12:00 the next day (real time from there): every dispatch limit
    // of the burst has passed (10:30 at the latest; quality escalations, a working day on, may be due too).
    t.push(Date.now());
    const second = await startStack(dataDir, { CLOCK_SPEED: '1', FAKE_CLOCK_START: new Date(T0 + 27.5 * 3_600_000).toISOString() });
    t.push(Date.now());
    let marked: string[] = [];
    let mails: string[] = [];
    const missing = () => marked.filter((k) => !mails.includes(k));
    for (let waited = 0; waited < 20_000; waited += 250) {
      marked = await markedInTable(second.dynamo);
      mails = warningsAndBreaches(await emailed(dataDir));
      // Done when every complaint's breach is marked and each mark is mailed (the sweep may still be on its way).
      if (marked.filter((k) => k.endsWith('#breach')).length >= filed && missing().length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // a late duplicate would show up now
    marked = await markedInTable(second.dynamo);
    mails = warningsAndBreaches(await emailed(dataDir));
    t.push(Date.now());
    const twice = mails.filter((k, i) => mails.indexOf(k) !== i);
    // Messages go out before the mark (decision 004), so a process killed in between may have sent
    // a warning it never marked — at-least-once, never lost. Counted, not forbidden.
    const unmarked = mails.filter((k) => !marked.includes(k));

    // Assess: the burst ran into its deadlines before the kill, every complaint's breach is marked
    // after the restart, and each mark has exactly one e-mail in the outbox — none missing, none twice.
    expect(filed).toBeGreaterThanOrEqual(10);
    expect(markedJustBefore.length).toBeGreaterThan(0);
    const breached = new Set(marked.filter((k) => k.endsWith('#breach')).map((k) => k.split('#')[0]));
    const complaints = await complaintIdsIn(second.dynamo);
    // On failure, name what was filed but never breached (it failed once in a loaded full run, 166 of 167).
    expect(
      marked.filter((k) => k.endsWith('#breach')).length,
      `complaints in the table without a breach mark: ${complaints.filter((id) => !breached.has(id)).join(', ') || 'none'} (${complaints.length} in the table, ${filed} answered 201)`,
    ).toBeGreaterThanOrEqual(filed);
    expect(missing()).toEqual([]);
    expect(twice).toEqual([]);
    console.info(
      `restart: ${filed} filed; just before the kill ${markedJustBefore.length} marked, ${unsentAtKill} of them not e-mailed at the kill; after the restart ${marked.length} marked, ${mails.length} e-mailed (${unmarked.length} sent but never marked); seconds: start ${sec(t[0], t[1])}, burst ${sec(t[1], t[2])}, restart ${sec(t[2], t[3])}, catch-up ${sec(t[3], t[4])}`,
    );
    // Two cold starts of the stack dominate; on a loaded CI machine they take far longer than alone.
  }, 180_000);
});
