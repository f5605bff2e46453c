/**
 * Deadlines, timers and escalations through the real local stack (dynalite, the real handlers, the
 * local scheduler firing the real sla-check handler, one timer per complaint) on a fake clock.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import type { EscalationMessage } from '#domain/escalation.ts';
import type { Complaint } from '#domain/model.ts';
import type { SlaCheckOutcome } from '#app/sla-check.ts';
import { handler as slaCheck } from '#functions/sla-check/handler.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { local, sh } from '#test/support/sla.ts';

let api: Api | undefined;
afterEach(async () => {
  await api?.stack.close();
  api = undefined;
});

/** A stack on a manual clock; every escalation message put on the queue is recorded. */
async function stackAt(start: string) {
  const clock = new ManualClock(sh(start));
  api = await startApi({ clock, rateLimit: false });
  const { queue } = api.stack;
  const sent: EscalationMessage[] = [];
  const send = queue.send.bind(queue);
  queue.send = async (messages: EscalationMessage[]) => {
    sent.push(...messages);
    return send(messages);
  };
  return { api, clock, sent };
}

const mobile = () => `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `sla-${crypto.randomUUID()}`;

async function file(a: Api, overrides: Record<string, unknown> = {}) {
  const res = await a.request('POST', '/complaints', {
    body: intakeBody({ phone: mobile(), waybillNo: waybill(), ...overrides }),
    headers: { 'idempotency-key': key() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; trackingCode: string };
}
const post = async (a: Api, path: string, body: unknown, token: string) => {
  const res = await a.request('POST', path, { token, body, headers: { 'idempotency-key': key() } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Complaint;
};
const read = async (a: Api, id: string) => (await a.request('GET', `/complaints/${id}`, { token: a.tokens.agent })).body as Complaint;
const dueOf = (c: Complaint, milestone: string) => local(c.deadlines.find((d) => d.milestone === milestone)?.dueAt);
const about = (sent: EscalationMessage[], id: string) => sent.filter((m) => m.complaintId === id).map((m) => `${m.milestone} ${m.level}`);

describe('deadlines on the working calendar', () => {
  it('puts the deadlines of a complaint received Wednesday 2026-09-30 17:00 after the National Day holiday, for staff and on the tracking page', async () => {
    const { api } = await stackAt('2026-09-30 17:00');
    const { id, trackingCode } = await file(api);

    const received = await read(api, id);
    expect(dueOf(received, 'dispatch')).toBe('2026-10-08 09:00');
    expect(dueOf(received, 'appeal_risk')).toBe('2026-10-07 17:00');

    // The office-hours branch: 5 working days are 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13, ending
    // at 18:30 (Civil Code, decision 044); the 24 h first contact would end on the holiday 10-01, when the
    // branch is closed, so it ends when the branch reopens (SPEC: no office-hours deadline in non-working time).
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-branch', handlerId: 'br-handler-1' }, api.tokens.agent);
    const track = await api.request('GET', `/track/${trackingCode}`);
    expect(track.status).toBe(200);
    expect(track.body.deadlines.map((d: { milestone: string; dueAt: string; label: string }) => [d.milestone, d.label, local(d.dueAt)])).toEqual([
      ['first_contact', '首次联系您', '2026-10-08 08:30'],
      ['reply', '答复处理意见', '2026-10-13 18:30'],
    ]);
  });
});

describe('timers and escalations', () => {
  it('fires the warning and then the breach of the reply limit, each marking the complaint once', async () => {
    const { api, sent } = await stackAt('2026-09-30 17:00');
    const { id } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-branch', handlerId: 'br-handler-1' }, api.tokens.agent);
    // (the dev handler token belongs to gz-tianhe; an admin records the branch's contact)
    await post(api, `/complaints/${id}/contact`, { method: 'phone', note: '已电话联系投诉人，说明节后核查' }, api.tokens.admin);

    // Civil Code days (decision 044): due 10-13 18:30; warning at 80 % of its 51.5 working hours, 10-12 18:12.
    await api.stack.timers.advanceTo(sh('2026-10-12 18:13'));
    await api.stack.drain();
    expect(about(sent, id).filter((m) => m.startsWith('reply'))).toEqual(['reply warning']);
    await api.stack.timers.advanceTo(sh('2026-10-13 18:31'));
    expect(about(sent, id).filter((m) => m.startsWith('reply'))).toEqual(['reply warning', 'reply breach']);

    const c = await read(api, id);
    const reply = c.deadlines.find((d) => d.milestone === 'reply');
    expect(reply).toMatchObject({ state: 'breached', warnedAt: sh('2026-10-12 18:12').toISOString(), breachedAt: sh('2026-10-13 18:30').toISOString() });
    const replyEvents = c.history.filter((e) => e.data?.['milestone'] === 'reply' && e.actor.id === 'sla-check').map((e) => e.type);
    expect(replyEvents).toEqual(['deadline_warned', 'deadline_breached']);
    // The appeal risk (7 days after intake, seed 001) ran too: warned on day 5, breached on day 7 (a
    // holiday), still unanswered one working day later (10-09 08:30) → the quality manager.
    expect(about(sent, id).filter((m) => m.startsWith('appeal_risk'))).toEqual(['appeal_risk warning', 'appeal_risk breach', 'appeal_risk quality']);
    // Once per (complaint, milestone, round, level): with the effects drained in between, both progress
    // updates (after the appeal-risk and the reply breach) go out, as rounds 1 and 2.
    expect(new Set(sent.map((m) => `${m.complaintId}#${m.milestone}#${m.round}#${m.level}`)).size).toBe(sent.length);
  });

  it('runs warnings, breaches and quality escalations on ONE timer per complaint: each sent once, no firing wasted', async () => {
    const { api, sent } = await stackAt('2026-09-30 17:00');
    const { id } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-branch', handlerId: 'br-handler-1' }, api.tokens.agent);
    await post(api, `/complaints/${id}/contact`, { method: 'phone', note: '已电话联系投诉人，说明节后核查' }, api.tokens.admin);
    const { timers } = api.stack;
    const mine = () => timers.pending().filter((t) => t.payload.complaintId === id);
    expect(mine().map((t) => t.name)).toEqual([`sla-${id}`]);
    const arms: string[] = [];
    const arm = timers.arm.bind(timers);
    timers.arm = async (t, opts) => {
      if (t.payload.complaintId === id) arms.push(t.payload.at);
      return arm(t, opts);
    };

    // Past the reply's quality escalation (due 10-13 18:30 + 1 working day).
    const fired = (await timers.advanceTo(sh('2026-10-16 18:31'))).filter((f) => f.payload.complaintId === id);

    expect(fired.length).toBeGreaterThanOrEqual(4);
    expect(fired.every((f) => f.ok && f.name === `sla-${id}` && (f.result as SlaCheckOutcome).outcome === 'marked')).toBe(true);
    // Each firing re-armed the one timer once, at the next point — but the last: nothing left to arm.
    expect(arms).toHaveLength(fired.length - 1);
    expect(mine()).toEqual([]);
    // (The consumer also queues the complainant's progress update after a breach: not a timer's doing.)
    await api.stack.queue.drain();
    const escalations = about(sent, id).filter((m) => !m.startsWith('progress_update'));
    expect(escalations.sort()).toEqual(['appeal_risk breach', 'appeal_risk quality', 'appeal_risk warning', 'reply breach', 'reply quality', 'reply warning']);
  });

  it('sends no escalation at all for a complaint closed before its deadlines', async () => {
    const { api, sent } = await stackAt('2026-03-02 09:00');
    const { id } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    await post(
      api,
      `/complaints/${id}/replies`,
      replyBody({ process: { ...replyBody().process, contactedAt: sh('2026-03-02 09:00').toISOString() } }),
      api.tokens.handler,
    );
    const closed = await post(
      api,
      `/complaints/${id}/callbacks`,
      { outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' },
      api.tokens.agent,
    );
    expect(closed.status).toBe('closed');

    await api.stack.timers.advanceTo(sh('2026-04-30 09:00'));

    // Only the result, told to the complainant on closure; no escalation.
    expect(about(sent, id)).toEqual(['result complainant']);
    expect(api.stack.timers.pending().filter((t) => t.payload.complaintId === id)).toEqual([]);
    expect((await read(api, id)).nextDueAt).toBeUndefined();
  });

  it('writes one deadline_breached event and sends one message when the same timer fires three times', async () => {
    const { api, sent } = await stackAt('2026-03-02 09:00');
    const { id } = await file(api);
    const dueAt = (await read(api, id)).deadlines.find((d) => d.milestone === 'dispatch')!.dueAt;

    await api.stack.timers.advanceTo(dueAt);
    // The same firing delivered twice more (EventBridge delivers at least once).
    await slaCheck({ complaintId: id, at: dueAt });
    await slaCheck({ complaintId: id, at: dueAt });

    const c = await read(api, id);
    expect(c.history.filter((e) => e.type === 'deadline_breached')).toHaveLength(1);
    expect(about(sent, id).filter((m) => m.endsWith('breach'))).toEqual(['dispatch breach']);
  });

  it('tells the leaders of a major complaint at once, and the escalation consumer records leaders_notified', async () => {
    const { api, sent } = await stackAt('2026-03-02 22:00');
    const res = await api.request('POST', '/staff/complaints', {
      token: api.tokens.agent,
      body: intakeBody({ phone: mobile(), waybillNo: waybill(), keyAccount: true }),
      headers: { 'idempotency-key': key() },
    });
    expect(res.status).toBe(201);
    expect(res.body.severity).toBe('major');
    expect(about(sent, res.body.id)).toEqual(['major_notice leaders']);

    await api.stack.queue.drain();
    const c = await read(api, res.body.id);
    expect(c.deadlines.find((d) => d.milestone === 'leaders_notified')).toMatchObject({ state: 'met' });
    expect(c.history.map((e) => e.type)).toContain('leaders_notified');
  });

  it('lets the sweep catch a lost timer', async () => {
    const { api, clock, sent } = await stackAt('2026-03-02 09:00');
    const { id } = await file(api);
    const lost = api.stack.timers.pending().filter((t) => t.payload.complaintId === id);
    expect(lost.map((t) => t.name)).toEqual([`sla-${id}`]);
    await api.stack.timers.disarm(`sla-${id}`);
    clock.set(sh('2026-03-02 11:05'));

    const result = await api.stack.sweep();

    expect(result).toMatchObject({ marked: 1, failed: 0 });
    expect(about(sent, id)).toEqual(['dispatch breach']);
  });
});

