/**
 * `GET /directory` (decision 062): the runtime directory as the console reads it — units and handlers by id and
 * name, for every signed-in role, with no contact details; an admin's change shows within the 60 s cache window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { sh } from '#test/support/sla.ts';

let api: Api | undefined;
afterEach(async () => {
  await api?.stack.close();
  api = undefined;
});

interface Body {
  units: { id: string; name: string; kind: string; region: string; handlers: { id: string; name: string }[] }[];
}
const directory = async (a: Api, token = a.tokens.handler) => a.request('GET', '/directory', { token });
const admin = (a: Api, method: string, path: string, body?: unknown) => a.request(method, path, { token: a.tokens.admin, ...(body !== undefined && { body }) });

describe('GET /directory', () => {
  it('shows a handler an admin adds within 60 s, names only: no e-mail, mobile or leader in the body', async () => {
    const clock = new ManualClock(sh('2026-11-10 10:00'));
    api = await startApi({ clock, rateLimit: false });
    const before = await directory(api);
    expect(before.status).toBe(200);
    expect(before.headers.get('cache-control')).toBe('private, max-age=60');
    const tianhe = (before.body as Body).units.find((u) => u.id === 'gz-tianhe');
    expect(tianhe).toMatchObject({ name: expect.any(String), kind: expect.any(String), region: expect.any(String) });
    expect(tianhe?.handlers.map((h) => h.id)).not.toContain('th-handler-new');

    const put = await admin(api, 'PUT', '/admin/staff/th-handler-new', {
      name: '新处理人',
      role: 'handler',
      unitId: 'gz-tianhe',
      email: 'th-new@example.cn',
      mobile: '+8613900000099',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const unit = await admin(api, 'PUT', '/admin/units/gz-new', { name: '新建揽投部', kind: 'delivery_station', region: '广东省广州市海珠区', everyDay: true });
    expect(unit.status, JSON.stringify(unit.body)).toBe(200);
    clock.advance(60_000);

    const after = await directory(api);
    expect(after.status).toBe(200);
    const units = (after.body as Body).units;
    expect(units.find((u) => u.id === 'gz-tianhe')?.handlers).toContainEqual({ id: 'th-handler-new', name: '新处理人' });
    expect(units.find((u) => u.id === 'gz-new')).toMatchObject({ name: '新建揽投部', kind: 'delivery_station', region: '广东省广州市海珠区' });
    const text = JSON.stringify(after.body);
    expect(text).not.toMatch(/@|\+86|email|mobile|leader/i);
    expect(text).not.toContain('th-leader');
    // The same list for every role, the centre included.
    expect((await directory(api, api.tokens.agent)).body).toEqual(after.body);
  });

  it('answers an empty directory with no units (200), and anonymous with 401', async () => {
    api = await startApi({ clock: new ManualClock(sh('2026-11-10 10:00')), rateLimit: false, directory: 'empty' });
    const res = await directory(api);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ units: [] });
    expect((await api.request('GET', '/directory')).status).toBe(401);
  });
});
