/**
 * The lifecycle of one complaint as a pure state machine:
 * `(complaint, command, actor, now) → { complaint, events } | DomainError`.
 * No I/O: the store persists the result with one conditional UpdateItem (`shared/store`).
 * Source: SPEC "The lifecycle of one complaint"; seeds 000 (dispatch, reply elements, callback),
 * 001 (art. 15 subject staff), 004 (暂结, 撤诉).
 */
import { isSubject, subjectIds } from './access.ts';
import { assistsEndedBy, decideAssist, type AssistCommand, type AssistEffect } from './assist.ts';
import { findUnit, suggestUnit, unitMember, type Routing, type UnitDirectory } from './directory.ts';
import { InvalidTransition, Unprocessable } from './errors.ts';
import { canonicalPhone, sameStaff } from './ids.ts';
import {
  isMajorOrUrgent,
  severityRank,
  lastSeq,
  type Actor,
  type Complaint,
  type ComplaintEvent,
  type EventType,
  type QuotedCompensation,
  type Severity,
  type Status,
} from './model.ts';
import { checkReply } from './reply-check.ts';
import type {
  AssignmentRequest,
  CallbackRequest,
  ChaseRequest,
  ContactRequest,
  ExtensionRequest,
  IntakeRequest,
  PauseRequest,
  ReopenRequest,
  ReplyRequest,
  ResumeRequest,
  ReturnDecisionRequest,
  ReturnRequest,
  SeverityRequest,
  SignRequest,
  SuspensionRequest,
  WithdrawalRequest,
} from './schemas.ts';
import { countDispatch, decideReturn as decideReturnOf, implicitSign, returnToCentre, sign } from './sign-return.ts';
import { escalationSignal, type EscalationSignal } from './complaint-escalation.ts';
import { assessSeverity } from './severity.ts';
import { askExtension, decideExtension, extensionEndedBy, type ExtensionCommand } from './extension-request.ts';
import { agree, claim, paid, type ClaimCommand } from './claims.ts';
import { determine, fileRectification, noticeRectification, reviewDetermination, reviewRectification, type QualityCommand } from './quality.ts';
import { clockPauseOf } from './sla/pause.ts';
import { localDate } from './calendar/calendar.ts';

/** Keeps `deadlines` and `nextDueAt` in step with the state; supplied by `shared/domain/sla`. */
export interface DeadlinePlanner {
  plan(previous: Complaint | undefined, next: Complaint, now: Date): Pick<Complaint, 'deadlines' | 'nextDueAt'>;
}

export interface LifecycleContext {
  directory: UnitDirectory;
  /** Undefined while no directory exists (a fresh deployment not seeded yet): intake suggests no unit. */
  routing: Routing | undefined;
  deadlines: DeadlinePlanner;
}

export type Command =
  | ({ type: 'assign' } & AssignmentRequest)
  | ({ type: 'contact' } & ContactRequest)
  | ({ type: 'reply' } & ReplyRequest & { quoted?: QuotedCompensation })
  | ({ type: 'callback' } & CallbackRequest)
  | ({ type: 'chase' } & ChaseRequest & { repeat?: RepeatSubmission; escalation?: EscalationSignal })
  | ({ type: 'suspend' } & SuspensionRequest)
  | ({ type: 'reopen' } & ReopenRequest & { repeat?: RepeatSubmission; escalation?: EscalationSignal })
  | ({ type: 'withdraw' } & WithdrawalRequest)
  | ({ type: 'severity' } & SeverityRequest)
  | ({ type: 'extend' } & ExtensionRequest)
  | ({ type: 'pause' } & PauseRequest)
  | ({ type: 'resume' } & ResumeRequest)
  | ({ type: 'sign' } & SignRequest)
  | ({ type: 'return' } & ReturnRequest)
  | ({ type: 'return_decision' } & ReturnDecisionRequest)
  | AssistCommand
  | QualityCommand
  | ClaimCommand
  | ExtensionCommand;
export type CommandType = Command['type'];

/**
 * A repeat complaint (重复投诉) linked to the open case. `verified: false` when the phone was only
 * typed in (public web form): such a repeat counts as a chase at most once per case per Shanghai
 * calendar day, so that a stranger who read the parcel label cannot make the case urgent
 * (docs/decisions/030-public-intake-reveals-nothing.md).
 */
export interface RepeatSubmission {
  channel: string;
  excerpt: string;
  verified?: boolean;
}

export interface Transition {
  complaint: Complaint;
  /** Only the events this transition appended (already in `complaint.history`). */
  events: ComplaintEvent[];
}

