/**
 * zod schemas of every 2xx response body, by route key (`POST /complaints`…): the OpenAPI document
 * describes each operation's answer from them (`scripts/openapi.ts`), and
 * `test/integration/responses.test.ts` parses the real answers of the local stack against them, so the
 * document cannot drift from what the handlers return. Docs and tests only: no handler imports this
 * file, so none of it reaches a Lambda bundle (decision 066; `test/infra/bundle-size.test.ts`).
 *
 * Objects are strict where the handlers build them field by field (a new field must be documented);
 * records the handlers pass through from the model (reply, callback, event data…) are described, not
 * re-specified.
 */
import * as z from 'zod';
import { MessageOutcome } from '#domain/channels/outcome.ts';
import { CATEGORIES, CHANNELS, DEADLINE_STATES, EVENT_TYPES, JUSTIFIED_GROUNDS, KINDS, ROLES, SEVERITIES, SOURCES, STATUSES } from '#domain/model.ts';
import { INDICATORS } from '#domain/indicators.ts';
import { ROUTES, routeKey } from './routes.ts';

const instant = z.string().meta({ description: 'ISO 8601 instant (UTC)' });
const status = z.enum(STATUSES);
const severity = z.enum(SEVERITIES);
const category = z.enum(CATEGORIES);
const kind = z.enum(KINDS);
const record = (description: string) => z.record(z.string(), z.unknown()).meta({ description });

const Actor = z.strictObject({ id: z.string(), role: z.enum([...ROLES, 'public', 'system']), unitId: z.string().optional() });

const Complainant = z
  .strictObject({
    name: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    anonymous: z.boolean(),
  })
  .meta({ description: 'Masked (张*, 138****8000) unless the caller sees identity: the centre, admins, the assigned handler' });

const Deadline = z.strictObject({
  milestone: z.string().meta({ description: 'dispatch, sign, first_contact, reply, callback, leaders, next_contact, assist:<taskId>…' }),
  round: z.number().int(),
  startedAt: instant,
  dueAt: instant,
  warnAt: instant,
  state: z.enum(DEADLINE_STATES),
  warnedAt: instant.optional(),
  breachedAt: instant.optional(),
  metAt: instant.optional(),
  cancelledAt: instant.optional(),
  escalatedAt: instant.optional(),
  extended: z.strictObject({ approverId: z.string(), reason: z.string(), at: instant, previousDueAt: instant }).optional(),
  pausedAt: instant.optional(),
  pausedMillis: z.number().optional(),
  returnUntil: instant.optional(),
  provisional: z.literal(true).optional().meta({ description: '预计: rests on a holiday arrangement not yet published (decision 041)' }),
  notice: z.strictObject({ id: z.string(), recipients: z.array(z.string()), awaiting: z.array(z.string()) }).optional(),
});

const ComplaintEvent = z.strictObject({
  seq: z.number().int().meta({ description: '1-based, gap-free' }),
  type: z.enum(EVENT_TYPES),
  at: instant,
  actor: Actor,
  key: z.string().optional(),
  keyHash: z.string().optional(),
  data: record('What the event recorded; free texts masked like the rest of the view').optional(),
});

const fen = z.number().int().meta({ description: 'Amount in fen (分), an integer' });
const RECTIFICATION_STATUSES = ['due', 'filed', 'returned', 'verified'] as const;

/** 有理由投诉 (decision 058): the centre's determination and quality's review. */
/** 延期申请 (decision 069): the unit's request and its leader's decision. */
const ExtensionRequestRecord = z
  .strictObject({
    round: z.number().int(),
    reason: z.string(),
    requestedDueAt: instant,
    previousDueAt: instant,
    by: z.string(),
    at: instant,
    status: z.enum(['open', 'approved', 'refused', 'cancelled']),
    decision: z.strictObject({ reason: z.string(), by: z.string(), at: instant }).optional(),
  })
  .meta({ description: 'The extension request (延期申请) of the current or last round: open until its leader decides' });

const Determination = z.strictObject({
  justified: z.boolean(),
  ground: z.enum(JUSTIFIED_GROUNDS),
  reason: z.string(),
  by: z.string(),
  at: instant,
  round: z.number().int().meta({ description: 'The handling round it judged' }),
  proposal: z.boolean().optional().meta({ description: 'The unit’s proposal at the time (from the reply)' }),
  review: z.strictObject({ justified: z.boolean(), reason: z.string(), by: z.string(), at: instant, previous: z.boolean() }).optional(),
});

