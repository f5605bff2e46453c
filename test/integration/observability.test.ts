/**
 * What an operator sees, through the real local stack: the log lines of one request all carry the id
 * that the problem body's `instance` names (also when requests run side by side in one process), the
 * background functions log under their own correlation id, metrics come out as CloudWatch EMF for
 * intake per channel and for a breach (fake clock), and no phone number or name of a complainant is
 * in any line of a whole flow.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { FileSmsSender } from '#adapters/local/sms.ts';
import { captureMetrics, METRIC_NAMESPACE } from '#app/metrics.ts';
import { captureLogs } from '#adapters/log.ts';
import { DynamoEscalationLedger } from '#store/escalation-ledger.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { sh } from '#test/support/sla.ts';

type Line = Record<string, unknown> & { correlationId?: string };

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
  vi.restoreAllMocks();
});

const parsed = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `obs-${crypto.randomUUID()}`;

/** The EMF data points of `name`: dimension values and value, checked to be a well-formed EMF line. */
function points(name: string): { dims: Record<string, unknown>; value: unknown; line: Line }[] {
  return parsed(metrics.lines)
    .filter((l) => name in l)
    .map((line) => {
      const directive = (line['_aws'] as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] })
        .CloudWatchMetrics[0]!;
      expect(directive.Namespace).toBe(METRIC_NAMESPACE);
      expect(directive.Metrics.map((m) => m.Name)).toEqual([name]);
      const keys = directive.Dimensions[0] ?? [];
      // Published per dimension and once without, for totals and alarms.
      if (keys.length > 0) expect(directive.Dimensions).toEqual([keys, []]);
      return { dims: Object.fromEntries(keys.map((k) => [k, line[k]])), value: line[name], line };
    });
}

describe('correlated logs', () => {
  it('tags every log line of a 4xx request with the id that the problem body names as its instance', async () => {
    api = await startApi();
    logs.lines.length = 0; // the start-up sweep's lines are its own
    const res = await api.request('POST', '/complaints/C0000000000000000/replies', {
      token: api.tokens.handler,
      body: replyBody(),
      headers: { 'idempotency-key': key() },
    });
    expect(res.status).toBe(404);
    const instance = res.body.instance as string;
    expect(instance).toBe(res.headers.get('apigw-requestid'));

    const lines = parsed(logs.lines);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.correlationId)).toEqual(lines.map(() => instance));
    expect(lines.find((l) => l['message'] === 'request')).toMatchObject({
      status: 404,
      code: 'not-found',
      function: 'reply',
      complaintId: 'C0000000000000000',
    });
  });

  it('keeps the lines of requests served side by side apart, each under its own request id', async () => {
    api = await startApi();
    const a = api;
    logs.lines.length = 0; // the start-up lines (the local directory seed, decision 056) belong to no request
    // The receipt SMS goes off the request path (the outbox, decision 051): its lines carry the complaint id.
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        a.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }), headers: { 'idempotency-key': key() } }),
      ),
    );
    await a.stack.queue.drain();
    const ids = responses.map((r) => {
      expect(r.status).toBe(201);
      return r.headers.get('apigw-requestid');
    });

    const lines = parsed(logs.lines);
    for (const line of lines) expect(line.correlationId, JSON.stringify(line)).toBeDefined();
    for (const [i, id] of ids.entries()) {
      const own = lines.filter((l) => l.correlationId === id);
      expect(own.map((l) => l['message'])).toContain('request');
      // The dispatcher's lines of this complaint: under its complaint id, never under another request.
      const complaintId = responses[i]!.body.id as string;
      const sent = lines.filter((l) => l['message'] === 'SMS written to the local outbox' && l['complaintId'] === complaintId);
      expect(sent.length).toBeGreaterThan(0);
      for (const line of sent) expect(line).toMatchObject({ correlationId: complaintId, function: 'outbox-dispatcher' });
      // The complaint id, once intake chose it, is on every later line of the request.
      expect(own.find((l) => l['message'] === 'request')?.['complaintId']).toBe(responses[i]!.body.id);
      expect(new Set(own.map((l) => l['function']))).toEqual(new Set(['intake']));
    }
  });

  it('logs an SLA check under its complaint id, not under the request that planned it', async () => {
    const clock = new ManualClock(sh('2026-03-02 09:00'));
    api = await startApi({ clock });
    const res = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: mobile(), waybillNo: waybill() }),
      headers: { 'idempotency-key': key() },
    });
    const id = res.body.id as string;
    // One timer per complaint (decision 053): run the clock to the dispatch deadline itself.
    const due = (await api.stack.container.store.get(id))?.deadlines.find((d) => d.milestone === 'dispatch');
    await api.stack.timers.advanceTo(new Date(due!.dueAt));

    const check = parsed(logs.lines).filter((l) => l['message'] === 'SLA check decided');
    expect(check.length).toBeGreaterThan(0);
    for (const line of check) expect(line).toMatchObject({ correlationId: id, complaintId: id, function: 'sla-check' });
  });
});

