/**
 * 延期申请 (decision 069): the handling unit asks for more time on the reply limit, the leader of
 * that unit approves (the `extend` transition: the planner re-plans the deadline and moves its
 * timer, one write) or refuses with a reason. One open request at a time; a request still open when
 * the reply limit is met or the case leaves the unit's handling is cancelled by the rules.
 */
import { Unprocessable } from './errors.ts';
import { sameStaff } from './ids.ts';
import type { Actor, Complaint, Deadline, ExtensionRequestRecord } from './model.ts';
import { isVagueInContext } from './reply-check.ts';
import type { ExtensionAsk, ExtensionDecision } from './extension-schemas.ts';

/** The longest a major/urgent reply may be extended (SPEC "Time limits": a special case, up to 48 h). */
export const URGENT_EXTENSION_MS = 48 * 3_600_000;
/** The longest any reply extension may ask for (seed 001 宝山 art. 17: 10 → at most 30 working days; 30 calendar days bound the request). */
export const MAX_EXTENSION_MS = 30 * 86_400_000;

export type ExtensionCommand = ({ type: 'request_extension' } & ExtensionAsk) | ({ type: 'extension_decision' } & ExtensionDecision);

const replyDeadline = (c: Complaint): Deadline | undefined => c.deadlines.find((d) => d.milestone === 'reply' && d.round === c.round);

/** True when the actor belongs to the complaint's unit (handler of the case, or anyone of its unit), or is admin. */
function ofTheUnit(c: Complaint, actor: Actor): boolean {
  if (actor.role === 'admin') return true;
  return actor.unitId !== undefined && actor.unitId === c.unitId;
}

/** Validates a request and returns the record to store (the caller emits `extension_requested`). */
export function askExtension(c: Complaint, cmd: ExtensionAsk, actor: Actor, now: Date): ExtensionRequestRecord {
  const fail = (code: string, path: string, message: string) => new Unprocessable(code, message, [{ path, message }]);
  if (!ofTheUnit(c, actor) && !sameStaff(c.handlerId, actor.id)) throw fail('not-the-unit', 'reason', 'Only the handling unit may ask for an extension');
  if (c.extensionRequest?.status === 'open')
    throw fail('extension-already-requested', 'reason', `An extension was already requested on ${c.extensionRequest.at}`);
  if (isVagueInContext(cmd.reason)) throw fail('vague-reason', 'reason', 'The reason says nothing that can be checked (seed 000)');
  const deadline = replyDeadline(c);
  if (!deadline) throw fail('no-deadline', 'reason', `No reply time limit runs in round ${c.round}`);
  if (deadline.extended) throw fail('already-extended', 'reason', `The reply time limit was already extended on ${deadline.extended.at}`);
  if (deadline.state === 'met') throw fail('deadline-met', 'reason', 'The reply time limit was already met');
  if (deadline.state === 'breached' || Date.parse(deadline.dueAt) <= now.getTime())
    throw fail('deadline-breached', 'reason', `The reply time limit passed on ${deadline.dueAt}; ask before it`);
  const requested = Date.parse(cmd.requestedDueAt);
  const due = Date.parse(deadline.dueAt);
  if (requested <= due) throw fail('requested-not-later', 'requestedDueAt', `Must be later than the current reply time ${deadline.dueAt}`);
  const max = c.severity === 'general' ? MAX_EXTENSION_MS : URGENT_EXTENSION_MS;
  if (requested - due > max) {
    const limit = c.severity === 'general' ? '30 days' : '48 h (special case, SPEC)';
    throw fail('extension-too-long', 'requestedDueAt', `At most ${limit} after the current reply time ${deadline.dueAt}`);
  }
  return {
    round: c.round,
    reason: cmd.reason,
    requestedDueAt: new Date(requested).toISOString(),
    previousDueAt: deadline.dueAt,
    by: actor.id,
    at: now.toISOString(),
    status: 'open',
  };
}

/** The leader of the case's unit (or admin) decides the open request. */
export function decideExtension(c: Complaint, cmd: ExtensionDecision, actor: Actor, now: Date): ExtensionRequestRecord {
  const open = c.extensionRequest;
  if (open?.status !== 'open') throw new Unprocessable('no-open-request', 'No extension request is open', [{ path: 'approve', message: 'Nothing to decide' }]);
  if (actor.role !== 'admin' && !(actor.role === 'leader' && ofTheUnit(c, actor)))
    throw new Unprocessable('not-the-leader', 'Only the leader of the handling unit decides an extension', [{ path: 'approve', message: 'Not your unit' }]);
  return { ...open, status: cmd.approve ? 'approved' : 'refused', decision: { reason: cmd.reason, by: actor.id, at: now.toISOString() } };
}

/** An open request the next state no longer allows (reply met, case moved on, new round): cancelled. */
export function extensionEndedBy(before: Complaint, next: Complaint): boolean {
  const open = before.extensionRequest;
  if (open?.status !== 'open' || next.extensionRequest?.status !== 'open') return false;
  if (next.status !== 'dispatched' && next.status !== 'contacted') return true;
  return next.round !== open.round || next.unitId !== before.unitId;
}