/** Where each command may start (SPEC lifecycle). Anything else is an InvalidTransition (409). */
export const ALLOWED_FROM: Record<CommandType, readonly Status[]> = {
  assign: ['received', 'dispatched', 'contacted'],
  // `replied`: the follow-up contact an unresolved reply promised (seed 000 五1(1); decision 050).
  contact: ['dispatched', 'contacted', 'replied'],
  reply: ['dispatched', 'contacted'],
  callback: ['replied'],
  chase: ['received', 'dispatched', 'contacted', 'replied', 'returned'],
  suspend: ['received', 'dispatched', 'contacted', 'replied'],
  reopen: ['suspended', 'closed'],
  withdraw: ['received', 'dispatched', 'contacted', 'replied', 'suspended', 'returned'],
  severity: ['received', 'dispatched', 'contacted', 'replied', 'suspended', 'returned'],
  // SLA commands: only while the unit is handling (the reply clock runs).
  extend: ['dispatched', 'contacted'],
  pause: ['dispatched', 'contacted'],
  // 延期申请 (decision 069): asked and decided while the unit handles.
  request_extension: ['dispatched', 'contacted'],
  extension_decision: ['dispatched', 'contacted'],
  resume: ['dispatched', 'contacted'],
  // 签收 and 退回 (decision 047): a return after contact is refused by its rule, naming why.
  sign: ['dispatched'],
  return: ['dispatched', 'contacted'],
  return_decision: ['returned'],
  // 协办 (decision 048): asked while the lead unit handles; answered or cancelled until the case leaves the loop.
  assist: ['dispatched', 'contacted'],
  assist_reply: ['dispatched', 'contacted', 'replied'],
  assist_cancel: ['dispatched', 'contacted', 'replied'],
  // 有理由投诉 (decision 058): determined after the reply, also once the case has ended (the loop goes on
  // after 办结); reviewed by quality whenever a determination exists. Rectification works on closed
  // complaints without reopening them.
  determine: ['replied', 'closed', 'suspended', 'withdrawn'],
  determination_review: ['replied', 'closed', 'suspended', 'withdrawn', 'dispatched', 'contacted'],
  rectification_notice: ['replied', 'closed', 'suspended', 'withdrawn', 'dispatched', 'contacted'],
  rectification_file: ['replied', 'closed', 'suspended', 'withdrawn', 'dispatched', 'contacted'],
  rectification_review: ['replied', 'closed', 'suspended', 'withdrawn', 'dispatched', 'contacted'],
  // 赔偿申请 (decision 059): a claim may come during or after the handling.
  compensation_claim: ['dispatched', 'contacted', 'replied', 'closed', 'suspended'],
  compensation_agreement: ['dispatched', 'contacted', 'replied', 'closed', 'suspended'],
  compensation_paid: ['dispatched', 'contacted', 'replied', 'closed', 'suspended', 'withdrawn'],
};

/** How many severity reasons (newest first) the state keeps, so repeated changes cannot grow the item without bound. */
export const MAX_SEVERITY_REASONS = 20;

/** Clock skew tolerated for times reported by staff (a contact "now" on a phone a little ahead). */
const SKEW_MS = 2 * 60_000;

/** Build a new complaint from a validated intake request: classify, suggest a unit, start its clocks. */
export function intake(
  input: IntakeRequest,
  actor: Actor,
  now: Date,
  ctx: LifecycleContext,
  ids: { id: string; trackingCode: string; intakeHash?: string; key?: string; previous?: Pick<Complaint, 'id'> },
): Transition {
  const at = now.toISOString();
  const assessed = assessSeverity(input);
  const override = input.severity && input.severityReason ? { severity: input.severity, reason: input.severityReason } : undefined;
  const severity: Severity = override?.severity ?? assessed.severity;
  // Without a directory (a fresh deployment not seeded yet) there is no suggestion: the complaint stays with the centre.
  const suggestion = ctx.routing ? suggestUnit(ctx.routing, input) : undefined;
  const base: Complaint = {
    id: ids.id,
    trackingCode: ids.trackingCode,
    version: 1,
    status: 'received',
    severity,
    severityReasons: override ? [`agent: ${override.reason}`, ...assessed.reasons] : assessed.reasons,
    kind: input.kind,
    category: input.category,
    channel: input.channel,
    source: input.source,
    complainant: {
      anonymous: input.anonymous,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.phone !== undefined && { phone: canonicalPhone(input.phone) }),
      ...(input.email !== undefined && { email: input.email }),
    },
    content: input.content,
    subjectStaffIds: subjectIds(input.subjectStaffIds),
    ...(suggestion && { suggestedUnitId: suggestion.unitId }),
    priority: false,
    round: 0,
    chaseCount: 0,
    repeatCount: 0,
    createdAt: at,
    updatedAt: at,
    deadlines: [],
    history: [],
    ...(input.externalRef !== undefined && { externalRefs: [input.externalRef] }),
    ...(ids.previous !== undefined && { previousCaseId: ids.previous.id, repeatCount: 1 }),
    ...(input.waybillNo !== undefined && { waybillNo: input.waybillNo }),
    ...(input.demand !== undefined && { demand: input.demand }),
    ...(input.region !== undefined && { region: input.region }),
    ...(input.declaredValue !== undefined && { declaredValue: input.declaredValue }),
    ...(input.keyAccount !== undefined && { keyAccount: input.keyAccount }),
    ...(input.slaProfile !== undefined && { slaProfile: input.slaProfile }),
    ...(ids.intakeHash !== undefined && { intakeHash: ids.intakeHash }),
  };
  const events = [
    event(base, 0, 'received', actor, at, ids.key, {
      kind: base.kind,
      channel: input.channel,
      source: input.source,
      category: input.category,
      // A repeat of an ended case (重复投诉, SPEC intake): recorded on the intake event, which stays seq 1.
      ...(ids.previous !== undefined && { previousCaseId: ids.previous.id, repeat: true }),
    }),
    event(base, 1, 'classified', actor, at, undefined, {
      severity,
      reasons: base.severityReasons,
      ...(suggestion && { suggestedUnitId: suggestion.unitId, routingRule: suggestion.rule }),
    }),
  ];
  const complaint: Complaint = { ...base, history: events };
  return { complaint: { ...complaint, ...ctx.deadlines.plan(undefined, complaint, now) }, events };
}

