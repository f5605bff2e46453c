/**
 * The quality half of the loop over HTTP on the local stack with a fake clock (decisions 058, 059):
 * reply (proposal + a computed compensation quote) → callback → closed → determination → review →
 * monthly notice → 分析整改表 filed → returned → refiled → verified, with permissions, hostile bodies,
 * the worklists found by index, the rectification breach escalated on a closed case, and a claim.
 */
import { describe, expect, it } from 'vitest';
import type { EscalationMessage } from '#domain/escalation.ts';
import type { Complaint } from '#domain/model.ts';
import { DynamoQualityRows } from '#store/quality-lists.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { stacksOnFakeClock, type Api } from '#test/support/local.ts';
import { local, sh } from '#test/support/sla.ts';

const stackAt = stacksOnFakeClock();
const key = () => `quality-${crypto.randomUUID()}`;
const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const post = (a: Api, path: string, body: unknown, token: string, idem = key()) =>
  a.request('POST', path, { token, body, headers: { 'idempotency-key': idem } });

const record = (dueOn: string) => ({
  directCause: '分拣员未按规定核对邮编，邮件误发武汉',
  managementWeakness: '班组对分拣复核要求执行不到位，缺少抽查',
  responsibleUnitId: 'gz-tianhe',
  responsibleManager: '李主任',
  responsiblePerson: '王五',
  education: '对照规章指出错误，提出整改要求，班组会通报',
  corrective: [{ measure: '重新培训分拣复核流程', owner: '李主任', dueOn }],
  preventive: [{ measure: '每日班前会讲评分拣差错', owner: '张组长', dueOn }],
});