describe('a day in the life, through to the outbox', () => {
  it('files on the Friday before Spring Festival 2026 and e-mails the reply warning, breach and quality escalation once each, on the right working days', async () => {
    const { api } = await stackAt('2026-02-13 17:00');
    const { id } = await file(api);
    // Dispatch: 2 working hours = Fri 17:00–18:30 + the make-up Saturday 2026-02-14 08:30–09:00.
    expect(dueOf(await read(api, id), 'dispatch')).toBe('2026-02-14 09:00');
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-branch', handlerId: 'br-handler-1' }, api.tokens.agent);
    await post(api, `/complaints/${id}/contact`, { method: 'phone', note: '已电话联系投诉人，春节后核查' }, api.tokens.admin);
    // Reply: 5 working days = Sat 02-14 (make-up), then after the holiday 02-24, 02-25, 02-26, 02-27, to its
    // close at 18:30 (Civil Code, decision 044).
    expect(dueOf(await read(api, id), 'reply')).toBe('2026-02-27 18:30');

    // Run the clock to the quality escalation: breach + 1 working day = the close of make-up Saturday 02-28.
    await api.stack.timers.advanceTo(sh('2026-02-28 18:31'));
    await api.stack.queue.drain();
    await api.stack.timers.advanceTo(sh('2026-03-06 09:00')); // later timers and sweeps change nothing
    await api.stack.queue.drain();

    const files = (await readdir(api.stack.outboxDir)).filter((f) => f.includes(id) && f.endsWith('.eml'));
    const reply = files.filter((f) => f.includes('-reply-')).map((f) => f.replace(/^.*-reply-r\d+-/, '').replace('.eml', ''));
    expect(reply.sort()).toEqual(['breach', 'quality', 'warning']);
    const quality = await readFile(join(api.stack.outboxDir, files.find((f) => f.endsWith('-reply-r1-quality.eml')) ?? ''), 'utf8');
    expect(quality).toMatch(/^To: quality@example\.cn/m);
  });
});