/**
 * The commands of the types `K`. An intersection rather than `Extract`, so that TypeScript sees a
 * decision over more commands as one over fewer (`Decide<CommandType>` is a `Decide<'assign'>`).
 */
export type CommandOf<K extends CommandType> = Command & { type: K };

/** How one command changes the draft (its status check and the rules after every command are {@link decideWith}'s). */
export type Decider<K extends CommandType> = (draft: Draft, command: CommandOf<K>, now: Date, ctx: LifecycleContext) => void;

/** The decisions of a set of commands, one per type. */
export type Deciders<K extends CommandType> = { readonly [T in K]: Decider<T> };

/** Apply one command. Throws InvalidTransition (wrong status) or Unprocessable (bad content). */
export type Decide<K extends CommandType> = DecideFor<CommandOf<K>>;

/** A decision that takes the command `C` (a `Decide<K>` of a set `K` holding its type takes it). */
export type DecideFor<C extends Command> = (
  complaint: Complaint,
  command: C,
  actor: Actor,
  now: Date,
  ctx: LifecycleContext,
  key?: string,
  keyHash?: string,
) => Transition;

/**
 * `decide` over the commands a function issues (issue 10: each function loads only what it uses).
 * A function that decides only assignments bundles the assignment's decision, not the reply check,
 * the callback, 签收/退回, 协办, the quality records or the claims; the rules that run after every
 * command (dispatch counting, 协办 ended by a reply or the case's end, a cancelled extension request,
 * the deadlines) are here and always run (decision 074). The command's type is the key, and
 * `ComplaintTransitions.act` takes the command with the function's `Decide<K>`: a command outside `K` is a
 * type error, and one smuggled past the types throws before anything is written.
 */
export function decideWith<K extends CommandType>(deciders: Deciders<K>): Decide<K> {
  return (complaint, command, actor, now, ctx, key, keyHash) => {
    if (!ALLOWED_FROM[command.type].includes(complaint.status)) throw new InvalidTransition(command.type, complaint.status);
    const draft = new Draft(complaint, actor, now.toISOString(), key, keyHash);
    const decider: Decider<K> | undefined = deciders[command.type as K];
    // Unreachable through the types; a command smuggled past them fails loudly, never half-applied.
    if (!decider) throw new Error(`No decision for ${command.type} in this function`);
    decider(draft, command, now, ctx);
    countDispatch(draft);
    // A resolved reply or the end of the case ends the open 协办 tasks (decision 048).
    applyAssist(draft, assistsEndedBy(complaint, { ...complaint, ...draft.pending }, draft.at));
    return draft.finish(ctx, now);
  };
}

export const decideAssign: Decider<'assign'> = (draft, command, _now, ctx) => assign(draft, command, ctx);

export const decideContact: Decider<'contact'> = (draft, command, now) => {
  const complaint = draft.before;
  const contactedAt = checkPast(command.contactedAt ?? draft.at, now, complaint, 'contactedAt');
  // After the reply a contact is the follow-up it promised: the case keeps waiting for its callback,
  // and the planner meets `next_contact` (decision 050).
  const followUp = complaint.status === 'replied';
  if (!followUp) draft.set({ status: 'contacted', firstContactAt: complaint.firstContactAt ?? contactedAt });
  // Contact before 签收 signs for the dispatch first (decision 047).
  implicitSign(draft, 'contact');
  draft.emit('contacted', {
    contactedAt,
    method: command.method,
    note: command.note,
    first: !followUp && !complaint.firstContactAt,
    ...(followUp && { followUp: true, round: complaint.round }),
  });
};

export const decideReply: Decider<'reply'> = (draft, command, now) => {
  implicitSign(draft, 'reply');
  reply(draft, command, now);
};

export const decideCallback: Decider<'callback'> = (draft, command) => callback(draft, command);

export const decideChase: Decider<'chase'> = (draft, command) => chase(draft, command);

export const decideSuspend: Decider<'suspend'> = (draft, command) => {
  const complaint = draft.before;
  draft.set({ status: 'suspended', suspension: { reason: command.reason, note: command.note, at: draft.at, by: draft.actor.id } });
  draft.emit('suspended', { reason: command.reason, note: command.note, from: complaint.status });
  endClockPause(draft);
};

export const decideReopen: Decider<'reopen'> = (draft, command) => {
  const complaint = draft.before;
  const status: Status = complaint.unitId ? 'dispatched' : 'received';
  draft.set({
    status,
    round: complaint.unitId ? complaint.round + 1 : complaint.round,
    priority: true,
    handlerId: keptHandler(complaint),
    suspension: undefined,
    closedAt: undefined,
    firstContactAt: undefined,
    ...(command.repeat && { repeatCount: complaint.repeatCount + 1 }),
  });
  draft.emit('reopened', { reason: command.reason, from: complaint.status, to: status, ...(command.repeat && { repeat: true }) });
  // A repeat within 30 days of closure (SPEC intake): the system reopens, the repeat is on record.
  if (command.repeat) draft.emit('repeat_linked', { ...repeatRecord(command.repeat), repeatCount: complaint.repeatCount + 1, counted: true, reopened: true });
  if (command.escalation) escalate(draft, command.escalation);
};

