/**
 * The response schemas of `shared/http/responses.ts` (the 2xx bodies `openapi.json` documents) against
 * the real answers of the local stack, route by route, through one flow across roles: a field a handler
 * adds, drops or retypes fails here until the schema — and so the document — says so (decision 066).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { LOCAL_CHANNEL_SECRET } from '#http/channel.ts';
import { HTML_PAGE, RESPONSES } from '#http/responses.ts';
import { ROUTES, routeKey } from '#http/routes.ts';
import { signatureHeaders } from '#http/signature.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stack.close();
});

const covered = new Set<string>();
const key = () => `resp-${crypto.randomUUID()}`;
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** Calls the route and parses its 2xx body with the route's response schema; returns the body. */
async function call(method: string, template: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {}) {
  const res = await api.request(method, path, { ...opts, headers: { 'idempotency-key': key(), ...opts.headers } });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(200);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  const schema = RESPONSES[`${method} ${template}`] as z.ZodType;
  const parsed = schema.safeParse(res.body);
  expect(parsed.success ? [] : parsed.error.issues, `${method} ${template} answers what responses.ts says`).toEqual([]);
  covered.add(`${method} ${template}`);
  return res.body;
}

describe('every 2xx body matches its documented schema', () => {
  it('has a response schema for every route, and an HTML page only for the notice confirm page', () => {
    expect(ROUTES.filter((r) => RESPONSES[routeKey(r)] === undefined).map(routeKey)).toEqual([]);
    expect(Object.entries(RESPONSES).filter(([, s]) => s === HTML_PAGE).map(([k]) => k)).toEqual(['GET /notices/confirm']);
  });

  it('refuses a body with a field the schema does not name (the check can fail)', () => {
    const schema = RESPONSES['POST /complaints'] as z.ZodType;
    const receipt = { id: 'C1', trackingCode: 'T1', outcome: 'received', createdAt: new Date().toISOString(), trackUrl: '/track/T1' };
    expect(schema.safeParse(receipt).success).toBe(true);
    expect(schema.safeParse({ ...receipt, phone: '13800138000' }).success).toBe(false);
  });

  it('intake, reads, tracking and the whole loop of commands', async () => {
    const phone = mobile();
    const filed = await call('POST', '/complaints', '/complaints', { body: intakeBody({ phone }) });
    await call('POST', '/staff/complaints', '/staff/complaints', { token: api.tokens.agent, body: intakeBody({ phone: mobile(), waybillNo: 'EA987654321CN' }) });
    const id = filed.id as string;
    await call('GET', '/complaints', '/complaints?status=received', { token: api.tokens.agent });
    await call('GET', '/complaints/{id}', `/complaints/${id}`, { token: api.tokens.agent });
    await call('GET', '/track/{code}', `/track/${filed.trackingCode}`);
    await call('POST', '/complaints/{id}/severity', `/complaints/${id}/severity`, { token: api.tokens.agent, body: { severity: 'major', reason: '重要客户，要求尽快答复' } });
    await call('POST', '/complaints/{id}/assignment', `/complaints/${id}/assignment`, { token: api.tokens.agent, body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' } });
    await call('GET', '/complaints', '/complaints', { token: api.tokens.handler });
    // The unit's leader does not see identity: the masked view has the same shape.
    await call('GET', '/complaints/{id}', `/complaints/${id}`, { token: api.tokens.leader });
    await call('POST', '/complaints/{id}/sign', `/complaints/${id}/sign`, { token: api.tokens.handler, body: {} });
    const asked = await call('POST', '/complaints/{id}/assists', `/complaints/${id}/assists`, { token: api.tokens.handler, body: { unitId: 'gz-yuexiu', task: '请核实该邮件的投递情况' } });
    await call('GET', '/assists', '/assists', { token: api.tokens.foreignHandler });
    const taskId = (asked.assists as { id: string }[])[0]?.id as string;
    await call('POST', '/complaints/{id}/assists/{taskId}/cancel', `/complaints/${id}/assists/${taskId}/cancel`, { token: api.tokens.handler, body: { reason: '已自行核实，无需协办' } });
    await call('POST', '/complaints/{id}/contact', `/complaints/${id}/contact`, { token: api.tokens.handler, body: { method: 'phone', note: '已电话联系投诉人，说明正在核查' } });
    await call('POST', '/complaints/{id}/chases', `/complaints/${id}/chases`, { token: api.tokens.agent, body: { via: 'phone' } });
    await call('POST', '/complaints/{id}/replies', `/complaints/${id}/replies`, { token: api.tokens.handler, body: replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } }) });
    await call('POST', '/complaints/{id}/callbacks', `/complaints/${id}/callbacks`, {
      token: api.tokens.agent,
      body: { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent', comments: '投诉人对处理结果满意' },
    });
    await call('GET', '/complaints/{id}', `/complaints/${id}`, { token: api.tokens.handler });
    await call('GET', '/track/{code}', `/track/${filed.trackingCode}`);
  });

  it('the calculator, the signed SMS webhook and the admin routes', async () => {
    await call('POST', '/compensation/quote', '/compensation/quote', {
      token: api.tokens.handler,
      body: { cause: 'loss', network: 'post', itemType: 'parcel', postage: 22, actualLoss: 1500, postedOn: '2026-10-08', claimedOn: '2026-10-20' },
    });
    const raw = JSON.stringify({ messageId: key(), from: mobile(), to: '95580', text: '快递1151234567893三天没更新物流，是不是丢了', receivedAt: new Date().toISOString() });
    await call('POST', '/channels/sms', '/channels/sms', { rawBody: raw, headers: { 'content-type': 'application/json', ...signatureHeaders(LOCAL_CHANNEL_SECRET, new Date(), raw) } });

    await call('GET', '/admin/directory', '/admin/directory', { token: api.tokens.admin });
    await call('PUT', '/admin/staff/{id}', '/admin/staff/resp-1', { token: api.tokens.admin, body: { name: '测试员', role: 'handler', unitId: 'gz-tianhe', email: 'resp-1@example.cn' } });
    await call('DELETE', '/admin/staff/{id}', '/admin/staff/resp-1', { token: api.tokens.admin });
    await call('GET', '/admin/audit', '/admin/audit', { token: api.tokens.admin });
    await call('GET', '/admin/calendar/{year}', '/admin/calendar/2027', { token: api.tokens.admin });
  });

  afterAll(() => {
    // One route per function family at least; printed so a reader sees what the flow reached.
    process.stdout.write(`response schemas checked against real answers: ${covered.size} of ${ROUTES.length} routes\n`);
  });
});
