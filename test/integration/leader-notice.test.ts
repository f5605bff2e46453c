/**
 * The major/urgent leaders' notice over HTTP on the local stack with a fake clock (seed 000 五3,
 * decision 049): e-mail + SMS with a confirm link to the dispatched unit's leader and the operations
 * director, the link page that confirms nothing, the POST that does, quality after 30 minutes
 * unconfirmed, re-notice on a move, media → quality at once, forged tokens refused.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { signNoticeToken } from '#domain/leader-notice.ts';
import type { Complaint } from '#domain/model.ts';
import { signToken } from '#local/auth.ts';
import { ChannelStore } from '#store/channel-store.ts';
import { intakeBody } from '#test/support/fixtures.ts';
import { stacksOnFakeClock, type Api } from '#test/support/local.ts';
import { parseEml, type ParsedMail } from '#test/support/mime.ts';
import { sh } from '#test/support/sla.ts';

const stackAt = stacksOnFakeClock();

const mobile = () => `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `ln-${crypto.randomUUID()}`;
const MAJOR = '邮件里是我的护照原件，今天必须找到，再不处理我就打12315投诉！';

async function file(a: Api, overrides: Record<string, unknown> = {}) {
  const res = await a.request('POST', '/complaints', {
    body: intakeBody({ phone: mobile(), waybillNo: waybill(), content: MAJOR, ...overrides }),
    headers: { 'idempotency-key': key() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await settle(a);
  return res.body as { id: string };
}
async function settle(a: Api) {
  await a.stack.timers.idle();
  await a.stack.queue.drain();
}
async function assign(a: Api, id: string, unitId: string, handlerId: string, reason?: string) {
  const res = await a.request('POST', `/complaints/${id}/assignment`, {
    token: a.tokens.agent,
    body: { unitId, handlerId, ...(reason && { reason }) },
    headers: { 'idempotency-key': key() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await settle(a);
}
const read = async (a: Api, id: string) => (await a.request('GET', `/complaints/${id}`, { token: a.tokens.agent })).body as Complaint;
async function mails(a: Api, id: string): Promise<ParsedMail[]> {
  const files = (await readdir(a.stack.outboxDir)).filter((f) => f.endsWith('.eml')).sort();
  const all = await Promise.all(files.map(async (f) => parseEml(await readFile(join(a.stack.outboxDir, f), 'utf8'))));
  return all.filter((m) => m.headers.get('x-dedupe-key')?.startsWith(`${id}#`));
}
const texts = async (a: Api, id: string) => (await readSmsOutbox(a.stack.outboxDir)).filter((l) => l.dedupeKey.startsWith(`${id}#`));
const linkIn = (text: string): string => {
  const found = /https?:\/\/\S+\/notices\/confirm\?t=[A-Za-z0-9_.%-]+/.exec(text)?.[0];
  if (!found) throw new Error(`no confirm link in: ${text}`);
  return found;
};
/** The same path on the test stack (the directory's console URL is the deployed origin). */
const onStack = (a: Api, link: string) => `${a.stack.url}${new URL(link).pathname}${new URL(link).search}`;
const confirmEvents = (c: Complaint) => c.history.filter((e) => e.type === 'notice_confirmed');