export const decideWithdraw: Decider<'withdraw'> = (draft, command) => {
  const complaint = draft.before;
  // Seed 004 (邮储 art. 19): a withdrawal counts only when the complainant confirms it is voluntary.
  // When they say it is not (pressed to withdraw), that is recorded, the case stays as it is and
  // the quality manager is told (decision 046).
  if (!command.voluntary) {
    draft.emit('withdrawal_contested', { confirmedVia: command.confirmedVia, note: command.note, status: complaint.status });
    return;
  }
  draft.set({ status: 'withdrawn', withdrawal: { confirmedVia: command.confirmedVia, note: command.note, at: draft.at, by: draft.actor.id } });
  draft.emit('withdrawn', { confirmedVia: command.confirmedVia, note: command.note, from: complaint.status });
  endClockPause(draft);
};

export const decideSeverity: Decider<'severity'> = (draft, command) => {
  const complaint = draft.before;
  if (command.severity === complaint.severity) {
    throw new Unprocessable('severity-unchanged', `The complaint is already ${command.severity}`, [
      { path: 'severity', message: 'Same as the current severity' },
    ]);
  }
  draft.set({ severity: command.severity, severityReasons: [`${draft.actor.role}: ${command.reason}`, ...complaint.severityReasons] });
  draft.emit('severity_changed', { from: complaint.severity, to: command.severity, reason: command.reason });
};

export const decideExtend: Decider<'extend'> = (draft, command, now) => extend(draft, command, now);

export const decideRequestExtension: Decider<'request_extension'> = (draft, command, now) => {
  const request = askExtension(draft.before, command, draft.actor, now);
  draft.set({ extensionRequest: request });
  draft.emit('extension_requested', {
    round: request.round,
    reason: request.reason,
    requestedDueAt: request.requestedDueAt,
    previousDueAt: request.previousDueAt,
  });
};

export const decideExtensionDecision: Decider<'extension_decision'> = (draft, command, now) => {
  const decided = decideExtension(draft.before, command, draft.actor, now);
  // Approval is the extend transition in the same write: the planner re-plans the reply limit.
  if (command.approve) extend(draft, { type: 'extend', milestone: 'reply', reason: decided.reason }, now);
  draft.set({ extensionRequest: decided });
  draft.emit('extension_decided', { approved: command.approve, reason: command.reason, requestedBy: decided.by, requestedDueAt: decided.requestedDueAt });
};

export const decidePause: Decider<'pause'> = (draft, command) => {
  const paused = clockPauseOf(draft.before);
  if (paused) {
    throw new Unprocessable('clock-already-paused', `The clock has been paused since ${paused.at}`, [
      { path: 'reason', message: 'Already paused: resume first' },
    ]);
  }
  draft.emit('deadline_paused', { reason: command.reason });
};

export const decideResume: Decider<'resume'> = (draft, command, now) => {
  const paused = clockPauseOf(draft.before);
  if (!paused) throw new Unprocessable('clock-not-paused', 'The clock is not paused', [{ path: '', message: 'Nothing to resume' }]);
  draft.emit('deadline_resumed', {
    pausedAt: paused.at,
    pausedMillis: now.getTime() - Date.parse(paused.at),
    ...(command.note !== undefined && { note: command.note }),
  });
};

export const decideSign: Decider<'sign'> = (draft, command) => sign(draft, command);

export const decideReturn: Decider<'return'> = (draft, command, _now, ctx) => returnToCentre(draft, command, ctx.directory);

export const decideReturnDecision: Decider<'return_decision'> = (draft, command, _now, ctx) => {
  decideReturnOf(draft, command);
  if (command.decision === 'redispatch') {
    const reason = `退回改派：${command.reason ?? draft.before.unitReturn?.reason ?? ''}`;
    assign(
      draft,
      { type: 'assign', unitId: command.unitId, handlerId: command.handlerId, reason, ...(command.note !== undefined && { note: command.note }) },
      ctx,
    );
  }
};

/** 协办: ask another unit, its reply, the centre's cancellation (decision 048). */
export function decideAssistCommand(draft: Draft, command: AssistCommand, now: Date, ctx: LifecycleContext): void {
  applyAssist(draft, decideAssist(draft.before, command, draft.actor, now, ctx.directory));
}

export const decideDetermine: Decider<'determine'> = (draft, command) => determine(draft, command);
export const decideDeterminationReview: Decider<'determination_review'> = (draft, command) => reviewDetermination(draft, command);
export const decideRectificationNotice: Decider<'rectification_notice'> = (draft, command) => noticeRectification(draft, command);
export const decideRectificationFile: Decider<'rectification_file'> = (draft, command, _now, ctx) => fileRectification(draft, command, ctx.directory);
export const decideRectificationReview: Decider<'rectification_review'> = (draft, command) => reviewRectification(draft, command);
export const decideClaim: Decider<'compensation_claim'> = (draft, command) => claim(draft, command);
export const decideAgreement: Decider<'compensation_agreement'> = (draft, command) => agree(draft, command);
export const decidePaid: Decider<'compensation_paid'> = (draft, command) => paid(draft, command);

/** The centre's commands on a case: 催办, 暂结, reopen, 撤诉, severity. */
export const CENTRE_COMMANDS = {
  chase: decideChase,
  suspend: decideSuspend,
  reopen: decideReopen,
  withdraw: decideWithdraw,
  severity: decideSeverity,
};

/** The clock: the leader-approved extension, the unit's 延期申请 and its decision, pause and resume. */
export const CLOCK_COMMANDS = {
  extend: decideExtend,
  request_extension: decideRequestExtension,
  extension_decision: decideExtensionDecision,
  pause: decidePause,
  resume: decideResume,
};

/** The unit's 签收 and 退回, and the centre's ruling on a return (decision 047). */
export const UNIT_COMMANDS = { sign: decideSign, return: decideReturn, return_decision: decideReturnDecision };

