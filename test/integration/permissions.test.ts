import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, type Command } from '#domain/lifecycle.ts';
import type { Actor } from '#domain/model.ts';
import { IntakeRequest } from '#domain/schemas.ts';
import { ROUTES } from '#http/routes.ts';
import { signToken } from '#local/auth.ts';
import { actors, intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';

type Caller = 'agent' | 'handler' | 'otherHandler' | 'leader' | 'foreignHandler' | 'quality' | 'admin' | 'anonymous';
const CALLERS: Caller[] = ['agent', 'handler', 'otherHandler', 'leader', 'foreignHandler', 'quality', 'admin', 'anonymous'];

type Prep =
  | 'received'
  | 'dispatched'
  | 'replied'
  | 'suspended'
  | 'paused'
  | 'major'
  | 'returned'
  | 'assisted'
  | 'determined'
  | 'noticed'
  | 'filed'
  | 'claimed'
  | 'agreed'
  | 'extension-requested';

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Tells two rows of one route apart in the test name. */
  variant?: string;
  prep: Prep;
  /** The body, from the prepared complaint's id and (延期申请) its current reply due. */
  body?: (id: string, replyDueAt: string) => unknown;
  /** Expected status per caller; unspecified staff callers get `fallback`. */
  expect: Partial<Record<Caller, number>>;
  fallback: number;
}

const UNIT_READERS = { agent: 200, handler: 200, otherHandler: 200, leader: 200, quality: 200, admin: 200, foreignHandler: 404, anonymous: 401 };
const CENTRE_ONLY = { agent: 200, admin: 200, anonymous: 401 };
const ADMIN_ONLY = { admin: 200, anonymous: 401 };
/** The 2027 arrangement as predicted (decision 040), as a notice: valid, so only the role decides. */
const NOTICE_2027 = {
  number: '国办发明电〔2026〕7号',
  url: 'https://www.gov.cn/zhengce/content/notice.htm',
  publishedAt: '2026-11-04',
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-05', to: '2027-02-13' },
    { name: '清明节', from: '2027-04-03', to: '2027-04-05' },
    { name: '劳动节', from: '2027-05-01', to: '2027-05-05' },
    { name: '端午节', from: '2027-06-09', to: '2027-06-09' },
    { name: '中秋节', from: '2027-09-15', to: '2027-09-15' },
    { name: '国庆节', from: '2027-10-01', to: '2027-10-07' },
  ],
  makeupWorkdays: ['2027-01-31', '2027-02-14', '2027-05-08', '2027-09-26', '2027-10-09'],
};
const QUALITY_ONLY = { quality: 200, admin: 200, anonymous: 401 };
const RECTIFICATION_RECORD = {
  directCause: '分拣员未按规定核对邮编，邮件误发武汉',
  managementWeakness: '班组对分拣复核要求执行不到位，缺少抽查',
  responsibleUnitId: 'gz-tianhe',
  responsibleManager: '李主任',
  responsiblePerson: '王五',
  education: '对照规章指出错误，提出整改要求',
  corrective: [{ measure: '重新培训分拣复核流程', owner: '李主任', dueOn: '2099-01-01' }],
  preventive: [{ measure: '每日班前会讲评分拣差错', owner: '张组长', dueOn: '2099-01-01' }],
};
const UNIT_WRITERS = { handler: 200, otherHandler: 200, leader: 200, admin: 200, foreignHandler: 404, anonymous: 401 };

