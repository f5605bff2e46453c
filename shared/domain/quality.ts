/**
 * The quality half of the loop as pure rules the lifecycle's `decide` calls (SPEC "Quality"; seed
 * 000_a1eb924360c3e548.txt 四(二)5, (六)1–3): the centre's determination of a justified complaint
 * (有理由投诉的初步界定) and quality's review, the monthly notice that starts the 5-day rectification
 * clock, the unit's 分析整改表 (附件3) and quality's verdict. Nothing here needs a clock or a calendar
 * beyond `draft.at`; the planner runs the `rectification` deadline. Decision 058.
 */
import { isAssistMilestone } from './assist.ts';
import { findUnit, type UnitDirectory } from './directory.ts';
import { Conflict, Unprocessable } from './errors.ts';
import type { Complaint, Deadline } from './model.ts';
import type {
  DeterminationRequest,
  DeterminationReviewRequest,
  RectificationNoticeRequest,
  RectificationRequest,
  RectificationReviewRequest,
} from './quality-schemas.ts';
import type { TransitionDraft } from './sign-return.ts';

/** The quality commands of the lifecycle's `Command` union. */
export type QualityCommand =
  | ({ type: 'determine' } & DeterminationRequest)
  | ({ type: 'determination_review' } & DeterminationReviewRequest)
  | ({ type: 'rectification_notice' } & Pick<RectificationNoticeRequest, 'period'>)
  | ({ type: 'rectification_file' } & RectificationRequest)
  | ({ type: 'rectification_review' } & RectificationReviewRequest);

/** The unit's clocks whose breach shows it failed to cooperate or delayed (seed 000 四(二)5(2)). */
const UNIT_CLOCKS = new Set(['sign', 'first_contact', 'reply']);

/** Whether the finding in force (the review's, else the determination's) is justified. */
function isJustified(c: Pick<Complaint, 'determination'>): boolean {
  const d = c.determination;
  return d !== undefined && (d.review?.justified ?? d.justified);
}

/** The unit's proposal in the reply (the old `justified` field is the same proposal). */
const proposalOf = (c: Pick<Complaint, 'reply'>): boolean | undefined => c.reply?.justifiedProposal ?? c.reply?.justified;

/**
 * What the record shows of the unit failing to cooperate (seed 000 四(二)5(2) “不配合处理、延误处理时机”):
 * a 协办 task answered late or never, or one of the unit's own clocks (签收, first contact, reply) breached.
 */
function uncooperativeEvidence(c: Pick<Complaint, 'deadlines'>): string[] {
  const late = (d: Deadline) => d.state === 'breached';
  return c.deadlines.filter((d) => late(d) && (isAssistMilestone(d.milestone) || UNIT_CLOCKS.has(d.milestone))).map((d) => `${d.milestone}#${d.round}`);
}

/**
 * 初步界定 by the centre after the reply: once per handling round (a change goes through quality's
 * review); `uncooperative_unit` needs a breached 协办 or unit clock on record.
 */
export function determine(draft: TransitionDraft, cmd: Extract<QualityCommand, { type: 'determine' }>): void {
  const c = draft.before;
  if (!c.reply) throw new Conflict('The complaint has no reply yet: the determination follows the unit’s reply', {}, { code: 'not-replied' });
  const round = c.reply.round;
  if (c.determination && c.determination.round === round) {
    throw new Conflict(`Already determined on ${c.determination.at} for round ${round}; quality may review it`, { round }, { code: 'already-determined' });
  }
  const evidence = cmd.ground === 'uncooperative_unit' ? uncooperativeEvidence(c) : [];
  if (cmd.ground === 'uncooperative_unit' && evidence.length === 0) {
    throw new Unprocessable(
      'no-uncooperation-on-record',
      'No 协办 task answered late and no unit time limit breached: the second ground needs the unit’s delay on record',
      [{ path: 'ground', message: '记录中没有单位延误或不配合（协办、签收、首次联系、答复均未超时）' }],
    );
  }
  const proposal = proposalOf(c);
  draft.set({
    determination: {
      justified: cmd.justified,
      ground: cmd.ground,
      reason: cmd.reason,
      by: draft.actor.id,
      at: draft.at,
      round,
      ...(proposal !== undefined && { proposal }),
    },
  });
  draft.emit('justified_determined', {
    justified: cmd.justified,
    ground: cmd.ground,
    reason: cmd.reason,
    round,
    ...(proposal !== undefined && { proposal }),
    ...(evidence.length > 0 && { evidence }),
  });
}

/** Quality's review (复核): confirms or overrides the determination in force, with a reason. */
export function reviewDetermination(draft: TransitionDraft, cmd: Extract<QualityCommand, { type: 'determination_review' }>): void {
  const d = draft.before.determination;
  if (!d) throw new Conflict('Nothing to review: the centre has not determined this complaint', {}, { code: 'not-determined' });
  const previous = d.review?.justified ?? d.justified;
  draft.set({ determination: { ...d, review: { justified: cmd.justified, reason: cmd.reason, by: draft.actor.id, at: draft.at, previous } } });
  draft.emit('justified_reviewed', { justified: cmd.justified, reason: cmd.reason, previous, overridden: previous !== cmd.justified, round: d.round });
}