const Measure = z.strictObject({ measure: z.string(), owner: z.string(), dueOn: z.string().meta({ description: 'YYYY-MM-DD' }) });

/** 分析整改 (decision 058; seed 000 附件3): the notice, the unit's record, quality's review. */
const Rectification = z.strictObject({
  status: z.enum(RECTIFICATION_STATUSES),
  period: z.string().meta({ description: 'Statistics month of the notice, YYYY-MM (26th–25th)' }),
  noticedAt: instant,
  noticedBy: z.string(),
  unitId: z.string(),
  record: z
    .strictObject({
      directCause: z.string(),
      managementWeakness: z.string(),
      responsibleUnitId: z.string(),
      responsibleManager: z.string(),
      responsiblePerson: z.string(),
      education: z.string(),
      assessment: z.string().optional(),
      corrective: z.array(Measure),
      preventive: z.array(Measure),
      by: z.string(),
      at: instant,
    })
    .optional(),
  filings: z.number().int(),
  review: z.strictObject({ outcome: z.enum(['verified', 'returned']), reason: z.string(), by: z.string(), at: instant }).optional(),
});

/** 赔偿申请 (decision 059): the claim and its clocks; amounts in fen. */
const CompensationClaim = z.strictObject({
  claimant: z.enum(['sender', 'addressee']),
  amountClaimedFen: fen,
  international: z.boolean(),
  note: z.string(),
  receivedAt: instant,
  by: z.string(),
  at: instant,
  agreement: z.strictObject({ amountFen: fen, by: z.string(), at: instant }).optional(),
  payment: z.strictObject({ amountFen: fen, paidAt: instant, by: z.string(), at: instant }).optional(),
});

/** `GET /complaints/{id}` and the answer of every command: the complaint as the caller may see it. */
export const ComplaintViewResponse = z
  .strictObject({
    id: z.string(),
    trackingCode: z.string(),
    version: z.number().int(),
    status,
    severity,
    severityReasons: z.array(z.string()),
    kind: kind.optional(),
    category,
    channel: z.enum(CHANNELS),
    source: z.enum(SOURCES),
    externalRefs: z.array(z.string()).optional(),
    complaintEscalations: z.number().int().optional(),
    escalatedAt: instant.optional(),
    escalationCues: z.array(z.string()).optional().describe('The regulator/media keywords its 投诉升级 named so far'),
    previousCaseId: z.string().optional(),
    linkedCaseIds: z.array(z.string()).optional(),
    complainant: Complainant,
    waybillNo: z.string().optional(),
    content: z.string(),
    demand: z.string().optional(),
    region: z.string().optional(),
    declaredValue: z.number().optional(),
    keyAccount: z.boolean().optional(),
    slaProfile: z.enum(['default', 'administrative_efficiency']).optional(),
    subjectStaffIds: z.array(z.string()),
    suggestedUnitId: z.string().optional(),
    unitId: z.string().optional(),
    handlerId: z.string().optional(),
    priority: z.boolean(),
    round: z.number().int(),
    chaseCount: z.number().int(),
    repeatCount: z.number().int(),
    firstContactAt: instant.optional(),
    reply: record('The unit’s reply: situation, process, result, delivery, liability…').optional(),
    callback: record('The callback (回访) record').optional(),
    determination: Determination.optional(),
    rectification: Rectification.optional(),
    claim: CompensationClaim.optional(),
    assists: z.array(record('One 协办 task')).optional(),
    suspension: record('暂结: reason, note, at, by').optional(),
    withdrawal: record('撤诉: confirmedVia, note, at, by').optional(),
    dispatchCount: z.number().int().optional(),
    signedAt: instant.optional(),
    signDueAt: instant.optional(),
    firstContactEstimate: instant.optional().describe('Before dispatch: first contact as the receipt promised it (the suggested unit’s plan)'),
    returnCount: z.number().int().optional(),
    unitReturn: record('退回: the unit’s return and the centre’s ruling').optional(),
    extensionRequest: ExtensionRequestRecord.optional(),
    closedAt: instant.optional(),
    archive: z.strictObject({ year: z.number().int(), key: z.string(), at: instant }).optional(),
    minimisedAt: instant.optional(),
    createdAt: instant,
    updatedAt: instant,
    deadlines: z.array(Deadline),
    nextDueAt: instant.optional(),
    history: z.array(ComplaintEvent),
    historySealed: record('Where the history pages end (decision 033)').optional(),
  })
  .meta({ description: 'The complaint as the caller may see it (masked unless the caller sees identity)' });

