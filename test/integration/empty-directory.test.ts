/**
 * A deployment whose table holds no directory (deployed without `-c directorySeed`, decision 056): no
 * function falls back to the demo units.json, and every public input still gets its answer — never a 5xx,
 * never a lost complaint. Intake keeps the complaint at the centre without a suggested unit; a breach is
 * recorded and its escalation, finding nobody to tell, fails loudly (error log, EscalationsFailed, the
 * escalation DLQ and its alarm) until the directory is seeded and the DLQ redriven.
 */
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureLogs } from '#adapters/log.ts';
import { ManualClock } from '#adapters/local/clock.ts';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { captureMetrics } from '#app/metrics.ts';
import { adminService } from '#app/wiring/admin.ts';
import { directory, routing } from '#config/index.ts';
import { seedEntries } from '#domain/directory-entries.ts';
import type { Complaint } from '#domain/model.ts';
import { LOCAL_CHANNEL_SECRET } from '#http/channel.ts';
import { signatureHeaders } from '#http/signature.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { sh } from '#test/support/sla.ts';

let api: Api | undefined;
let logs: ReturnType<typeof captureLogs>;
let metrics: ReturnType<typeof captureMetrics>;
beforeEach(() => {
  logs = captureLogs();
  metrics = captureMetrics();
});
afterEach(async () => {
  await api?.stack.close();
  api = undefined;
  logs.stop();
  metrics.stop();
});

const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const key = () => `empty-${crypto.randomUUID()}`;

/** A local stack whose table holds no directory, on a manual clock. */
async function emptyStack(start = '2026-03-02 09:00') {
  const clock = new ManualClock(sh(start));
  api = await startApi({ clock, rateLimit: false, directory: 'empty' });
  return { api, clock };
}
const read = async (a: Api, id: string) => (await a.request('GET', `/complaints/${id}`, { token: a.tokens.agent })).body as Complaint;
const classified = (c: Complaint) => c.history.find((e) => e.type === 'classified')?.data;

describe('a table without a directory', () => {
  it('says so on GET /admin/directory (source: empty) and refuses entry changes with 409 directory-not-seeded, writing nothing', async () => {
    // Arrange
    const { api } = await emptyStack();
    // Act
    const dir = await api.request('GET', '/admin/directory', { token: api.tokens.admin });
    const put = await api.request('PUT', '/admin/units/gz-new', {
      token: api.tokens.admin,
      body: { name: '新网点', kind: 'branch', region: '广州市', everyDay: false },
    });
    // Assess
    expect(dir.status).toBe(200);
    expect(dir.body).toEqual({ source: 'empty', revisions: {} });
    expect(put.status, JSON.stringify(put.body)).toBe(409);
    expect(put.body.code).toBe('directory-not-seeded');
    expect((await api.request('GET', '/admin/directory', { token: api.tokens.admin })).body.source).toBe('empty');
  });

  it('takes a web complaint: 201 with a tracking code, kept at the centre with no suggested unit, receipt SMS sent, trackable', async () => {
    // Arrange
    const { api } = await emptyStack();
    const phone = mobile();
    // Act
    const res = await api.request('POST', '/complaints', { body: intakeBody({ phone, waybillNo: 'EA123456785CN' }), headers: { 'idempotency-key': key() } });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const c = await read(api, res.body.id);
    expect(c.status).toBe('received');
    expect(c.unitId).toBeUndefined();
    expect(c.suggestedUnitId).toBeUndefined();
    expect(classified(c)).not.toHaveProperty('suggestedUnitId');
    expect(c.deadlines.map((d) => d.milestone)).toContain('dispatch');
    expect((await readSmsOutbox(api.stack.outboxDir)).filter((s) => s.to === `+86${phone}`).map((s) => s.text)).toEqual([
      expect.stringContaining(res.body.trackingCode),
    ]);
    expect((await api.request('GET', `/track/${res.body.trackingCode}`)).status).toBe(200);
  });

  it('takes a signed SMS complaint the same way (200, kept at the centre, no suggested unit)', async () => {
    // Arrange
    const { api, clock } = await emptyStack();
    const raw = JSON.stringify({
      messageId: `msg-${crypto.randomUUID()}`,
      from: `+86${mobile()}`,
      to: '95580',
      text: '我的快递EA123456785CN寄了十天还没到，急用！',
      receivedAt: clock.now().toISOString(),
    });
    // Act
    const res = await api.request('POST', '/channels/sms', {
      rawBody: raw,
      headers: { 'content-type': 'application/json', ...signatureHeaders(LOCAL_CHANNEL_SECRET, clock.now(), raw) },
    });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.kind).toBe('created');
    const c = await read(api, res.body.complaintId);
    expect(c).toMatchObject({ channel: 'sms', status: 'received', waybillNo: 'EA123456785CN' });
    expect(c.suggestedUnitId).toBeUndefined();
    expect(classified(c)).not.toHaveProperty('suggestedUnitId');
  });

  it('records a breach, fails its escalation loudly into the DLQ (nobody to tell), and sends it once the directory is seeded and the DLQ redriven', async () => {
    // Arrange: a complaint nobody dispatches.
    const { api } = await emptyStack();
    const res = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: mobile(), waybillNo: 'EA123456785CN' }),
      headers: { 'idempotency-key': key() },
    });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const dueAt = (await read(api, id)).deadlines.find((d) => d.milestone === 'dispatch')?.dueAt ?? '';

    // Act: the dispatch limit passes.
    await api.stack.timers.advanceTo(dueAt);
    await api.stack.drain();

    // Assess: the breach is on record; its escalation (and the warning's before it) failed 5 times each and rests in the DLQ, said aloud.
    const c = await read(api, id);
    expect(c.history.filter((e) => e.type === 'deadline_breached')).toHaveLength(1);
    expect(c.history.map((e) => e.type)).not.toContain('escalated');
    const letters = api.stack.queue.deadLetters.filter((d) => d.body.includes(id));
    expect(letters.map((d) => [JSON.parse(d.body).milestone, JSON.parse(d.body).level, d.receiveCount])).toEqual([
      ['dispatch', 'warning', 5],
      ['dispatch', 'breach', 5],
    ]);
    const errors = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'escalation has no recipients: the directory names nobody for it');
    expect(errors).toHaveLength(10);
    expect(errors[0]).toMatchObject({ level: 'error', escalationLevel: 'warning', directoryUnits: 0 });
    expect(metrics.lines.filter((l) => l.includes('"EscalationsFailed"'))).toHaveLength(10);
    expect((await readdir(api.stack.outboxDir)).filter((f) => f.includes(id) && f.endsWith('.eml'))).toEqual([]);

    // Act: an admin seeds the directory; the operator redrives the DLQ (aws sqs start-message-move-task).
    const seeded = await adminService().seed(seedEntries(directory, routing), { by: 'deploy:test', note: 'seeded at deploy by test' });
    api.stack.queue.sendRaw(letters.map((d) => d.body));
    await api.stack.drain();

    // Assess: the warning and the breach notice go out, once each.
    expect(seeded.outcome).toBe('seeded');
    const mails = (await readdir(api.stack.outboxDir)).filter((f) => f.includes(id) && f.endsWith('.eml'));
    expect(mails.map((f) => f.replace(/^.*-dispatch-r\d+-/, '').replace('.eml', '')).sort()).toEqual(['breach', 'warning']);
    expect((await read(api, id)).history.filter((e) => e.type === 'escalated')).toHaveLength(2);
  });
});