/** 协办: ask, answer, cancel (decision 048). */
export const ASSIST_COMMANDS = { assist: decideAssistCommand, assist_reply: decideAssistCommand, assist_cancel: decideAssistCommand };

/** 有理由投诉 and 分析整改 (decision 058); the monthly notice is `decideRectificationNotice`, issued per case by the notice. */
export const QUALITY_COMMANDS = {
  determine: decideDetermine,
  determination_review: decideDeterminationReview,
  rectification_file: decideRectificationFile,
  rectification_review: decideRectificationReview,
};

/** 赔偿申请: the claim, the agreed amount, the payment (decision 059). */
export const CLAIM_COMMANDS = { compensation_claim: decideClaim, compensation_agreement: decideAgreement, compensation_paid: decidePaid };

let everyCommand: Decide<CommandType> | undefined;

/**
 * Every command: the local container, the tests and the scripts. Built on first use, inside the
 * function: a bundle that does not call it carries none of it, nor the groups above it does not use
 * itself (a spread of them in a module-level call would keep every group in every bundle).
 */
export const decide: Decide<CommandType> = (complaint, command, actor, now, ctx, key, keyHash) => {
  everyCommand ??= decideWith({
    assign: decideAssign,
    contact: decideContact,
    reply: decideReply,
    callback: decideCallback,
    rectification_notice: decideRectificationNotice,
    ...CENTRE_COMMANDS,
    ...CLOCK_COMMANDS,
    ...UNIT_COMMANDS,
    ...ASSIST_COMMANDS,
    ...QUALITY_COMMANDS,
    ...CLAIM_COMMANDS,
  });
  return everyCommand(complaint, command, actor, now, ctx, key, keyHash);
};

function assign(draft: Draft, cmd: Extract<Command, { type: 'assign' }>, ctx: LifecycleContext): void {
  const c = draft.before;
  const unit = findUnit(ctx.directory, cmd.unitId);
  if (!unit) throw new Unprocessable('unknown-unit', `No unit “${cmd.unitId}”`, [{ path: 'unitId', message: 'Unknown unit' }]);
  // The directory's spelling of the id is stored: ids are compared case-insensitively (SPEC "Dispatch").
  const handlerId = unitMember(unit, cmd.handlerId)?.id;
  if (!handlerId) {
    throw new Unprocessable('handler-not-in-unit', `“${cmd.handlerId}” is not a handler of ${unit.name}`, [
      { path: 'handlerId', message: `Not a handler of unit ${unit.id}` },
    ]);
  }
  const subjects = subjectIds(c.subjectStaffIds, cmd.subjectStaffIds);
  // Seed 001 art. 15: the person complained about never handles the complaint.
  if (isSubject({ subjectStaffIds: subjects }, handlerId)) {
    throw new Unprocessable('handler-is-subject', 'The person complained about may not handle the complaint (seed 001 art. 15)', [
      { path: 'handlerId', message: '当事员工不得处理本投诉' },
    ]);
  }
  const moving = c.status !== 'received';
  if (moving && !cmd.reason) {
    throw new Unprocessable('reason-required', 'Moving a dispatched complaint needs a reason', [
      { path: 'reason', message: 'Required when the complaint is already dispatched' },
    ]);
  }
  if (moving && c.unitId === cmd.unitId && sameStaff(c.handlerId, handlerId)) {
    throw new Unprocessable('already-assigned', 'The complaint is already with this unit and handler', [{ path: 'handlerId', message: 'Already assigned' }]);
  }
  const unitChanged = c.unitId !== cmd.unitId;
  draft.set({
    unitId: unit.id,
    handlerId,
    subjectStaffIds: subjects,
    round: Math.max(1, c.round),
    ...(unitChanged && { status: 'dispatched' as const, firstContactAt: undefined }),
  });
  draft.emit('dispatched', {
    unitId: unit.id,
    unitName: unit.name,
    handlerId,
    round: Math.max(1, c.round),
    transfer: moving,
    followedSuggestion: c.suggestedUnitId === unit.id,
    ...(cmd.reason !== undefined && { reason: cmd.reason }),
    ...(cmd.note !== undefined && { note: cmd.note }),
  });
}

function reply(draft: Draft, cmd: Extract<Command, { type: 'reply' }>, now: Date): void {
  const c = draft.before;
  const { type: _type, quoted, justified: legacy, justifiedProposal: proposed, ...rest } = cmd;
  // The unit proposes (decision 058); `justified` is the old name of the same proposal.
  if (legacy !== undefined && proposed !== undefined && legacy !== proposed) {
    throw new Unprocessable('proposal-mismatch', 'justified and justifiedProposal say different things', [
      { path: 'justifiedProposal', message: 'Differs from justified (send one)' },
    ]);
  }
  const justifiedProposal = proposed ?? legacy;
  if (justifiedProposal === undefined) {
    throw new Unprocessable('proposal-required', 'The unit proposes whether the complaint is justified (SPEC lifecycle 4)', [
      { path: 'justifiedProposal', message: 'Required' },
    ]);
  }
  const compensation = rest.compensation && { ...rest.compensation, ...(quoted !== undefined && { quoted }) };
  const body = { ...rest, justifiedProposal, ...(compensation !== undefined && { compensation }) };
  const issues = checkReply(body, { category: c.category, now });
  if (issues.length > 0) throw new Unprocessable('vague-reply', 'The reply lacks one of the three required elements (seed 000)', issues);
  const contactedAt = checkPast(cmd.process.contactedAt, now, c, 'process.contactedAt');
  if (!c.firstContactAt) {
    draft.set({ firstContactAt: contactedAt });
    draft.emit('contacted', { contactedAt, method: cmd.process.method, note: cmd.process.summary, first: true, viaReply: true });
  }
  draft.set({ status: 'replied', reply: { ...body, by: draft.actor.id, at: draft.at, round: c.round } });
  // SPEC "Dispatch": the responsible person named in a reply joins the subjects (当事员工).
  if (cmd.responsibleStaffId !== undefined) draft.set({ subjectStaffIds: subjectIds(c.subjectStaffIds, [cmd.responsibleStaffId]) });
  draft.emit('replied', {
    round: c.round,
    justifiedProposal,
    resolved: cmd.result.resolved,
    complainantAccepted: cmd.result.complainantAccepted,
    ...(cmd.liability !== undefined && { liability: cmd.liability }),
    ...(compensation !== undefined && {
      compensation: {
        offered: compensation.offered,
        ...(compensation.amount !== undefined && { amount: compensation.amount }),
        ...(quoted !== undefined && { quotedFen: quoted.amountFen, liable: quoted.liable }),
      },
    }),
  });
  endClockPause(draft);
}