describe('EMF metrics', () => {
  it('counts intake per channel: the public web form and a phone call taken by an agent', async () => {
    api = await startApi();
    expect(
      (await api.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }), headers: { 'idempotency-key': key() } })).status,
    ).toBe(201);
    const staff = await api.request('POST', '/staff/complaints', {
      token: api.tokens.agent,
      body: intakeBody({ channel: 'phone', phone: mobile(), waybillNo: waybill() }),
      headers: { 'idempotency-key': key() },
    });
    expect(staff.status).toBe(201);

    expect(points('IntakeReceived').map((p) => [p.dims, p.value])).toEqual([
      [{ channel: 'web' }, 1],
      [{ channel: 'phone' }, 1],
    ]);
    // A replayed request is no second intake.
    expect(points('IntakeReceived').at(-1)?.line['complaintId']).toBe(staff.body.id);
  });

  it('counts a breached dispatch deadline per milestone when its timer fires on the fake clock, and SMS parts per purpose', async () => {
    const clock = new ManualClock(sh('2026-03-02 09:00'));
    api = await startApi({ clock });
    const res = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: mobile(), waybillNo: waybill() }),
      headers: { 'idempotency-key': key() },
    });
    const id = res.body.id as string;
    expect(points('DeadlinesBreached')).toEqual([]);

    // One timer per complaint (decision 053): run the clock to the dispatch deadline itself.
    const due = (await api.stack.container.store.get(id))?.deadlines.find((d) => d.milestone === 'dispatch');
    await api.stack.timers.advanceTo(new Date(due!.dueAt));
    await api.stack.queue.drain();

    const breaches = points('DeadlinesBreached').filter((p) => p.line['complaintId'] === id);
    expect(breaches.map((p) => [p.dims, p.value])).toEqual([[{ milestone: 'dispatch' }, 1]]);
    // The breach e-mail went out through the consumer, counted per level.
    expect(
      points('EscalationsSent')
        .filter((p) => p.line['complaintId'] === id)
        .map((p) => p.dims['level']),
    ).toContain('breach');
    expect(points('SmsParts').find((p) => p.line['complaintId'] === id)).toMatchObject({ dims: { purpose: 'receipt' }, value: 1 });
    // Dimensions stay low-cardinality: no complaint id is ever a dimension.
    for (const line of parsed(metrics.lines)) {
      const dims = (line['_aws'] as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0]!.Dimensions.flat();
      expect(
        dims.every((d) => ['channel', 'milestone', 'level', 'purpose', 'reason'].includes(d)),
        JSON.stringify(dims),
      ).toBe(true);
    }
  });

  it('records the age of the oldest escalation a sweep finds still unsent, and 0 when there is none', async () => {
    const clock = new ManualClock(sh('2026-03-02 09:00'));
    api = await startApi({ clock });
    await api.stack.sweep();
    expect(points('OutboxAgeMs').at(-1)?.value).toBe(0);

    // An escalation recorded as queued whose delivery never happened (the transport lost it).
    const { container } = api.stack;
    const id = (
      await api.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }), headers: { 'idempotency-key': key() } })
    ).body.id as string;
    const decidedAt = clock.now();
    await new DynamoEscalationLedger(container.doc, container.tableName).recordQueued(
      [{ complaintId: id, milestone: 'dispatch', round: 1, level: 'breach', severity: 'general', overdueMillis: 0, decidedAt: decidedAt.toISOString() }],
      decidedAt,
      new Date(decidedAt.getTime() + 15 * 60_000),
    );
    clock.set(new Date(decidedAt.getTime() + 20 * 60_000));
    await api.stack.sweep();
    expect(points('OutboxAgeMs').at(-1)?.value).toBe(20 * 60_000);
  });
});

describe('no personal data in logs', () => {
  it('writes neither the phone nor the name of a complainant in any log or metric line of a whole flow', async () => {
    api = await startApi();
    const phone = mobile();
    const landline = `020-8${String(Math.floor(Math.random() * 1e6)).padStart(7, '0')}`;
    const name = '欧阳娜娜';
    const body = intakeBody({ name, phone, waybillNo: waybill(), content: `我是${name}，手机${phone}，座机${landline}，邮件至今未到。` });
    // The provider refuses the receipt with an error naming the destination, as real providers do.
    vi.spyOn(FileSmsSender.prototype, 'send').mockRejectedValueOnce(new Error(`ValidationException: DestinationPhoneNumber +86${phone} is not reachable`));
    const created = await api.request('POST', '/complaints', { body, headers: { 'idempotency-key': key() } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // A repeat from the same phone, a landline that cannot take an SMS, a bad body naming the phone.
    await api.request('POST', '/complaints', { body, headers: { 'idempotency-key': key() } });
    await api.request('POST', '/complaints', { body: intakeBody({ name, phone: landline, waybillNo: waybill() }), headers: { 'idempotency-key': key() } });
    await api.request('POST', '/complaints', { body: { ...body, phone: `${phone}x` }, headers: { 'idempotency-key': key() } });
    const post = (path: string, b: unknown, token: string) => api!.request('POST', path, { token, body: b, headers: { 'idempotency-key': key() } });
    expect((await post(`/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent)).status).toBe(200);
    expect((await post(`/complaints/${id}/contact`, { method: 'phone', note: `已致电${phone}联系${name}` }, api.tokens.handler)).status).toBe(200);
    const reply = replyBody({
      process: {
        ...replyBody().process,
        contactedAt: new Date().toISOString(),
        summary: `电话${phone}联系${name}，说明延误原因并致歉，约定当日下午投递上门。`,
      },
    });
    expect((await post(`/complaints/${id}/replies`, reply, api.tokens.handler)).status).toBe(200);
    expect((await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).status).toBe(200);
    await api.stack.queue.drain();

    const all = [...logs.lines, ...metrics.lines];
    expect(logs.lines.length).toBeGreaterThan(10);
    const digits = (s: string) => s.replace(/\D/g, '');
    for (const line of all) {
      expect(line).not.toContain(phone);
      expect(line).not.toContain(phone.slice(3));
      expect(line).not.toContain(name);
      expect(line).not.toContain(digits(landline).slice(3));
    }
    // Not vacuous: the provider's error reached the log, with the number masked.
    expect(logs.lines.some((l) => l.includes('side effect failed') && l.includes(`${phone.slice(0, 3)}****${phone.slice(-4)}`))).toBe(true);
    expect(points('SmsFailed').map((p) => p.dims)).toEqual([{ purpose: 'receipt' }]);
  });
});
