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
const MAX_RETURNS = 1;

/** The 签收 clock of the complaint's current dispatch, if one runs or ran. */
function currentSignClock(c: Pick<Complaint, 'deadlines' | 'dispatchCount'>): Deadline | undefined {
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
    throw new Conflict(`Already signed for on ${c.signedAt}`, {}, { code: 'already-signed' });
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
const STOCK_PHRASES = /不是|不属于|不归|我们|本单位|我单位|本部门|单位|管|的|非|派错|转错|错派|误派|派单|错误|请|核实|重新|改派|退回|辖区|业务|投诉|了/g;
/** Meaningful characters still needed once the stock phrases are gone. */
const MIN_FACT_CHARS = 6;

/** True when the return reason says no more than "not ours" (decision 047). */
export function vagueReturnReason(reason: string): boolean {
  return (reason.replace(STOCK_PHRASES, '').match(/[\p{L}\p{N}]/gu)?.length ?? 0) < MIN_FACT_CHARS;
}

/**
 * 退回 (SPEC "Dispatch"): the dispatched unit returns a mis-dispatched complaint with a reason, once
 * per complaint, within 2 working hours of the dispatch (the clock's `returnUntil`) and before it
 * contacted the complainant. The complaint waits for the centre (`returned`).
 */
export function returnToCentre(draft: TransitionDraft, cmd: ReturnRequest, directory: UnitDirectory): void {
  const c = draft.before;
  if ((c.returnCount ?? 0) >= MAX_RETURNS) {
    throw new Conflict(`Returned on ${c.unitReturn?.at ?? '—'}: a complaint may be returned only once`, {}, { code: 'already-returned' });
  }
  if (c.firstContactAt !== undefined || c.status !== 'dispatched') {
    throw new Conflict(`Contacted on ${c.firstContactAt ?? '—'}: a return is possible only before contact`, {}, { code: 'return-after-contact' });
  }
  const clock = currentSignClock(c);
  if (!clock?.returnUntil || Date.parse(draft.at) > Date.parse(clock.returnUntil)) {
    const until = clock?.returnUntil ?? '—';
    throw new Unprocessable('return-window-closed', `A return is possible only within 2 working hours of the dispatch (until ${until})`, [], {
      returnUntil: until,
    });
  }
  if (vagueReturnReason(cmd.reason)) {
    throw new Unprocessable('return-reason-vague', 'A return needs a fact the centre can check, not only “not ours”', [
      { path: 'reason', message: 'e.g. which district the address lies in' },
    ]);
  }
  const suggested = cmd.suggestedUnitId !== undefined ? findUnit(directory, cmd.suggestedUnitId)?.id : undefined;
  if (cmd.suggestedUnitId !== undefined && (!suggested || suggested === c.unitId)) {
    throw new Unprocessable('bad-suggested-unit', 'The suggested unit must be another known unit', [
      { path: 'suggestedUnitId', message: 'Unknown, or the returning unit' },
    ]);
  }
  const unitId = c.unitId ?? '';
  draft.set({
    status: 'returned',
    returnCount: (c.returnCount ?? 0) + 1,
    unitReturn: {
      unitId,
      by: draft.actor.id,
      at: draft.at,
      reason: cmd.reason,
      round: c.round,
      ...(suggested !== undefined && { suggestedUnitId: suggested }),
    },
  });
  draft.emit('returned', {
    unitId,
    dispatchNo: c.dispatchCount ?? 0,
    round: c.round,
    reason: cmd.reason,
    ...(suggested !== undefined && { suggestedUnitId: suggested }),
    returnUntil: clock.returnUntil,
  });
}

/**
 * The centre's ruling on a return. `reject`: back to the same unit with the centre's reason (a new
 * dispatch: the unit signs again). `redispatch`: recorded here; the lifecycle then dispatches to the
 * other unit like every other move, which starts that unit's 签收 clock.
 */
export function decideReturn(draft: TransitionDraft, cmd: ReturnDecisionRequest): void {
  const c = draft.before;
  const pending = c.unitReturn;
  if (!pending || pending.decision) {
    throw new Conflict('No return waits for a ruling', {}, { code: 'no-pending-return' });
  }
  if (cmd.decision === 'redispatch' && cmd.unitId.toLowerCase() === pending.unitId.toLowerCase()) {
    throw new Unprocessable('redispatch-to-returning-unit', 'Back to the returning unit is a “reject”', [{ path: 'unitId', message: 'Choose another unit' }]);
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