/**
 * SPEC "Time limits": an approved extension of the reply limit (seed 002: 15 working days; seed 001
 * 宝山 art. 17: at most 30 for administrative-efficiency complaints), once per round, before the
 * limit passes. The approver is the caller (leader/admin, see `access.ts`); the reason is shown to
 * the complainant (`public-view.ts`). The planner applies the policy's `extended` limit.
 */
function extend(draft: Draft, cmd: Extract<Command, { type: 'extend' }>, now: Date): void {
  const c = draft.before;
  if (cmd.approverId !== undefined && !sameStaff(cmd.approverId, draft.actor.id)) {
    throw new Unprocessable('approver-mismatch', 'The approver of an extension is the leader who sends it', [
      { path: 'approverId', message: `Must be the caller (${draft.actor.id})` },
    ]);
  }
  const deadline = c.deadlines.find((d) => d.milestone === cmd.milestone && d.round === c.round);
  const fail = (code: string, message: string) => new Unprocessable(code, message, [{ path: 'milestone', message }]);
  if (!deadline) throw fail('no-deadline', `No ${cmd.milestone} time limit runs in round ${c.round}`);
  if (deadline.extended) throw fail('already-extended', `The ${cmd.milestone} time limit was already extended on ${deadline.extended.at}`);
  if (deadline.state === 'met') throw fail('deadline-met', `The ${cmd.milestone} time limit was already met`);
  if (deadline.state === 'breached' || (deadline.state === 'pending' && Date.parse(deadline.dueAt) <= now.getTime())) {
    throw fail('deadline-breached', `The ${cmd.milestone} time limit passed on ${deadline.dueAt}; an extension must be approved before it`);
  }
  draft.emit('deadline_extended', { milestone: cmd.milestone, round: c.round, reason: cmd.reason, approverId: draft.actor.id, previousDueAt: deadline.dueAt });
}

/**
 * A reply, suspension or withdrawal ends a clock pause: the planner restarts the paused clocks
 * where it applies that event; this records it in the history (`auto`, by the rules).
 */
function endClockPause(draft: Draft): void {
  const paused = clockPauseOf(draft.before);
  if (!paused) return;
  draft.emit('deadline_resumed', { pausedAt: paused.at, pausedMillis: Date.parse(draft.at) - Date.parse(paused.at), auto: true }, true);
}

function callback(draft: Draft, cmd: Extract<Command, { type: 'callback' }>): void {
  const c = draft.before;
  const { by, at } = { by: draft.actor.id, at: draft.at };
  if (cmd.outcome === 'unreachable') {
    draft.emit('callback_unreachable', { ...(cmd.note !== undefined && { note: cmd.note }), round: c.round });
    return;
  }
  if (cmd.outcome === 'waived') {
    draft.set({ status: 'closed', closedAt: at, callback: { outcome: 'waived', reason: cmd.reason, note: cmd.note, by, at, round: c.round } });
    draft.emit('callback_waived', { reason: cmd.reason, note: cmd.note, round: c.round });
    draft.emit('closed', { via: 'callback_waived', round: c.round });
    return;
  }
  if (cmd.attitude === 'dissatisfied' && !cmd.dissatisfactionCause) {
    throw new Unprocessable('cause-required', 'A dissatisfied callback needs the cause', [
      { path: 'dissatisfactionCause', message: 'Required when the complainant is dissatisfied' },
    ]);
  }
  draft.set({
    callback: {
      outcome: 'reached',
      attitude: cmd.attitude,
      handlingQuality: cmd.handlingQuality,
      ...(cmd.dissatisfactionCause !== undefined && { dissatisfactionCause: cmd.dissatisfactionCause }),
      ...(cmd.comments !== undefined && { comments: cmd.comments }),
      by,
      at,
      round: c.round,
    },
  });
  draft.emit('callback_recorded', {
    attitude: cmd.attitude,
    handlingQuality: cmd.handlingQuality,
    round: c.round,
    ...(cmd.dissatisfactionCause !== undefined && { dissatisfactionCause: cmd.dissatisfactionCause }),
    ...(cmd.comments !== undefined && { comments: cmd.comments }),
  });
  if (cmd.attitude !== 'dissatisfied') {
    draft.set({ status: 'closed', closedAt: at });
    draft.emit('closed', { via: 'callback', attitude: cmd.attitude, round: c.round });
    return;
  }
  // Seed 000 投诉回访: dissatisfied because of poor handling (or a reply that does not match what the
  // complainant says) goes back to the same unit with priority — 重处理 — and the loop repeats.
  if (cmd.dissatisfactionCause === 'poor_handling' || cmd.handlingQuality === 'inconsistent') {
    const handlerId = keptHandler(c);
    draft.set({ status: 'dispatched', round: c.round + 1, priority: true, firstContactAt: undefined, handlerId });
    draft.emit('redispatched', { unitId: c.unitId, ...(handlerId !== undefined && { handlerId }), round: c.round + 1, cause: cmd.dissatisfactionCause });
  }
  // Otherwise (demand beyond scope …) it stays `replied`: the centre waives the callback with a
  // written reason or suspends (暂结) the complaint.
}