const ListItem = z.strictObject({
  id: z.string(),
  trackingCode: z.string(),
  status,
  severity,
  kind,
  category,
  channel: z.enum(CHANNELS),
  source: z.enum(SOURCES),
  priority: z.boolean(),
  round: z.number().int(),
  unitId: z.string().optional(),
  handlerId: z.string().optional(),
  waybillNo: z.string().optional(),
  complainant: Complainant,
  chaseCount: z.number().int(),
  repeatCount: z.number().int(),
  nextDueAt: instant.optional(),
  suggestedUnitId: z.string().optional(),
  signed: z.boolean().optional(),
  signedAt: instant.optional(),
  signDueAt: instant.optional(),
  returnCount: z.number().int().optional(),
  createdAt: instant,
  updatedAt: instant,
});

const cursor = z.string().optional().meta({ description: 'Opaque; pass it back as `cursor` for the next page' });

export const ListPageResponse = z.strictObject({
  items: z.array(ListItem),
  cursor,
  count: z
    .number()
    .int()
    .optional()
    .meta({ description: 'With `count=true` (the worklists, not the drill-down): how many the whole list holds (decision 067)' }),
});

export const PublicReceiptResponse = z.strictObject({
  id: z.string(),
  trackingCode: z.string(),
  outcome: z.literal('received'),
  createdAt: instant,
  smsTo: z.string().optional().meta({ description: '尾号1234: where the tracking code went by SMS' }),
  trackUrl: z.string(),
});

export const StaffReceiptResponse = z.strictObject({
  id: z.string(),
  trackingCode: z.string(),
  status,
  severity,
  kind,
  category,
  createdAt: instant,
  outcome: z.enum(['created', 'repeat', 'replayed', 'received']),
  repeatCount: z.number().int(),
  deadlines: z.array(z.strictObject({ milestone: z.string(), dueAt: instant, provisional: z.literal(true).optional() })),
  trackUrl: z.string(),
});

export const TrackViewResponse = z.strictObject({
  trackingCode: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  kind,
  kindLabel: z.string(),
  category,
  categoryLabel: z.string(),
  waybillNo: z.string().optional(),
  complainant: z.strictObject({ name: z.string().optional(), phone: z.string().optional() }),
  createdAt: instant,
  updatedAt: instant,
  milestones: z.array(z.strictObject({ type: z.enum(EVENT_TYPES), label: z.string(), at: instant, note: z.string().optional() })),
  deadlines: z.array(
    z.strictObject({
      milestone: z.string(),
      label: z.string(),
      dueAt: instant,
      state: z.enum(DEADLINE_STATES),
      provisional: z.literal(true).optional(),
      extended: z.strictObject({ reason: z.string() }).optional(),
    }),
  ),
  result: z.strictObject({ summary: z.string(), resolved: z.boolean(), at: instant }).optional(),
  compensation: z.strictObject({ receivedAt: instant, status: z.string().meta({ description: 'The claim in plain Chinese, amounts in yuan' }) }).optional(),
  appeal: z.strictObject({ hotline: z.string(), since: instant }).optional(),
});

export const IvrOutcomeResponse = z.strictObject({
  ...MessageOutcome.shape,
  speech: z.string().optional().meta({ description: 'Text for the IVR to read out' }),
});

export const NoticeConfirmationResponse = z.strictObject({
  complaintId: z.string(),
  recipientId: z.string(),
  notices: z.array(z.strictObject({ noticeId: z.string(), outcome: z.enum(['recorded', 'already']) })),
});

const AssistRow = z.strictObject({
  complaintId: z.string(),
  taskId: z.string(),
  unitId: z.string(),
  task: z.string(),
  status: z.enum(['open', 'answered', 'cancelled']),
  dueAt: instant.optional(),
  deadlineState: z.enum(DEADLINE_STATES).optional(),
  requestedAt: instant,
  requestedBy: z.string(),
  leadUnitId: z.string().optional(),
  trackingCode: z.string(),
  category,
  severity,
  complaintStatus: status,
  waybillNo: z.string().optional(),
});

export const AssistPageResponse = z.strictObject({ items: z.array(AssistRow), cursor });

export const QuoteResponse = z.strictObject({
  liable: z.boolean(),
  amount: z.number().meta({ description: 'Total owed (元): refund plus compensation' }),
  refund: z.number(),
  compensation: z.number(),
  payee: z.enum(['sender', 'addressee', 'beneficiary']),
  payeeLabel: z.string(),
  clocks: z.strictObject({ acknowledgeHours: z.number(), settleCalendarDays: z.number(), payWorkingDaysAfterAgreement: z.number() }),
  steps: z.array(z.strictObject({ rule: z.string(), text: z.string(), source: z.string(), amount: z.number().optional() })),
});