describe('the leaders’ notice of a major complaint (seed 000 五3(1))', () => {
  it('tells the director at intake and the dispatched unit’s leader at dispatch, each by e-mail and SMS with a confirm link; the link page confirms nothing, its button does, once', async () => {
    const { api } = await stackAt('2026-03-02 10:00');
    // Prepare: a major complaint, then its dispatch to Tianhe (the suggestion would also be Tianhe).
    const { id } = await file(api);
    const atIntake = await mails(api, id);
    expect(atIntake.map((m) => m.headers.get('to'))).toEqual(['ops-director@example.cn']);
    await assign(api, id, 'gz-yuexiu', 'yx-handler-1');

    // Assess: the Yuexiu leader (the unit it went to, not the suggested Tianhe) got an e-mail and an SMS.
    const leaderMail = (await mails(api, id)).find((m) => m.headers.get('to') === 'yuexiu-leader@example.cn');
    expect(leaderMail, 'the unit leader’s e-mail').toBeDefined();
    expect((await mails(api, id)).some((m) => m.headers.get('to') === 'tianhe-leader@example.cn')).toBe(false);
    const body = leaderMail!.parts[0]!.body;
    expect(body).toContain('处理单位：越秀揽投部');
    expect(body).not.toMatch(/1\d{10}/);
    expect(body).not.toContain('张三');
    const sms = await texts(api, id);
    expect(sms.map((l) => l.to).sort()).toEqual(['+8613900000001', '+8613900000012']);
    for (const l of sms) expect(l.text).toMatch(/^【邮政客服】(重大|紧急)投诉C[0-9A-Z]{16}.*确认收到：http/);
    const directorSms = sms.find((l) => l.to === '+8613900000001')!;

    // Act: the link is fetched (as a mail scanner would) — nothing is written.
    const link = onStack(api, linkIn(body));
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('张主任');
    expect(confirmEvents(await read(api, id))).toEqual([]);

    // Act: the button POSTs; a second press records nothing more.
    const first = await fetch(link, { method: 'POST', headers: { accept: 'text/html' } });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('已确认收到');
    const again = await fetch(link, { method: 'POST' });
    expect(await again.json()).toMatchObject({ notices: [{ outcome: 'already' }] });

    // Assess: the history says who confirmed, when and how; the director's own link still stands open.
    let c = await read(api, id);
    expect(confirmEvents(c)).toEqual([
      expect.objectContaining({
        at: sh('2026-03-02 10:00').toISOString(),
        data: expect.objectContaining({ recipientId: 'yx-leader', via: 'link', late: false }),
      }),
    ]);
    expect(c.deadlines.filter((d) => d.milestone === 'leaders_confirm').map((d) => d.state)).toEqual(['pending', 'met']);

    // The director confirms by the SMS link: every notice of the case is confirmed.
    const viaSms = await fetch(onStack(api, linkIn(directorSms.text)), { method: 'POST' });
    expect(viaSms.status).toBe(200);
    c = await read(api, id);
    expect(c.deadlines.filter((d) => d.milestone === 'leaders_confirm').map((d) => d.state)).toEqual(['met', 'met']);
  });

  it('texts a leader whose phone opted out of complainant texts (TD) and used up its receipts: staff SMS bypass the complainant guard', async () => {
    const { api, clock } = await stackAt('2026-03-02 10:00');
    // Prepare: the director's mobile once texted TD and has had three receipts today, as a complainant.
    const channels = new ChannelStore(api.stack.container.doc, api.stack.container.tableName);
    await channels.optOut('+8613900000001', clock.now());
    for (let i = 0; i < 3; i++) await channels.takeReceiptSlot('+8613900000001', '2026-03-02', `receipt#other-${i}`, 3);
    // Act
    const { id } = await file(api);
    // Assess: the duty notice went anyway.
    expect((await texts(api, id)).map((l) => l.to)).toEqual(['+8613900000001']);
  });

  it('e-mails the quality manager, naming who did not confirm, when a notice is unconfirmed 30 minutes after it went out', async () => {
    const { api, clock } = await stackAt('2026-03-02 10:00');
    const { id } = await file(api);
    await assign(api, id, 'gz-tianhe', 'th-handler-1');
    // The unit signs for it (签收), so the mail's recent history is about the notice, not a 签收 breach.
    expect((await api.request('POST', `/complaints/${id}/sign`, { token: api.tokens.handler, body: {}, headers: { 'idempotency-key': key() } })).status).toBe(
      200,
    );
    // The director confirms signed in at the console; the Tianhe leader never does.
    // The director has no unit: signed in with a centre-wide role (any staff role whose id the notice went to may confirm).
    const director = signToken({ sub: 'dir-zhou', role: 'quality' });
    const res = await api.request('POST', `/complaints/${id}/notice-confirmation`, { token: director, body: {}, headers: { 'idempotency-key': key() } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.notices).toEqual([expect.objectContaining({ outcome: 'recorded' })]);
    expect((await mails(api, id)).some((m) => m.headers.get('to') === 'quality@example.cn')).toBe(false);

    // Act: 30 minutes pass.
    await api.stack.timers.advanceTo(new Date(clock.now().getTime() + 31 * 60_000));
    await settle(api);

    // Assess: one quality e-mail naming the unit leader (not the director, who confirmed).
    const quality = (await mails(api, id)).filter((m) => m.headers.get('to') === 'quality@example.cn');
    expect(quality).toHaveLength(1);
    expect(quality[0]!.subject).toContain('未确认收到');
    expect(quality[0]!.parts[0]!.body).toMatch(/未确认收到：李主任（天河揽投部分管领导）/);
    // The director confirmed: named in the history lines, not among those who did not confirm.
    expect(quality[0]!.parts[0]!.body).not.toMatch(/未确认收到：[^\n]*周总监/);
    expect(quality[0]!.parts[0]!.body).toContain('周总监确认收到重大紧急投诉通报（系统内确认）');
    const c = await read(api, id);
    expect(c.history.filter((e) => e.type === 'escalated' && e.data?.['milestone'] === 'leaders_confirm')).toHaveLength(1);
    // A day later nothing more goes to quality about it.
    await api.stack.timers.advanceTo(new Date(clock.now().getTime() + 26 * 3_600_000));
    await settle(api);
    expect((await mails(api, id)).filter((m) => m.headers.get('to') === 'quality@example.cn')).toHaveLength(1);
  });

  it('tells the new unit’s leader when a major case moves to another unit, with a new confirm clock', async () => {
    const { api } = await stackAt('2026-03-02 10:00');
    const { id } = await file(api);
    await assign(api, id, 'gz-tianhe', 'th-handler-1');
    await assign(api, id, 'gz-hub', 'hub-handler-1', '邮件滞留在处理中心，改派处理中心');

    const to = (await mails(api, id)).map((m) => m.headers.get('to'));
    expect(to.filter((t) => t === 'hub-leader@example.cn')).toHaveLength(1);
    expect(to.filter((t) => t === 'ops-director@example.cn')).toHaveLength(1);
    const c = await read(api, id);
    expect(c.deadlines.filter((d) => d.milestone === 'leaders_confirm').map((d) => d.notice?.recipients)).toEqual([
      ['dir-zhou'],
      ['th-leader'],
      ['hub-leader'],
    ]);
  });

  it('tells the leaders when a general complaint is raised to major by the centre after dispatch', async () => {
    const { api } = await stackAt('2026-03-02 10:00');
    const { id } = await file(api, { content: '邮件延误了三天还没到' });
    await assign(api, id, 'gz-tianhe', 'th-handler-1');
    expect(await mails(api, id)).toEqual([]);
    const res = await api.request('POST', `/complaints/${id}/severity`, {
      token: api.tokens.agent,
      body: { severity: 'major', reason: '重要客户，要求领导督办' },
      headers: { 'idempotency-key': key() },
    });
    expect(res.status).toBe(200);
    await settle(api);
    expect((await mails(api, id)).map((m) => m.headers.get('to')).sort()).toEqual(['ops-director@example.cn', 'tianhe-leader@example.cn']);
  });

  it('e-mails the quality manager at once, and once, about a complaint that brings in the media', async () => {
    const { api } = await stackAt('2026-03-02 10:00');
    const { id } = await file(api, { content: '快递丢了没人管，我已经联系了电视台记者，还要发到网上曝光！' });
    await assign(api, id, 'gz-tianhe', 'th-handler-1');
    await api.request('POST', `/complaints/${id}/chases`, {
      token: api.tokens.agent,
      body: { via: 'phone', note: '客户再次来电，说记者明天来采访' },
      headers: { 'idempotency-key': key() },
    });
    await settle(api);

    const quality = (await mails(api, id)).filter((m) => m.headers.get('to') === 'quality@example.cn');
    expect(quality).toHaveLength(1);
    expect(quality[0]!.subject).toContain('涉及媒体');
    const c = await read(api, id);
    expect(c.history.filter((e) => e.type === 'escalated' && e.data?.['milestone'] === 'media_notice')).toEqual([
      expect.objectContaining({ at: sh('2026-03-02 10:00').toISOString() }),
    ]);
  });

  it('refuses a forged, tampered or expired token with a 4xx and writes nothing', async () => {
    const { api, clock } = await stackAt('2026-03-02 10:00');
    const { id } = await file(api);
    await assign(api, id, 'gz-tianhe', 'th-handler-1');
    const before = await read(api, id);
    const forged = signNoticeToken(
      { complaintId: id, recipientId: 'th-leader', noticeId: 'major_notice.r0' },
      'not-the-stack-key-0123456789abcdef',
      clock.now(),
    );
    const link = linkIn((await mails(api, id)).find((m) => m.headers.get('to') === 'tianhe-leader@example.cn')!.parts[0]!.body);
    const token = new URL(link).searchParams.get('t')!;
    const tampered = `${Buffer.from(Buffer.from(token.split('.')[0]!, 'base64url').toString().replace('th-leader', 'dir-zhou')).toString('base64url')}.${token.split('.')[1]}`;
    for (const t of [forged, tampered, 'x'.repeat(40)]) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${api.stack.url}/notices/confirm?t=${encodeURIComponent(t)}`, { method });
        expect(res.status, `${method} ${t}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${t}`).toBeLessThan(500);
      }
    }
    expect((await fetch(`${api.stack.url}/notices/confirm`, { method: 'POST' })).status).toBe(400);
    // Expired: the genuine link, 73 hours later.
    clock.set(new Date(clock.now().getTime() + 73 * 3_600_000));
    expect((await fetch(onStack(api, link), { method: 'POST' })).status).toBe(404);
    const after = await read(api, id);
    expect(confirmEvents(after)).toEqual([]);
    expect(after.version).toBeGreaterThanOrEqual(before.version);
    expect(after.history.filter((e) => e.seq > before.version && e.type === 'notice_confirmed')).toEqual([]);
  });

  it('refuses a console confirmation by someone no notice went to', async () => {
    const { api } = await stackAt('2026-03-02 10:00');
    const { id } = await file(api);
    await assign(api, id, 'gz-tianhe', 'th-handler-1');
    const handler = await api.request('POST', `/complaints/${id}/notice-confirmation`, { token: api.tokens.handler, body: {} });
    expect(handler.status).toBe(403);
    const foreign = await api.request('POST', `/complaints/${id}/notice-confirmation`, { token: api.tokens.foreignHandler, body: {} });
    expect(foreign.status).toBe(404);
    const leader = await api.request('POST', `/complaints/${id}/notice-confirmation`, { token: api.tokens.leader, body: {} });
    expect(leader.status).toBe(200);
    expect(confirmEvents(await read(api, id))).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: 'th-leader', role: 'leader' }), data: expect.objectContaining({ via: 'console' }) }),
    ]);
  });
});