function chase(draft: Draft, cmd: Extract<Command, { type: 'chase' }>): void {
  const c = draft.before;
  const verified = cmd.repeat?.verified !== false;
  if (cmd.repeat && !verified && countedUnverifiedToday(c, draft.at)) {
    // Linked for the record (history), but not counted: one unverified repeat a day is a chase at most.
    draft.emit('repeat_linked', { channel: cmd.repeat.channel, excerpt: cmd.repeat.excerpt, verified: false, counted: false });
    return;
  }
  const chaseCount = c.chaseCount + 1;
  draft.set({ chaseCount, priority: true, ...(cmd.repeat && { repeatCount: c.repeatCount + 1 }) });
  if (cmd.repeat) {
    draft.emit('repeat_linked', { channel: cmd.repeat.channel, excerpt: cmd.repeat.excerpt, repeatCount: c.repeatCount + 1, verified, counted: true });
  }
  draft.emit('chased', { via: cmd.via, chaseCount, ...(cmd.note !== undefined && { note: cmd.note }), repeat: Boolean(cmd.repeat) });
  // Seed 000: a complainant's second chase (二次催促) of a general complaint makes it urgent at once.
  if (chaseCount >= 2 && !isMajorOrUrgent(c.severity)) {
    draft.set({ severity: 'urgent', severityReasons: ['second_chase: 二次催促', ...c.severityReasons] });
    draft.emit('severity_changed', { from: c.severity, to: 'urgent', reason: 'second_chase: 二次催促 (seed 000)' }, true);
  }
  // A direct chase comes only from staff (what the complainant said on the phone) or a signed SMS
  // from the case's own phone, so a threat in its note is a 投诉升级 too. Repeats carry their signal
  // from the use case, which alone knows whether their sender may escalate (decision 043).
  const signal = cmd.escalation ?? (!cmd.repeat && cmd.note !== undefined ? escalationSignal({ text: cmd.note }) : undefined);
  if (signal) escalate(draft, signal);
}

/**
 * 投诉升级 about an open case (SPEC intake; seed 000 四(二)2): the case becomes external with every
 * reference kept, is raised to at least major (the `severity_changed` event starts the leaders'
 * notice, and the external callback limit follows from the source), and the escalation is counted.
 */
function escalate(draft: Draft, signal: EscalationSignal): void {
  const c = { ...draft.before, ...draft.pending };
  const refs = c.externalRefs ?? [];
  const newRef = signal.externalRef !== undefined && !refs.includes(signal.externalRef);
  const seen = c.escalationCues ?? [];
  const newCues = signal.cues.filter((k) => !seen.includes(k));
  // Said again, it adds nothing: the chase or repeat is the record, and 投诉升级量 counts the complaint once.
  // A new reference or a body not named before (the media: quality is told at once) escalates again.
  const already = c.escalatedAt !== undefined || (c.source === 'external' && signal.via === 'transfer');
  if (already && !newRef && newCues.length === 0) return;
  const externalRefs = newRef ? [...refs, signal.externalRef as string] : refs;
  const count = (c.complaintEscalations ?? 0) + 1;
  draft.set({
    source: 'external',
    complaintEscalations: count,
    escalatedAt: c.escalatedAt ?? draft.at,
    ...(externalRefs.length > 0 && { externalRefs }),
    ...(newCues.length > 0 && { escalationCues: [...seen, ...newCues] }),
  });
  draft.emit(
    'complaint_escalated',
    { via: signal.via, cues: signal.cues, count, fromSource: c.source, ...(signal.externalRef !== undefined && { externalRef: signal.externalRef }) },
    true,
  );
  if (severityRank(c.severity) >= severityRank('major')) return;
  const reason = `complaint_escalated: 投诉升级（${signal.via === 'transfer' ? '上级/监管部门转办' : signal.cues.join('、')}）`;
  draft.set({ severity: 'major', severityReasons: [reason, ...c.severityReasons] });
  draft.emit('severity_changed', { from: c.severity, to: 'major', reason: `${reason} (SPEC intake)` }, true);
}

/** What the history keeps of a repeat: its channel and the first 200 characters. */
function repeatRecord(r: RepeatSubmission): { channel: string; excerpt: string; verified: boolean } {
  return { channel: r.channel, excerpt: r.excerpt, verified: r.verified !== false };
}

/**
 * The ended case records the new case a later repeat opened (SPEC intake: “later it opens a new case
 * linked to the old one”). A system write on a closed or withdrawn case: no status change, no clock.
 */
