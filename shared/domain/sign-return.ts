/**
 * 签收 (sign for) and 退回 (return) with the centre's ruling, as pure rules the lifecycle's `decide`
 * calls (SPEC "Dispatch"; seed 000_a1eb924360c3e548.txt: units check the system every 20 minutes,
 * 08:30–18:30, weekends included). No calendar here: the 签收 clock and the end of the return window
 * are computed by the SLA planner when a dispatch starts (`Deadline.returnUntil`), so the bundles that
 * only decide or read stay free of the holiday files (decision 042). Decision 047.
 */
import { findUnit, type UnitDirectory } from './directory.ts';
import { Conflict, Unprocessable } from './errors.ts';
import type { Actor, Complaint, Deadline, EventType } from './model.ts';
import type { ReturnDecisionRequest, ReturnRequest, SignRequest } from './schemas.ts';

/** What a rule may do to the transition being built (the lifecycle's draft). */
export interface TransitionDraft {
  readonly before: Complaint;
  readonly actor: Actor;
  readonly at: string;
  readonly pending: Partial<Complaint>;
  set(changes: Partial<Complaint>): void;
  emit(type: EventType, data?: Record<string, unknown>, system?: boolean): void;
}

/** How many returns a complaint allows (SPEC "Dispatch": a unit may return a complaint once). */
export const MAX_RETURNS = 1;

/** The 签收 clock of the complaint's current dispatch, if one runs or ran. */
export function currentSignClock(c: Pick<Complaint, 'deadlines' | 'dispatchCount'>): Deadline | undefined {
  return c.deadlines.find((d) => d.milestone === 'sign' && d.round === (c.dispatchCount ?? 0));
}

/**
 * Every transition that hands the complaint to a unit anew — the first dispatch, a move to another
 * unit, a 重处理 round, a reopen, either ruling on a return — is a dispatch: counted, and the unit
 * has not signed for it yet. The planner starts its 签收 clock from the count.
 */
export function countDispatch(draft: TransitionDraft): void {
  const c = draft.before;
  const p = draft.pending;
  if (p.status !== 'dispatched') return;
  const unitChanged = p.unitId !== undefined && p.unitId !== c.unitId;
  const roundChanged = p.round !== undefined && p.round !== c.round;
  if (!unitChanged && !roundChanged && c.status !== 'returned') return;
  draft.set({ dispatchCount: (c.dispatchCount ?? 0) + 1, signedAt: undefined });
}

/** 签收 by the unit: once per dispatch; the event says whether it was within the clock. */
export function sign(draft: TransitionDraft, cmd: SignRequest): void {
  const c = draft.before;
  if (c.signedAt !== undefined) {
    throw new Conflict(`The unit already signed for this dispatch on ${c.signedAt}`, { signedAt: c.signedAt }, { code: 'already-signed' });
  }
  recordSign(draft, { ...(cmd.note !== undefined && { note: cmd.note }) });
}

/**
 * A contact or reply before signing is an implicit 签收 (decision 047): the unit evidently took the
 * complaint up, so existing flows keep working, and the event records when — the clock is met or
 * breached honestly at that moment.
 */
export function implicitSign(draft: TransitionDraft, via: 'contact' | 'reply'): void {
  const c = draft.before;
  if (c.status !== 'dispatched' || c.signedAt !== undefined || c.dispatchCount === undefined) return;
  recordSign(draft, { implicit: true, via });
}

function recordSign(draft: TransitionDraft, extra: Record<string, unknown>): void {
  const c = draft.before;
  const clock = currentSignClock(c);
  const onTime = clock ? Date.parse(draft.at) <= Date.parse(clock.dueAt) : undefined;
  draft.set({ signedAt: draft.at });
  draft.emit('signed', {
    dispatchNo: c.dispatchCount ?? 0,
    unitId: c.unitId,
    round: c.round,
    ...(clock && { dueAt: clock.dueAt, onTime }),
    ...extra,
  });
}

/**
 * Words that say only "not ours" (非本单位, 派错了 …). A return reason must give the centre a fact
 * to check — where the address lies, which office posted it — so what remains once these are
 * removed has to carry some text.
 */
const STOCK_PHRASES = [
  '不是我们单位的',
  '不是我们的',
  '不是本单位的',
  '不属于本单位',
  '不属于我单位',
  '不归我们管',
  '不是我单位',
  '非本单位',
  '非我单位',
  '非本部门',
  '派错了',
  '转错了',
  '错派',
  '误派',
  '派单错误',
  '请核实',
  '请重新派单',
  '请改派',
  '退回',
  '不是我们',
  '辖区',
  '业务',
  '投诉',
];
/** Meaningful characters still needed once the stock phrases are gone. */
const MIN_FACT_CHARS = 6;

