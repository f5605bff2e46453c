/**
 * 协办 (assist tasks, decision 048) over HTTP on the local stack with a fake clock: the lead unit asks
 * another unit, the assisting unit sees its worklist and the complaint masked, answers; the lead unit
 * replies and the case closes; an overdue task e-mails the assisting unit's leader; strangers see nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import type { Complaint } from '#domain/model.ts';
import { signToken } from '#local/auth.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { local, sh } from '#test/support/sla.ts';

let api: Api | undefined;
afterEach(async () => {
  await api?.stack.close();
  api = undefined;
});

async function stackAt(start: string) {
  const clock = new ManualClock(sh(start));
  api = await startApi({ clock, rateLimit: false });
  const sent: EscalationMessage[] = [];
  const { queue } = api.stack;
  const send = queue.send.bind(queue);
  queue.send = async (messages: EscalationMessage[]) => {
    sent.push(...messages);
    return send(messages);
  };
  return { api, clock, sent };
}

const key = () => `assist-${crypto.randomUUID()}`;
const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const hubHandler = signToken({ sub: 'hub-handler-1', role: 'handler', unitId: 'gz-hub' });

async function dispatched(a: Api) {
  const filed = await a.request('POST', '/complaints', { body: intakeBody({ phone: mobile(), waybillNo: waybill() }), headers: { 'idempotency-key': key() } });
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  const id = filed.body.id as string;
  const assigned = await a.request('POST', `/complaints/${id}/assignment`, { token: a.tokens.agent, body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1' } });
  expect(assigned.status).toBe(200);
  return id;
}
const post = (a: Api, path: string, body: unknown, token: string) => a.request('POST', path, { token, body, headers: { 'idempotency-key': key() } });

describe('协办 over HTTP', () => {
  it('lets the lead unit ask the delivery office, which sees its worklist and the complaint masked, answers, and the lead replies and closes', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const id = await dispatched(api);

    const asked = await post(
      api,
      `/complaints/${id}/assists`,
      { unitId: 'gz-yuexiu', task: '请核实该邮件投递情况，投诉人电话13812345678' },
      api.tokens.handler,
    );
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body.assists).toMatchObject([{ id: 'A1', unitId: 'gz-yuexiu', status: 'open', requestedBy: 'th-handler-1' }]);
    // 1 working day of the every-day delivery office, Civil Code count: ends 18:30 the next day.
    expect(local((asked.body as Complaint).deadlines.find((d) => d.milestone === 'assist:A1')?.dueAt)).toBe('2026-03-03 18:30');

    const worklist = await api.request('GET', '/assists', { token: api.tokens.foreignHandler });
    expect(worklist.status).toBe(200);
    expect(worklist.body.items).toMatchObject([{ complaintId: id, taskId: 'A1', unitId: 'gz-yuexiu', leadUnitId: 'gz-tianhe', status: 'open' }]);
    expect(worklist.body.items[0].task).toContain('138****5678');

    const seen = await api.request('GET', `/complaints/${id}`, { token: api.tokens.foreignHandler });
    expect(seen.status).toBe(200);
    expect(seen.body.complainant.phone).toMatch(/\*{4}/);
    expect(seen.body.complainant.name).not.toBe('张三');
    expect(seen.body.waybillNo).toBeDefined();

    // The assisting unit writes nothing but its task reply; a stranger unit does not even see the complaint.
    expect((await post(api, `/complaints/${id}/contact`, { method: 'phone', note: '联系投诉人' }, api.tokens.foreignHandler)).status).toBe(403);
    expect((await api.request('GET', `/complaints/${id}`, { token: hubHandler })).status).toBe(404);
    expect((await api.request('GET', '/assists?unitId=gz-yuexiu', { token: hubHandler })).status).toBe(403);
    expect((await post(api, `/complaints/${id}/assists/A1/reply`, { findings: '2026-03-02 投递正常，签收人本人' }, hubHandler)).status).toBe(404);

    const vague = await post(api, `/complaints/${id}/assists/A1/reply`, { findings: '已处理，已经妥投' }, api.tokens.foreignHandler);
    expect(vague.status).toBe(422);
    expect(vague.body.errors[0].path).toBe('findings');

    const answered = await post(
      api,
      `/complaints/${id}/assists/A1/reply`,
      { findings: '经查该邮件于2026-03-01 15:20由投递员李四投递至天河北路100号物业收发室，收发室王五代签', facts: ['2026-03-01 15:20 物业收发室王五代签'] },
      api.tokens.foreignHandler,
    );
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect((await api.request('GET', '/assists', { token: api.tokens.foreignHandler })).body.items).toEqual([]);

    const lead = await api.request('GET', `/complaints/${id}`, { token: api.tokens.handler });
    expect(lead.body.assists[0]).toMatchObject({ status: 'answered', reply: { by: 'yx-handler-1', facts: ['2026-03-01 15:20 物业收发室王五代签'] } });
    expect(lead.body.deadlines.find((d: { milestone: string }) => d.milestone === 'assist:A1').state).toBe('met');
    expect(
      lead.body.history.filter((e: { type: string }) => e.type.startsWith('assist_')).map((e: { type: string; actor: { id: string } }) => [e.type, e.actor.id]),
    ).toEqual([
      ['assist_requested', 'th-handler-1'],
      ['assist_replied', 'yx-handler-1'],
    ]);

    const reply = await post(
      api,
      `/complaints/${id}/replies`,
      replyBody({
        situation: `协办单位查明：${lead.body.assists[0].reply.findings}`,
        process: { ...replyBody().process, contactedAt: sh('2026-03-02 09:00').toISOString() },
      }),
      api.tokens.handler,
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const closed = await post(
      api,
      `/complaints/${id}/callbacks`,
      { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' },
      api.tokens.agent,
    );
    expect(closed.body.status).toBe('closed');
    // Once the case has ended, the assisting unit no longer reads it.
    expect((await api.request('GET', `/complaints/${id}`, { token: api.tokens.foreignHandler })).status).toBe(404);
  });

  it('refuses an unknown unit, the lead unit itself and a deadline in the past, naming the field', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const id = await dispatched(api);
    const unknown = await post(api, `/complaints/${id}/assists`, { unitId: 'gz-nowhere', task: '请核实收寄情况' }, api.tokens.handler);
    expect([unknown.status, unknown.body.errors[0].path]).toEqual([422, 'unitId']);
    const self = await post(api, `/complaints/${id}/assists`, { unitId: 'gz-tianhe', task: '请核实收寄情况' }, api.tokens.handler);
    expect([self.status, self.body.errors[0].path]).toEqual([422, 'unitId']);
    const past = await post(
      api,
      `/complaints/${id}/assists`,
      { unitId: 'gz-hub', task: '请核实收寄情况', dueAt: sh('2026-03-02 08:00').toISOString() },
      api.tokens.handler,
    );
    expect([past.status, past.body.errors[0].path]).toEqual([422, 'dueAt']);
    // Only the lead unit asks: the centre's agent may not, a stranger unit does not see it.
    expect((await post(api, `/complaints/${id}/assists`, { unitId: 'gz-hub', task: '请核实收寄情况' }, api.tokens.agent)).status).toBe(403);
    expect((await post(api, `/complaints/${id}/assists`, { unitId: 'gz-hub', task: '请核实收寄情况' }, hubHandler)).status).toBe(404);
  });

  it('warns the assisting unit at 80 % and e-mails its leader and the operations director at the breach of an overdue task', async () => {
    const { api, sent } = await stackAt('2026-03-02 09:00');
    const id = await dispatched(api);
    // Two tasks at once: one answered in time, one left overdue with an earlier deadline asked for.
    await post(api, `/complaints/${id}/assists`, { unitId: 'gz-hub', task: '请核实封发记录' }, api.tokens.handler);
    const asked = await post(
      api,
      `/complaints/${id}/assists`,
      { unitId: 'gz-yuexiu', task: '请核实投递记录', dueAt: sh('2026-03-02 14:00').toISOString() },
      api.tokens.leader,
    );
    expect(local((asked.body as Complaint).deadlines.find((d) => d.milestone === 'assist:A2')?.dueAt)).toBe('2026-03-02 14:00');
    const hub = signToken({ sub: 'hub-handler-1', role: 'handler', unitId: 'gz-hub' });
    expect((await post(api, `/complaints/${id}/assists/A1/reply`, { findings: '2026-03-01 20:10 封发至天河投递部，总包号 12345678' }, hub)).status).toBe(200);

    await api.stack.timers.advanceTo(sh('2026-03-02 14:01'));
    await api.stack.queue.drain();
    const about = sent.filter((m) => m.complaintId === id && m.milestone.startsWith('assist'));
    expect(about.map((m) => [m.milestone, m.level, m.unitId])).toEqual([
      ['assist:A2', 'warning', 'gz-yuexiu'],
      ['assist:A2', 'breach', 'gz-yuexiu'],
    ]);
    const files = (await readdir(api.stack.outboxDir)).filter((f) => f.includes(id) && f.includes('assist') && f.endsWith('.eml'));
    expect(files).toHaveLength(2);
    const breach = await readFile(join(api.stack.outboxDir, files.find((f) => f.includes('breach')) ?? ''), 'utf8');
    expect(breach).toMatch(/^To: yuexiu-leader@example\.cn/m);
    expect(breach).toMatch(/^Cc: .*ops/m);
    const warning = await readFile(join(api.stack.outboxDir, files.find((f) => f.includes('warning')) ?? ''), 'utf8');
    expect(warning).toMatch(/^To: yuexiu-h1@example\.cn/m);
  });
});
