import { describe, expect, it } from 'vitest';
import type { Complaint, Deadline } from '#domain/model.ts';
import { dueBounds, inQueue, queueAttributes } from '#domain/queues.ts';

const deadline = (over: Partial<Deadline>): Deadline => ({
  milestone: 'reply',
  round: 1,
  startedAt: '2026-03-01T00:00:00.000Z',
  dueAt: '2026-03-05T02:00:00.000Z',
  warnAt: '2026-03-04T10:00:00.000Z',
  state: 'pending',
  ...over,
});
const complaint = (deadlines: Deadline[], over: Partial<Complaint> = {}) => ({ status: 'dispatched' as const, deadlines, ...over });

describe('queue attributes', () => {
  it('take the earliest running limit only: met, cancelled and paused limits do not count; a breached one does until met', () => {
    const attrs = queueAttributes(
      complaint([
        deadline({ milestone: 'sign', dueAt: '2026-03-01T01:00:00.000Z', warnAt: '2026-03-01T00:50:00.000Z', state: 'met', metAt: '2026-03-01T00:10:00.000Z' }),
        deadline({ milestone: 'contact', dueAt: '2026-03-02T01:00:00.000Z', warnAt: '2026-03-02T00:30:00.000Z', state: 'paused' }),
        deadline({ milestone: 'first', dueAt: '2026-03-03T01:00:00.000Z', warnAt: '2026-03-03T00:30:00.000Z', state: 'breached' }),
        deadline({}),
      ]),
    );
    expect(attrs).toEqual({ qDueAt: '2026-03-03T01:00:00.000Z', qWarnAt: '2026-03-03T00:30:00.000Z' });
  });

  it('list who a leaders’ notice still awaits, by staff key', () => {
    const notice = deadline({ milestone: 'leaders_confirm', notice: { id: 'n1', recipients: ['TH-Leader', 'ops-zhao'], awaiting: ['TH-Leader '] } });
    expect(queueAttributes(complaint([notice])).qNotice).toEqual(['th-leader']);
    expect(inQueue(complaint([notice]), { noticeAwaiting: 'th-leader' }, new Date())).toBe(true);
    expect(inQueue(complaint([notice]), { noticeAwaiting: 'ops-zhao' }, new Date())).toBe(false);
  });

  it('mark an open extension request (decision 069) and nothing once it is decided or cancelled', () => {
    const request = {
      round: 1,
      reason: '需调取投递记录',
      requestedDueAt: '2026-03-09T10:00:00.000Z',
      previousDueAt: '2026-03-05T02:00:00.000Z',
      by: 'th-handler-1',
      at: '2026-03-03T02:00:00.000Z',
    };
    const open = complaint([deadline({})], { extensionRequest: { ...request, status: 'open' } });
    expect(queueAttributes(open).qExtension).toBe('2026-03-03T02:00:00.000Z');
    expect(inQueue(open, { extensionRequested: true }, new Date())).toBe(true);
    for (const status of ['approved', 'refused', 'cancelled'] as const) {
      const ended = complaint([deadline({})], { extensionRequest: { ...request, status } });
      expect(queueAttributes(ended).qExtension, status).toBeUndefined();
      expect(inQueue(ended, { extensionRequested: true }, new Date()), status).toBe(false);
    }
    expect(inQueue(complaint([deadline({})]), { extensionRequested: true }, new Date())).toBe(false);
  });
});

describe('due windows', () => {
  it('cut days at Shanghai midnight (16:00 UTC), not at UTC midnight', () => {
    // 23:30 in Shanghai on 3 March = 15:30 UTC: today ends at 16:00 UTC; tomorrow is 4 March Shanghai.
    const now = new Date('2026-03-03T15:30:00.000Z');
    expect(dueBounds('today', now)).toEqual({ dueAtAbove: now.toISOString(), dueAtBelow: '2026-03-03T16:00:00.000Z' });
    expect(dueBounds('tomorrow', now)).toEqual({ dueAtFrom: '2026-03-03T16:00:00.000Z', dueAtBelow: '2026-03-04T16:00:00.000Z' });
    const dueAt = (iso: string) => complaint([deadline({ dueAt: iso, warnAt: '2026-03-03T15:00:00.000Z' })]);
    expect(inQueue(dueAt('2026-03-03T15:59:59.999Z'), { due: 'today' }, now)).toBe(true);
    expect(inQueue(dueAt('2026-03-03T16:00:00.000Z'), { due: 'today' }, now)).toBe(false);
    expect(inQueue(dueAt('2026-03-03T16:00:00.000Z'), { due: 'tomorrow' }, now)).toBe(true);
  });

  it('call a limit overdue from its due instant on, and warned between its warning and its due instant', () => {
    const c = complaint([deadline({ warnAt: '2026-03-03T10:00:00.000Z', dueAt: '2026-03-03T12:00:00.000Z' })]);
    expect(inQueue(c, { due: 'warning' }, new Date('2026-03-03T09:59:59.000Z'))).toBe(false);
    expect(inQueue(c, { due: 'warning' }, new Date('2026-03-03T10:00:00.000Z'))).toBe(true);
    expect(inQueue(c, { due: 'overdue' }, new Date('2026-03-03T11:59:59.000Z'))).toBe(false);
    expect(inQueue(c, { due: 'overdue' }, new Date('2026-03-03T12:00:00.000Z'))).toBe(true);
    expect(inQueue(c, { due: 'warning' }, new Date('2026-03-03T12:00:00.000Z'))).toBe(false);
  });
});