const MATRIX: RouteCase[] = [
  { method: 'GET', path: '/complaints/{id}', prep: 'dispatched', expect: UNIT_READERS, fallback: 403 },
  { method: 'GET', path: '/complaints', prep: 'dispatched', expect: { ...UNIT_READERS, foreignHandler: 200 }, fallback: 403 },
  {
    method: 'POST',
    path: '/staff/complaints',
    prep: 'received',
    body: () => intakeBody({ keyAccount: true, phone: randomMobile() }),
    expect: { agent: 201, admin: 201, anonymous: 401 },
    fallback: 403,
  },
  // Issue 8 item 6: the staff door is the centre's, with or without staff-only fields (quality files nothing).
  {
    method: 'POST',
    path: '/staff/complaints',
    variant: 'no staff fields',
    prep: 'received',
    body: () => intakeBody({ phone: randomMobile() }),
    expect: { agent: 201, admin: 201, anonymous: 401 },
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints',
    prep: 'received',
    body: () => intakeBody({ phone: randomMobile() }),
    expect: Object.fromEntries(CALLERS.map((c) => [c, 201])),
    fallback: 201,
  },
  { method: 'GET', path: '/track/{code}', prep: 'dispatched', expect: Object.fromEntries(CALLERS.map((c) => [c, 200])), fallback: 200 },
  {
    method: 'POST',
    path: '/complaints/{id}/assignment',
    prep: 'received',
    body: () => ({ unitId: 'gz-tianhe', handlerId: 'th-handler-1' }),
    expect: CENTRE_ONLY,
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/contact',
    prep: 'dispatched',
    body: () => ({ method: 'phone', note: '电话联系投诉人' }),
    expect: UNIT_WRITERS,
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/replies',
    prep: 'dispatched',
    body: () => replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } }),
    expect: UNIT_WRITERS,
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/callbacks',
    prep: 'replied',
    body: () => ({ outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' }),
    expect: CENTRE_ONLY,
    fallback: 403,
  },
  { method: 'POST', path: '/complaints/{id}/chases', prep: 'dispatched', body: () => ({ via: 'phone' }), expect: CENTRE_ONLY, fallback: 403 },
  {
    method: 'POST',
    path: '/complaints/{id}/suspension',
    prep: 'dispatched',
    body: () => ({ reason: 'litigation', note: '已起诉' }),
    expect: CENTRE_ONLY,
    fallback: 403,
  },
  { method: 'POST', path: '/complaints/{id}/reopen', prep: 'suspended', body: () => ({ reason: '诉讼撤回' }), expect: CENTRE_ONLY, fallback: 403 },
  {
    method: 'POST',
    path: '/complaints/{id}/withdrawal',
    prep: 'dispatched',
    body: () => ({ voluntary: true, confirmedVia: 'phone', note: '本人确认自愿撤诉' }),
    expect: CENTRE_ONLY,
    fallback: 403,
  },
  // Channel webhooks authenticate by signature, not by JWT: unsigned is 401 whoever calls.
  {
    method: 'POST',
    path: '/channels/sms',
    prep: 'received',
    body: () => ({ messageId: 'm-1', from: '13800138000', text: '投诉', receivedAt: new Date().toISOString() }),
    expect: {},
    fallback: 401,
  },
  {
    method: 'POST',
    path: '/channels/ivr',
    prep: 'received',
    body: () => ({ callId: 'c-1', callerNumber: '13800138000', menuPath: ['1'], startedAt: new Date().toISOString() }),
    expect: {},
    fallback: 401,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/severity',
    prep: 'dispatched',
    body: () => ({ severity: 'urgent', reason: '重要客户，要求立即答复' }),
    expect: CENTRE_ONLY,
    fallback: 403,
  },
  // SLA commands: the unit leader approves extensions; anyone handling the case may pause and resume.
  {
    method: 'POST',
    path: '/complaints/{id}/extensions',
    prep: 'dispatched',
    body: () => ({ milestone: 'reply', reason: '需调取监控录像，处理时间较长' }),
    expect: { leader: 200, admin: 200, anonymous: 401 },
    fallback: 403,
  },
  // 延期申请 (decision 069): the handling unit asks; only its leader (or an admin) decides.
  {
    method: 'POST',
    path: '/complaints/{id}/extension-requests',
    prep: 'dispatched',
    // An hour past the reply due: within the 48 h a major/urgent case may ask for.
    body: (_id, due) => ({ reason: '需向寄达地邮政调取投递记录', requestedDueAt: new Date(Date.parse(due) + 3_600_000).toISOString() }),
    expect: UNIT_WRITERS,
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/extension-decision',
    prep: 'extension-requested',
    body: () => ({ approve: true, reason: '同意延期，需外省协查' }),
    // A handler's role may never decide (403 before the unit); another unit's leader gets 404 (extension-requests.test.ts).
    expect: { leader: 200, admin: 200, anonymous: 401 },
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/pause',
    prep: 'dispatched',
    body: () => ({ reason: '等待投诉人提供价值证明' }),
    expect: { ...UNIT_WRITERS, agent: 200 },
    fallback: 403,
  },
  // The calculator: any member of staff, nobody else.
  {
    method: 'POST',
    path: '/compensation/quote',
    prep: 'received',
    body: () => ({ cause: 'loss', network: 'express', itemType: 'letter', postage: 10, postedOn: '2026-03-01', claimedOn: '2026-03-05' }),
    expect: { agent: 200, handler: 200, otherHandler: 200, leader: 200, foreignHandler: 200, quality: 200, admin: 200, anonymous: 401 },
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/resume',
    prep: 'paused',
    body: () => ({ note: '已收到发票照片' }),
    expect: { ...UNIT_WRITERS, agent: 200 },
    fallback: 403,
  },
  // Decision 049: only a person a leaders' notice went to confirms it (the Tianhe leader of a major case
  // dispatched to Tianhe); the link routes authenticate by their token, so without one it is 400 for all.
  {
    method: 'POST',
    path: '/complaints/{id}/notice-confirmation',
    prep: 'major',
    body: () => ({}),
    expect: { leader: 200, foreignHandler: 404, anonymous: 401 },
    fallback: 403,
  },
  { method: 'GET', path: '/notices/confirm', prep: 'received', expect: {}, fallback: 400 },
  { method: 'POST', path: '/notices/confirm', prep: 'received', expect: {}, fallback: 400 },
  // 签收 and 退回 (decision 047): the dispatched unit signs or returns; the centre rules on a return.
  { method: 'POST', path: '/complaints/{id}/sign', prep: 'dispatched', body: () => ({}), expect: UNIT_WRITERS, fallback: 403 },
  {
    method: 'POST',
    path: '/complaints/{id}/return',
    prep: 'dispatched',
    body: () => ({ reason: '收件地址为越秀区东风中路，属越秀揽投部投递段' }),
    expect: UNIT_WRITERS,
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/return-decision',
    prep: 'returned',
    body: () => ({ decision: 'reject', reason: '经核实地址属天河区' }),
    expect: CENTRE_ONLY,
    fallback: 403,
  },
  // 协办 (decision 048): the lead unit asks and cancels; the assisting unit (gz-yuexiu) reads and answers, nothing else.
  {
    method: 'POST',
    path: '/complaints/{id}/assists',
    prep: 'dispatched',
    body: () => ({ unitId: 'gz-yuexiu', task: '请核实投递记录' }),
    expect: UNIT_WRITERS,
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/assists/{taskId}/reply',
    prep: 'assisted',
    body: () => ({ findings: '2026-03-01 15:20 投递至物业收发室，王五代签' }),
    expect: { foreignHandler: 200, admin: 200, anonymous: 401 },
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/assists/{taskId}/cancel',
    prep: 'assisted',
    body: () => ({ reason: '已由本单位查明' }),
    expect: { ...UNIT_WRITERS, foreignHandler: 403 },
    fallback: 403,
  },
  // Units read their own worklist; the centre, quality and admins must name the unit (400 without it).
  {
    method: 'GET',
    path: '/assists',
    prep: 'assisted',
    expect: { handler: 200, otherHandler: 200, leader: 200, foreignHandler: 200, anonymous: 401 },
    fallback: 400,
  },
  // 有理由投诉 and 分析整改 (decision 058): the centre determines, quality reviews, notices and checks, the unit files.
  {
    method: 'POST',
    path: '/complaints/{id}/determination',
    prep: 'replied',
    body: () => ({ justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' }),
    expect: CENTRE_ONLY,
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/determination-review',
    prep: 'determined',
    body: () => ({ justified: false, reason: '复核认定非我方责任' }),
    expect: QUALITY_ONLY,
    fallback: 403,
  },
  { method: 'GET', path: '/determinations', prep: 'replied', expect: { agent: 200, quality: 200, admin: 200, anonymous: 401 }, fallback: 403 },
  {
    method: 'POST',
    path: '/rectification-notices',
    prep: 'determined',
    body: (id) => ({ period: '2026-03', complaintIds: [id] }),
    expect: QUALITY_ONLY,
    fallback: 403,
  },
  { method: 'POST', path: '/complaints/{id}/rectification', prep: 'noticed', body: () => RECTIFICATION_RECORD, expect: UNIT_WRITERS, fallback: 403 },
  {
    method: 'POST',
    path: '/complaints/{id}/rectification-review',
    prep: 'filed',
    body: () => ({ outcome: 'verified', reason: '措施具体，已落实' }),
    expect: QUALITY_ONLY,
    fallback: 403,
  },
  {
    method: 'GET',
    path: '/rectifications',
    prep: 'noticed',
    expect: { handler: 200, otherHandler: 200, leader: 200, foreignHandler: 200, quality: 200, admin: 200, anonymous: 401 },
    fallback: 403,
  },
  // 赔偿申请 (decision 059): the centre or the unit records the claim, the agreement and the payment.
  {
    method: 'POST',
    path: '/complaints/{id}/compensation-claim',
    prep: 'dispatched',
    body: () => ({ claimant: 'sender', amountClaimed: 20, note: '要求退还邮费' }),
    expect: { ...UNIT_WRITERS, agent: 200 },
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/compensation-agreement',
    prep: 'claimed',
    body: () => ({ amount: 20 }),
    expect: { ...UNIT_WRITERS, agent: 200 },
    fallback: 403,
  },
  {
    method: 'POST',
    path: '/complaints/{id}/compensation-paid',
    prep: 'agreed',
    body: () => ({ amount: 20, paidAt: new Date().toISOString() }),
    expect: { ...UNIT_WRITERS, agent: 200 },
    fallback: 403,
  },
  // Decision 060: the centre, quality and admins any unit; a leader their own (the default); handlers none.
  { method: 'GET', path: '/reports', prep: 'received', expect: { agent: 200, leader: 200, quality: 200, admin: 200, anonymous: 401 }, fallback: 403 },
  // Decision 062: the console's names and dispatch lists, for every signed-in role.
  {
    method: 'GET',
    path: '/directory',
    prep: 'received',
    expect: { agent: 200, handler: 200, otherHandler: 200, leader: 200, foreignHandler: 200, quality: 200, admin: 200, anonymous: 401 },
    fallback: 403,
  },
  // Admin routes (decisions 055, 056): admins only; `{id}` is a fresh id here, so removals find nothing.
  { method: 'GET', path: '/admin/directory', prep: 'received', expect: ADMIN_ONLY, fallback: 403 },
  {
    method: 'PUT',
    path: '/admin/units/{id}',
    prep: 'received',
    body: () => ({ name: '测试揽投部', kind: 'delivery_station', region: '广东省广州市', everyDay: true }),
    expect: ADMIN_ONLY,
    fallback: 403,
  },
  { method: 'DELETE', path: '/admin/units/{id}', prep: 'received', expect: { admin: 404, anonymous: 401 }, fallback: 403 },
  {
    method: 'PUT',
    path: '/admin/staff/{id}',
    prep: 'received',
    body: () => ({ name: '测试员', role: 'handler', unitId: 'gz-yuexiu', email: 'test-h@example.cn' }),
    expect: ADMIN_ONLY,
    fallback: 403,
  },
  { method: 'DELETE', path: '/admin/staff/{id}', prep: 'received', expect: { admin: 404, anonymous: 401 }, fallback: 403 },
  {
    method: 'PUT',
    path: '/admin/routing',
    prep: 'received',
    body: () => ({
      rules: [
        { regionContains: ['天河'], unitId: 'gz-tianhe' },
        { regionContains: ['越秀'], unitId: 'gz-yuexiu' },
      ],
      defaultUnitId: 'gz-branch',
    }),
    expect: ADMIN_ONLY,
    fallback: 403,
  },
  {
    method: 'PUT',
    path: '/admin/organisation',
    prep: 'received',
    body: () => ({ name: '广州市邮政速递物流公司', centreName: '客户服务中心', consoleUrl: 'http://localhost:3000' }),
    expect: ADMIN_ONLY,
    fallback: 403,
  },
  { method: 'GET', path: '/admin/audit', prep: 'received', expect: ADMIN_ONLY, fallback: 403 },
  { method: 'PUT', path: '/admin/calendar/{year}', prep: 'received', body: () => NOTICE_2027, expect: ADMIN_ONLY, fallback: 403 },
  { method: 'GET', path: '/admin/calendar/{year}', prep: 'received', expect: ADMIN_ONLY, fallback: 403 },
];

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stack.close();
});