/** The month's notice reaches one justified complaint: its unit owes the 分析整改表 within 5 days. */
export function noticeRectification(draft: TransitionDraft, cmd: Extract<QualityCommand, { type: 'rectification_notice' }>): void {
  const c = draft.before;
  if (!isJustified(c)) {
    throw new Unprocessable('not-justified', 'Only a complaint determined justified is rectified', [
      { path: 'complaintIds', message: `${c.id} 未界定为有理由投诉` },
    ]);
  }
  if (c.rectification) throw new Conflict(`Already noticed for ${c.rectification.period}`, { period: c.rectification.period }, { code: 'already-noticed' });
  if (!c.unitId) throw new Conflict('The complaint has no responsible unit', {}, { code: 'no-unit' });
  draft.set({ rectification: { status: 'due', period: cmd.period, noticedAt: draft.at, noticedBy: draft.actor.id, unitId: c.unitId, filings: 0 } });
  draft.emit('rectification_noticed', { period: cmd.period, unitId: c.unitId });
}

/**
 * The unit files (or, after a return, refiles) its record. Measures are due on or after the day of
 * filing (Shanghai); the responsible unit must exist in the directory.
 */
export function fileRectification(draft: TransitionDraft, cmd: Extract<QualityCommand, { type: 'rectification_file' }>, directory: UnitDirectory): void {
  const r = draft.before.rectification;
  if (!r) throw new Conflict('No rectification is due: quality has not noticed this complaint', {}, { code: 'not-noticed' });
  if (r.status !== 'due' && r.status !== 'returned')
    throw new Conflict(
      `The record is ${r.status}; it can be filed again only after quality returns it`,
      { status: r.status },
      { code: `rectification-${r.status}` },
    );
  const issues: { path: string; message: string }[] = [];
  if (!findUnit(directory, cmd.responsibleUnitId)) issues.push({ path: 'responsibleUnitId', message: 'Unknown unit' });
  // Shanghai has kept UTC+8 all year since 1991: the day of filing without loading the calendar.
  const today = new Date(Date.parse(draft.at) + 8 * 3_600_000).toISOString().slice(0, 10);
  for (const list of ['corrective', 'preventive'] as const) {
    cmd[list].forEach((m, i) => {
      if (m.dueOn < today) issues.push({ path: `${list}.${i}.dueOn`, message: `Before the day of filing (${today})` });
    });
  }
  if (issues.length > 0) throw new Unprocessable('invalid-rectification', 'The rectification record is not acceptable', issues);
  const { type: _type, ...fields } = cmd;
  const filings = r.filings + 1;
  const { review: _review, ...rest } = r;
  draft.set({ rectification: { ...rest, status: 'filed', filings, record: { ...fields, by: draft.actor.id, at: draft.at } } });
  draft.emit('rectification_filed', {
    filing: filings,
    unitId: r.unitId,
    responsibleUnitId: cmd.responsibleUnitId,
    measures: cmd.corrective.length + cmd.preventive.length,
  });
}

/** Quality verifies the record or returns it with what is missing; a returned record's clock runs on. */
export function reviewRectification(draft: TransitionDraft, cmd: Extract<QualityCommand, { type: 'rectification_review' }>): void {
  const r = draft.before.rectification;
  if (r?.status !== 'filed')
    throw new Conflict(r ? `The record is ${r.status}, not filed` : 'No rectification record on this complaint', {}, { code: 'rectification-not-filed' });
  draft.set({ rectification: { ...r, status: cmd.outcome, review: { outcome: cmd.outcome, reason: cmd.reason, by: draft.actor.id, at: draft.at } } });
  draft.emit(cmd.outcome === 'verified' ? 'rectification_verified' : 'rectification_returned', { reason: cmd.reason, filing: r.filings, unitId: r.unitId });
}

// --- The worklists' rows (`GET /determinations`, `GET /rectifications`), read by index ---------------

/** One row of `GET /determinations`. */
export interface DeterminationRow {
  complaintId: string;
  trackingCode: string;
  status: string;
  category: string;
  severity: string;
  unitId?: string;
  round: number;
  repliedAt: string;
  proposal?: boolean;
  state: 'pending' | 'determined';
  /** The finding in force (the review's, else the determination's). */
  justified?: boolean;
  ground?: string;
  reason?: string;
  determinedAt?: string;
  determinedBy?: string;
  review?: { justified: boolean; reason: string; by: string; at: string };
}

/** One row of `GET /rectifications`. */
export interface RectificationRow {
  complaintId: string;
  trackingCode: string;
  category: string;
  unitId: string;
  period: string;
  status: 'due' | 'filed' | 'returned' | 'verified';
  noticedAt: string;
  dueAt?: string;
  deadlineState?: string;
  filings: number;
  review?: { outcome: string; reason: string; at: string };
}

export interface DeterminationListSpec {
  state: 'pending' | 'determined';
  /** Instants bounding the sort key (reply time for pending, determination time for determined). */
  fromAt?: string;
  toAt?: string;
  unitId?: string;
  justified?: boolean;
  limit: number;
  cursor?: string;
  excludeSubject?: string;
}

export interface RectificationListSpec {
  status?: RectificationRow['status'];
  unitId?: string;
  /** Only rows with a `dueAt` at or before this instant. */
  dueBefore?: string;
  limit: number;
  cursor?: string;
  excludeSubject?: string;
}
