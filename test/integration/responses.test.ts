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
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { ReportResponse } from '#domain/report-schemas.ts';
import { shanghaiTime } from '#domain/shanghai-time.ts';
import { statisticsPeriodOf } from '#domain/statistics-period.ts';
import { signToken } from '#local/auth.ts';
import { intakeBody, NOTICE_2027, replyBody } from '#test/support/fixtures.ts';
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
async function call(
  method: string,
  template: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
) {
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
    expect(
      Object.entries(RESPONSES)
        .filter(([, s]) => s === HTML_PAGE)
        .map(([k]) => k),
    ).toEqual(['GET /notices/confirm']);
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
    await call('POST', '/staff/complaints', '/staff/complaints', {
      token: api.tokens.agent,
      body: intakeBody({ phone: mobile(), waybillNo: 'EA987654321CN' }),
    });
    const id = filed.id as string;
    await call('GET', '/complaints', '/complaints?status=received', { token: api.tokens.agent });
    await call('GET', '/complaints/{id}', `/complaints/${id}`, { token: api.tokens.agent });
    await call('GET', '/track/{code}', `/track/${filed.trackingCode}`);
    await call('POST', '/complaints/{id}/severity', `/complaints/${id}/severity`, {
      token: api.tokens.agent,
      body: { severity: 'major', reason: '重要客户，要求尽快答复' },
    });
    await call('POST', '/complaints/{id}/assignment', `/complaints/${id}/assignment`, {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
    });
    await call('GET', '/complaints', '/complaints', { token: api.tokens.handler });
    // The unit's leader does not see identity: the masked view has the same shape.
    await call('GET', '/complaints/{id}', `/complaints/${id}`, { token: api.tokens.leader });
    await call('POST', '/complaints/{id}/sign', `/complaints/${id}/sign`, { token: api.tokens.handler, body: {} });
    const asked = await call('POST', '/complaints/{id}/assists', `/complaints/${id}/assists`, {
      token: api.tokens.handler,
      body: { unitId: 'gz-yuexiu', task: '请核实该邮件的投递情况' },
    });
    await call('GET', '/assists', '/assists', { token: api.tokens.foreignHandler });
    const taskId = (asked.assists as { id: string }[])[0]?.id as string;
    await call('POST', '/complaints/{id}/assists/{taskId}/cancel', `/complaints/${id}/assists/${taskId}/cancel`, {
      token: api.tokens.handler,
      body: { reason: '已自行核实，无需协办' },
    });
    await call('POST', '/complaints/{id}/contact', `/complaints/${id}/contact`, {
      token: api.tokens.handler,
      body: { method: 'phone', note: '已电话联系投诉人，说明正在核查' },
    });
    await call('POST', '/complaints/{id}/chases', `/complaints/${id}/chases`, { token: api.tokens.agent, body: { via: 'phone' } });
    await call('POST', '/complaints/{id}/replies', `/complaints/${id}/replies`, {
      token: api.tokens.handler,
      body: replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } }),
    });
    await call('POST', '/complaints/{id}/callbacks', `/complaints/${id}/callbacks`, {
      token: api.tokens.agent,
      body: { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent', comments: '投诉人对处理结果满意' },
    });
    await call('GET', '/complaints/{id}', `/complaints/${id}`, { token: api.tokens.handler });
    await call('GET', '/track/{code}', `/track/${filed.trackingCode}`);
  });

  it('the other commands: return and its ruling, assist answered, pause, extension, suspension, reopen, withdrawal', async () => {
    const filed = await call('POST', '/complaints', '/complaints', { body: intakeBody({ phone: mobile() }) });
    const id = filed.id as string;
    const path = (action: string) => `/complaints/${id}/${action}`;
    await call('POST', '/complaints/{id}/assignment', path('assignment'), {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
    });
    await call('POST', '/complaints/{id}/return', path('return'), { token: api.tokens.handler, body: { reason: '收件地址属越秀区，不属本营业部投递范围' } });
    await call('POST', '/complaints/{id}/return-decision', path('return-decision'), {
      token: api.tokens.agent,
      body: { decision: 'reject', reason: '地址核实属天河区' },
    });
    await call('POST', '/complaints/{id}/sign', path('sign'), { token: api.tokens.handler, body: {} });
    const asked = await call('POST', '/complaints/{id}/assists', path('assists'), {
      token: api.tokens.handler,
      body: { unitId: 'gz-yuexiu', task: '请核实该邮件的投递情况' },
    });
    const taskId = (asked.assists as { id: string }[])[0]?.id as string;
    await call('POST', '/complaints/{id}/assists/{taskId}/reply', path(`assists/${taskId}/reply`), {
      token: api.tokens.foreignHandler,
      body: { findings: '经查该邮件于3月2日10时投递至小区快递柜，取件码已短信发送', facts: ['2026-03-02 10:15 投递至快递柜'] },
    });
    await call('POST', '/complaints/{id}/pause', path('pause'), { token: api.tokens.handler, body: { reason: '等待投诉人提供购物凭证' } });
    await call('POST', '/complaints/{id}/resume', path('resume'), { token: api.tokens.handler, body: { note: '凭证已收到' } });
    await call('POST', '/complaints/{id}/extension-requests', path('extension-requests'), {
      token: api.tokens.handler,
      body: { reason: '需向寄达地邮政调取投递记录', requestedDueAt: new Date(Date.now() + 20 * 86_400_000).toISOString() },
    });
    await call('POST', '/complaints/{id}/extension-decision', path('extension-decision'), {
      token: api.tokens.leader,
      body: { approve: false, reason: '时限内可以完成核查' },
    });
    await call('POST', '/complaints/{id}/extensions', path('extensions'), { token: api.tokens.leader, body: { reason: '需向寄件地调取收寄记录' } });
    await call('POST', '/complaints/{id}/suspension', path('suspension'), {
      token: api.tokens.agent,
      body: { reason: 'litigation', note: '投诉人已向法院起诉' },
    });
    await call('POST', '/complaints/{id}/reopen', path('reopen'), { token: api.tokens.agent, body: { reason: '投诉人撤回起诉，要求继续处理' } });
    await call('POST', '/complaints/{id}/withdrawal', path('withdrawal'), {
      token: api.tokens.agent,
      body: { voluntary: true, confirmedVia: 'phone', note: '投诉人来电确认自愿撤诉' },
    });
  });

  it('the calculator, the signed SMS webhook and the admin routes', async () => {
    await call('POST', '/compensation/quote', '/compensation/quote', {
      token: api.tokens.handler,
      body: { cause: 'loss', network: 'post', itemType: 'parcel', postage: 22, actualLoss: 1500, postedOn: '2026-10-08', claimedOn: '2026-10-20' },
    });
    const raw = JSON.stringify({
      messageId: key(),
      from: mobile(),
      to: '95580',
      text: '快递1151234567893三天没更新物流，是不是丢了',
      receivedAt: new Date().toISOString(),
    });
    await call('POST', '/channels/sms', '/channels/sms', {
      rawBody: raw,
      headers: { 'content-type': 'application/json', ...signatureHeaders(LOCAL_CHANNEL_SECRET, new Date(), raw) },
    });

    const ivr = JSON.stringify({
      callId: key(),
      callerNumber: mobile(),
      menuPath: ['1', '2'],
      transcript: '快递三天没有更新物流信息，请尽快处理',
      waybillNo: '1151234567893',
      startedAt: new Date().toISOString(),
    });
    await call('POST', '/channels/ivr', '/channels/ivr', {
      rawBody: ivr,
      headers: { 'content-type': 'application/json', ...signatureHeaders(LOCAL_CHANNEL_SECRET, new Date(), ivr) },
    });

    // The console's directory (decision 062): strict, so an e-mail or mobile in it fails here.
    const staffDirectory = await call('GET', '/directory', '/directory', { token: api.tokens.handler });
    expect(staffDirectory.units.length).toBeGreaterThan(0);
    const directory = await call('GET', '/admin/directory', '/admin/directory', { token: api.tokens.admin });
    await call('PUT', '/admin/routing', '/admin/routing', { token: api.tokens.admin, body: directory.entries.routing });
    await call('PUT', '/admin/organisation', '/admin/organisation', { token: api.tokens.admin, body: directory.entries.organisation });
    await call('PUT', '/admin/units/{id}', '/admin/units/resp-unit', {
      token: api.tokens.admin,
      body: { name: '测试营业部', kind: 'branch', region: '广东省广州市天河区', everyDay: false },
    });
    await call('DELETE', '/admin/units/{id}', '/admin/units/resp-unit', { token: api.tokens.admin });
    await call('PUT', '/admin/staff/{id}', '/admin/staff/resp-1', {
      token: api.tokens.admin,
      body: { name: '测试员', role: 'handler', unitId: 'gz-tianhe', email: 'resp-1@example.cn' },
    });
    await call('DELETE', '/admin/staff/{id}', '/admin/staff/resp-1', { token: api.tokens.admin });
    await call('GET', '/admin/audit', '/admin/audit', { token: api.tokens.admin });
    await call('PUT', '/admin/calendar/{year}', '/admin/calendar/2027', {
      token: api.tokens.admin,
      body: NOTICE_2027,
    });
    await call('GET', '/admin/calendar/{year}', '/admin/calendar/2027', { token: api.tokens.admin });
  });

  it('the leaders’ notice of a major complaint: its confirm page (HTML), the link’s confirmation and the signed-in one', async () => {
    const filed = await call('POST', '/complaints', '/complaints', {
      body: intakeBody({ phone: mobile(), content: '邮件里是我的护照原件，今天必须找到，再不处理我就打12315投诉！' }),
    });
    const sms = (await readSmsOutbox(api.stack.outboxDir)).find((l) => l.to === '+8613900000001' && l.dedupeKey.startsWith(`${filed.id}#`));
    const link = /\/notices\/confirm\?t=[A-Za-z0-9_.%-]+/.exec(sms?.text ?? '')?.[0];
    expect(link, 'the director’s SMS carries a confirm link').toBeDefined();
    const page = await fetch(`${api.stack.url}${link}`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    covered.add('GET /notices/confirm');
    await call('POST', '/notices/confirm', link as string);
    // The director, signed in with a centre-wide role, confirms again: recorded once, answered with the same shape.
    await call('POST', '/complaints/{id}/notice-confirmation', `/complaints/${filed.id}/notice-confirmation`, {
      token: signToken({ sub: 'dir-zhou', role: 'quality' }),
      body: {},
    });
  });

  it('有理由投诉 and 分析整改: the worklists, determination and review, the monthly notice, the record and its review', async () => {
    const filed = await call('POST', '/complaints', '/complaints', { body: intakeBody({ phone: mobile() }) });
    const id = filed.id as string;
    const path = (action: string) => `/complaints/${id}/${action}`;
    await call('POST', '/complaints/{id}/assignment', path('assignment'), {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
    });
    const { justified: _legacy, ...reply } = replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } });
    await call('POST', '/complaints/{id}/replies', path('replies'), { token: api.tokens.handler, body: { ...reply, justifiedProposal: true } });
    await call('POST', '/complaints/{id}/callbacks', path('callbacks'), {
      token: api.tokens.agent,
      body: { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' },
    });
    const pending = await call('GET', '/determinations', '/determinations?status=pending', { token: api.tokens.agent });
    expect(
      pending.items.map((r: { complaintId: string }) => r.complaintId),
      'the flow parses a row, not an empty page',
    ).toContain(id);
    await call('POST', '/complaints/{id}/determination', path('determination'), {
      token: api.tokens.agent,
      body: { justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' },
    });
    await call('POST', '/complaints/{id}/determination-review', path('determination-review'), {
      token: api.tokens.quality,
      body: { justified: true, reason: '复核属实，维持界定' },
    });
    const determined = await call('GET', '/determinations', '/determinations?status=determined&justified=true', { token: api.tokens.quality });
    expect(determined.items.map((r: { complaintId: string }) => r.complaintId)).toContain(id);
    const period = statisticsPeriodOf(shanghaiTime(new Date()).slice(0, 10));
    const notice = await call('POST', '/rectification-notices', '/rectification-notices', { token: api.tokens.quality, body: { period, complaintIds: [id] } });
    expect(notice.noticed.map((n: { complaintId: string }) => n.complaintId)).toEqual([id]);
    // Noticed twice: the skipped row has its shape too.
    const twice = await call('POST', '/rectification-notices', '/rectification-notices', { token: api.tokens.quality, body: { period, complaintIds: [id] } });
    expect(twice.skipped.map((n: { complaintId: string }) => n.complaintId)).toEqual([id]);
    const owed = await call('GET', '/rectifications', '/rectifications', { token: api.tokens.handler });
    expect(owed.items.map((r: { complaintId: string }) => r.complaintId)).toContain(id);
    const dueOn = shanghaiTime(new Date(Date.now() + 10 * 86_400_000)).slice(0, 10);
    const record = {
      directCause: '分拣员未按规定核对邮编，邮件误发武汉',
      managementWeakness: '班组对分拣复核要求执行不到位，缺少抽查',
      responsibleUnitId: 'gz-tianhe',
      responsibleManager: '李主任',
      responsiblePerson: '王五',
      education: '对照规章指出错误，提出整改要求，班组会通报',
      corrective: [{ measure: '重新培训分拣复核流程', owner: '李主任', dueOn }],
      preventive: [{ measure: '每日班前会讲评分拣差错', owner: '张组长', dueOn }],
    };
    await call('POST', '/complaints/{id}/rectification', path('rectification'), { token: api.tokens.handler, body: record });
    await call('POST', '/complaints/{id}/rectification-review', path('rectification-review'), {
      token: api.tokens.quality,
      body: { outcome: 'returned', reason: '预防措施不具体，请写明抽查频次' },
    });
    const returned = await call('GET', '/rectifications', '/rectifications?status=returned', { token: api.tokens.quality });
    expect(returned.items.find((r: { complaintId: string }) => r.complaintId === id)).toMatchObject({ review: { outcome: 'returned' } });
    // The unit's leader reads it masked, with the determination and the rectification on the view.
    const read = await call('GET', '/complaints/{id}', `/complaints/${id}`, { token: api.tokens.leader });
    expect([read.determination?.justified, read.rectification?.status]).toEqual([true, 'returned']);
  });

  it('the compensation claim, agreed and paid, on the view and the tracking page', async () => {
    const filed = await call('POST', '/complaints', '/complaints', { body: intakeBody({ phone: mobile() }) });
    const id = filed.id as string;
    const path = (action: string) => `/complaints/${id}/${action}`;
    await call('POST', '/complaints/{id}/assignment', path('assignment'), {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' },
    });
    await call('POST', '/complaints/{id}/compensation-claim', path('compensation-claim'), {
      token: api.tokens.handler,
      body: { claimant: 'sender', amountClaimed: 30, note: '要求赔偿邮费' },
    });
    await call('POST', '/complaints/{id}/compensation-agreement', path('compensation-agreement'), { token: api.tokens.agent, body: { amount: 25.5 } });
    const tracked = await call('GET', '/track/{code}', `/track/${filed.trackingCode}`);
    expect(tracked.compensation?.status).toMatch(/25\.50元/);
    const paid = await call('POST', '/complaints/{id}/compensation-paid', path('compensation-paid'), {
      token: api.tokens.agent,
      body: { amount: 25.5, paidAt: new Date().toISOString() },
    });
    expect(paid.claim).toMatchObject({ agreement: { amountFen: 2550 }, payment: { amountFen: 2550 } });
  });

  it('GET /reports, the worklist queues with count=true and the statistics drill-down of GET /complaints', async () => {
    const report = await call('GET', '/reports', '/reports', { token: api.tokens.quality });
    expect(report.total.indicators.length, 'the report carries its indicators').toBeGreaterThan(0);
    // The strict mirror in responses.ts and the handler's own (zod/mini) schema agree on the same body.
    expect(ReportResponse.safeParse(report).success).toBe(true);
    await call('GET', '/reports', '/reports', { token: api.tokens.leader });
    const queue = await call('GET', '/complaints', '/complaints?signed=false&count=true', { token: api.tokens.handler });
    expect(typeof queue.count).toBe('number');
    await call('GET', '/complaints', '/complaints?due=today&count=true', { token: api.tokens.agent });
    await call('GET', '/complaints', '/complaints?notice=unconfirmed', { token: api.tokens.leader });
    await call('GET', '/complaints', '/complaints?extension=requested&count=true', { token: api.tokens.leader });
    const drill = await call('GET', '/complaints', `/complaints?figure=received&period=${report.period.label}`, { token: api.tokens.quality });
    expect(drill.items.length, 'the drill-down parses rows, not an empty page').toBeGreaterThan(0);
  });

  it('reached every route of the table above (runs last)', () => {
    process.stdout.write(`response schemas checked against real answers: ${covered.size} of ${ROUTES.length} routes\n`);
    expect(ROUTES.map(routeKey).filter((k) => !covered.has(k))).toEqual([]);
  });
});
