/**
 * Who may do what, and what they may see (SPEC "Personal data", seed 001_ac9bde20c1bec4e1.txt art. 15:
 * the person complained about never handles the complaint nor sees the complainant's identity).
 */
import { assistsAs } from './assist.ts';
import { Forbidden, NotFound } from './errors.ts';
import { maskEmail, maskName, maskPhone, sameStaff, staffKey } from './ids.ts';
import { maskTextDeep } from './masking.ts';
import { kindOf, type Actor, type Complaint, type Role } from './model.ts';

export const ACTIONS = [
  'intake_staff',
  'intake_staff_fields',
  'read',
  'list',
  'assign',
  'contact',
  'reply',
  'callback',
  'chase',
  'suspend',
  'reopen',
  'withdraw',
  'severity',
  'extend',
  'request_extension',
  'extension_decision',
  'pause',
  'reports',
  'quote_compensation',
  'sign',
  'return',
  'return_decision',
  // 协办 (decision 048): ask, answer, cancel, and the assisting unit's worklist.
  'assist',
  'assist_reply',
  'assist_cancel',
  'assist_list',
  // 有理由投诉, 分析整改 (decision 058) and the compensation claim (decision 059).
  'determine',
  'determination_review',
  'determination_list',
  'rectification_notice',
  'rectification_file',
  'rectification_review',
  'rectification_list',
  'compensation_claim',
  'administer',
] as const;
export type Action = (typeof ACTIONS)[number];

type StaffOrSystem = Role | 'system';

/** The permission matrix. Units (handler, leader) are further limited to their own complaints. */
export const PERMISSIONS: Record<Action, readonly StaffOrSystem[]> = {
  // The staff door (POST /staff/complaints) is the centre's: intake is its job (SPEC "Who uses it").
  intake_staff: ['agent', 'admin', 'system'],
  intake_staff_fields: ['agent', 'admin', 'system'],
  read: ['agent', 'handler', 'leader', 'quality', 'admin', 'system'],
  list: ['agent', 'handler', 'leader', 'quality', 'admin'],
  assign: ['agent', 'admin'],
  contact: ['handler', 'leader', 'admin'],
  reply: ['handler', 'leader', 'admin'],
  callback: ['agent', 'admin'],
  chase: ['agent', 'admin', 'system'],
  suspend: ['agent', 'admin'],
  reopen: ['agent', 'admin'],
  withdraw: ['agent', 'admin'],
  severity: ['agent', 'admin', 'system'],
  extend: ['leader', 'admin'],
  // 延期申请 (decision 069): the unit asks, its leader decides (own unit only, extension-request.ts).
  request_extension: ['handler', 'leader', 'admin'],
  extension_decision: ['leader', 'admin'],
  pause: ['agent', 'handler', 'leader', 'admin'],
  reports: ['quality', 'admin', 'leader', 'agent'],
  // The calculator explains the rules; every member of staff may ask it (the reply's amount comes from it).
  quote_compensation: ['agent', 'handler', 'leader', 'quality', 'admin'],
  // SPEC "Dispatch" (decision 047): the dispatched unit signs for and may return a complaint (its own
  // only, below); the centre rules on a return.
  sign: ['handler', 'leader', 'admin'],
  return: ['handler', 'leader', 'admin'],
  return_decision: ['agent', 'admin'],
  assist: ['handler', 'leader', 'admin'],
  assist_reply: ['handler', 'leader', 'admin'],
  assist_cancel: ['handler', 'leader', 'admin'],
  assist_list: ['agent', 'handler', 'leader', 'quality', 'admin'],
  // Seed 000 三: the centre (接入部门) makes the preliminary determination (初步界定); the quality
  // department (网运和质量监控部) supervises it (review), publishes the monthly notice and checks the
  // units' 分析整改表, which the responsible unit (处理部门) files.
  determine: ['agent', 'admin'],
  determination_review: ['quality', 'admin'],
  determination_list: ['agent', 'quality', 'admin'],
  rectification_notice: ['quality', 'admin'],
  rectification_file: ['handler', 'leader', 'admin'],
  rectification_review: ['quality', 'admin'],
  rectification_list: ['handler', 'leader', 'quality', 'admin'],
  // Claims reach the centre or the unit (seed 001 索赔程序); either records them, the agreement and the payment.
  compensation_claim: ['agent', 'handler', 'leader', 'admin'],
  // The directory, routing and calendar notices (decisions 055, 056): admins only.
  administer: ['admin'],
};

/** What the staff of an assisting unit may do on a complaint that is not theirs: read it, answer their task. */
const ASSISTING_ACTIONS: ReadonlySet<Action> = new Set(['read', 'assist_reply']);

export const isUnitRole = (actor: Actor): boolean => actor.role === 'handler' || actor.role === 'leader';

/** Throws Forbidden when the role may never do this. */
export function authorizeAction(actor: Actor, action: Action): void {
  if (actor.role === 'public' || !(PERMISSIONS[action] as readonly string[]).includes(actor.role)) {
    throw new Forbidden(`Role “${actor.role}” may not ${action.replace(/_/g, ' ')}`, { action, role: actor.role });
  }
}

/**
 * Throws NotFound when the actor may not know the complaint exists: another unit's complaint, or
 * one that is about the actor (当事员工). 404 rather than 403, so ids cannot be probed across units.
 */