/** Filed, dispatched to gz-tianhe (or another unit), replied with the proposal and a quote, called back satisfied: closed. */
async function closedCase(a: Api, at: string, unit = { unitId: 'gz-tianhe', handlerId: 'th-handler-1', token: a.tokens.handler }): Promise<string> {
  const filed = await a.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }), headers: { 'idempotency-key': key() } });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const id = filed.body.id as string;
  expect((await post(a, `/complaints/${id}/assignment`, { unitId: unit.unitId, handlerId: unit.handlerId }, a.tokens.agent)).status).toBe(200);
  const { justified: _legacy, ...reply } = replyBody({ process: { ...replyBody().process, contactedAt: sh(at).toISOString() } });
  const quote = { cause: 'delay', network: 'express', itemType: 'parcel', postage: 18, postedOn: '2026-02-25', claimedOn: '2026-03-02' };
  const replied = await post(
    a,
    `/complaints/${id}/replies`,
    { ...reply, justifiedProposal: true, compensation: { offered: true, quote, amount: 18 } },
    unit.token,
  );
  expect(replied.status, JSON.stringify(replied.body)).toBe(200);
  expect(replied.body.reply).toMatchObject({ justifiedProposal: true, compensation: { offered: true, amount: 18, quoted: { liable: true, amountFen: 1800 } } });
  expect(replied.body.reply.compensation.quoted.steps.length).toBeGreaterThan(0);
  const closed = await post(a, `/complaints/${id}/callbacks`, { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' }, a.tokens.agent);
  expect(closed.body.status).toBe('closed');
  return id;
}

describe('有理由投诉 and 分析整改 over HTTP', () => {
  it('runs reply → determination → review → notice → filed → returned → refiled → verified on a closed case, each step in the history', async () => {
    const { api, clock } = await stackAt('2026-03-02 09:00');
    const id = await closedCase(api, '2026-03-02 09:00');

    // The worklist of the centre finds it by index, awaiting determination.
    const pending = await api.request('GET', '/determinations?status=pending', { token: api.tokens.agent });
    expect(pending.status).toBe(200);
    expect(pending.body.items.map((r: { complaintId: string }) => r.complaintId)).toContain(id);
    expect(pending.body.items.find((r: { complaintId: string }) => r.complaintId === id)).toMatchObject({
      proposal: true,
      state: 'pending',
      unitId: 'gz-tianhe',
    });

    // A handler cannot determine; the centre can.
    const body = { justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' };
    expect((await post(api, `/complaints/${id}/determination`, body, api.tokens.handler)).status).toBe(403);
    const determined = await post(api, `/complaints/${id}/determination`, body, api.tokens.agent);
    expect(determined.status, JSON.stringify(determined.body)).toBe(200);
    expect(determined.body).toMatchObject({ status: 'closed', determination: { justified: true, ground: 'our_fault', by: 'agent-lin', proposal: true } });
    const again = await post(api, `/complaints/${id}/determination`, { justified: false, ground: 'not_justified', reason: '再次界定' }, api.tokens.agent);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already-determined');

    // Quality reviews (confirms) it; the agent may not.
    expect((await post(api, `/complaints/${id}/determination-review`, { justified: true, reason: '复核属实' }, api.tokens.agent)).status).toBe(403);
    const reviewed = await post(api, `/complaints/${id}/determination-review`, { justified: true, reason: '复核属实，维持界定' }, api.tokens.quality);
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.determination.review).toMatchObject({ justified: true, by: 'qm-wu', previous: true });

    // The month's justified list, by index, for quality.
    const list = await api.request('GET', '/determinations?status=determined&justified=true&from=2026-02-26&to=2026-03-25', { token: api.tokens.quality });
    expect(list.body.items.map((r: { complaintId: string }) => r.complaintId)).toContain(id);
    const outside = await api.request('GET', '/determinations?status=determined&from=2026-03-26&to=2026-04-25', { token: api.tokens.quality });
    expect(outside.body.items.map((r: { complaintId: string }) => r.complaintId)).not.toContain(id);

    // The notice: only quality; the default takes every justified case of the month.
    expect((await post(api, '/rectification-notices', { period: '2026-03' }, api.tokens.agent)).status).toBe(403);
    clock.set(sh('2026-03-09 10:00'));
    const notice = await post(api, '/rectification-notices', { period: '2026-03' }, api.tokens.quality);
    expect(notice.status, JSON.stringify(notice.body)).toBe(200);
    expect(notice.body.noticed).toEqual(expect.arrayContaining([expect.objectContaining({ complaintId: id, unitId: 'gz-tianhe' })]));
    const noticedRow = notice.body.noticed.find((n: { complaintId: string }) => n.complaintId === id);
    expect(local(noticedRow.dueAt)).toBe('2026-03-14 10:00');
    const twice = await post(api, '/rectification-notices', { period: '2026-03', complaintIds: [id] }, api.tokens.quality);
    expect(twice.body).toMatchObject({ noticed: [], skipped: [{ complaintId: id, code: 'already-noticed' }] });

    // The unit's worklist by index: its own for the handler, all for quality; another unit neither sees nor files it.
    const owed = await api.request('GET', '/rectifications', { token: api.tokens.handler });
    expect(owed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ complaintId: id, status: 'due', unitId: 'gz-tianhe' })]));
    expect((await api.request('GET', '/rectifications?unitId=gz-yuexiu', { token: api.tokens.handler })).status).toBe(403);
    expect(
      (await api.request('GET', '/rectifications', { token: api.tokens.foreignHandler })).body.items.map((r: { complaintId: string }) => r.complaintId),
    ).not.toContain(id);
    expect(
      (await api.request('GET', '/rectifications?unitId=gz-tianhe', { token: api.tokens.quality })).body.items.map(
        (r: { complaintId: string }) => r.complaintId,
      ),
    ).toContain(id);
    expect((await post(api, `/complaints/${id}/rectification`, record('2026-03-20'), api.tokens.foreignHandler)).status).toBe(404);

    // Filed, returned, refiled, verified.
    clock.set(sh('2026-03-11 10:00'));
    const filed = await post(api, `/complaints/${id}/rectification`, record('2026-03-20'), api.tokens.handler);
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    expect(filed.body.rectification).toMatchObject({ status: 'filed', filings: 1 });
    expect(
      (await post(api, `/complaints/${id}/rectification-review`, { outcome: 'verified', reason: '单位自行确认整改完毕' }, api.tokens.handler)).status,
    ).toBe(403);
    const returned = await post(
      api,
      `/complaints/${id}/rectification-review`,
      { outcome: 'returned', reason: '预防措施不具体，请写明抽查频次' },
      api.tokens.quality,
    );
    expect(returned.body.rectification.status).toBe('returned');
    expect(
      (await api.request('GET', '/rectifications?status=returned', { token: api.tokens.leader })).body.items.map((r: { complaintId: string }) => r.complaintId),
    ).toContain(id);
    const refiled = await post(api, `/complaints/${id}/rectification`, record('2026-03-20'), api.tokens.leader);
    expect(refiled.body.rectification).toMatchObject({ status: 'filed', filings: 2 });
    const verified = await post(api, `/complaints/${id}/rectification-review`, { outcome: 'verified', reason: '措施具体，已落实' }, api.tokens.quality);
    expect(verified.status).toBe(200);
    expect(
      (await api.request('GET', '/rectifications?status=verified', { token: api.tokens.quality })).body.items.map(
        (r: { complaintId: string }) => r.complaintId,
      ),
    ).toContain(id);

    const read = await api.request('GET', `/complaints/${id}`, { token: api.tokens.quality });
    expect(read.body.status).toBe('closed');
    expect((read.body as Complaint).history.map((e) => e.type).filter((t) => t.startsWith('justified_') || t.startsWith('rectification_'))).toEqual([
      'justified_determined',
      'justified_reviewed',
      'rectification_noticed',
      'rectification_filed',
      'rectification_returned',
      'rectification_filed',
      'rectification_verified',
    ]);
    expect((read.body as Complaint).history.find((e) => e.type === 'justified_determined')?.data).toMatchObject({
      justified: true,
      ground: 'our_fault',
      reason: '分拣错误属我方责任',
    });
  });

  it('escalates an overdue rectification of a closed case: warning to the unit, breach to its leaders', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const sent: EscalationMessage[] = [];
    const send = api.stack.queue.send.bind(api.stack.queue);
    api.stack.queue.send = async (messages: EscalationMessage[]) => {
      sent.push(...messages);
      return send(messages);
    };
    const id = await closedCase(api, '2026-03-02 09:00');
    await post(api, `/complaints/${id}/determination`, { justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' }, api.tokens.agent);
    const notice = await post(api, '/rectification-notices', { period: '2026-03', complaintIds: [id] }, api.tokens.quality);
    expect(notice.body.noticed).toHaveLength(1);
    await api.stack.timers.advanceTo(sh('2026-03-07 09:05'));
    await api.stack.queue.drain();
    expect(sent.filter((m) => m.complaintId === id && m.milestone === 'rectification').map((m) => [m.milestone, m.level])).toEqual([
      ['rectification', 'warning'],
      ['rectification', 'breach'],
    ]);
    const read = await api.request('GET', `/complaints/${id}`, { token: api.tokens.quality });
    expect(read.body.status).toBe('closed');
    expect(read.body.deadlines.find((d: { milestone: string }) => d.milestone === 'rectification').state).toBe('breached');
  });

  it('answers hostile bodies with 4xx naming the field and writes nothing', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const id = await closedCase(api, '2026-03-02 09:00');
    const before = (await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body.version;
    const cases: [string, unknown, string, number, string][] = [
      ['unknown field', { justified: true, ground: 'our_fault', reason: '属实', hacked: 1 }, 'determination', 400, 'hacked'],
      ['emoji only', { justified: true, ground: 'our_fault', reason: '😀😀😀😀😀😀' }, 'determination', 400, 'reason'],
      ['10 KB reason', { justified: true, ground: 'our_fault', reason: '因'.repeat(10_240) }, 'determination', 400, 'reason'],
      ['ground contradicts', { justified: true, ground: 'not_justified', reason: '分拣错误属我方责任' }, 'determination', 400, 'ground'],
      ['review before determination', { justified: true, reason: '复核属实' }, 'determination-review', 409, ''],
      ['rectification before notice', record('2026-03-20'), 'rectification', 409, ''],
      ['measure date not a date', { ...record('2026-02-30') }, 'rectification', 400, 'corrective.0.dueOn'],
      ['claim with 3 decimals', { claimant: 'sender', amountClaimed: 1.005, note: '要求赔偿' }, 'compensation-claim', 400, 'amountClaimed'],
      ['payment before agreement', { amount: 10, paidAt: '2026-03-02T02:00:00Z' }, 'compensation-paid', 409, ''],
    ];
    for (const [name, body, route, status, field] of cases) {
      const res = await post(
        api,
        `/complaints/${id}/${route}`,
        body,
        route.startsWith('rect') ? api.tokens.handler : route === 'determination-review' ? api.tokens.quality : api.tokens.agent,
      );
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(status);
      if (field)
        expect(
          res.body.errors.map((e: { path: string }) => e.path),
          name,
        ).toContain(field);
    }
    const notice = await post(api, '/rectification-notices', { period: '2026-13', complaintIds: ['not-an-id'] }, api.tokens.quality);
    expect(notice.status).toBe(400);
    expect(notice.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['period', 'complaintIds.0']));
    const list = await api.request('GET', '/determinations?status=everything&cursor=%%%', { token: api.tokens.quality });
    expect(list.status).toBe(400);
    expect((await api.request('GET', '/rectifications?cursor=QUJD', { token: api.tokens.quality })).status).toBe(400);
    expect((await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body.version).toBe(before);
  });

  it('refuses a reply whose offered amount exceeds the quote (422 compensation.amount) and a malformed quote (400 inside it)', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const filed = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: mobile(), waybillNo: waybill() }),
      headers: { 'idempotency-key': key() },
    });
    const id = filed.body.id as string;
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    const reply = replyBody({ process: { ...replyBody().process, contactedAt: sh('2026-03-02 09:00').toISOString() } });
    const quote = { cause: 'delay', network: 'express', itemType: 'parcel', postage: 18, postedOn: '2026-02-25', claimedOn: '2026-03-02' };
    const above = await post(api, `/complaints/${id}/replies`, { ...reply, compensation: { offered: true, quote, amount: 50 } }, api.tokens.handler);
    expect(above.status).toBe(422);
    expect(above.body.errors).toEqual([expect.objectContaining({ path: 'compensation.amount' })]);
    const bad = await post(
      api,
      `/complaints/${id}/replies`,
      { ...reply, compensation: { offered: true, quote: { ...quote, postage: -1, extra: true } } },
      api.tokens.handler,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['compensation.quote.postage', 'compensation.quote.extra']));
    expect((await api.request('GET', `/complaints/${id}`, { token: api.tokens.agent })).body.status).toBe('dispatched');
  });
});

