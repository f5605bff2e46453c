/**
 * The complaint record (受理单) and its vocabulary. One DynamoDB item per complaint holds the
 * current state and the append-only history; see `shared/store/table.ts` for the keys.
 */

/** Where the complaint came in (SPEC "Intake"). */
export const CHANNELS = ['web', 'sms', 'ivr', 'phone', 'walk_in', 'letter', 'transfer'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * 受理类型 (SPEC intake; seed 000 names the system 三来处理系统): a complaint (投诉), an inquiry (查询) or
 * feedback (意见反映). All three run through the same loop and the same chase rule (seed 000: “一般投诉、
 * 查询及意见反映在客户二次催促时要立即转按紧急投诉处理”); each has its own SLA defaults (decision 050).
 */
export const KINDS = ['complaint', 'inquiry', 'feedback'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABELS: Record<Kind, string> = { complaint: '投诉', inquiry: '查询', feedback: '意见反映' };
/** The kind of a stored complaint; one filed before kinds were recorded is a complaint. */
export const kindOf = (c: { kind?: Kind | undefined }): Kind => c.kind ?? 'complaint';

/** `external`: transferred by an upper level or a regulator (12305, 12345, 12315, 省公司/集团, media). */
export const SOURCES = ['customer', 'external'] as const;
export type Source = (typeof SOURCES)[number];

/** SPEC "Category taxonomy" (seed 002, seed 003). */
export const CATEGORIES = ['loss', 'delay', 'damage', 'wrong_delivery', 'attitude', 'notification', 'fee', 'privacy', 'harassment', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  loss: '丢失',
  delay: '延误',
  damage: '损毁/内件短少',
  wrong_delivery: '投递不规范/代签',
  attitude: '服务态度',
  notification: '未通知',
  fee: '资费争议',
  privacy: '信息泄露',
  harassment: '骚扰',
  other: '其他',
};

export const SEVERITIES = ['minor', 'general', 'major', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_LABELS: Record<Severity, string> = {
  minor: '轻微',
  general: '一般',
  major: '重大',
  urgent: '紧急',
};
/** Major and urgent share the short time limits of seed 000 (重大、紧急). */
export const isMajorOrUrgent = (s: Severity): boolean => s === 'major' || s === 'urgent';
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/**
 * received → dispatched → contacted → replied → closed, with the side exits
 * suspended (暂结, reopenable) and withdrawn (撤诉). Re-dispatch after a dissatisfied callback
 * goes back to `dispatched` with `round + 1` and priority. `returned` (退回待裁定): the unit sent a
 * mis-dispatched complaint back and the centre has to re-dispatch it or send it back (decision 047).
 */
export const STATUSES = ['received', 'dispatched', 'contacted', 'replied', 'closed', 'suspended', 'withdrawn', 'returned'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<Status, string> = {
  received: '已受理',
  dispatched: '已转发处理单位',
  contacted: '处理中（已联系）',
  replied: '已答复，待回访',
  closed: '已办结',
  suspended: '暂结',
  withdrawn: '已撤诉',
  returned: '退回待裁定',
};
/** Statuses in which the loop is still running and clocks tick. */
export const OPEN_STATUSES: readonly Status[] = ['received', 'dispatched', 'contacted', 'replied', 'returned'];
export const isOpen = (s: Status): boolean => OPEN_STATUSES.includes(s);

/**
 * Clocks that run on after the loop ended (办结 is not the end of 三不放过 nor of a claim): the
 * rectification record after the monthly notice and the compensation claim's three clocks
 * (decisions 058, 059). They keep their own timer and escalate on a closed complaint too.
 */
export const AFTER_CLOSE_MILESTONES: ReadonlySet<string> = new Set(['rectification', 'claim_ack', 'claim_settle', 'claim_pay']);

/** Whether any clock of the complaint still runs: an open case, or an after-close clock pending. */
export function clocksRun(c: { status: Status; deadlines: readonly { milestone: string; state: string }[] }): boolean {
  return isOpen(c.status) || c.deadlines.some((d) => AFTER_CLOSE_MILESTONES.has(d.milestone) && d.state === 'pending');
}

export const ROLES = ['agent', 'handler', 'leader', 'quality', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who acts: a staff member from JWT claims, the public, or the system itself (timers, channels). */
export interface Actor {
  id: string;
  role: Role | 'public' | 'system';
  unitId?: string;
}

export const CONTACT_METHODS = ['phone', 'sms', 'visit', 'email', 'wechat', 'letter', 'other'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/**
 * How an item was handed over (seed 000 回复要素(2): 窗口投交、面交、单位传达室、物业收发室、代投点 …),
 * and who signed in relation to the addressee (代签人与收件人关系).
 */
export const DELIVERY_METHODS = ['counter', 'in_person', 'unit_reception', 'property_office', 'agent_point', 'locker', 'mailbox', 'other'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];
export const DELIVERY_METHOD_LABELS: Record<DeliveryMethod, string> = {
  counter: '窗口投交',
  in_person: '面交',
  unit_reception: '单位传达室',
  property_office: '物业收发室',
  agent_point: '代投点/驿站',
  locker: '智能快件箱',
  mailbox: '信报箱',
  other: '其他',
};
export const SIGNER_RELATIONS = ['addressee', 'family', 'colleague', 'reception', 'property', 'agent_point', 'locker', 'neighbour', 'other'] as const;
export type SignerRelation = (typeof SIGNER_RELATIONS)[number];

/** Where the delivery facts of a reply are recorded (seed 000 回复要素(2)). */
export interface DeliveryFacts {
  deliveredAt: string;
  method: DeliveryMethod;
  /** Signer's name (签收人姓名). */
  signer: string;
  relation: SignerRelation;
  note?: string;
}

/**
 * Seed 004 暂结 (004_13dcb525fbc75c1b.txt 3.3): a reasonable solution was refused, the case went to
 * court, or the customer's own schedule holds up the close (因顾客时间安排等导致结案进度拖延).
 */
export const SUSPENSION_REASONS = ['solution_refused', 'litigation', 'customer_schedule'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];
export const SUSPENSION_LABELS: Record<SuspensionReason, string> = {
  solution_refused: '已出具合理解决方案，投诉人拒不接受',
  litigation: '转入司法程序',
  customer_schedule: '因投诉人时间安排导致结案进度拖延',
};

/** The four written reasons for which a callback may be waived (seed 000 投诉回访). */
export const CALLBACK_WAIVER_REASONS = ['demand_beyond_scope', 'compensated_still_unhappy', 'long_trace_not_our_fault', 'reconciled_would_reopen'] as const;
export type CallbackWaiverReason = (typeof CALLBACK_WAIVER_REASONS)[number];
export const CALLBACK_WAIVER_LABELS: Record<CallbackWaiverReason, string> = {
  demand_beyond_scope: '诉求超出规定范围',
  compensated_still_unhappy: '已按规定赔偿仍不满意',
  long_trace_not_our_fault: '长时间查询且非我方责任',
  reconciled_would_reopen: '已和解，回访会引起反感',
};

export const LIABILITIES = ['unit', 'staff', 'sender', 'recipient', 'third_party', 'force_majeure', 'none', 'undetermined'] as const;
export type Liability = (typeof LIABILITIES)[number];

/** The three required elements of a reply (seed 000 答复要素). */
export interface Reply {
  situation: string;
  process: { contactedBy: string; contactedAt: string; method: ContactMethod; summary: string };
  /** When unresolved: the promised time of the next contact (seed 000 五1(1)). */
  result: { resolved: boolean; complainantAccepted: boolean; summary: string; nextContactAt?: string };
  /** Required when a loss/delay/non-delivery reply says the item was delivered (seed 000 回复要素(2)). */
  delivery?: DeliveryFacts;
  /**
   * The unit's proposal whether the complaint is justified (有理由投诉); the centre determines it
   * (`Complaint.determination`, decision 058). `justified` is the same proposal as stored before the
   * determination existed (replies stored earlier carry only it).
   */
  justifiedProposal?: boolean;
  justified?: boolean;
  liability?: Liability;
  responsibleStaffId?: string;
  compensation?: ReplyCompensation;
  by: string;
  at: string;
  round: number;
}

/**
 * The compensation a reply offers (decision 059). `amount` in yuan with 2 decimals (the reply's own
 * field since it existed); `quoted` is the calculator's result the server computed from `quote`.
 */
export interface ReplyCompensation {
  offered: boolean;
  amount?: number;
  note?: string;
  /** The calculator's input as sent (the body of `POST /compensation/quote`). */
  quote?: Record<string, unknown>;
  quoted?: QuotedCompensation;
}

/** What the calculator answered, stored with the reply: amounts in fen (integers), each step with its source. */
export interface QuotedCompensation {
  liable: boolean;
  amountFen: number;
  payee: string;
  steps: { rule: string; text: string; source: string; amountFen?: number }[];
}

/** The two definitions of a justified complaint (seed 000 四(二)5) and its negation. */
export const JUSTIFIED_GROUNDS = ['our_fault', 'uncooperative_unit', 'not_justified'] as const;
export type JustifiedGround = (typeof JUSTIFIED_GROUNDS)[number];

/** 有理由投诉: the unit's proposal, the centre's determination and quality's review (decision 058). */
export interface Determination {
  justified: boolean;
  ground: JustifiedGround;
  reason: string;
  by: string;
  at: string;
  /** The handling round it judged. */
  round: number;
  /** The unit's proposal at the time (from the reply). */
  proposal?: boolean;
  review?: { justified: boolean; reason: string; by: string; at: string; previous: boolean };
}

/** 分析整改表 (seed 000 六2, 附件3): what the responsible unit files. */
export interface RectificationRecord {
  directCause: string;
  managementWeakness: string;
  responsibleUnitId: string;
  responsibleManager: string;
  responsiblePerson: string;
  education: string;
  assessment?: string;
  corrective: { measure: string; owner: string; dueOn: string }[];
  preventive: { measure: string; owner: string; dueOn: string }[];
  by: string;
  at: string;
}

/** The rectification of one justified complaint: noticed, filed, returned, verified (decision 058). */
export interface Rectification {
  status: 'due' | 'filed' | 'returned' | 'verified';
  /** Statistics month of the notice (`YYYY-MM`, 26th–25th). */
  period: string;
  noticedAt: string;
  noticedBy: string;
  /** The unit that files: the complaint's unit at the notice. */
  unitId: string;
  record?: RectificationRecord;
  filings: number;
  review?: { outcome: 'verified' | 'returned'; reason: string; by: string; at: string };
}

/** A compensation claim (赔偿申请) and its clocks (decision 059). Amounts in fen (integers). */
export interface CompensationClaim {
  claimant: 'sender' | 'addressee';
  amountClaimedFen: number;
  international: boolean;
  note: string;
  receivedAt: string;
  by: string;
  at: string;
  agreement?: { amountFen: number; by: string; at: string };
  payment?: { amountFen: number; paidAt: string; by: string; at: string };
}

export type CallbackRecord =
  | {
      outcome: 'reached';
      attitude: 'satisfied' | 'accepted' | 'dissatisfied';
      handlingQuality: 'consistent' | 'inconsistent';
      dissatisfactionCause?: 'poor_handling' | 'demand_beyond_scope' | 'other';
      comments?: string;
      by: string;
      at: string;
      round: number;
    }
  | { outcome: 'waived'; reason: CallbackWaiverReason; note: string; by: string; at: string; round: number };

/** `cancelled`: the clock ended without being due any more (a promised next contact when the case closes or goes round again). */
export const DEADLINE_STATES = ['pending', 'met', 'breached', 'paused', 'cancelled'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

/**
 * An assist task (协办): the lead unit asks another unit to find out or do something, with its own
 * deadline (the `assist:<id>` deadline in `deadlines`); the lead unit stays responsible (seed 000
 * 首问责任制, 全网观念). See `shared/domain/assist.ts` and docs/decisions/048-assist-tasks.md.
 */
export interface AssistTask {
  /** `A1`, `A2` … in the order asked, unique within the complaint. */
  id: string;
  /** The assisting unit. */
  unitId: string;
  unitName: string;
  /** What to find out or do. */
  task: string;
  requestedBy: string;
  requestedAt: string;
  /** The earlier deadline the lead unit asked for, if any (the policy's limit is the longest). */
  requestedDueAt?: string;
  round: number;
  status: 'open' | 'answered' | 'cancelled';
  reply?: { findings: string; facts?: string[]; by: string; at: string };
  cancellation?: { reason: string; by: string; at: string; auto?: true };
}

/** 延期申请 (decision 069): the unit's request for more reply time and the leader's decision. */
export interface ExtensionRequestRecord {
  round: number;
  reason: string;
  requestedDueAt: string;
  previousDueAt: string;
  by: string;
  at: string;
  status: 'open' | 'approved' | 'refused' | 'cancelled';
  decision?: { reason: string; by: string; at: string };
}

/** One SLA milestone's clock on one complaint (filled by `shared/domain/sla`). */
export interface Deadline {
  milestone: string;
  round: number;
  startedAt: string;
  dueAt: string;
  warnAt: string;
  state: DeadlineState;
  warnedAt?: string;
  breachedAt?: string;
  metAt?: string;
  cancelledAt?: string;
  escalatedAt?: string;
  extended?: { approverId: string; reason: string; at: string; previousDueAt: string };
  pausedAt?: string;
  pausedMillis?: number;
  /**
   * `sign` clocks only: until when the unit may return this dispatch (退回, 2 working hours of its
   * calendar after the dispatch; decision 047). Computed with the clock, so the lifecycle needs no calendar.
   */
  returnUntil?: string;
  /**
   * Computed on holiday data no State Council notice confirms yet (a provisional or uncovered
   * year between start and due): shown as 预计 (docs/decisions/041-never-silent-calendar.md).
   */
  provisional?: true;
  /**
   * The `leaders_confirm` clock's notice (decision 049): everyone it went to, and who has not
   * confirmed receipt yet; met when nobody is awaited.
   */
  notice?: { id: string; recipients: string[]; awaiting: string[] };
}

export const EVENT_TYPES = [
  'received',
  'classified',
  'severity_changed',
  'dispatched',
  'contacted',
  'replied',
  'callback_unreachable',
  'callback_recorded',
  'callback_waived',
  'redispatched',
  'closed',
  'suspended',
  'reopened',
  'withdrawn',
  'withdrawal_contested',
  'chased',
  'repeat_linked',
  /** 投诉升级: a transfer or a regulator/media threat raised an open case (decision 043). */
  'complaint_escalated',
  /** A repeat long after closure (or after withdrawal) opened a new case linked to this one. */
  'case_linked',
  'deadline_extended',
  /** 延期申请 (decision 069): asked by the unit, decided by its leader, or cancelled by the rules. */
  'extension_requested',
  'extension_decided',
  'extension_cancelled',
  'deadline_paused',
  'deadline_resumed',
  'deadline_warned',
  'deadline_breached',
  'escalated',
  'leaders_notified',
  'progress_update_sent',
  'complainant_informed',
  /** A leader or director confirmed receipt of a major/urgent notice (seed 000 五3(1), decision 049). */
  'notice_confirmed',
  /** 签收: the dispatched unit took the complaint up (explicitly, or implied by its contact/reply). */
  'signed',
  /** 退回: the dispatched unit sent it back as mis-dispatched; it waits for the centre (decision 047). */
  'returned',
  /** The centre's ruling on a return: re-dispatched elsewhere, or sent back to the unit. */
  'return_decided',
  /** 协办: the lead unit asked another unit to assist; answered; cancelled (decision 048). */
  'assist_requested',
  'assist_replied',
  'assist_cancelled',
  /** A State Council notice loaded at run time moved deadlines or cleared their 预计 mark (decision 055). */
  'deadlines_replanned',
  /** 有理由投诉 (decision 058): the centre's determination; quality's review of it. */
  'justified_determined',
  'justified_reviewed',
  /** 分析整改 (decision 058): the monthly notice, the unit's record, quality's verdict. */
  'rectification_noticed',
  'rectification_filed',
  'rectification_verified',
  'rectification_returned',
  /** 赔偿申请 (decision 059): the claim (acknowledged by recording it), the agreement, the payment. */
  'compensation_claimed',
  'compensation_agreed',
  'compensation_paid',
  /** The case went to the year's archive (decision 065). */
  'archived',
  /** Its personal data was minimised after the archive and the retention (decision 065). */
  'minimised',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One line of the complaint's history: who did what, when. Never rewritten. */
export interface ComplaintEvent {
  /** 1-based, equal to the complaint version the event produced: gap-free by construction. */
  seq: number;
  type: EventType;
  at: string;
  actor: Actor;
  /** The caller's idempotency key, so that a retried command is recognised. */
  key?: string;
  /** Hash of the command sent with `key`: the same key with another request is a reuse, not a retry. */
  keyHash?: string;
  data?: Record<string, unknown>;
}

export interface Complainant {
  name?: string;
  phone?: string;
  email?: string;
  anonymous: boolean;
}

export interface Complaint {
  id: string;
  trackingCode: string;
  version: number;
  status: Status;
  severity: Severity;
  /** Why the severity is what it is: rule hits at intake, or the agent's reason. */
  severityReasons: string[];
  /** 受理类型, kept for the statistics (INDICATORS 受理量); absent on complaints filed before it was recorded (`kindOf`). */
  kind?: Kind;
  category: Category;
  channel: Channel;
  source: Source;
  /**
   * Case numbers at the transferring bodies (12305, 12345 …), oldest first: a transfer about an
   * open case adds its number and none is ever dropped (SPEC intake, 投诉升级).
   */
  externalRefs?: string[];
  /** 投诉升级 recorded on this case (absent: none); the first one's time in `escalatedAt`. */
  complaintEscalations?: number;
  escalatedAt?: string;
  /**
   * The regulator/media keywords its 投诉升级 named so far (a small vocabulary, deduplicated): the same
   * threat said again is not escalated again (decision 043).
   */
  escalationCues?: string[];
  /** The ended case this one repeats (a repeat more than 30 days after closure, or after withdrawal). */
  previousCaseId?: string;
  /** Cases opened later as repeats of this one (the other side of `previousCaseId`). */
  linkedCaseIds?: string[];
  complainant: Complainant;
  waybillNo?: string;
  content: string;
  demand?: string;
  region?: string;
  declaredValue?: number;
  keyAccount?: boolean;
  /** Which SLA profile applies (policy `profiles`); absent means `default`. */
  slaProfile?: 'default' | 'administrative_efficiency';
  /** Staff the complaint is about (当事员工): never the handler, never shown the complainant (seed 001 art. 15). */
  subjectStaffIds: string[];
  suggestedUnitId?: string;
  unitId?: string;
  handlerId?: string;
  /** Re-dispatched after a dissatisfied callback, or chased: the unit works it first. */
  priority: boolean;
  /** Handling round: 1 at the first dispatch, +1 at every re-dispatch or reopen. */
  round: number;
  chaseCount: number;
  repeatCount: number;
  firstContactAt?: string;
  reply?: Reply;
  callback?: CallbackRecord;
  /** 有理由投诉: the centre's determination and its review (decision 058). */
  determination?: Determination;
  /** 分析整改表 of a justified complaint (decision 058). */
  rectification?: Rectification;
  /** 赔偿申请 and its clocks (decision 059). */
  claim?: CompensationClaim;
  /** 协办 tasks asked of other units, oldest first (absent: none). */
  assists?: AssistTask[];
  /** The latest 延期申请 (decision 069); absent: never asked. */
  extensionRequest?: ExtensionRequestRecord;
  suspension?: { reason: SuspensionReason; note: string; at: string; by: string };
  withdrawal?: { confirmedVia: string; note: string; at: string; by: string };
  /**
   * Dispatches so far (first, transfer to another unit, 重处理 round, reopen, a return's ruling):
   * each starts a 签收 clock, numbered by this count (`Deadline.round` of the `sign` milestone).
   */
  dispatchCount?: number;
  /** When the unit holding the current dispatch signed for it (签收); cleared by the next dispatch. */
  signedAt?: string;
  /**
   * Before the first dispatch: when first contact will be due if the centre dispatches to the suggested
   * unit at its dispatch deadline, on that unit's calendar — what the receipt promises (SPEC intake).
   * Cleared once a first-contact clock runs.
   */
  firstContactEstimate?: string;
  /** Due time of the running 签收 clock, kept on the item for the unit's worklist (absent: signed or none). */
  signDueAt?: string;
  /** Returns (退回) on this complaint, for the statistics (退回率); at most one per complaint. */
  returnCount?: number;
  /** The unit's return and the centre's ruling on it (decision 047). */
  unitReturn?: UnitReturn;
  closedAt?: string;
  /** Where the case's latest end was exported (the year's archive and its part; decision 065). */
  archive?: { year: number; key: string; at: string };
  /** When its personal data was minimised, after the archive and the retention (decision 065). */
  minimisedAt?: string;
  createdAt: string;
  updatedAt: string;
  deadlines: Deadline[];
  /** Earliest pending warn/due instant; drives the open-by-next-due index and the safety-net sweep. */
  nextDueAt?: string;
  /** Hash of the intake request, to tell a retry from a reuse of the same idempotency key. */
  intakeHash?: string;
  /**
   * The newest events, after the intake events (seq 1–2). When the item outgrows its budget the
   * store moves older events to history pages (`historySealed`); `store.getWithHistory` reads all.
   */
  history: ComplaintEvent[];
  /** Events 3…`through` live on `pages` page items (docs/decisions/033-history-pages.md). */
  historySealed?: HistorySealed;
}

/** A unit's return of a mis-dispatched complaint (退回) and the centre's ruling (SPEC "Dispatch"). */
export interface UnitReturn {
  unitId: string;
  by: string;
  at: string;
  reason: string;
  suggestedUnitId?: string;
  round: number;
  decision?: { outcome: 'redispatch' | 'reject'; by: string; at: string; reason: string; unitId?: string };
}

/** What the history pages hold, summarised where a rule needs it without reading them. */
export interface HistorySealed {
  /** The last event seq on a page; the item's `history` holds seq 1–2 and everything after this. */
  through: number;
  pages: number;
  /** Sealed events per type (e.g. progress updates sent, which seed 000 caps at two). */
  counts: Partial<Record<EventType, number>>;
  /** The clock pause still in force at `through`, if its `deadline_paused` event is sealed. */
  pause?: { at: string; reason: string };
}

/** The seq of the newest event: the next event is this + 1, gap-free however the history is paged. */
export const lastSeq = (c: Pick<Complaint, 'history'>): number => c.history[c.history.length - 1]?.seq ?? 0;

/** The later of two ISO instants (same format, so they compare as strings): a complaint's `updatedAt` never goes back. */
export const laterInstant = (a: string, b: string): string => (a > b ? a : b);
