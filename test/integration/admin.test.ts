/**
 * The runtime directory and the State Council notices (decisions 055, 056), over HTTP on the real
 * local stack with a fake clock: a notice loaded at run time moves the deadlines it changes and says
 * which; admins add handlers and change leaders without a deploy; removals that would orphan open
 * complaints are refused; every change is audited.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { readSmsOutbox } from '#adapters/local/sms.ts';
import { CachedRuntimeConfig } from '#app/runtime-config.ts';
import { readCalendarWatch } from '#domain/calendar/watch.ts';
import type { Complaint } from '#domain/model.ts';
import { signToken } from '#local/auth.ts';
import { DynamoDirectoryStore } from '#store/directory-store.ts';
import { intakeBody, NOTICE_2027 } from '#test/support/fixtures.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { parseEml } from '#test/support/mime.ts';
import { local, sh } from '#test/support/sla.ts';

let api: Api | undefined;
afterEach(async () => {
  await api?.stack.close();
  api = undefined;
});

const mobile = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const waybill = () => `EB${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`;
const key = () => `adm-${crypto.randomUUID()}`;

async function file(a: Api, phone = mobile()): Promise<string> {
  const res = await a.request('POST', '/complaints', { body: intakeBody({ phone, waybillNo: waybill() }), headers: { 'idempotency-key': key() } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

async function assign(a: Api, id: string, unitId: string, handlerId: string) {
  return a.request('POST', `/complaints/${id}/assignment`, { token: a.tokens.agent, body: { unitId, handlerId }, headers: { 'idempotency-key': key() } });
}

const get = async (a: Api, id: string) => (await a.request('GET', `/complaints/${id}`, { token: a.tokens.agent })).body as Complaint;
const deadline = (c: Complaint, milestone: string) => c.deadlines.find((d) => d.milestone === milestone);
const admin = (a: Api, method: string, path: string, body?: unknown) => a.request(method, path, { token: a.tokens.admin, ...(body !== undefined && { body }) });

describe('State Council notices loaded at run time', () => {
  it('moves the reply of a complaint filed on 2027-01-29 after 春节 when the 2027 notice moves the make-up day, lists it and clears 预计', async () => {
    // Prepare: provisional 2027 — Sunday 01-31 a predicted make-up day, so the reply is due Thursday 02-04
    const clock = new ManualClock(sh('2027-01-29 10:00'));
    api = await startApi({ clock, rateLimit: false });
    const phone = mobile();
    const id = await file(api, phone);
    expect((await assign(api, id, 'gz-branch', 'br-handler-1')).status).toBe(200);
    const before = await get(api, id);
    expect(local(deadline(before, 'reply')?.dueAt)).toBe('2027-02-04 18:30');
    expect(deadline(before, 'reply')?.provisional).toBe(true);
    expect(api.stack.container.config.current.calendar.yearStatus(2027)).toBe('provisional');

    // Act: the official notice has no make-up day on 01-31 (it is on Saturday 02-20)
    const res = await admin(api, 'PUT', '/admin/calendar/2027', NOTICE_2027);
    await api.stack.queue.drain();

    // Assess: 02-01 … 02-04 are 4 working days, 02-05 … 02-13 off, make-up Sunday 02-14 is the 5th
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ year: 2027, version: 1, outcome: 'loaded', replanned: 1 });
    expect(res.body.moved).toContainEqual({
      complaintId: id,
      milestone: 'reply',
      round: 1,
      from: deadline(before, 'reply')?.dueAt,
      to: sh('2027-02-14 18:30').toISOString(),
    });
    expect(res.body.moved.every((m: { complaintId: string }) => m.complaintId === id)).toBe(true);
    const after = await get(api, id);
    expect(local(deadline(after, 'reply')?.dueAt)).toBe('2027-02-14 18:30');
    expect(after.deadlines.filter((d) => d.state === 'pending').some((d) => d.provisional)).toBe(false);
    const replanned = after.history.find((e) => e.type === 'deadlines_replanned');
    expect(replanned).toMatchObject({ actor: { id: 'calendar', role: 'system' }, data: { year: 2027, version: 1, notice: NOTICE_2027.number } });
    // The complainant waits on the reply: told of the slip (seed 000 进展回复), once.
    const updates = (await readSmsOutbox(api.stack.outboxDir)).filter((l) => l.to === `+86${phone}` && l.dedupeKey.includes('progress_update'));
    expect(updates).toHaveLength(1);
    // The year is official now: the calendar watch stops alarming for it.
    expect(api.stack.container.config.current.calendar.yearStatus(2027)).toBe('official');
    expect(readCalendarWatch(api.stack.container.config.current.calendar, sh('2026-11-15 09:00')).alarm).toBe(false);
  });

  it('keeps every version with who loaded it, answers the same notice again as unchanged and re-plans nothing twice', async () => {
    const clock = new ManualClock(sh('2027-01-29 10:00'));
    api = await startApi({ clock, rateLimit: false });
    const id = await file(api);
    await assign(api, id, 'gz-branch', 'br-handler-1');
    expect((await admin(api, 'PUT', '/admin/calendar/2027', NOTICE_2027)).body.outcome).toBe('loaded');
    const again = await admin(api, 'PUT', '/admin/calendar/2027', NOTICE_2027);
    expect(again.body).toMatchObject({ version: 1, outcome: 'unchanged', replanned: 0, moved: [] });
    clock.advance(60_000);
    // A correction: 02-20 is not a make-up day after all — version 2, and the reply moves back? No: 02-14 stays the 5th day.
    const corrected = await admin(api, 'PUT', '/admin/calendar/2027', {
      ...NOTICE_2027,
      number: '国办发明电〔2026〕10号',
      makeupWorkdays: NOTICE_2027.makeupWorkdays.filter((d) => d !== '2027-02-20'),
    });
    expect(corrected.body).toMatchObject({ version: 2, outcome: 'loaded', moved: [] });
    const versions = await admin(api, 'GET', '/admin/calendar/2027');
    expect(versions.status).toBe(200);
    expect(
      versions.body.versions.map((v: { version: number; loadedBy: string; notice: { number: string } }) => [v.version, v.loadedBy, v.notice.number]),
    ).toEqual([
      [1, 'admin-root', '国办发明电〔2026〕9号'],
      [2, 'admin-root', '国办发明电〔2026〕10号'],
    ]);
    expect((await get(api, id)).history.filter((e) => e.type === 'deadlines_replanned')).toHaveLength(1);
  });

  it.each([
    ['a make-up day on a Monday', { makeupWorkdays: ['2027-02-15'] }, 'makeupWorkdays.0', /not a Saturday or Sunday/],
    ['a holiday in another year', { holidays: [...NOTICE_2027.holidays, { name: '元旦', from: '2028-01-01', to: '2028-01-01' }] }, 'holidays.7', /not in 2027/],
    ['a statutory day left out (中秋)', { holidays: NOTICE_2027.holidays.filter((h) => h.name !== '中秋节') }, 'holidays', /statutory holiday 2027-09-15/],
    ['a break that ends before it starts', { holidays: [{ name: '春节', from: '2027-02-13', to: '2027-02-05' }] }, 'holidays.0.to', /before it starts/],
    ['a number that is not a notice number', { number: '2027年放假通知' }, 'number', /国办发明电/],
    ['a URL off gov.cn', { url: 'https://example.com/notice' }, 'url', /gov\.cn/],
    ['a made-up field', { extra: true }, '(body)', /.+/],
  ])('refuses %s with 422 naming the field, and loads nothing', async (_what, change, path, message) => {
    api = await startApi({ clock: new ManualClock(sh('2026-11-10 10:00')), rateLimit: false });
    const res = await admin(api, 'PUT', '/admin/calendar/2027', { ...NOTICE_2027, ...change });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.code).toBe('invalid-notice');
    expect(res.body.errors).toContainEqual({ path, message: expect.stringMatching(message) });
    expect((await admin(api, 'GET', '/admin/calendar/2027')).body.versions).toEqual([]);
  });

  it('reaches another function’s calendar within 60 s of loading, not later', async () => {
    const clock = new ManualClock(sh('2026-11-10 10:00'));
    api = await startApi({ clock, rateLimit: false });
    // Another Lambda's process (the SLA check, the escalation consumer…): its own cache over the same table.
    const other = new CachedRuntimeConfig({ source: new DynamoDirectoryStore(api.stack.container.doc, api.stack.container.tableName), clock });
    const status = async () => (await other.refresh()).calendar.yearStatus(2027);
    expect(await status()).toBe('provisional');
    expect((await admin(api, 'PUT', '/admin/calendar/2027', NOTICE_2027)).body.outcome).toBe('loaded');
    clock.advance(59_000);
    expect(await status()).toBe('provisional');
    clock.advance(1_000);
    expect(await status()).toBe('official');
    // The working days of the other process follow the notice, not the prediction: Sunday 01-31 is off.
    expect((await other.refresh()).calendar.isWorkingDay(sh('2027-01-31 12:00'))).toBe(false);
  });

  it('refuses a non-admin (403) on every admin route', async () => {
    api = await startApi({ clock: new ManualClock(sh('2026-11-10 10:00')), rateLimit: false });
    for (const token of [api.tokens.agent, api.tokens.handler, api.tokens.leader, api.tokens.quality]) {
      expect((await api.request('PUT', '/admin/calendar/2027', { token, body: NOTICE_2027 })).status).toBe(403);
      expect((await api.request('GET', '/admin/directory', { token })).status).toBe(403);
      expect(
        (await api.request('PUT', '/admin/staff/x-1', { token, body: { name: '某某', role: 'handler', unitId: 'gz-tianhe', email: 'x@example.cn' } })).status,
      ).toBe(403);
      expect((await api.request('DELETE', '/admin/staff/th-handler-1', { token })).status).toBe(403);
    }
    expect((await api.request('PUT', '/admin/calendar/2027', { body: NOTICE_2027 })).status).toBe(401);
  });
});

describe('the directory run by admins', () => {
  it('lets a handler added by an admin be assigned at once', async () => {
    api = await startApi({ clock: new ManualClock(sh('2026-11-10 10:00')), rateLimit: false });
    const id = await file(api);
    expect((await assign(api, id, 'gz-tianhe', 'th-handler-9')).status).toBe(422);
    const put = await admin(api, 'PUT', '/admin/staff/th-handler-9', {
      name: '黄晓明',
      role: 'handler',
      unitId: 'gz-tianhe',
      email: 'tianhe-h9@example.cn',
      mobile: '13912345678',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ outcome: 'created', rev: 1, entry: { id: 'th-handler-9', mobile: '+8613912345678' } });
    const assigned = await assign(api, id, 'gz-tianhe', 'th-handler-9');
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.handlerId).toBe('th-handler-9');
    // The handler signs in with custom:staffId = th-handler-9 and sees the complaint.
    const token = signToken({ sub: 'th-handler-9', role: 'handler', unitId: 'gz-tianhe' });
    expect((await api.request('GET', `/complaints/${id}`, { token })).status).toBe(200);
  });

  it('e-mails the leader an admin put in place with the next escalation, not the one removed', async () => {
    const clock = new ManualClock(sh('2026-11-10 10:00'));
    api = await startApi({ clock, rateLimit: false });
    expect(
      (await admin(api, 'PUT', '/admin/staff/th-leader-2', { name: '何主任', role: 'leader', unitId: 'gz-tianhe', email: 'tianhe-leader-2@example.cn' }))
        .status,
    ).toBe(200);
    expect((await admin(api, 'DELETE', '/admin/staff/th-leader')).body.outcome).toBe('removed');
    const id = await file(api);
    expect((await assign(api, id, 'gz-tianhe', 'th-handler-1')).status).toBe(200);
    // Act: nobody contacts the complainant within 24 h → the breach goes to the unit leader
    await api.stack.timers.advanceTo(sh('2026-11-11 11:00'));
    await api.stack.queue.drain();
    const mails = await Promise.all(
      (await readdir(api.stack.outboxDir)).filter((f) => f.endsWith('.eml')).map(async (f) => parseEml(await readFile(join(api!.stack.outboxDir, f), 'utf8'))),
    );
    const breach = mails.filter((m) => m.headers.get('x-dedupe-key')?.startsWith(`${id}#first_contact#r1#breach`));
    expect(breach).toHaveLength(1);
    expect(breach[0]?.headers.get('to')).toBe('tianhe-leader-2@example.cn');
    expect(mails.some((m) => m.headers.get('to')?.includes('tianhe-leader@example.cn'))).toBe(false);
  });

  it('refuses to remove a handler who holds open complaints (409 listing them) until they are reassigned', async () => {
    api = await startApi({ clock: new ManualClock(sh('2026-11-10 10:00')), rateLimit: false });
    const a = await file(api);
    const b = await file(api);
    await assign(api, a, 'gz-tianhe', 'th-handler-2');
    await assign(api, b, 'gz-tianhe', 'th-handler-2');
    const refused = await admin(api, 'DELETE', '/admin/staff/TH-HANDLER-2');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('holds-open-complaints');
    expect(refused.body.openComplaints.map((c: { id: string }) => c.id).sort()).toEqual([a, b].sort());
    // Moving the handler to another unit is refused the same way; so is removing the unit.
    expect(
      (await admin(api, 'PUT', '/admin/staff/th-handler-2', { name: '陈刚', role: 'handler', unitId: 'gz-yuexiu', email: 'tianhe-h2@example.cn' })).status,
    ).toBe(409);
    const unit = await admin(api, 'DELETE', '/admin/units/gz-tianhe');
    expect(unit.status).toBe(409);
    expect(unit.body.openComplaints.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([a, b]));
    // Reassigned, the handler can go.
    for (const id of [a, b]) {
      const moved = await api.request('POST', `/complaints/${id}/assignment`, {
        token: api.tokens.agent,
        body: { unitId: 'gz-tianhe', handlerId: 'th-handler-1', reason: '原处理人调离' },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    }
    expect((await admin(api, 'DELETE', '/admin/staff/th-handler-2')).status).toBe(200);
    expect((await assign(api, await file(api), 'gz-tianhe', 'th-handler-2')).status).toBe(422);
  });

  it('validates entries (422 naming the field) and keeps the directory consistent', async () => {
    api = await startApi({ clock: new ManualClock(sh('2026-11-10 10:00')), rateLimit: false });
    const bad = await admin(api, 'PUT', '/admin/staff/x-1', { name: '某某', role: 'handler', email: 'not-an-email' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['email', 'unitId']));
    const unknownUnit = await admin(api, 'PUT', '/admin/staff/x-1', { name: '某某', role: 'handler', unitId: 'nowhere', email: 'x@example.cn' });
    expect(unknownUnit.status).toBe(422);
    expect(unknownUnit.body.errors).toContainEqual({ path: 'unitId', message: 'no unit “nowhere”' });
    const routing = await admin(api, 'PUT', '/admin/routing', { rules: [{ regionContains: ['海珠'], unitId: 'gz-haizhu' }], defaultUnitId: 'gz-branch' });
    expect(routing.status).toBe(422);
    expect((await admin(api, 'DELETE', '/admin/staff/dir-zhou')).status).toBe(409);
    // A new unit, then routing to it: a complaint from 海珠 is suggested there.
    expect(
      (await admin(api, 'PUT', '/admin/units/gz-haizhu', { name: '海珠揽投部', kind: 'delivery_station', region: '广东省广州市海珠区', everyDay: true }))
        .status,
    ).toBe(200);
    expect((await admin(api, 'PUT', '/admin/routing', { rules: [{ regionContains: ['海珠'], unitId: 'gz-haizhu' }], defaultUnitId: 'gz-branch' })).status).toBe(
      200,
    );
    const res = await api.request('POST', '/staff/complaints', {
      token: api.tokens.agent,
      body: intakeBody({ phone: mobile(), waybillNo: waybill(), region: '广东省广州市海珠区' }),
      headers: { 'idempotency-key': key() },
    });
    expect(res.status).toBe(201);
    expect((await get(api, res.body.id)).suggestedUnitId).toBe('gz-haizhu');
  });

  it('records an audit entry for every change: who, when, before and after', async () => {
    const clock = new ManualClock(sh('2026-11-10 10:00'));
    api = await startApi({ clock, rateLimit: false });
    await admin(api, 'PUT', '/admin/staff/th-handler-9', { name: '黄晓明', role: 'handler', unitId: 'gz-tianhe', email: 'tianhe-h9@example.cn' });
    clock.advance(1_000);
    await admin(api, 'PUT', '/admin/staff/th-handler-9', { name: '黄晓明', role: 'handler', unitId: 'gz-tianhe', email: 'h9@example.cn' });
    clock.advance(1_000);
    await admin(api, 'PUT', '/admin/staff/th-handler-9', { name: '黄晓明', role: 'handler', unitId: 'gz-tianhe', email: 'h9@example.cn' });
    clock.advance(1_000);
    await admin(api, 'DELETE', '/admin/staff/th-handler-9');
    clock.advance(1_000);
    await admin(api, 'PUT', '/admin/calendar/2027', NOTICE_2027);
    const audit = await admin(api, 'GET', '/admin/audit?limit=1000');
    expect(audit.status).toBe(200);
    const items = audit.body.items as Array<Record<string, unknown>>;
    expect(items[0]).toMatchObject({ entity: 'calendar', id: '2027', action: 'load', by: 'admin-root', rev: 1 });
    const mine = items.filter((i) => i['id'] === 'th-handler-9');
    // The unchanged third PUT records nothing.
    expect(mine.map((i) => [i['action'], i['rev'], i['by']])).toEqual([
      ['remove', 3, 'admin-root'],
      ['put', 2, 'admin-root'],
      ['put', 1, 'admin-root'],
    ]);
    expect(mine[1]).toMatchObject({
      before: { email: 'tianhe-h9@example.cn' },
      after: { email: 'h9@example.cn' },
      at: sh('2026-11-10 10:00:01').toISOString(),
    });
    expect(mine[0]).toMatchObject({ before: { email: 'h9@example.cn' } });
    expect(mine[0]?.['after']).toBeUndefined();
  });

  it('reaches another function’s cache within 60 s, not later', async () => {
    const clock = new ManualClock(sh('2026-11-10 10:00'));
    api = await startApi({ clock, rateLimit: false });
    // Another Lambda's process: its own cache over the same table.
    const other = new CachedRuntimeConfig({ source: new DynamoDirectoryStore(api.stack.container.doc, api.stack.container.tableName), clock });
    const handlers = async () => (await other.refresh()).directory.units.find((u) => u.id === 'gz-tianhe')?.handlers.map((h) => h.id) ?? [];
    expect(await handlers()).not.toContain('th-handler-9');
    await admin(api, 'PUT', '/admin/staff/th-handler-9', { name: '黄晓明', role: 'handler', unitId: 'gz-tianhe', email: 'tianhe-h9@example.cn' });
    clock.advance(59_000);
    expect(await handlers()).not.toContain('th-handler-9');
    clock.advance(1_000);
    expect(await handlers()).toContain('th-handler-9');
  });
});