/** Lets the stack's own background writes (timers, leaders' notices) finish, so a command does not race them. */
async function settle(): Promise<void> {
  // The outbox first (decision 051): the effects a transition owes put the notices on the queue.
  await api.stack.drain();
  await api.stack.timers.idle();
  await api.stack.queue.drain();
}

function randomMobile(): string {
  return `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** A fresh complaint in the wanted status, dispatched to gz-tianhe / th-handler-1 where relevant. */
async function prepare(prep: Prep): Promise<{ id: string; trackingCode: string; replyDueAt: string }> {
  const { service } = api.stack.container;
  const input = IntakeRequest.parse(intakeBody({ phone: randomMobile(), ...(prep === 'major' && { keyAccount: true }) }));
  const { complaint } = await service.submit(input, actors.public as Actor, {});
  const act = (command: Command, actor: Actor = actors.agent) => service.act(complaint.id, command, actor, undefined, decide);
  const replyDue = async () => {
    const now = await api.stack.container.store.get(complaint.id);
    return now?.deadlines.find((d) => d.milestone === 'reply' && d.round === now.round)?.dueAt ?? new Date().toISOString();
  };
  if (prep !== 'received') await act({ type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1' });
  if (prep === 'replied' || prep === 'determined' || prep === 'noticed' || prep === 'filed')
    await act({ type: 'reply', ...replyBody({ process: { ...replyBody().process, contactedAt: new Date().toISOString() } }) }, actors.handler);
  if (prep === 'determined' || prep === 'noticed' || prep === 'filed')
    await act({ type: 'determine', justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' });
  if (prep === 'noticed' || prep === 'filed') await act({ type: 'rectification_notice', period: '2026-03' }, actors.quality);
  if (prep === 'filed') await act({ type: 'rectification_file', ...RECTIFICATION_RECORD }, actors.handler);
  if (prep === 'claimed' || prep === 'agreed')
    await act({ type: 'compensation_claim', claimant: 'sender', amountClaimed: 20, international: false, note: '要求退还邮费' });
  if (prep === 'agreed') await act({ type: 'compensation_agreement', amount: 20 });
  if (prep === 'suspended') await act({ type: 'suspend', reason: 'litigation', note: '已起诉' });
  if (prep === 'paused') await act({ type: 'pause', reason: '等待投诉人提供价值证明' });
  // The unit notice of a major case travels by the queue: let it arrive.
  if (prep === 'major') await settle();
  if (prep === 'returned') await act({ type: 'return', reason: '收件地址为越秀区东风中路，属越秀揽投部投递段' }, actors.handler);
  if (prep === 'extension-requested')
    await act(
      { type: 'request_extension', reason: '需向寄达地邮政调取投递记录', requestedDueAt: new Date(Date.parse(await replyDue()) + 3_600_000).toISOString() },
      actors.handler,
    );
  if (prep === 'assisted') await act({ type: 'assist', unitId: 'gz-yuexiu', task: '请核实投递记录' }, actors.handler);
  return { id: complaint.id, trackingCode: complaint.trackingCode, replyDueAt: await replyDue() };
}

/** Per matrix row, the complaint the last caller was refused on (nothing written: reusable). */
const untouched = new Map<RouteCase, Awaited<ReturnType<typeof prepare>>>();

const cases = MATRIX.flatMap((route) => CALLERS.map((caller) => ({ route, caller, status: route.expect[caller] ?? route.fallback })));

describe('permission matrix: every role × every route', () => {
  it('covers every route of the API', () => {
    const covered = new Set(MATRIX.map((r) => `${r.method} ${r.path}`));
    for (const r of ROUTES) expect(covered, `${r.method} ${r.path}`).toContain(`${r.method} ${r.path}`);
  });

  it.each(cases.map((c) => [c.route.method, `${c.route.path}${c.route.variant ? ` (${c.route.variant})` : ''}`, c.caller, c.status, c] as const))(
    '%s %s as %s → %i',
    async (_m, _p, _c, _s, c) => {
      const prepared = untouched.get(c.route) ?? (await prepare(c.route.prep));
      untouched.delete(c.route);
      const { id, trackingCode, replyDueAt } = prepared;
      const path = c.route.path.replace('{id}', id).replace('{code}', trackingCode).replace('{taskId}', 'A1').replace('{year}', '2027');
      const token = c.caller === 'anonymous' ? undefined : api.tokens[c.caller];
      const res = await api.request(c.route.method, path, { ...(token && { token }), ...(c.route.body && { body: c.route.body(id, replyDueAt) }) });
      // A refused call wrote nothing (fuzz.test.ts checks that for every route): the next caller of the row may
      // use the same complaint. One that may have changed it hands the next caller a fresh one.
      if (res.status >= 400) untouched.set(c.route, prepared);
      expect(res.status, JSON.stringify(res.body)).toBe(c.status);
    },
  );
});

describe('what each role sees', () => {
  it('shows a unit only its own worklist and never another unit’s complaint', async () => {
    const { id } = await prepare('dispatched');
    // The matrix above fills this worklist: page through it (the newest sorts last).
    const ownIds: string[] = [];
    let cursor: string | undefined;
    do {
      const own = await api.request('GET', `/complaints?unitId=gz-tianhe&status=dispatched&limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
        token: api.tokens.handler,
      });
      ownIds.push(...own.body.items.map((i: { id: string }) => i.id));
      cursor = own.body.cursor;
    } while (cursor);
    expect(ownIds).toContain(id);
    const foreign = await api.request('GET', '/complaints', { token: api.tokens.foreignHandler });
    expect(foreign.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    const sneaky = await api.request('GET', '/complaints?unitId=gz-tianhe', { token: api.tokens.foreignHandler });
    expect(sneaky.status).toBe(403);
  });

  it('hides a complaint from the staff member it is about, in reads and lists', async () => {
    const { service } = api.stack.container;
    const input = IntakeRequest.parse(intakeBody({ phone: randomMobile(), content: '投递员陈刚态度恶劣', category: 'attitude' }));
    const { complaint } = await service.submit(input, actors.agent as Actor, {});
    await service.act(
      complaint.id,
      { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1', subjectStaffIds: ['th-handler-2'] },
      actors.agent,
      undefined,
      decide,
    );
    expect((await api.request('GET', `/complaints/${complaint.id}`, { token: api.tokens.otherHandler })).status).toBe(404);
    const list = await api.request('GET', '/complaints?status=dispatched&limit=100', { token: api.tokens.otherHandler });
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(complaint.id);
  });

  it('hides a complaint from an agent it is about, in lists as well as by id', async () => {
    const { service } = api.stack.container;
    const input = IntakeRequest.parse(
      intakeBody({ phone: randomMobile(), content: '客服林某接电话时态度恶劣', category: 'attitude', subjectStaffIds: ['agent-lin'] }),
    );
    const { complaint } = await service.submit(input, actors.admin as Actor, {});
    const ids = async (token: string, query: string) =>
      (await api.request('GET', `/complaints?${query}`, { token })).body.items.map((i: { id: string }) => i.id);
    expect(await ids(api.tokens.admin, 'status=received&limit=100')).toContain(complaint.id);
    expect(await ids(api.tokens.agent, 'status=received&limit=100')).not.toContain(complaint.id);
    expect(await ids(api.tokens.agent, 'limit=100')).not.toContain(complaint.id);
    expect((await api.request('GET', `/complaints/${complaint.id}`, { token: api.tokens.agent })).status).toBe(404);
  });

  it('compares staff ids case-insensitively: TH-HANDLER-2 named at intake is th-handler-2', async () => {
    const { service } = api.stack.container;
    const input = IntakeRequest.parse(
      intakeBody({ phone: randomMobile(), content: '揽投员态度恶劣', category: 'attitude', subjectStaffIds: ['TH-HANDLER-2'] }),
    );
    const { complaint } = await service.submit(input, actors.agent as Actor, {});
    const asSubject = await api.request('POST', `/complaints/${complaint.id}/assignment`, {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-2' },
    });
    expect(asSubject.status).toBe(422);
    expect(asSubject.body.code).toBe('handler-is-subject');
    const assigned = await api.request('POST', `/complaints/${complaint.id}/assignment`, {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'TH-HANDLER-1' },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.handlerId).toBe('th-handler-1');
    const shouting = signToken({ sub: 'TH-HANDLER-2', role: 'handler', unitId: 'gz-tianhe' });
    for (const token of [api.tokens.otherHandler, shouting]) {
      expect((await api.request('GET', `/complaints/${complaint.id}`, { token })).status).toBe(404);
      const list = await api.request('GET', '/complaints?status=dispatched&limit=100', { token });
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(complaint.id);
    }
    // The assigned handler, spelled in upper case by the centre, still sees the complainant in full.
    expect((await api.request('GET', `/complaints/${complaint.id}`, { token: api.tokens.handler })).body.complainant.phone).toMatch(/^\+86\d{11}$/);
  });

  it('makes the responsible person named in a reply a subject: no reading, no assignment in round 2', async () => {
    const { id } = await prepare('dispatched');
    expect((await api.request('GET', `/complaints/${id}`, { token: api.tokens.otherHandler })).status).toBe(200);
    const reply = replyBody({ responsibleStaffId: 'TH-Handler-2', process: { ...replyBody().process, contactedAt: new Date().toISOString() } });
    expect((await api.request('POST', `/complaints/${id}/replies`, { token: api.tokens.handler, body: reply })).status).toBe(200);
    expect((await api.request('GET', `/complaints/${id}`, { token: api.tokens.otherHandler })).status).toBe(404);
    const list = await api.request('GET', '/complaints?status=replied&limit=100', { token: api.tokens.otherHandler });
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    const callback = { outcome: 'reached', attitude: 'dissatisfied', handlingQuality: 'consistent', dissatisfactionCause: 'poor_handling' };
    await settle();
    expect((await api.request('POST', `/complaints/${id}/callbacks`, { token: api.tokens.agent, body: callback })).body.round).toBe(2);
    const reassign = await api.request('POST', `/complaints/${id}/assignment`, {
      token: api.tokens.agent,
      body: { unitId: 'gz-tianhe', handlerId: 'th-handler-2', reason: '原处理人休假' },
    });
    expect(reassign.status).toBe(422);
    expect(reassign.body.code).toBe('handler-is-subject');
  });

  it('takes the case from a handler who names themself responsible when it comes back in round 2', async () => {
    const { id } = await prepare('dispatched');
    const reply = replyBody({ responsibleStaffId: 'th-handler-1', process: { ...replyBody().process, contactedAt: new Date().toISOString() } });
    expect((await api.request('POST', `/complaints/${id}/replies`, { token: api.tokens.handler, body: reply })).status).toBe(200);
    const callback = { outcome: 'reached', attitude: 'dissatisfied', handlingQuality: 'consistent', dissatisfactionCause: 'poor_handling' };
    await settle();
    const redispatched = await api.request('POST', `/complaints/${id}/callbacks`, { token: api.tokens.agent, body: callback });
    expect(redispatched.body, JSON.stringify(redispatched.body)).toMatchObject({ status: 'dispatched', round: 2, unitId: 'gz-tianhe' });
    expect(redispatched.body.handlerId).toBeUndefined();
    expect((await api.request('GET', `/complaints/${id}`, { token: api.tokens.handler })).status).toBe(404);
  });

  it('gives full identity to the assigned handler and the centre, masked to the leader and quality', async () => {
    const { id } = await prepare('dispatched');
    const phoneFor = async (token: string) => (await api.request('GET', `/complaints/${id}`, { token })).body.complainant.phone as string;
    expect(await phoneFor(api.tokens.handler)).toMatch(/^\+86\d{11}$/);
    expect(await phoneFor(api.tokens.agent)).toMatch(/^\+86\d{11}$/);
    expect(await phoneFor(api.tokens.leader)).toMatch(/\*{4}/);
    expect(await phoneFor(api.tokens.quality)).toMatch(/\*{4}/);
    expect(await phoneFor(api.tokens.otherHandler)).toMatch(/\*{4}/);
  });

  it('rejects a forged or expired token with 401', async () => {
    const forged = `${api.tokens.agent.slice(0, -4)}AAAA`;
    expect((await api.request('GET', '/complaints', { token: forged })).status).toBe(401);
    expect((await api.request('GET', '/complaints', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } })).status).toBe(401);
  });
});