describe('escalation rules that are not timers', () => {
  it('raises the third complaint of one category against one unit within 7 days to major (seed 004)', async () => {
    const { api, sent } = await stackAt('2026-03-02 09:00');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await file(api, { category: 'fee', content: `资费多收，第${i + 1}位客户投诉同一营业部。` });
      await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-hub', handlerId: 'hub-handler-1' }, api.tokens.agent);
      ids.push(id);
    }
    const [first, second, third] = await Promise.all(ids.map((id) => read(api, id)));
    expect([first?.severity, second?.severity, third?.severity]).toEqual(['general', 'general', 'major']);
    expect(third?.severityReasons[0]).toMatch(/^system: third_in_7_days/);
    // The raise rides on the dispatch's write (the leaders' notice it owes is recorded after them).
    const dispatched = third?.history.findIndex((e) => e.type === 'dispatched') ?? -1;
    expect(third?.history.slice(dispatched, dispatched + 2).map((e) => [e.type, e.actor.id])).toEqual([
      ['dispatched', 'agent-lin'],
      ['severity_changed', 'rules'],
    ]);
    expect(about(sent, ids[2]!)).toContain('major_notice leaders');
    // Another category against the same unit does not count.
    const { id: other } = await file(api, { category: 'attitude', content: '营业员态度恶劣。' });
    expect((await post(api, `/complaints/${other}/assignment`, { unitId: 'gz-hub', handlerId: 'hub-handler-1' }, api.tokens.agent)).severity).toBe('general');
  });
});