export function linkSuccessor(previous: Complaint, successorId: string, actor: Actor, now: Date, ctx: LifecycleContext): Transition {
  const draft = new Draft(previous, actor, now.toISOString(), undefined);
  const linked = previous.linkedCaseIds ?? [];
  if (linked.includes(successorId)) return { complaint: previous, events: [] };
  draft.set({ linkedCaseIds: [...linked, successorId] });
  draft.emit('case_linked', { caseId: successorId, repeat: true }, true);
  return draft.finish(ctx, now);
}

function applyAssist(draft: Draft, effect: AssistEffect | undefined): void {
  if (!effect) return;
  draft.set(effect.set);
  for (const e of effect.emit) draft.emit(e.type, e.data, e.system === true);
}

/** A new round keeps its handler unless the handler has become a subject (named responsible in a reply). */
function keptHandler(c: Complaint): string | undefined {
  return c.handlerId !== undefined && isSubject(c, c.handlerId) ? undefined : c.handlerId;
}

/** True when an unverified repeat already counted as a chase on the Shanghai calendar day of `at`. */
function countedUnverifiedToday(c: Complaint, at: string): boolean {
  const today = localDate(new Date(at));
  return c.history.some(
    (e) => e.type === 'repeat_linked' && e.data?.['verified'] === false && e.data['counted'] !== false && localDate(new Date(e.at)) === today,
  );
}

function checkPast(iso: string, now: Date, c: Complaint, path: string): string {
  const t = Date.parse(iso);
  if (t > now.getTime() + SKEW_MS) throw new Unprocessable('time-in-future', 'A contact time may not lie in the future', [{ path, message: 'In the future' }]);
  if (t < Date.parse(c.createdAt) - SKEW_MS) {
    throw new Unprocessable('time-before-intake', 'A contact time may not precede the complaint', [{ path, message: 'Before the complaint was received' }]);
  }
  return new Date(t).toISOString();
}

function event(
  c: Complaint,
  offset: number,
  type: EventType,
  actor: Actor,
  at: string,
  key: string | undefined,
  data?: Record<string, unknown>,
  keyHash?: string,
): ComplaintEvent {
  return {
    seq: lastSeq(c) + offset + 1,
    type,
    at,
    actor: { id: actor.id, role: actor.role, ...(actor.unitId !== undefined && { unitId: actor.unitId }) },
    ...(key !== undefined && { key }),
    ...(key !== undefined && keyHash !== undefined && { keyHash }),
    ...(data !== undefined && { data }),
  };
}

/** Accumulates one transition's changes and events; sequence numbers stay gap-free. */
export class Draft {
  private changes: Partial<Complaint> = {};
  private readonly events: ComplaintEvent[] = [];
  constructor(
    readonly before: Complaint,
    readonly actor: Actor,
    readonly at: string,
    private readonly key: string | undefined,
    private readonly keyHash?: string,
  ) {}

  set(changes: Partial<Complaint>): void {
    this.changes = { ...this.changes, ...changes };
  }

  /** The changes set so far (a later rule decides on the state as this transition leaves it). */
  get pending(): Partial<Complaint> {
    return this.changes;
  }

  /** The idempotency key goes on the first event only; `system` marks rule-driven follow-ups. */
  emit(type: EventType, data?: Record<string, unknown>, system = false): void {
    const actor: Actor = system ? { id: 'rules', role: 'system' } : this.actor;
    const first = this.events.length === 0;
    this.events.push(event(this.before, this.events.length, type, actor, this.at, first ? this.key : undefined, data, first ? this.keyHash : undefined));
  }

  finish(ctx: LifecycleContext, now: Date): Transition {
    const moved: Complaint = { ...this.before, ...this.changes };
    // A request still open when the case leaves the unit's handling is cancelled (decision 069).
    if (extensionEndedBy(this.before, moved) && moved.extensionRequest) {
      this.changes = { ...this.changes, extensionRequest: { ...moved.extensionRequest, status: 'cancelled' } };
      this.emit('extension_cancelled', { status: moved.status, round: moved.round }, true);
    }
    const next: Complaint = {
      ...this.before,
      ...this.changes,
      version: this.before.version + 1,
      updatedAt: this.at,
      history: [...this.before.history, ...this.events],
    };
    for (const k of Object.keys(next) as (keyof Complaint)[]) if (next[k] === undefined) delete next[k];
    // The state keeps the newest reasons only; every one stays in the history (decision 033).
    if (next.severityReasons.length > MAX_SEVERITY_REASONS) next.severityReasons = next.severityReasons.slice(0, MAX_SEVERITY_REASONS);
    return { complaint: { ...next, ...ctx.deadlines.plan(this.before, next, now) }, events: this.events };
  }
}

/** True when the complaint's history already holds a command sent with this idempotency key. */
export function alreadyApplied(complaint: Complaint, key: string | undefined): boolean {
  return key !== undefined && complaint.history.some((e) => e.key === key);
}

/**
 * What an idempotency key means for this complaint: `fresh` (never used here), `replay` (the same
 * caller sent the same command: answer with the current complaint) or `reused` (another caller, or
 * another command: refused with 422, nothing written). Events recorded before hashes were kept
 * compare by caller only.
 */
export function keyUse(complaint: Complaint, key: string | undefined, callerId: string, hash: string | undefined): 'fresh' | 'replay' | 'reused' {
  if (key === undefined) return 'fresh';
  const first = complaint.history.find((e) => e.key === key);
  if (!first) return 'fresh';
  const sameHash = first.keyHash === undefined || hash === undefined || first.keyHash === hash;
  return first.actor.id === callerId && sameHash ? 'replay' : 'reused';
}