/** True when the return reason says no more than "not ours" (decision 047). */
export function vagueReturnReason(reason: string): boolean {
  let rest = reason.toLowerCase();
  for (const phrase of STOCK_PHRASES) rest = rest.split(phrase).join('');
  const meaningful = Array.from(rest).filter((ch) => /[\p{Script=Han}\p{L}\p{N}]/u.test(ch));
  return meaningful.length < MIN_FACT_CHARS;
}

/**
 * 退回 (SPEC "Dispatch"): the dispatched unit returns a mis-dispatched complaint with a reason, once
 * per complaint, within 2 working hours of the dispatch (the clock's `returnUntil`) and before it
 * contacted the complainant. The complaint waits for the centre (`returned`).
 */
export function returnToCentre(draft: TransitionDraft, cmd: ReturnRequest, directory: UnitDirectory): void {
  const c = draft.before;
  if ((c.returnCount ?? 0) >= MAX_RETURNS) {
    const at = c.unitReturn?.at;
    throw new Conflict(`This complaint was already returned once${at ? ` (${at})` : ''}; a complaint may be returned only once`, { returnedAt: at }, { code: 'already-returned' });
  }
  if (c.firstContactAt !== undefined || c.status !== 'dispatched') {
    throw new Conflict(`The unit contacted the complainant on ${c.firstContactAt ?? '—'}: a return is possible only before contact`, { firstContactAt: c.firstContactAt }, { code: 'return-after-contact' });
  }
  const clock = currentSignClock(c);
  if (!clock?.returnUntil || Date.parse(draft.at) > Date.parse(clock.returnUntil)) {
    const until = clock?.returnUntil;
    throw new Unprocessable('return-window-closed', `A return is possible only within 2 working hours of the dispatch${until ? ` (until ${until})` : ''}`, [
      { path: '', message: until ? `The return window closed at ${until}` : 'This dispatch has no return window' },
    ], { ...(until !== undefined && { returnUntil: until }) });
  }
  if (vagueReturnReason(cmd.reason)) {
    throw new Unprocessable('return-reason-vague', 'A return needs a reason the centre can check, not only “not ours”', [
      { path: 'reason', message: '请写明事实依据，例如收件地址所属辖区、实际责任环节' },
    ]);
  }
  if (cmd.suggestedUnitId !== undefined) {
    const unit = findUnit(directory, cmd.suggestedUnitId);
    if (!unit || unit.id === c.unitId) {
      throw new Unprocessable('bad-suggested-unit', unit ? 'The suggested unit is the returning unit itself' : `No unit “${cmd.suggestedUnitId}”`, [
        { path: 'suggestedUnitId', message: unit ? 'Must be another unit' : 'Unknown unit' },
      ]);
    }
  }
  const suggested = cmd.suggestedUnitId !== undefined ? findUnit(directory, cmd.suggestedUnitId)?.id : undefined;
  const unitId = c.unitId ?? '';
  draft.set({
    status: 'returned',
    returnCount: (c.returnCount ?? 0) + 1,
    unitReturn: { unitId, by: draft.actor.id, at: draft.at, reason: cmd.reason, round: c.round, ...(suggested !== undefined && { suggestedUnitId: suggested }) },
  });
  draft.emit('returned', {
    unitId,
    dispatchNo: c.dispatchCount ?? 0,
    round: c.round,
    reason: cmd.reason,
    ...(suggested !== undefined && { suggestedUnitId: suggested }),
    ...(clock.returnUntil !== undefined && { returnUntil: clock.returnUntil }),
  });
}

/**
 * The centre's ruling on a return. `reject`: back to the same unit with the centre's reason (a new
 * dispatch: the unit signs again). `redispatch`: recorded here; the lifecycle then dispatches to the
 * other unit as any move, which starts that unit's 签收 clock.
 */
export function decideReturn(draft: TransitionDraft, cmd: ReturnDecisionRequest): void {
  const c = draft.before;
  const pending = c.unitReturn;
  if (!pending || pending.decision) {
    throw new Conflict('There is no return waiting for a ruling', {}, { code: 'no-pending-return' });
  }
  if (cmd.decision === 'redispatch' && cmd.unitId.toLowerCase() === pending.unitId.toLowerCase()) {
    throw new Unprocessable('redispatch-to-returning-unit', 'Re-dispatching to the unit that returned it is a rejection of the return', [
      { path: 'unitId', message: 'Choose another unit, or decide “reject”' },
    ]);
  }
  const reason = cmd.reason ?? pending.reason;
  const decision = { outcome: cmd.decision, by: draft.actor.id, at: draft.at, reason, ...(cmd.decision === 'redispatch' && { unitId: cmd.unitId }) };
  draft.set({ unitReturn: { ...pending, decision }, ...(cmd.decision === 'reject' && { status: 'dispatched' as const }) });
  draft.emit('return_decided', {
    decision: cmd.decision,
    reason,
    returnedAt: pending.at,
    returnedBy: pending.unitId,
    round: pending.round,
    ...(cmd.decision === 'redispatch' && { unitId: cmd.unitId }),
  });
}
