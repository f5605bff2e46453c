import { describe, expect, it } from 'vitest';
import { publicView } from '#domain/public-view.ts';
import type { Deadline } from '#domain/model.ts';
import { complaint, ev, t0 } from '#test/support/complaint.ts';

const DAY = 24 * 3_600_000;
const at = (days: number) => new Date(Date.parse(t0) + days * DAY);
const appealRisk: Deadline = { milestone: 'appeal_risk', round: 1, startedAt: t0, dueAt: at(7).toISOString(), warnAt: at(5).toISOString(), state: 'pending' };
const pendingReply: Deadline = { milestone: 'reply', round: 1, startedAt: t0, dueAt: at(5).toISOString(), warnAt: at(4).toISOString(), state: 'pending' };

describe('the tracking page and the 12305 appeal route (seed 001 第六条、第九条)', () => {
  it('names 12305 once 7 days have passed without an answer', () => {
    const c = complaint({ deadlines: [pendingReply, appealRisk] });
    expect(publicView(c, at(7)).appeal).toEqual({ hotline: '12305', since: at(7).toISOString() });
  });

  it('not before the 7th day', () => {
    expect(publicView(complaint({ deadlines: [pendingReply, appealRisk] }), new Date(at(7).getTime() - 60_000)).appeal).toBeUndefined();
  });

  it('counts 7 days from intake when no appeal deadline is planned', () => {
    expect(publicView(complaint({ deadlines: [] }), at(7)).appeal?.since).toBe(at(7).toISOString());
  });

  it('not once the unit has answered, nor for a closed or withdrawn case', () => {
    expect(publicView(complaint({ status: 'replied', deadlines: [appealRisk] }), at(8)).appeal).toBeUndefined();
    expect(publicView(complaint({ status: 'closed', deadlines: [appealRisk] }), at(8)).appeal).toBeUndefined();
    expect(publicView(complaint({ status: 'withdrawn', deadlines: [appealRisk] }), at(8)).appeal).toBeUndefined();
  });
});

describe('an ended case on the tracking page', () => {
  it('a withdrawn case shows no pending deadline', () => {
    const c = complaint({ status: 'withdrawn', deadlines: [pendingReply], history: [...complaint().history, ev(7, 'withdrawn')] });
    expect(publicView(c, at(1)).deadlines).toEqual([]);
  });

  it('an open case still shows its pending deadline', () => {
    expect(publicView(complaint({ deadlines: [pendingReply] }), at(1)).deadlines.map((d) => d.state)).toEqual(['pending']);
  });

  it('a contested withdrawal tells the complainant the case goes on', () => {
    const c = complaint({ history: [...complaint().history, ev(7, 'withdrawal_contested', { confirmedVia: 'phone', note: '处理人员要求撤诉' })] });
    expect(publicView(c, at(1)).milestones.at(-1)).toEqual({
      type: 'withdrawal_contested',
      label: '您表示并非自愿撤诉，投诉继续处理',
      at: c.history.at(-1)?.at,
    });
  });
});