export function authorizeComplaint(actor: Actor, action: Action, complaint: Complaint): void {
  authorizeAction(actor, action);
  if (isSubject(complaint, actor.id)) throw new NotFound(`Complaint ${complaint.id} not found`);
  if (isUnitRole(actor) && (!actor.unitId || complaint.unitId !== actor.unitId)) {
    // An assisting unit (协办) knows the complaint: it reads it and answers its task, nothing else (403).
    if (!actor.unitId || !assistsAs(complaint, actor.unitId)) throw new NotFound(`Complaint ${complaint.id} not found`);
    if (!ASSISTING_ACTIONS.has(action))
      throw new Forbidden(`An assisting unit may only read the complaint and answer its task`, { action, unitId: actor.unitId });
  }
}

/** True when the complaint is about this staff member (当事员工), whatever the case of either id. */
export function isSubject(complaint: Pick<Complaint, 'subjectStaffIds'>, staffId: string): boolean {
  return complaint.subjectStaffIds.some((s) => sameStaff(s, staffId));
}

/** Subject ids in their stored form (`staffKey`), without duplicates. */
export function subjectIds(...lists: (readonly string[] | undefined)[]): string[] {
  return [...new Set(lists.flatMap((l) => l ?? []).map(staffKey))];
}

/** Full personal data only for the centre, admins and the assigned handler (SPEC). */
export function seesIdentity(actor: Actor, complaint: Complaint): boolean {
  return actor.role === 'agent' || actor.role === 'admin' || actor.role === 'system' || (actor.role === 'handler' && sameStaff(complaint.handlerId, actor.id));
}

export type ComplaintView = Omit<Complaint, 'intakeHash'>;

/**
 * Every field that may quote the complainant, masked as a whole (every string in it, decision 034): the case's
 * own text, then the records of the loop and of its quality half, which quote them as freely as a note does.
 */
const FREE_TEXT_FIELDS = [
  'content',
  'demand',
  'severityReasons',
  'reply',
  'callback',
  'suspension',
  'withdrawal',
  'determination',
  'rectification',
  'claim',
  'assists',
  'extensionRequest',
  'unitReturn',
] as const satisfies readonly (keyof Complaint)[];

/**
 * The complaint as one staff member may see it. A viewer who does not see identity gets the
 * complainant masked, and every free text too (issue 8 item 5): content, demand, severity reasons,
 * the history's notes and excerpts, and the reply, callback, suspension, withdrawal, determination,
 * rectification, claim, assist, extension-request and return records ({@link FREE_TEXT_FIELDS}).
 */
export function staffView(actor: Actor, complaint: Complaint): ComplaintView {
  const { intakeHash: _hash, ...rest } = complaint;
  if (seesIdentity(actor, complaint)) return rest;
  const who = complaint.complainant;
  const masked: Partial<Complaint> = {};
  for (const field of FREE_TEXT_FIELDS) if (complaint[field] !== undefined) Object.assign(masked, { [field]: maskTextDeep(complaint[field], who) });
  return {
    ...rest,
    ...masked,
    complainant: maskComplainant(who),
    history: complaint.history.map((e) => (e.data ? { ...e, data: maskTextDeep(e.data, who) } : e)),
  };
}

export function maskComplainant(c: Complaint['complainant']): Complaint['complainant'] {
  const masked: Complaint['complainant'] = { anonymous: c.anonymous };
  if (c.name !== undefined) masked.name = maskName(c.name);
  if (c.phone !== undefined) masked.phone = maskPhone(c.phone);
  if (c.email !== undefined) masked.email = maskEmail(c.email);
  return masked;
}

/** One row of a worklist: masked always, no history and no free text (nothing to mask in it). */
export function listItemView(complaint: Complaint) {
  return {
    id: complaint.id,
    trackingCode: complaint.trackingCode,
    status: complaint.status,
    severity: complaint.severity,
    /** 受理类型, so a report counts by kind from the index alone (decision 050). */
    kind: kindOf(complaint),
    category: complaint.category,
    channel: complaint.channel,
    source: complaint.source,
    priority: complaint.priority,
    round: complaint.round,
    unitId: complaint.unitId,
    handlerId: complaint.handlerId,
    waybillNo: complaint.waybillNo,
    complainant: maskComplainant(complaint.complainant),
    chaseCount: complaint.chaseCount,
    repeatCount: complaint.repeatCount,
    nextDueAt: complaint.nextDueAt,
    // The routing suggestion, for the centre's to-dispatch worklist (the console).
    ...(complaint.suggestedUnitId !== undefined && { suggestedUnitId: complaint.suggestedUnitId }),
    // 签收 on the unit's worklist (decision 047): signed or not, and until when (the console's countdown).
    ...(complaint.dispatchCount !== undefined && { signed: complaint.signedAt !== undefined }),
    ...(complaint.signedAt !== undefined && { signedAt: complaint.signedAt }),
    ...(complaint.signDueAt !== undefined && { signDueAt: complaint.signDueAt }),
    ...(complaint.returnCount !== undefined && { returnCount: complaint.returnCount }),
    createdAt: complaint.createdAt,
    updatedAt: complaint.updatedAt,
  };
}
export type ListItemView = ReturnType<typeof listItemView>;
