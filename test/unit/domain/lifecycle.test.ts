import { describe, expect, it } from 'vitest';
import { directory, routing } from '#config/index.ts';
import { InvalidTransition, Unprocessable } from '#domain/errors.ts';
import { ALLOWED_FROM, alreadyApplied, decide, intake, keyUse, type Command, type LifecycleContext } from '#domain/lifecycle.ts';
import { STATUSES, type Actor, type Complaint, type Status } from '#domain/model.ts';
import { actors, intakeInput, replyBody } from '#test/support/fixtures.ts';

const ctx: LifecycleContext = { directory, routing, deadlines: { plan: () => ({ deadlines: [], nextDueAt: undefined }) } };
const t0 = new Date('2026-11-26T01:00:00.000Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const received = (overrides = {}) =>
  intake(intakeInput(overrides), actors.public, t0, ctx, { id: 'C0000000000000001', trackingCode: 'ABCDEFGHJK12' }).complaint;

const step = (c: Complaint, command: Command, actor: Actor = actors.agent, at = later(10), key?: string) => decide(c, command, actor, at, ctx, key).complaint;

const assign: Command = { type: 'assign', unitId: 'gz-tianhe', handlerId: 'th-handler-1' };
const dispatched = () => step(received(), assign);
const contacted = () => step(dispatched(), { type: 'contact', method: 'phone', note: '电话联系投诉人，说明正在查询' }, actors.handler);
const replied = () => step(contacted(), { type: 'reply', ...replyBody() }, actors.handler, later(120));

/** One complaint in each status, for the table of rejected transitions. */
function inStatus(status: Status): Complaint {
  switch (status) {
    case 'received':
      return received();
    case 'dispatched':
      return dispatched();
    case 'contacted':
      return contacted();
    case 'replied':
      return replied();
    case 'closed':
      return step(replied(), { type: 'callback', outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' }, actors.agent, later(200));
    case 'suspended':
      return step(dispatched(), { type: 'suspend', reason: 'litigation', note: '投诉人已向法院起诉' });
    case 'withdrawn':
      return step(received(), { type: 'withdraw', voluntary: true, confirmedVia: 'phone', note: '投诉人电话确认自愿撤诉' });
    case 'returned':
      // Built by hand: this file's planner plans no clocks, so no return window (test/unit/domain/sign-return.test.ts).
      return {
        ...dispatched(),
        status: 'returned',
        returnCount: 1,
        unitReturn: { unitId: 'gz-tianhe', by: 'th-handler-1', at: later(15).toISOString(), reason: '收件地址属越秀区东风路，非天河辖区', round: 1 },
      };
  }
}

const SAMPLE: Record<Command['type'], Command> = {
  assign,
  contact: { type: 'contact', method: 'phone', note: '电话联系' },
  reply: { type: 'reply', ...replyBody() },
  callback: { type: 'callback', outcome: 'reached', attitude: 'satisfied', handlingQuality: 'consistent' },
  chase: { type: 'chase', via: 'phone' },
  suspend: { type: 'suspend', reason: 'solution_refused', note: '投诉人拒绝合理赔偿方案' },
  reopen: { type: 'reopen', reason: '投诉人提供新证据' },
  withdraw: { type: 'withdraw', voluntary: true, confirmedVia: 'phone', note: '自愿撤诉' },
  severity: { type: 'severity', severity: 'major', reason: '重要客户' },
  extend: { type: 'extend', milestone: 'reply', reason: '需调取监控录像' },
  request_extension: { type: 'request_extension', reason: '需调取分拣中心监控录像', requestedDueAt: '2026-12-10T10:30:00.000Z' },
  extension_decision: { type: 'extension_decision', approve: true, reason: '同意延期，调取监控' },
  pause: { type: 'pause', reason: '等待投诉人提供价值证明' },
  resume: { type: 'resume' },
  sign: { type: 'sign' },
  return: { type: 'return', reason: '收件地址属越秀区东风路，非天河辖区' },
  return_decision: { type: 'return_decision', decision: 'reject', reason: '地址在天河区' },
  assist: { type: 'assist', unitId: 'gz-yuexiu', task: '请核实收寄情况' },
  assist_reply: { type: 'assist_reply', taskId: 'A1', findings: '2026-03-02 10:15 收寄于越秀营业部' },
  assist_cancel: { type: 'assist_cancel', taskId: 'A1', reason: '已查明' },
  determine: { type: 'determine', justified: true, ground: 'our_fault', reason: '分拣错误属我方责任' },
  determination_review: { type: 'determination_review', justified: false, reason: '复核认定非我方责任' },
  rectification_notice: { type: 'rectification_notice', period: '2026-03' },
  rectification_file: {
    type: 'rectification_file',
    directCause: '分拣员未按规定核对邮编',
    managementWeakness: '班组对分拣复核要求执行不到位',
    responsibleUnitId: 'gz-tianhe',
    responsibleManager: '李主任',
    responsiblePerson: '王五',
    education: '对照规章指出错误并提出整改要求',
    corrective: [{ measure: '重新培训分拣复核流程', owner: '李主任', dueOn: '2099-01-01' }],
    preventive: [{ measure: '每日班前会讲评分拣差错', owner: '李主任', dueOn: '2099-01-01' }],
  },
  rectification_review: { type: 'rectification_review', outcome: 'verified', reason: '措施具体可行' },
  compensation_claim: { type: 'compensation_claim', claimant: 'sender', amountClaimed: 20, international: false, note: '要求退还邮费' },
  compensation_agreement: { type: 'compensation_agreement', amount: 20 },
  compensation_paid: { type: 'compensation_paid', amount: 20, paidAt: '2026-03-05T02:00:00Z' },
};

describe('intake', () => {
  it('records a received complaint with a receipt event and a classification event', () => {
    const c = received();
    expect(c.status).toBe('received');
    expect(c.version).toBe(1);
    expect(c.history.map((e) => e.type)).toEqual(['received', 'classified']);
    expect(c.history.map((e) => e.seq)).toEqual([1, 2]);
    expect(c.complainant.phone).toBe('+8613800138000');
  });

  it('suggests the unit from the routing rules (EMS waybill on a delay → the hub)', () => {
    expect(received().suggestedUnitId).toBe('gz-hub');
    expect(received({ waybillNo: '1234567890123' }).suggestedUnitId).toBe('gz-tianhe');
  });

  it('classifies a threat to call 12305 as urgent and keeps the reason', () => {
    const c = received({ content: '再不处理我就打12305投诉你们' });
    expect(c.severity).toBe('urgent');
    expect(c.severityReasons.join()).toMatch(/regulator/);
  });

  it('lets the centre set severity with a reason at intake', () => {
    const c = received({ severity: 'minor', severityReason: '咨询性质' });
    expect(c.severity).toBe('minor');
    expect(c.severityReasons[0]).toBe('agent: 咨询性质');
  });
});

describe('dispatch (assignment)', () => {
  it('dispatches to a unit and handler and starts round 1', () => {
    const c = dispatched();
    expect(c).toMatchObject({ status: 'dispatched', unitId: 'gz-tianhe', handlerId: 'th-handler-1', round: 1, version: 2 });
    expect(c.history.at(-1)).toMatchObject({ type: 'dispatched', seq: 3, actor: { id: 'agent-lin' } });
  });

  it('rejects an unknown unit', () => {
    expect(() => step(received(), { ...assign, unitId: 'nowhere' } as Command)).toThrow(expect.objectContaining({ code: 'unknown-unit' }));
  });

  it('rejects a handler who does not belong to the unit', () => {
    expect(() => step(received(), { ...assign, handlerId: 'yx-handler-1' } as Command)).toThrow(expect.objectContaining({ code: 'handler-not-in-unit' }));
  });

  it('never lets the person complained about handle the complaint (seed 001 art. 15)', () => {
    const err = catchError(() => step(received(), { ...assign, subjectStaffIds: ['th-handler-1'] } as Command));
    expect(err).toBeInstanceOf(Unprocessable);
    expect((err as Unprocessable).issues[0]?.path).toBe('handlerId');
  });

  it('needs a reason to move a complaint that is already dispatched', () => {
    expect(() => step(dispatched(), { type: 'assign', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1' })).toThrow(
      expect.objectContaining({ code: 'reason-required' }),
    );
    const moved = step(dispatched(), { type: 'assign', unitId: 'gz-yuexiu', handlerId: 'yx-handler-1', reason: '地址属越秀区' });
    expect(moved).toMatchObject({ unitId: 'gz-yuexiu', status: 'dispatched' });
  });
});

describe('contact and reply', () => {
  it('records the first contact as a milestone', () => {
    const c = contacted();
    expect(c.status).toBe('contacted');
    expect(c.firstContactAt).toBe(later(10).toISOString());
  });

  it('rejects a contact time in the future', () => {
    expect(() =>
      step(dispatched(), { type: 'contact', method: 'phone', note: '联系', contactedAt: later(60).toISOString() }, actors.handler, later(10)),
    ).toThrow(expect.objectContaining({ code: 'time-in-future' }));
  });

  it('accepts a reply with the three elements and moves to replied', () => {
    const c = replied();
    expect(c.status).toBe('replied');
    expect(c.reply).toMatchObject({ justifiedProposal: true, round: 1, by: 'th-handler-1' });
  });

  it('records the first contact from the reply when none was recorded', () => {
    const c = step(dispatched(), { type: 'reply', ...replyBody() }, actors.handler, later(120));
    expect(c.firstContactAt).toBe('2026-11-26T02:00:00.000Z');
    expect(c.history.slice(-2).map((e) => e.type)).toEqual(['contacted', 'replied']);
  });

  it.each(['已经妥投', '我局正常发出', '已处理', '已处理。已妥投！'])('rejects a reply whose result only says “%s”', (vague) => {
    const err = catchError(() =>
      step(contacted(), { type: 'reply', ...replyBody({ result: { resolved: true, complainantAccepted: true, summary: vague } }) }, actors.handler, later(120)),
    );
    expect(err).toMatchObject({ code: 'vague-reply' });
    expect((err as Unprocessable).issues.map((i) => i.path)).toContain('result.summary');
  });

  it('rejects a reply whose situation only says 已经妥投, and asks a delay reply that says delivered for the delivery facts', () => {
    const err = catchError(() => step(contacted(), { type: 'reply', ...replyBody({ situation: '已经妥投' }) }, actors.handler, later(120)));
    expect((err as Unprocessable).issues.map((i) => i.path)).toEqual(['situation', 'delivery']);
  });
});

describe('callback', () => {
  it('closes on a satisfied callback', () => {
    const c = inStatus('closed');
    expect(c.status).toBe('closed');
    expect(c.closedAt).toBeDefined();
    expect(c.history.slice(-2).map((e) => e.type)).toEqual(['callback_recorded', 'closed']);
  });

  it('re-dispatches to the same unit with priority when dissatisfied with poor handling', () => {
    const c = step(replied(), {
      type: 'callback',
      outcome: 'reached',
      attitude: 'dissatisfied',
      handlingQuality: 'consistent',
      dissatisfactionCause: 'poor_handling',
    });
    expect(c).toMatchObject({ status: 'dispatched', unitId: 'gz-tianhe', round: 2, priority: true });
    expect(c.firstContactAt).toBeUndefined();
    expect(c.history.at(-1)?.type).toBe('redispatched');
  });

  it('re-dispatches when the reply does not match what the complainant says', () => {
    const c = step(replied(), {
      type: 'callback',
      outcome: 'reached',
      attitude: 'dissatisfied',
      handlingQuality: 'inconsistent',
      dissatisfactionCause: 'other',
    });
    expect(c.status).toBe('dispatched');
  });

  it('stays replied when dissatisfied with a demand beyond scope, then closes on a written waiver', () => {
    const c = step(replied(), {
      type: 'callback',
      outcome: 'reached',
      attitude: 'dissatisfied',
      handlingQuality: 'consistent',
      dissatisfactionCause: 'demand_beyond_scope',
    });
    expect(c.status).toBe('replied');
    const closed = step(c, { type: 'callback', outcome: 'waived', reason: 'demand_beyond_scope', note: '要求赔偿十倍邮费，超出规定' });
    expect(closed).toMatchObject({ status: 'closed', callback: { outcome: 'waived', reason: 'demand_beyond_scope' } });
  });

  it('needs the cause of dissatisfaction', () => {
    expect(() => step(replied(), { type: 'callback', outcome: 'reached', attitude: 'dissatisfied', handlingQuality: 'consistent' })).toThrow(
      expect.objectContaining({ code: 'cause-required' }),
    );
  });

  it('records an unreachable callback without changing the status', () => {
    const c = step(replied(), { type: 'callback', outcome: 'unreachable', note: '三次拨打无人接听' });
    expect(c.status).toBe('replied');
    expect(c.history.at(-1)?.type).toBe('callback_unreachable');
  });
});

describe('chases, repeats and severity', () => {
  it('counts a chase and sets priority', () => {
    const c = step(dispatched(), { type: 'chase', via: 'phone' });
    expect(c).toMatchObject({ chaseCount: 1, priority: true, severity: 'general' });
  });

  it('makes a general complaint urgent at the second chase (seed 000)', () => {
    const once = step(dispatched(), { type: 'chase', via: 'phone' });
    const twice = step(once, { type: 'chase', via: 'sms' });
    expect(twice.severity).toBe('urgent');
    expect(twice.history.slice(-2).map((e) => [e.type, e.actor.role])).toEqual([
      ['chased', 'agent'],
      ['severity_changed', 'system'],
    ]);
  });

  it('counts a repeat complaint as a chase and links it', () => {
    const c = step(dispatched(), { type: 'chase', via: 'web', repeat: { channel: 'web', excerpt: '还没到' } });
    expect(c).toMatchObject({ chaseCount: 1, repeatCount: 1 });
    expect(c.history.at(-2)?.type).toBe('repeat_linked');
  });

  it('counts an unverified (public web) repeat as a chase at most once per Shanghai day, but links every one', () => {
    const unverified = (excerpt: string): Command => ({ type: 'chase', via: 'web', repeat: { channel: 'web', excerpt, verified: false } });
    const system: Actor = { id: 'public:web', role: 'system' };
    // 2026-11-26 09:10 and 23:50 Shanghai are one day; 00:10 the next is another.
    const first = step(dispatched(), unverified('还没到'), system, later(10));
    const second = step(first, unverified('还没到！'), system, new Date('2026-11-26T15:50:00.000Z'));
    expect(second).toMatchObject({ chaseCount: 1, repeatCount: 1, severity: 'general' });
    expect(second.history.at(-1)).toMatchObject({ type: 'repeat_linked', data: { verified: false, counted: false } });
    const nextDay = step(second, unverified('第二天'), system, new Date('2026-11-26T16:10:00.000Z'));
    expect(nextDay).toMatchObject({ chaseCount: 2, severity: 'urgent' });
  });

  it('counts every verified repeat as a chase', () => {
    const verified: Command = { type: 'chase', via: 'sms', repeat: { channel: 'sms', excerpt: '还没到', verified: true } };
    const twice = step(step(dispatched(), verified), verified, actors.agent, later(20));
    expect(twice).toMatchObject({ chaseCount: 2, severity: 'urgent' });
  });

  it('changes severity with a reason and refuses a no-op', () => {
    const c = step(received(), { type: 'severity', severity: 'major', reason: '重要客户' });
    expect(c.severity).toBe('major');
    expect(() => step(c, { type: 'severity', severity: 'major', reason: '再次' })).toThrow(expect.objectContaining({ code: 'severity-unchanged' }));
  });
});

describe('suspension, reopen, withdrawal', () => {
  it('suspends (暂结) with a reason and reopens into a new priority round', () => {
    const s = inStatus('suspended');
    expect(s.suspension).toMatchObject({ reason: 'litigation' });
    const r = step(s, { type: 'reopen', reason: '诉讼撤回，继续处理' });
    expect(r).toMatchObject({ status: 'dispatched', round: 2, priority: true });
    expect(r.suspension).toBeUndefined();
  });

  it('reopens a closed complaint', () => {
    expect(step(inStatus('closed'), { type: 'reopen', reason: '投诉人反映问题未解决' }).status).toBe('dispatched');
  });

  it('withdraws only when confirmed voluntary (seed 004); a contested withdrawal is recorded and the case stays open', () => {
    const contested = step(received(), { type: 'withdraw', voluntary: false, confirmedVia: 'phone', note: '处理单位代为申请撤诉' });
    expect(contested.status).toBe('received');
    expect(contested.withdrawal).toBeUndefined();
    expect(contested.history.at(-1)).toMatchObject({
      type: 'withdrawal_contested',
      data: { confirmedVia: 'phone', note: '处理单位代为申请撤诉', status: 'received' },
    });
    expect(inStatus('withdrawn').status).toBe('withdrawn');
  });
});

describe('every rejected transition', () => {
  const rejected = STATUSES.flatMap((status) =>
    (Object.keys(ALLOWED_FROM) as Command['type'][]).filter((type) => !ALLOWED_FROM[type].includes(status)).map((type) => [type, status] as const),
  );

  it('covers a meaningful table', () => {
    expect(rejected.length).toBeGreaterThan(20);
  });

  it.each(rejected)('refuses %s while %s', (type, status) => {
    const c = inStatus(status);
    const err = catchError(() => step(c, SAMPLE[type], type === 'contact' || type === 'reply' ? actors.handler : actors.agent, later(300)));
    expect(err).toBeInstanceOf(InvalidTransition);
    expect(err).toMatchObject({ command: type, status });
  });
});

describe('history', () => {
  it('is append-only with gap-free sequence numbers through a whole loop', () => {
    const c = inStatus('closed');
    expect(c.history.map((e) => e.seq)).toEqual(c.history.map((_, i) => i + 1));
    expect(c.version).toBe(5);
  });

  it('tells a replay (same caller, same command) from a reuse of its key (another caller or command)', () => {
    const c = decide(dispatched(), { type: 'chase', via: 'phone' }, actors.agent, later(10), ctx, 'k-1', 'hash-a').complaint;
    expect(c.history.at(-1)).toMatchObject({ key: 'k-1', keyHash: 'hash-a' });
    expect(keyUse(c, 'k-1', actors.agent.id, 'hash-a')).toBe('replay');
    expect(keyUse(c, 'k-1', actors.agent.id, 'hash-b')).toBe('reused');
    expect(keyUse(c, 'k-1', actors.admin.id, 'hash-a')).toBe('reused');
    expect(keyUse(c, 'k-2', actors.agent.id, 'hash-a')).toBe('fresh');
    expect(keyUse(c, undefined, actors.agent.id, undefined)).toBe('fresh');
  });

  it('remembers the idempotency key on the first event of a command', () => {
    const c = step(received(), assign, actors.agent, later(10), 'key-123456');
    expect(alreadyApplied(c, 'key-123456')).toBe(true);
    expect(alreadyApplied(c, 'other-key')).toBe(false);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