describe('the worklists read by index', () => {
  it('answers GET /determinations and GET /rectifications with GSI2 Queries and consistent reads, never a Scan', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const id = await closedCase(api, '2026-03-02 09:00');
    await post(api, `/complaints/${id}/determination`, { justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' }, api.tokens.agent);
    await post(api, '/rectification-notices', { period: '2026-03', complaintIds: [id] }, api.tokens.quality);
    const { doc } = api.stack.container;
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const original = doc.send.bind(doc);
    doc.send = ((command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return (original as (...a: unknown[]) => unknown)(command, ...rest);
    }) as typeof doc.send;
    const determined = await api.request('GET', '/determinations?status=determined', { token: api.tokens.quality, drain: false });
    const owed = await api.request('GET', '/rectifications?unitId=gz-tianhe', { token: api.tokens.quality, drain: false });
    doc.send = original;
    expect(determined.body.items.map((r: { complaintId: string }) => r.complaintId)).toContain(id);
    expect(owed.body.items.map((r: { complaintId: string }) => r.complaintId)).toContain(id);
    expect(sent.map((c) => c.name)).not.toContain('ScanCommand');
    expect(
      sent
        .filter((c) => c.name === 'QueryCommand')
        .map((c) => [c.input['IndexName'], (c.input['ExpressionAttributeValues'] as Record<string, unknown>)[':pk']]),
    ).toEqual([
      ['GSI2', 'DETERMINE#determined'],
      ['GSI2', 'RECT#owed'],
    ]);
  });
});

/** Every page of a list one row at a time with `count=true`: the rows, and the count each page answered. */
async function paged(a: Api, path: string, token: string): Promise<{ ids: string[]; counts: number[] }> {
  const ids: string[] = [];
  const counts: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await a.request('GET', `${path}${path.includes('?') ? '&' : '?'}limit=1&count=true${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...res.body.items.map((r: { complaintId: string }) => r.complaintId));
    counts.push(res.body.count);
    cursor = res.body.cursor;
    if (!cursor) break;
  }
  return { ids, counts };
}

/** The count of a list, checked against the list itself (one page of 100 holds these lists whole). */
async function countOf(a: Api, path: string, token: string): Promise<number> {
  const res = await a.request('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100&count=true`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.cursor, path).toBeUndefined();
  expect(res.body.count, path).toBe(res.body.items.length);
  return res.body.count;
}

describe('count=true on the quality worklists (issue 12/13)', () => {
  it('counts the whole list across pages, with the same filters and unit scoping as the list, by index', async () => {
    const { api, clock } = await stackAt('2026-03-02 09:00');
    const yuexiu = { unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', token: api.tokens.foreignHandler };
    const [a, b, c] = [await closedCase(api, '2026-03-02 09:00'), await closedCase(api, '2026-03-02 09:00'), await closedCase(api, '2026-03-02 09:00')];
    const d = await closedCase(api, '2026-03-02 09:00', yuexiu);

    // Across pages: every page of one row answers the whole list's count.
    const pages = await paged(api, '/determinations?status=pending', api.tokens.agent);
    expect(pages.ids.sort()).toEqual([a, b, c, d].sort());
    expect(new Set(pages.counts)).toEqual(new Set([4]));
    expect(await countOf(api, '/determinations?status=pending&unitId=gz-yuexiu', api.tokens.quality)).toBe(1);
    const justified = { justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' };
    for (const id of [a, b, d]) expect((await post(api, `/complaints/${id}/determination`, justified, api.tokens.agent)).status).toBe(200);
    expect(
      (await post(api, `/complaints/${c}/determination`, { justified: false, ground: 'not_justified', reason: '非我方原因' }, api.tokens.agent)).status,
    ).toBe(200);
    expect(await countOf(api, '/determinations?status=pending', api.tokens.agent)).toBe(0);
    expect(await countOf(api, '/determinations?status=determined', api.tokens.quality)).toBe(4);
    expect(await countOf(api, '/determinations?status=determined&justified=true', api.tokens.quality)).toBe(3);
    expect(await countOf(api, '/determinations?status=determined&justified=false', api.tokens.quality)).toBe(1);
    expect(await countOf(api, '/determinations?status=determined&justified=true&unitId=gz-tianhe', api.tokens.quality)).toBe(2);
    expect(await countOf(api, '/determinations?status=determined&from=2026-02-26&to=2026-03-25', api.tokens.quality)).toBe(4);
    expect(await countOf(api, '/determinations?status=determined&from=2026-03-26&to=2026-04-25', api.tokens.quality)).toBe(0);

    clock.set(sh('2026-03-09 10:00'));
    expect((await post(api, '/rectification-notices', { period: '2026-03' }, api.tokens.quality)).body.noticed).toHaveLength(3);
    expect(await countOf(api, '/rectifications', api.tokens.quality)).toBe(3);
    const rectPages = await paged(api, '/rectifications', api.tokens.quality);
    expect(rectPages.ids).toHaveLength(3);
    expect(new Set(rectPages.counts)).toEqual(new Set([3]));
    expect(await countOf(api, '/rectifications?unitId=gz-tianhe', api.tokens.quality)).toBe(2);
    // A unit counts its own only, whatever it asks.
    expect(await countOf(api, '/rectifications', api.tokens.leader)).toBe(2);
    expect(await countOf(api, '/rectifications?status=due', api.tokens.foreignHandler)).toBe(1);
    expect((await api.request('GET', '/rectifications?unitId=gz-yuexiu&count=true', { token: api.tokens.leader })).status).toBe(403);

    // Filed, then returned: the owed partition holds due and returned, each status counted apart.
    clock.set(sh('2026-03-11 10:00'));
    expect((await post(api, `/complaints/${a}/rectification`, record('2026-03-20'), api.tokens.handler)).status).toBe(200);
    expect((await post(api, `/complaints/${b}/rectification`, record('2026-03-20'), api.tokens.handler)).status).toBe(200);
    expect(await countOf(api, '/rectifications?status=filed', api.tokens.quality)).toBe(2);
    const back = { outcome: 'returned', reason: '预防措施不具体，请写明抽查频次' };
    expect((await post(api, `/complaints/${b}/rectification-review`, back, api.tokens.quality)).status).toBe(200);
    expect(await countOf(api, '/rectifications?status=filed', api.tokens.quality)).toBe(1);
    expect(await countOf(api, '/rectifications?status=returned', api.tokens.leader)).toBe(1);
    expect(await countOf(api, '/rectifications?status=due', api.tokens.quality)).toBe(1);
    expect(await countOf(api, '/rectifications?status=due', api.tokens.leader)).toBe(0);
    expect(await countOf(api, '/rectifications', api.tokens.quality)).toBe(2);
    // Overdue (the 5-day deadline of 2026-03-14 10:00 passed): d still due, b returned against the same due time.
    expect(await countOf(api, '/rectifications?status=due&dueBefore=2026-03-14T01:59:00Z', api.tokens.quality)).toBe(0);
    expect(await countOf(api, '/rectifications?status=due&dueBefore=2026-03-14T02:00:00Z', api.tokens.quality)).toBe(1);
    expect(await countOf(api, '/rectifications?dueBefore=2026-03-14T10:00:00%2B08:00', api.tokens.quality)).toBe(2);

    // By index: GSI2 Queries of keys and consistent reads of the filter attributes, never a Scan.
    const { doc } = api.stack.container;
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const original = doc.send.bind(doc);
    doc.send = ((command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) => {
      sent.push({ name: command.constructor.name, input: command.input });
      return (original as (...a: unknown[]) => unknown)(command, ...rest);
    }) as typeof doc.send;
    const counted = await api.request('GET', '/determinations?status=determined&justified=true&limit=1&count=true', {
      token: api.tokens.quality,
      drain: false,
    });
    doc.send = original;
    expect(counted.body.count).toBe(3);
    expect(sent.map((s) => s.name)).not.toContain('ScanCommand');
    const queries = sent.filter((s) => s.name === 'QueryCommand');
    expect(queries.map((q) => q.input['IndexName'])).toEqual(['GSI2', 'GSI2']);
    expect(queries.filter((q) => q.input['ProjectionExpression'] === 'PK, SK')).toHaveLength(1);

    // Bounded: past its bound of rows read a count stops and says it is a lower bound.
    const small = new DynamoQualityRows(doc, api.stack.container.tableName, 2);
    expect(await small.countDeterminations({ state: 'determined' })).toEqual({ count: 2, capped: true });
    // The bound is on rows read, not rows counted: of the first two read, at most one is the case not justified.
    const one = await small.countDeterminations({ state: 'determined', justified: false });
    expect(one.capped).toBe(true);
    expect(one.count).toBeLessThanOrEqual(1);
    expect(await new DynamoQualityRows(doc, api.stack.container.tableName, 5).countDeterminations({ state: 'determined' })).toEqual({
      count: 4,
      capped: false,
    });
  }, 60_000);

  it('answers 400 for a bad count or filter, and no count unless asked', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    for (const path of [
      '/determinations?count=yes',
      '/determinations?status=everything&count=true',
      '/determinations?count=true&from=2026-02-30',
      '/rectifications?count=1',
      '/rectifications?status=owed&count=true',
      '/rectifications?dueBefore=tomorrow&count=true',
    ]) {
      const res = await api.request('GET', path, { token: api.tokens.quality });
      expect(res.status, path).toBe(400);
    }
    const plain = await api.request('GET', '/determinations', { token: api.tokens.quality });
    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty('count');
    expect((await api.request('GET', '/rectifications?count=true', { token: api.tokens.quality })).body.count).toBe(0);
  });
});

describe('赔偿申请 over HTTP', () => {
  it('records a claim (acknowledged), the agreement and the payment, and shows the clocks on the tracking page in Chinese', async () => {
    const { api, clock } = await stackAt('2026-09-28 09:00');
    const filed = await api.request('POST', '/complaints', {
      body: intakeBody({ phone: mobile(), waybillNo: waybill() }),
      headers: { 'idempotency-key': key() },
    });
    const id = filed.body.id as string;
    const code = filed.body.trackingCode as string;
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    expect(
      (await post(api, `/complaints/${id}/compensation-claim`, { claimant: 'sender', amountClaimed: 30, note: '要求赔偿' }, api.tokens.quality)).status,
    ).toBe(403);
    const claimed = await post(
      api,
      `/complaints/${id}/compensation-claim`,
      { claimant: 'sender', amountClaimed: 30, note: '要求赔偿邮费' },
      api.tokens.handler,
    );
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body.claim).toMatchObject({ amountClaimedFen: 3000, international: false });
    clock.set(sh('2026-09-29 10:00'));
    const agreed = await post(api, `/complaints/${id}/compensation-agreement`, { amount: 25.5 }, api.tokens.agent);
    expect(local(agreed.body.deadlines.find((d: { milestone: string }) => d.milestone === 'claim_pay').dueAt)).toBe('2026-10-14 18:30');
    const tracked = await api.request('GET', `/track/${code}`);
    expect(tracked.body.deadlines.map((d: { label: string }) => d.label)).toEqual(expect.arrayContaining(['受理您的赔偿申请', '赔偿处理完毕', '支付赔偿款']));
    expect(tracked.body.compensation.status).toBe('已协商赔偿25.50元，将在7个工作日内支付');
    expect(JSON.stringify(tracked.body)).not.toMatch(/th-handler|agent-lin/);
    const paid = await post(api, `/complaints/${id}/compensation-paid`, { amount: 25.5, paidAt: sh('2026-09-29 10:00').toISOString() }, api.tokens.agent);
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.history.at(-1)).toMatchObject({ type: 'compensation_paid', data: { amountFen: 2550 } });
    expect(
      (await post(api, `/complaints/${id}/compensation-paid`, { amount: 25.5, paidAt: sh('2026-09-29 10:00').toISOString() }, api.tokens.agent)).status,
    ).toBe(409);
  });
});
