import { describe, expect, it } from 'vitest';
import { queuesFor, recentFrom } from '../../../console/src/worklist.ts';
import { ROLES } from '#domain/model.ts';
import { ListQuery, AssistListQuery } from '#domain/schemas.ts';
import { DeterminationListQuery, RectificationListQuery } from '#domain/quality-schemas.ts';
import { ROUTES } from '#http/routes.ts';

describe('the console’s queues', () => {
  it('send only queries the server accepts, on routes that exist, for every role (a badge request included)', () => {
    for (const role of ROLES) {
      for (const q of queuesFor(role)) {
        // Act: what the tab and its badge send
        const schema = {
          '/assists': AssistListQuery,
          '/determinations': DeterminationListQuery,
          '/rectifications': RectificationListQuery,
          '/complaints': ListQuery,
        }[q.route ?? '/complaints'];
        const asked = { ...q.query, limit: q.route ? '100' : '1', ...(q.route === undefined && { count: 'true' }) };
        const parsed = schema.safeParse(asked);
        // Assess
        expect(parsed.success, `${role} ${q.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        expect(
          ROUTES.some((r) => r.method === 'GET' && r.path === (q.route ?? '/complaints')),
          `${role} ${q.id}`,
        ).toBe(true);
      }
    }
  });

  it('name one queue per role that needs action (its count goes in the title), and no queue twice', () => {
    for (const role of ROLES) {
      const queues = queuesFor(role);
      expect(
        queues.filter((q) => q.action),
        role,
      ).toHaveLength(1);
      expect(new Set(queues.map((q) => q.id)).size, role).toBe(queues.length);
    }
  });

  it('count only queues that filter: a whole board (closed cases included) gets no badge', () => {
    for (const role of ROLES)
      for (const q of queuesFor(role)) if (Object.keys(q.query).length === 0 && q.route === undefined) expect(q.uncounted, `${role} ${q.id}`).toBe(true);
  });

  it('serve the unit’s 签收 queue and the overdue queues from the server, not by filtering a page', () => {
    expect(queuesFor('handler').find((q) => q.id === 'sign')?.query).toEqual({ status: 'dispatched', signed: 'false' });
    for (const role of ['agent', 'handler', 'leader', 'quality'])
      expect(queuesFor(role).find((q) => q.id === 'overdue')?.query, role).toEqual({ due: 'overdue' });
    expect(queuesFor('leader').find((q) => q.action)?.query).toEqual({ notice: 'unconfirmed' });
    // 延期申请 (decision 069): the leader's extensions to approve, a server queue the list query knows.
    expect(queuesFor('leader').find((q) => q.id === 'extensions')?.query).toEqual({ extension: 'requested' });
    expect(Object.keys(ListQuery.shape)).toContain('extension');
  });

  it.each([
    ['2026-12-02T04:00:00Z', '2026-10-26'],
    ['2026-12-25T15:59:00Z', '2026-10-26'], // 12-25 23:59 in Shanghai: still the month that opened 11-26
    ['2026-12-25T16:00:00Z', '2026-11-26'], // 12-26 00:00 in Shanghai: a new month
    ['2027-01-10T04:00:00Z', '2026-11-26'],
    ['2027-03-01T04:00:00Z', '2027-01-26'],
  ])('bound the justified list at %s to the statistics months from %s', (now, from) => {
    expect(recentFrom(new Date(now))).toBe(from);
  });

  it('give quality the justified determinations, the centre’s to-determine list and the rectifications to verify or overdue; the units their rectifications due and returned', () => {
    const of = (role: string) => Object.fromEntries(queuesFor(role).map((q) => [q.id, { route: q.route, query: q.query }]));
    expect(of('quality')).toMatchObject({
      justified: { route: '/determinations', query: { status: 'determined', justified: 'true' } },
      determine: { route: '/determinations', query: { status: 'pending' } },
      'rect-verify': { route: '/rectifications', query: { status: 'filed' } },
      'rect-overdue': { route: '/rectifications', query: { status: 'due' } },
    });
    expect(of('agent')['determine']).toEqual({ route: '/determinations', query: { status: 'pending' } });
    for (const role of ['handler', 'leader'])
      expect(of(role)).toMatchObject({
        'rect-due': { route: '/rectifications', query: { status: 'due' } },
        'rect-returned': { route: '/rectifications', query: { status: 'returned' } },
      });
    // The justified list of the months quality still works on, not every justified case ever (its count grew without bound).
    expect(queuesFor('quality').find((q) => q.id === 'justified')?.recent).toBe(true);
    expect(DeterminationListQuery.safeParse({ status: 'determined', justified: 'true', from: recentFrom(new Date()) }).success).toBe(true);
    // Overdue rectifications: the due rows past their deadline only — the server's `dueBefore`, listed and counted there.
    expect(queuesFor('quality').find((q) => q.id === 'rect-overdue')?.overdue).toBe(true);
    expect(
      queuesFor('quality')
        .filter((q) => q.overdue)
        .map((q) => q.id),
    ).toEqual(['rect-overdue']);
  });
});