describe('SLA commands over HTTP', () => {
  it('lets the unit leader extend the reply limit with a reason the complainant sees', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    const { id, trackingCode } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    const extended = await post(api, `/complaints/${id}/extensions`, { reason: '需调取外省处理中心监控录像' }, api.tokens.leader);
    expect(dueOf(extended, 'reply')).toBe('2026-03-17 18:30');

    const track = (await api.request('GET', `/track/${trackingCode}`)).body;
    expect(track.deadlines.find((d: { milestone: string }) => d.milestone === 'reply')).toMatchObject({ extended: { reason: '需调取外省处理中心监控录像' } });
    expect(track.milestones.at(-1)).toMatchObject({ label: '处理期限已延长', note: '需调取外省处理中心监控录像' });
  });

  it('pauses and resumes the unit’s clocks, moving the complaint’s timer', async () => {
    const { api, clock } = await stackAt('2026-03-02 09:00');
    const { id } = await file(api);
    await post(api, `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' }, api.tokens.agent);
    const paused = await post(api, `/complaints/${id}/pause`, { reason: '等待投诉人提供物品价值证明' }, api.tokens.handler);
    expect(paused.deadlines.find((d) => d.milestone === 'reply')?.state).toBe('paused');
    const timerOf = () =>
      api!.stack.timers
        .pending()
        .filter((t) => t.payload.complaintId === id)
        .map((t) => t.at.toISOString());
    expect(timerOf()).toEqual([paused.nextDueAt]);

    clock.set(sh('2026-03-04 09:00'));
    const resumed = await post(api, `/complaints/${id}/resume`, { note: '已收到发票照片' }, api.tokens.handler);
    // Two working days (10 h each at an every-day unit) later: 03-07 18:30 → 03-09 18:30 (Civil Code days end at 18:30, decision 044).
    expect(dueOf(resumed, 'reply')).toBe('2026-03-09 18:30');
    expect(timerOf()).toEqual([resumed.nextDueAt]);
  });
});

describe('the store queries behind the SLA rules', () => {
  it('pages the open-by-due index (GSI2) with a nextDueAt#id cursor, earliest first, across its shards', async () => {
    const { api } = await stackAt('2026-03-02 09:00');
    for (let i = 0; i < 7; i++) await file(api);
    const { store } = api.stack.container;
    const until = sh('2026-03-31 00:00').toISOString();
    const all = await store.dueBefore(until, 100);
    expect(all).toHaveLength(7);
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.dueBefore(until, 3, after);
      if (page.length === 0) break;
      pages.push(page.map((p) => p.id));
      const last = page[page.length - 1]!;
      after = `${last.nextDueAt}#${last.id}`;
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(all.map((p) => p.id));
  });

  it('counts a unit’s recent complaints of one category from its cluster day items, leaving out the complaint itself', async () => {
    const { api, clock } = await stackAt('2026-03-02 09:00');
    const assign = (id: string) => post(api, `/complaints/${id}/assignment`, { unitId: 'gz-yuexiu', handlerId: 'yx-handler-1' }, api.tokens.agent);
    const old = await file(api, { category: 'privacy', content: '快递员泄露了我的地址。' });
    await assign(old.id);
    clock.set(sh('2026-03-10 09:00'));
    const recent = await file(api, { category: 'privacy', content: '快递员把我的电话给了别人。' });
    await assign(recent.id);
    const { store } = api.stack.container;
    expect(await store.countRecentByUnitCategory('gz-yuexiu', 'privacy', sh('2026-03-03 09:00').toISOString())).toBe(1);
    expect(await store.countRecentByUnitCategory('gz-yuexiu', 'privacy', sh('2026-03-01 09:00').toISOString())).toBe(2);
    expect(await store.countRecentByUnitCategory('gz-yuexiu', 'privacy', sh('2026-03-01 09:00').toISOString(), recent.id)).toBe(1);
    expect(await store.countRecentByUnitCategory('gz-yuexiu', 'delay', sh('2026-03-01 09:00').toISOString())).toBe(0);
  });
});
