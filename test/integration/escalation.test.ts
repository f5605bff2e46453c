/**
 * Escalation delivery on a real DynamoDB API (dynalite): the once-only ledger, partial batch
 * failures, the DLQ, the .eml outbox and the complainant's SMS — through the real consumer handler.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { buildContainer, documentClient, setContainer, type Container } from '#app/container.ts';
import { directory, routing } from '#config/index.ts';
import { seedEntries } from '#domain/directory-entries.ts';
import type { MailMessage, Mailer, SmsMessage, SmsSender } from '#app/ports.ts';
import { escalationDedupeKey, type EscalationMessage } from '#domain/escalation.ts';
import type { Complaint } from '#domain/model.ts';
import { handler } from '#functions/escalation/handler.ts';
import { ensureTable, startDynalite, type LocalDynamo } from '#local/dynamo.ts';
import { startLocalStack, type LocalStack } from '#local/stack.ts';
import { DynamoEscalationLedger } from '#store/escalation-ledger.ts';
import { actors, intakeBody, intakeInput } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { parseEml } from '#test/support/mime.ts';
import { decide } from '#domain/lifecycle.ts';

class RecordingMailer implements Mailer {
  sent: MailMessage[] = [];
  failures = 0;
  async send(m: MailMessage) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SES: Throttling');
    }
    this.sent.push(m);
    return { messageId: `ses-${this.sent.length}` };
  }
}
class RecordingSms implements SmsSender {
  sent: SmsMessage[] = [];
  async send(m: SmsMessage) {
    this.sent.push(m);
    return { messageId: `sms-${this.sent.length}` };
  }
}

let n = 0;
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(100_000_000 + n++).slice(-9)}CN`;
const sqsRecord = (body: string, receiveCount = 1): SQSRecord => ({
  messageId: crypto.randomUUID(),
  receiptHandle: crypto.randomUUID(),
  body,
  attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:cn-north-1:123456789012:escalations',
  awsRegion: 'cn-north-1',
});
const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('the escalation consumer on the real store', () => {
  let dynamo: LocalDynamo;
  let container: Container;
  const mailer = new RecordingMailer();
  const sms = new RecordingSms();
  const queued: EscalationMessage[] = [];
  let nowMs = Date.parse('2026-11-25T04:45:00.000Z');
  const clock = { now: () => new Date(nowMs) };

  beforeAll(async () => {
    dynamo = await startDynalite();
    await ensureTable(dynamo.client, 'complaints');
    container = buildContainer({
      doc: documentClient(dynamo.client),
      tableName: 'complaints',
      clock,
      // A queue that only collects: these tests invoke the handler themselves.
      notifications: { mailer, sms, queue: { send: async (m) => void queued.push(...m) } },
      escalationLeaseMillis: 60_000,
    });
    // The demo directory, as the local stack seeds it (no function falls back to it: decision 056).
    await container.directoryStore.seed(seedEntries(directory, routing), { at: new Date(nowMs).toISOString(), by: 'test' });
    setContainer(container);
  });
  afterAll(async () => {
    setContainer(undefined);
    await dynamo.close();
  });
  beforeEach(() => {
    mailer.sent = [];
    mailer.failures = 0;
    sms.sent = [];
    queued.length = 0;
  });

  /** A dispatched complaint with a unique phone + waybill (so it is its own case). */
  async function dispatched(overrides: Parameters<typeof intakeInput>[0] = {}): Promise<Complaint> {
    const { complaint } = await container.service.submit(
      intakeInput({ phone: mobile(), waybillNo: waybill(), ...overrides }),
      actors.public,
      {},
      `k-${crypto.randomUUID()}`,
    );
    return container.service.act(complaint.id, { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, actors.agent, undefined, decide);
  }
  const breach = (c: Complaint, overrides: Partial<EscalationMessage> = {}): EscalationMessage => ({
    complaintId: c.id,
    milestone: 'reply',
    round: 1,
    level: 'breach',
    severity: c.severity,
    unitId: 'gz-tianhe',
    dueAt: '2026-11-25T02:30:00.000Z',
    overdueMillis: 8_100_000,
    decidedAt: '2026-11-25T04:45:00.000Z',
    ...overrides,
  });
  const history = async (id: string) => (await container.store.get(id))?.history ?? [];
  /** The consumer's own records (the SLA check also writes `escalated` when it decides a point). */
  const sent = async (id: string) => (await history(id)).filter((e) => e.actor.id === 'escalation');

  it('e-mails the unit leader and the operations director once, in Chinese, and records it in the history', async () => {
    const c = await dispatched();
    const out = await handler(event(sqsRecord(JSON.stringify(breach(c)))));

    expect(out).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: ['tianhe-leader@example.cn'], cc: ['ops-director@example.cn'], dedupeKey: `${c.id}#reply#r1#breach` });
    expect(mailer.sent[0]?.subject).toBe(`【投诉超时·一般】${c.id} 答复处理意见 已超时 2小时15分`);
    const escalated = await sent(c.id);
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toMatchObject({ type: 'escalated' });
    expect(escalated[0]).toMatchObject({
      actor: { role: 'system' },
      key: `esc:${c.id}#reply#r1#breach`,
      data: { level: 'breach', milestone: 'reply', providerMessageId: 'ses-1' },
    });
  });

  it('sends ONE e-mail for a message delivered twice (SQS is at-least-once)', async () => {
    const c = await dispatched();
    const body = JSON.stringify(breach(c));

    const first = await handler(event(sqsRecord(body)));
    const second = await handler(event(sqsRecord(body, 2)));

    expect([first, second]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(mailer.sent).toHaveLength(1);
    expect(await sent(c.id)).toHaveLength(1);
    const ledger = await new DynamoEscalationLedger(container.doc, container.tableName).get(breach(c));
    expect(ledger).toMatchObject({
      status: 'sent',
      attempts: 1,
      providerMessageId: 'ses-1',
      recipients: ['tianhe-leader@example.cn', 'ops-director@example.cn'],
    });
  });

  it('sends ONE e-mail for two copies in the same batch', async () => {
    const c = await dispatched();
    const body = JSON.stringify(breach(c));
    expect(await handler(event(sqsRecord(body), sqsRecord(body)))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
  });

  it('with 5 messages and one poison: sends 4 and reports only the poison one', async () => {
    const complaints = await Promise.all([dispatched(), dispatched(), dispatched(), dispatched()]);
    const records = complaints.map((c) => sqsRecord(JSON.stringify(breach(c))));
    const poison = sqsRecord(JSON.stringify({ ...breach(complaints[0] as Complaint), level: 'everyone' }));
    records.splice(2, 0, poison);

    const out = await handler(event(...records));

    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    expect(mailer.sent.map((m) => m.dedupeKey).sort()).toEqual(complaints.map((c) => `${c.id}#reply#r1#breach`).sort());
    expect(await handler(event(sqsRecord('{not json')))).toEqual({ batchItemFailures: [{ itemIdentifier: expect.any(String) }] });
  });

  it('sends nothing about a closed complaint — but still tells the leaders of a major one', async () => {
    const c = await dispatched();
    await container.service.act(
      c.id,
      { type: 'withdraw', voluntary: true, confirmedVia: 'phone', note: '投诉人来电表示邮件已收到，自愿撤诉' },
      actors.agent,
      undefined,
      decide,
    );

    const out = await handler(event(sqsRecord(JSON.stringify(breach(c))), sqsRecord(JSON.stringify(breach(c, { level: 'warning' })))));
    expect(out).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toEqual([]);
    expect(await sent(c.id)).toEqual([]);

    await handler(event(sqsRecord(JSON.stringify(breach(c, { level: 'leaders', milestone: 'leaders_notified', round: 0, severity: 'major' })))));
    // One e-mail per person told, each with its own confirm link (decision 049).
    expect(mailer.sent.map((m) => m.to)).toEqual([['tianhe-leader@example.cn'], ['ops-director@example.cn']]);
  });

  it('records leaders_notified after the leaders’ notice (the SLA planner counts it as met)', async () => {
    const c = await dispatched({ content: '包裹丢失，再不处理我就向12315和邮政管理局申诉，还要找媒体曝光！' });
    await handler(
      event(sqsRecord(JSON.stringify(breach(c, { level: 'leaders', milestone: 'leaders_notified', round: 0, dueAt: undefined, overdueMillis: 0 })))),
    );
    expect((await sent(c.id)).map((e) => e.type)).toEqual(['escalated', 'leaders_notified']);
    const after = await container.store.get(c.id);
    expect(after?.deadlines.find((d) => d.milestone === 'leaders_notified')).toMatchObject({ state: 'met' });
    expect(mailer.sent[0]?.subject).toMatch(new RegExp(`^【重大紧急投诉·(重大|紧急|一般)】${c.id} `));
  });

  it('retries while another delivery holds a live claim, and resends once that claim’s lease has expired', async () => {
    const c = await dispatched();
    const m = breach(c);
    // A delivery claimed the marker and crashed before sending.
    await new DynamoEscalationLedger(container.doc, container.tableName).claim(m, clock.now(), 60_000, { sqsMessageId: 'crashed' });

    const record = sqsRecord(JSON.stringify(m), 2);
    expect(await handler(event(record))).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(mailer.sent).toEqual([]);

    nowMs += 61_000;
    expect(await handler(event(sqsRecord(JSON.stringify(m), 3)))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(await new DynamoEscalationLedger(container.doc, container.tableName).get(m)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('releases the claim when the send fails, so the redelivery sends at once', async () => {
    const c = await dispatched();
    const body = JSON.stringify(breach(c));
    mailer.failures = 1;

    const first = sqsRecord(body);
    expect(await handler(event(first))).toEqual({ batchItemFailures: [{ itemIdentifier: first.messageId }] });
    expect(await new DynamoEscalationLedger(container.doc, container.tableName).get(breach(c))).toMatchObject({ status: 'failed' });

    expect(await handler(event(sqsRecord(body, 2)))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
  });

  it('writes the history on a duplicate when the first delivery crashed after sending', async () => {
    const c = await dispatched();
    const m = breach(c);
    const ledger = new DynamoEscalationLedger(container.doc, container.tableName);
    const claim = await ledger.claim(m, clock.now(), 60_000, {});
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    await ledger.markSent(m, claim.claimId, { providerMessageId: 'ses-earlier', recipients: ['tianhe-leader@example.cn'], at: clock.now() });

    await handler(event(sqsRecord(JSON.stringify(m), 2)));

    expect(mailer.sent).toEqual([]);
    expect(await sent(c.id)).toMatchObject([{ type: 'escalated', data: { providerMessageId: 'ses-earlier' } }]);
  });

  it('reports a message about an unknown complaint as failed (it ends in the DLQ)', async () => {
    const record = sqsRecord(JSON.stringify({ ...breach({ id: 'C0000000000000000', severity: 'general' } as Complaint) }));
    expect(await handler(event(record))).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });

  it('keeps the history gap-free when an escalation and a transition race', async () => {
    const c = await dispatched();
    await Promise.all([
      handler(event(sqsRecord(JSON.stringify(breach(c))))),
      container.service.act(c.id, { type: 'chase', via: 'phone', note: '投诉人来电催办' }, actors.agent, undefined, decide),
    ]);
    const events = await history(c.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.key?.startsWith('esc:'))).toHaveLength(1);
    expect(events.filter((e) => e.type === 'chased')).toHaveLength(1);
  });

  it('after e-mailing the breach of a deadline the complainant waits on, queues their progress update — once', async () => {
    const c = await dispatched();
    const body = JSON.stringify(breach(c));
    await handler(event(sqsRecord(body)));
    await handler(event(sqsRecord(body, 2)));
    await handler(event(sqsRecord(JSON.stringify(breach(c, { milestone: 'dispatch', round: 0 })))));

    // The duplicate delivery queues nothing; the centre's own dispatch breach asks for the same first
    // update (same ordinal → one SMS by the once-only key).
    const updates = queued.filter((m) => m.complaintId === c.id && m.level === 'complainant');
    expect(updates.map((m) => m.reason)).toEqual(['deadline reply breached', 'deadline dispatch breached']);
    expect(new Set(updates.map((m) => escalationDedupeKey(m)))).toEqual(new Set([`${c.id}#progress_update#r1#complainant`]));
  });

  it('texts the complainant a progress update at most twice', async () => {
    const c = await dispatched();
    const update = (round: number) =>
      breach(c, { level: 'complainant', milestone: 'progress_update', round, dueAt: undefined, overdueMillis: 0, reason: 'chased 2 times' });

    await handler(
      event(
        sqsRecord(JSON.stringify(update(1))),
        sqsRecord(JSON.stringify(update(1))),
        sqsRecord(JSON.stringify(update(2))),
        sqsRecord(JSON.stringify(update(3))),
      ),
    );

    const updates = sms.sent.filter((m) => !m.dedupeKey.startsWith('receipt#'));
    expect(updates.map((m) => m.dedupeKey)).toEqual([`${c.id}#progress_update#r1#complainant`, `${c.id}#progress_update#r2#complainant`]);
    expect(updates[0]?.to).toBe(c.complainant.phone);
    expect(updates[0]?.text).toContain(`查询码${c.trackingCode}`);
    expect(mailer.sent).toEqual([]);
    expect((await history(c.id)).filter((e) => e.type === 'progress_update_sent').map((e) => e.data?.['ordinal'])).toEqual([1, 2]);
  });
});

describe('escalations through the local stack', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ rateLimit: false });
  });
  afterAll(async () => {
    await api.stack.close();
  });

  const file = async (overrides: Record<string, unknown> = {}) => {
    const res = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: mobile(), waybillNo: waybill(), ...overrides }),
      headers: { 'idempotency-key': `k-${crypto.randomUUID()}` },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; trackingCode: string };
  };
  const assign = (id: string) =>
    api.request('POST', `/complaints/${id}/assignment`, { token: api.tokens.agent, body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' } });
  const emlFiles = async (stack: LocalStack) => (await readdir(stack.outboxDir)).filter((f) => f.endsWith('.eml')).sort();

  it('texts the receipt with the tracking code at intake', async () => {
    const phone = mobile();
    const { id, trackingCode } = await file({ phone });
    const lines = (await readSmsOutbox(api.stack.outboxDir)).filter((l) => l.dedupeKey === `receipt#${id}`);
    expect(lines).toEqual([
      expect.objectContaining({
        to: `+86${phone}`,
        text: expect.stringMatching(new RegExp(`^【邮政客服】您的投诉已受理，查询码${trackingCode}，我们将于\\d+月\\d+日\\d\\d:\\d\\d前与您联系。$`)),
      }),
    ]);
  });

  it('delivers 4 good messages as .eml files that parse as MIME and dead-letters the poison one after 5 receives', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { id } = await file();
      await assign(id);
      ids.push(id);
    }
    const messages = ids.map(
      (id) =>
        ({
          complaintId: id,
          milestone: 'reply',
          round: 1,
          level: 'breach',
          severity: 'general',
          unitId: 'gz-tianhe',
          dueAt: new Date(Date.now() - 3_600_000).toISOString(),
          overdueMillis: 3_600_000,
          decidedAt: new Date().toISOString(),
        }) satisfies EscalationMessage,
    );
    const [poisonId] = api.stack.queue.sendRaw([JSON.stringify({ complaintId: ids[0], level: 'breach' })]);
    await api.stack.queue.send(messages);
    await api.stack.queue.drain();

    expect(api.stack.queue.deadLetters).toEqual([expect.objectContaining({ messageId: poisonId, receiveCount: 5 })]);
    const wanted = new Set(messages.map((m) => escalationDedupeKey(m)));
    const mails = (await Promise.all((await emlFiles(api.stack)).map(async (f) => parseEml(await readFile(join(api.stack.outboxDir, f), 'utf8'))))).filter(
      (m) => wanted.has(m.headers.get('x-dedupe-key') ?? ''),
    );
    expect(mails).toHaveLength(4);
    for (const mail of mails) {
      // The third complaint of one category against one unit in 7 days is major (seed 004).
      expect(mail.subject).toMatch(/^【投诉超时·(一般|重大)】C[0-9A-Z]{16} 答复处理意见 已超时 1小时/);
      expect(mail.headers.get('to')).toBe('tianhe-leader@example.cn');
      expect(mail.headers.get('message-id')).toBe(`<${mail.headers.get('x-dedupe-key')}@complaints.local>`);
      expect(mail.parts.map((p) => p.contentType)).toEqual(['text/plain', 'text/html']);
      expect(mail.parts[0]?.body).toContain('处理单位：天河揽投部');
      expect(mail.parts[0]?.body).not.toMatch(/1\d{10}/); // no full mobile number anywhere
    }
  });

  it('e-mails the leaders of a complaint that is major at intake (SLA check → SQS → consumer → .eml)', async () => {
    const { id } = await file({ content: '邮件丢失，再不处理我就打12315投诉，还要找媒体曝光！' });
    await api.stack.timers.idle();
    await api.stack.queue.drain();

    // The leaders' notice only: the media cue (曝光) also tells the quality manager (decision 049).
    const mails = (await Promise.all((await emlFiles(api.stack)).map(async (f) => parseEml(await readFile(join(api.stack.outboxDir, f), 'utf8'))))).filter(
      (m) => m.headers.get('x-dedupe-key')?.startsWith(`${id}#major_notice#`),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toMatch(new RegExp(`^【重大紧急投诉·(重大|紧急)】${id} `));
    expect(mails[0]?.headers.get('to')).toContain('ops-director@example.cn');
    const read = await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent });
    expect(read.body.history.map((e: { type: string }) => e.type)).toContain('leaders_notified');
  });

  it('tells a complainant who chases again and again at most twice', async () => {
    const phone = mobile();
    const { id, trackingCode } = await file({ phone });
    await assign(id);
    for (let i = 0; i < 4; i++) {
      const res = await api.request('POST', `/complaints/${id}/chases`, { token: api.tokens.agent, body: { via: 'phone', note: `第${i + 1}次来电催办` } });
      expect(res.status).toBe(200);
      await api.stack.queue.drain();
    }
    const updates = (await readSmsOutbox(api.stack.outboxDir)).filter((l) => l.to === `+86${phone}` && !l.dedupeKey.startsWith('receipt#'));
    expect(updates.map((u) => u.dedupeKey)).toEqual([`${id}#progress_update#r1#complainant`, `${id}#progress_update#r2#complainant`]);
    expect(updates[0]?.text).toContain(`查询码${trackingCode}`);
    const read = await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent });
    expect(read.body.history.filter((e: { type: string }) => e.type === 'progress_update_sent')).toHaveLength(2);
    expect(read.body.history.map((e: { seq: number }) => e.seq)).toEqual(read.body.history.map((_: unknown, i: number) => i + 1));
  });
});

describe('the local stack with a data folder', () => {
  it('keeps the outbox under <dataDir>/outbox and writes dead letters to <dataDir>/dlq', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'complaints-data-'));
    let stack: LocalStack | undefined;
    try {
      stack = await startLocalStack({ dataDir, rateLimit: false });
      expect(stack.outboxDir).toBe(join(dataDir, 'outbox'));
      stack.queue.sendRaw(['{"complaintId":']);
      await stack.queue.drain();
      const files = await readdir(join(dataDir, 'dlq'));
      expect(files).toHaveLength(1);
      expect(JSON.parse(await readFile(join(dataDir, 'dlq', files[0] ?? ''), 'utf8'))).toMatchObject({ body: '{"complaintId":', receiveCount: 5 });
    } finally {
      await stack?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