export const DirectoryResponse = z.strictObject({
  source: z.enum(['table', 'empty']).meta({ description: '`empty`: the table holds no directory yet (seed it at deploy time, docs/deploy.md)' }),
  entries: z
    .strictObject({
      organisation: record('Names and console URL'),
      units: z.array(record('A unit')),
      staff: z.array(record('A staff member')),
      routing: record('Routing rules'),
    })
    .optional()
    .meta({ description: 'Absent while `source` is `empty`; the shape of a deploy-time seed file (`-c directorySeed`)' }),
  revisions: z.record(z.string(), z.number().int()),
});

/** `GET /directory` (decision 062): names only — strict, so an e-mail or mobile in the body fails the response test. */
export const StaffDirectoryResponse = z.strictObject({
  units: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      kind: z.enum(['branch', 'delivery_station', 'hub', 'centre']),
      region: z.string(),
      handlers: z.array(z.strictObject({ id: z.string(), name: z.string() })),
    }),
  ),
});

export const EntryResultResponse = z.strictObject({
  entry: record('The entry as stored').optional(),
  rev: z.number().int(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'removed']),
});

const AuditEntry = z.strictObject({
  at: instant,
  by: z.string(),
  entity: z.enum(['unit', 'staff', 'organisation', 'routing', 'calendar']),
  id: z.string(),
  action: z.enum(['seed', 'put', 'remove', 'load']),
  rev: z.number().int(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  note: z.string().optional().meta({ description: 'Why, when not an admin’s change: “seeded at deploy by ComplaintLoop-prod”' }),
});

export const AuditResponse = z.strictObject({ items: z.array(AuditEntry) });

export const NoticeLoadResponse = z.strictObject({
  year: z.number().int(),
  version: z.number().int(),
  outcome: z.enum(['loaded', 'unchanged']),
  replanned: z.number().int(),
  provisionalCleared: z.number().int(),
  moved: z.array(record('A moved deadline: complaint, milestone, before, after')),
});

export const NoticeVersionsResponse = z.strictObject({ year: z.number().int(), versions: z.array(record('A loaded version of the notice: who, when, what')) });

const DeterminationRow = z.strictObject({
  complaintId: z.string(),
  trackingCode: z.string(),
  status,
  category,
  severity,
  unitId: z.string().optional(),
  round: z.number().int(),
  repliedAt: instant,
  proposal: z.boolean().optional().meta({ description: 'The unit’s 有理由 proposal in its reply' }),
  state: z.enum(['pending', 'determined']),
  justified: z.boolean().optional().meta({ description: 'The finding in force: the review’s, else the determination’s' }),
  ground: z.enum(JUSTIFIED_GROUNDS).optional(),
  reason: z.string().optional(),
  determinedAt: instant.optional(),
  determinedBy: z.string().optional(),
  review: z.strictObject({ justified: z.boolean(), reason: z.string(), by: z.string(), at: instant }).optional(),
});

/** With `count=true`: the whole quality list's size, same filters and unit scoping as the page. */
const qualityCount = z
  .number()
  .int()
  .nonnegative()
  .optional()
  .meta({ description: 'With `count=true`: how many rows the whole list holds, with the same filters' });
const countCapped = z.literal(true).optional().meta({ description: 'The count stopped at its bound (1,000 rows read): `count` is a lower bound' });

export const DeterminationPageResponse = z.strictObject({ items: z.array(DeterminationRow), cursor, count: qualityCount, countCapped });

const RectificationRow = z.strictObject({
  complaintId: z.string(),
  trackingCode: z.string(),
  category,
  unitId: z.string(),
  period: z.string(),
  status: z.enum(RECTIFICATION_STATUSES),
  noticedAt: instant,
  dueAt: instant.optional(),
  deadlineState: z.enum(DEADLINE_STATES).optional(),
  filings: z.number().int(),
  review: z.strictObject({ outcome: z.enum(['verified', 'returned']), reason: z.string(), at: instant }).optional(),
});

export const RectificationPageResponse = z.strictObject({ items: z.array(RectificationRow), cursor, count: qualityCount, countCapped });

export const RectificationNoticeResponse = z.strictObject({
  period: z.string(),
  noticed: z.array(
    z.strictObject({
      complaintId: z.string(),
      unitId: z.string().optional(),
      dueAt: instant.optional().meta({ description: 'When the 分析整改表 is due (5 days)' }),
    }),
  ),
  skipped: z.array(
    z.strictObject({ complaintId: z.string(), code: z.string().meta({ description: 'already-noticed, not-justified, not-found…' }), message: z.string() }),
  ),
});

/**
 * `GET /reports` (decision 060). Mirrors `ReportResponse` of `#domain/report-schemas.ts` (zod/mini, loose objects),
 * strict here so that a field the report adds must be documented; counters and indicators keyed by their ids.
 */
const counts = z
  .record(z.string(), z.number().int())
  .meta({ description: 'Figures by counter id, and `<id>.<kind>` splits (see the operation’s description)' });
const Indicator = z.strictObject({
  id: z.enum(INDICATORS.map((i) => i.id) as [string, ...string[]]),
  name: z.string(),
  numerator: z.number(),
  denominator: z.number(),
  rate: z.number().nullable().meta({ description: 'null when the denominator is 0' }),
  target: z.number().optional(),
});
export const ReportBodyResponse = z.strictObject({
  period: z.strictObject({ label: z.string(), fromDate: z.string(), toDate: z.string(), from: instant, to: instant }),
  unitId: z.string().optional(),
  cells: z.array(z.strictObject({ unitId: z.string(), unitName: z.string(), category, counts })),
  byUnit: z.array(z.strictObject({ unitId: z.string(), unitName: z.string(), counts, indicators: z.array(Indicator) })),
  byCategory: z.array(z.strictObject({ category, categoryName: z.string(), counts, indicators: z.array(Indicator) })),
  total: z.strictObject({ counts, indicators: z.array(Indicator) }),
  calendarVersion: z.string(),
  formulaVersion: z.string(),
  generatedAt: instant,
  snapshot: z.strictObject({ closedAt: instant }).optional().meta({ description: 'A closed month answered from its snapshot' }),
});

/** Names of the bodies several routes share: one component each in `openapi.json`. */
export const RESPONSE_COMPONENTS: Record<string, z.ZodType> = {
  ComplaintView: ComplaintViewResponse,
  NoticeConfirmation: NoticeConfirmationResponse,
  DirectoryEntryResult: EntryResultResponse,
};

/** An HTML page (the notice confirm pages): documented as `text/html`. */
export const HTML_PAGE = 'text/html';

/** What each route answers with on success: a schema, or {@link HTML_PAGE}. */
export const RESPONSES: Record<string, z.ZodType | typeof HTML_PAGE> = {
  'POST /complaints': PublicReceiptResponse,
  'POST /staff/complaints': StaffReceiptResponse,
  'GET /complaints': ListPageResponse,
  'GET /complaints/{id}': ComplaintViewResponse,
  'GET /track/{code}': TrackViewResponse,
  'POST /channels/sms': z.strictObject(MessageOutcome.shape),
  'POST /channels/ivr': IvrOutcomeResponse,
  'POST /compensation/quote': QuoteResponse,
  'GET /notices/confirm': HTML_PAGE,
  'POST /notices/confirm': NoticeConfirmationResponse,
  'POST /complaints/{id}/notice-confirmation': NoticeConfirmationResponse,
  'GET /assists': AssistPageResponse,
  'GET /determinations': DeterminationPageResponse,
  'GET /rectifications': RectificationPageResponse,
  'POST /rectification-notices': RectificationNoticeResponse,
  'GET /reports': ReportBodyResponse,
  'GET /directory': StaffDirectoryResponse,
  'GET /admin/directory': DirectoryResponse,
  'PUT /admin/units/{id}': EntryResultResponse,
  'DELETE /admin/units/{id}': EntryResultResponse,
  'PUT /admin/staff/{id}': EntryResultResponse,
  'DELETE /admin/staff/{id}': EntryResultResponse,
  'PUT /admin/routing': EntryResultResponse,
  'PUT /admin/organisation': EntryResultResponse,
  'GET /admin/audit': AuditResponse,
  'PUT /admin/calendar/{year}': NoticeLoadResponse,
  'GET /admin/calendar/{year}': NoticeVersionsResponse,
};

// Every other route is a command on one complaint (`/complaints/{id}/…`): it answers with the complaint as the caller
// may now see it. Any other route must be listed above, or the OpenAPI document fails to build.
for (const route of ROUTES) if (route.method === 'POST' && route.path.startsWith('/complaints/{id}/')) RESPONSES[routeKey(route)] ??= ComplaintViewResponse;
