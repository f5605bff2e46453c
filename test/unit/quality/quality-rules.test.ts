/**
 * The quality half of the loop as pure rules on the real planner and a fake clock (decisions 058, 059):
 * the two grounds of 有理由投诉, one determination per round, quality's override, the rectification
 * clock after the monthly notice (weekend, 80 % warning, breach, quality escalation, return and refile
 * on a closed case) and the claim's three clocks.
 */
import { describe, expect, it } from 'vitest';
import { Conflict, InvalidTransition, Unprocessable } from '#domain/errors.ts';
import type { Command } from '#domain/lifecycle.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import { publicView } from '#domain/public-view.ts';
import { statisticsPeriodOf, statisticsPeriodRange } from '#domain/statistics-period.ts';
import { markDuePoints } from '#domain/sla/mark.ts';
import { actors } from '#test/support/fixtures.ts';
import { act, assignBranch, assignTianhe, deadline, local, newComplaint, replyAt, sh, signFor, slaContext, view } from '#test/support/sla.ts';

const { planner, ctx } = slaContext();
const quality: Actor = actors.quality;
const catchError = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

const callbackSatisfied: Command = { type: 'callback', outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' };
const determineOurFault: Command = { type: 'determine', justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' };
const record = (dueOn = '2026-03-20'): Command => ({
  type: 'rectification_file',
  directCause: '分拣员未按规定核对邮编，邮件误发武汉',
  managementWeakness: '班组对分拣复核要求执行不到位，缺少抽查',
  responsibleUnitId: 'gz-branch',
  responsibleManager: '李主任',
  responsiblePerson: '王五',
  education: '对照规章指出错误，提出整改要求，班组会通报',
  assessment: '扣减当月质量考核分',
  corrective: [{ measure: '重新培训分拣复核流程', owner: '李主任', dueOn }],
  preventive: [{ measure: '每日班前会讲评分拣差错', owner: '张组长', dueOn }],
});

/** Replied (and closed after a satisfied callback) at an office-days branch, early in March 2026. */
function closedAtBranch(): Complaint {
  let c = act(ctx, act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignBranch, '2026-03-02 09:30'), signFor, '2026-03-02 09:35');
  c = act(ctx, c, replyAt('2026-03-02 15:00', { justified: undefined, justifiedProposal: true }), '2026-03-02 16:00', {
    id: 'br-handler-1',
    role: 'handler',
    unitId: 'gz-branch',
  });
  return act(ctx, c, callbackSatisfied, '2026-03-03 09:00');
}

describe('有理由投诉: the unit proposes, the centre determines, quality reviews', () => {
  it('records the unit’s proposal with the reply and starts no rectification clock by itself', () => {
    const c = closedAtBranch();
    expect(c.reply).toMatchObject({ justifiedProposal: true });
    expect(c.history.find((e) => e.type === 'replied')?.data).toMatchObject({ justifiedProposal: true });
    expect(c.deadlines.some((d) => d.milestone === 'rectification')).toBe(false);
  });

  it('accepts the old `justified` field as the proposal and refuses a reply without any proposal', () => {
    const base = act(ctx, act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30'), signFor, '2026-03-02 09:35');
    expect(act(ctx, base, replyAt('2026-03-02 15:00', { justified: false }), '2026-03-02 16:00').reply?.justifiedProposal).toBe(false);
    const err = catchError(() => act(ctx, base, replyAt('2026-03-02 15:00', { justified: undefined }), '2026-03-02 16:00'));
    expect(err).toBeInstanceOf(Unprocessable);
    expect(err).toMatchObject({ code: 'proposal-required', issues: [{ path: 'justifiedProposal' }] });
  });

  it('determines a closed complaint justified on the first ground (our fault) without reopening it', () => {
    const c = act(ctx, closedAtBranch(), determineOurFault, '2026-03-04 10:00');
    expect(c.status).toBe('closed');
    expect(c.determination).toMatchObject({ justified: true, ground: 'our_fault', proposal: true, by: 'agent-lin', round: 1 });
    expect(c.history.at(-1)).toMatchObject({
      type: 'justified_determined',
      actor: { id: 'agent-lin' },
      data: { justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' },
    });
  });

  it('refuses the second ground (uncooperative unit) when nothing on record shows the unit delayed', () => {
    const err = catchError(() =>
      act(ctx, closedAtBranch(), { type: 'determine', justified: true, ground: 'uncooperative_unit', reason: '单位推诿' }, '2026-03-04 10:00'),
    );
    expect(err).toMatchObject({ code: 'no-uncooperation-on-record', issues: [{ path: 'ground' }] });
  });

  it('accepts the second ground when an assist task was answered late (seed 000 四(二)5(2))', () => {
    let c = act(ctx, act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30'), signFor, '2026-03-02 09:35');
    c = act(ctx, c, { type: 'assist', unitId: 'gz-yuexiu', task: '请核实收寄情况' }, '2026-03-02 10:00', actors.handler);
    // 1 working day of an every-day unit: due 03-03 18:30; answered on 03-04.
    c = act(ctx, c, { type: 'assist_reply', taskId: 'A1', findings: '2026-03-02 10:15 收寄于越秀营业部，收寄人员王五' }, '2026-03-04 11:00', {
      id: 'yx-handler-1',
      role: 'handler',
      unitId: 'gz-yuexiu',
    });
    expect(deadline(c, 'assist:A1').state).toBe('breached');
    c = act(ctx, c, replyAt('2026-03-04 15:00'), '2026-03-04 16:00');
    c = act(ctx, c, { type: 'determine', justified: true, ground: 'uncooperative_unit', reason: '协办单位延误回复导致投诉升级' }, '2026-03-05 10:00');
    expect(c.history.at(-1)?.data).toMatchObject({ ground: 'uncooperative_unit', evidence: expect.arrayContaining(['assist:A1#1']) });
  });

  it('refuses a second determination in the same round (409) and a determination before the reply (409)', () => {
    const c = act(ctx, closedAtBranch(), determineOurFault, '2026-03-04 10:00');
    const again = catchError(() =>
      act(ctx, c, { type: 'determine', justified: false, ground: 'not_justified', reason: '重新认定非我方责任' }, '2026-03-04 11:00'),
    );
    expect(again).toBeInstanceOf(Conflict);
    expect(again).toMatchObject({ code: 'already-determined' });
    const dispatched = act(ctx, newComplaint(ctx, '2026-03-02 09:00'), assignTianhe, '2026-03-02 09:30');
    expect(catchError(() => act(ctx, dispatched, determineOurFault, '2026-03-02 10:00'))).toBeInstanceOf(InvalidTransition);
  });

  it('lets quality override the determination with a reason; the record keeps both, who and when', () => {
    let c = act(ctx, closedAtBranch(), determineOurFault, '2026-03-04 10:00');
    c = act(ctx, c, { type: 'determination_review', justified: false, reason: '复核：系收件人地址错误，非我方责任' }, '2026-03-05 09:00', quality);
    expect(c.determination).toMatchObject({
      justified: true,
      by: 'agent-lin',
      review: { justified: false, previous: true, by: 'qm-wu', at: sh('2026-03-05 09:00').toISOString() },
    });
    expect(c.history.at(-1)).toMatchObject({ type: 'justified_reviewed', data: { justified: false, previous: true, overridden: true } });
    // Not justified any more: the month's notice refuses it.
    expect(catchError(() => act(ctx, c, { type: 'rectification_notice', period: '2026-03' }, '2026-03-06 10:00', quality))).toMatchObject({
      code: 'not-justified',
    });
  });
});

describe('分析整改: the 5-day clock after the monthly notice, on a closed complaint', () => {
  /** Justified, noticed Monday 2026-03-09 10:00: 5 days end Saturday; the branch keeps office days. */
  const noticed = () =>
    act(
      ctx,
      act(ctx, closedAtBranch(), determineOurFault, '2026-03-04 10:00'),
      { type: 'rectification_notice', period: '2026-03' },
      '2026-03-09 10:00',
      quality,
    );

  it('starts a real deadline that moves past the weekend to the branch’s next working moment, warned at 80 %', () => {
    const c = noticed();
    expect(c.status).toBe('closed');
    expect(c.rectification).toMatchObject({ status: 'due', period: '2026-03', unitId: 'gz-branch', filings: 0 });
    // 5 calendar days → Saturday 03-14 10:00, a non-working day of an office-days unit → Monday 08:30;
    // the warning at 80 % of the 5 days (Friday 10:00) falls in working time.
    expect(view(deadline(c, 'rectification'))).toEqual({ state: 'pending', dueAt: '2026-03-16 08:30', warnAt: '2026-03-13 10:00' });
    expect(c.nextDueAt).toBe(deadline(c, 'rectification').warnAt);
    expect(
      planner
        .points(c)
        .map((p) => `${p.point} ${local(p.at)}`)
        .sort(),
    ).toEqual(['due 2026-03-16 08:30', 'warn 2026-03-13 10:00']);
  });

  it('warns the unit, then breaches and escalates to the leaders, then to quality a working day later — the case stays closed', () => {
    let c = noticed();
    const warned = markDuePoints(c, sh('2026-03-13 10:00'), planner);
    expect(warned?.messages).toEqual([expect.objectContaining({ milestone: 'rectification', level: 'warning', unitId: 'gz-branch' })]);
    c = warned?.transition.complaint ?? c;
    const breached = markDuePoints(c, sh('2026-03-16 08:30'), planner);
    expect(breached?.messages).toEqual([expect.objectContaining({ milestone: 'rectification', level: 'breach' })]);
    c = breached?.transition.complaint ?? c;
    expect(deadline(c, 'rectification').state).toBe('breached');
    const [quality1] = planner.points(c);
    expect(quality1).toMatchObject({ milestone: 'rectification', point: 'quality' });
    expect(markDuePoints(c, quality1?.at ?? new Date(), planner)?.messages).toEqual([expect.objectContaining({ level: 'quality' })]);
    expect(c.status).toBe('closed');
  });

  it('meets the clock when filed; returned after the deadline passed it is owed again and breaches at the next check; refiled and verified', () => {
    let c = noticed();
    c = act(ctx, c, record(), '2026-03-12 10:00', { id: 'br-handler-1', role: 'handler', unitId: 'gz-branch' });
    expect(deadline(c, 'rectification').state).toBe('met');
    expect(c.rectification).toMatchObject({ status: 'filed', filings: 1, record: { directCause: '分拣员未按规定核对邮编，邮件误发武汉', by: 'br-handler-1' } });
    c = act(ctx, c, { type: 'rectification_review', outcome: 'returned', reason: '预防措施不具体，请写明抽查频次' }, '2026-03-17 09:00', quality);
    expect(c.rectification?.status).toBe('returned');
    expect(deadline(c, 'rectification')).toMatchObject({ state: 'pending', dueAt: sh('2026-03-16 08:30').toISOString() });
    const late = markDuePoints(c, sh('2026-03-17 09:00'), planner);
    expect(late?.messages).toEqual([expect.objectContaining({ milestone: 'rectification', level: 'breach' })]);
    c = late?.transition.complaint ?? c;
    c = act(ctx, c, record(), '2026-03-18 10:00', { id: 'br-handler-1', role: 'handler', unitId: 'gz-branch' });
    expect(deadline(c, 'rectification')).toMatchObject({ state: 'breached', metAt: sh('2026-03-18 10:00').toISOString() });
    expect(c.rectification).toMatchObject({ status: 'filed', filings: 2 });
    c = act(ctx, c, { type: 'rectification_review', outcome: 'verified', reason: '措施具体，已落实' }, '2026-03-19 09:00', quality);
    expect(c.rectification?.status).toBe('verified');
    expect(c.history.map((e) => e.type).filter((t) => t.startsWith('rectification_'))).toEqual([
      'rectification_noticed',
      'rectification_filed',
      'rectification_returned',
      'rectification_filed',
      'rectification_verified',
    ]);
    expect(c.nextDueAt).toBeUndefined();
    expect(c.status).toBe('closed');
  });

  it('refuses measures due before the day of filing, a second filing before review, and a second notice', () => {
    const c = noticed();
    const err = catchError(() => act(ctx, c, record('2026-03-11'), '2026-03-12 10:00'));
    expect(err).toMatchObject({ code: 'invalid-rectification', issues: [{ path: 'corrective.0.dueOn' }, { path: 'preventive.0.dueOn' }] });
    const filed = act(ctx, c, record(), '2026-03-12 10:00');
    expect(catchError(() => act(ctx, filed, record(), '2026-03-12 11:00'))).toMatchObject({ code: 'rectification-filed' });
    expect(catchError(() => act(ctx, c, { type: 'rectification_notice', period: '2026-04' }, '2026-03-12 10:00', quality))).toMatchObject({
      code: 'already-noticed',
    });
  });

  it('keeps the rectification out of the complainant’s tracking page', () => {
    const view1 = publicView(noticed(), sh('2026-03-10 10:00'));
    expect(JSON.stringify(view1)).not.toMatch(/rectification|整改/);
  });

  it('counts statistics months from the 26th to the 25th', () => {
    expect(statisticsPeriodOf('2026-03-25')).toBe('2026-03');
    expect(statisticsPeriodOf('2026-03-26')).toBe('2026-04');
    expect(statisticsPeriodOf('2026-12-26')).toBe('2027-01');
    expect(statisticsPeriodRange('2026-01')).toEqual({ from: '2025-12-26', to: '2026-01-25' });
  });
});

describe('赔偿申请: acknowledge 24 h, settle 30 / 60 days, pay within 7 working days', () => {
  const dispatched = () => act(ctx, act(ctx, newComplaint(ctx, '2026-09-20 09:00'), assignTianhe, '2026-09-20 09:30'), signFor, '2026-09-20 09:35');

  it('counts the acknowledgement and the settlement from the claim’s arrival; recorded 26 h later the acknowledgement is late', () => {
    const c = act(
      ctx,
      dispatched(),
      {
        type: 'compensation_claim',
        claimant: 'sender',
        amountClaimed: 30,
        international: false,
        note: '要求赔偿邮费',
        receivedAt: sh('2026-09-20 10:00').toISOString(),
      },
      '2026-09-21 12:00',
    );
    expect(view(deadline(c, 'claim_ack'))).toMatchObject({ state: 'breached', dueAt: '2026-09-21 10:00' });
    expect(view(deadline(c, 'claim_settle'))).toEqual({ state: 'pending', dueAt: '2026-10-20 10:00', warnAt: '2026-10-14 10:00' });
    expect(c.claim).toMatchObject({ amountClaimedFen: 3000, receivedAt: sh('2026-09-20 10:00').toISOString() });
    expect(c.history.at(-1)).toMatchObject({ type: 'compensation_claimed', data: { amountClaimedFen: 3000, acknowledged: true } });
  });

  it('gives an international item 60 calendar days', () => {
    const c = act(
      ctx,
      dispatched(),
      { type: 'compensation_claim', claimant: 'addressee', amountClaimed: 100, international: true, note: '国际邮件丢失' },
      '2026-09-21 12:00',
    );
    expect(view(deadline(c, 'claim_ack')).state).toBe('met');
    expect(local(deadline(c, 'claim_settle').dueAt)).toBe('2026-11-20 12:00');
  });

  it('pays within 7 working days of the agreement, across National Day and its make-up Saturday, and ends at the payment', () => {
    let c = act(
      ctx,
      dispatched(),
      { type: 'compensation_claim', claimant: 'sender', amountClaimed: 30, international: false, note: '要求赔偿邮费' },
      '2026-09-21 12:00',
    );
    c = act(ctx, c, { type: 'compensation_agreement', amount: 25.5 }, '2026-09-29 10:00');
    expect(deadline(c, 'claim_settle').state).toBe('met');
    // 09-30, (10-01…10-07 holiday), 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13, 10-14 → 18:30.
    expect(view(deadline(c, 'claim_pay'))).toEqual({ state: 'pending', dueAt: '2026-10-14 18:30', warnAt: '2026-10-13 12:48' });
    const wrong = catchError(() => act(ctx, c, { type: 'compensation_paid', amount: 30, paidAt: sh('2026-10-09 10:00').toISOString() }, '2026-10-09 11:00'));
    expect(wrong).toMatchObject({ code: 'amount-differs', issues: [{ path: 'amount' }] });
    c = act(ctx, c, { type: 'compensation_paid', amount: 25.5, paidAt: sh('2026-10-09 10:00').toISOString() }, '2026-10-09 11:00');
    expect(deadline(c, 'claim_pay')).toMatchObject({ state: 'met', metAt: sh('2026-10-09 10:00').toISOString() });
    expect(c.history.at(-1)).toMatchObject({ type: 'compensation_paid', data: { amountFen: 2550 } });
  });

  it('shows the claim’s clocks to the complainant in plain Chinese, on a closed case too', () => {
    let c = act(ctx, dispatched(), replyAt('2026-09-20 15:00'), '2026-09-20 16:00');
    c = act(ctx, c, callbackSatisfied, '2026-09-21 09:00');
    c = act(ctx, c, { type: 'compensation_claim', claimant: 'sender', amountClaimed: 30, international: false, note: '要求赔偿邮费' }, '2026-09-21 12:00');
    expect(c.status).toBe('closed');
    expect(c.nextDueAt).toBeDefined();
    const shown = publicView(c, sh('2026-09-22 10:00'));
    expect(shown.deadlines.map((d) => d.label)).toEqual(expect.arrayContaining(['受理您的赔偿申请', '赔偿处理完毕']));
    expect(shown.compensation?.status).toBe('已受理您的赔偿申请（申请金额30.00元），将在30个日历日内处理完毕');
    expect(shown.milestones.at(-1)).toMatchObject({ type: 'compensation_claimed', label: '已收到您的赔偿申请' });
  });
});
