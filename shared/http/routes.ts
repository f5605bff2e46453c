/**
 * Every HTTP route, once. The CDK stack creates API Gateway routes from this table, the local
 * stack dispatches by it, and `npm run openapi` documents it.
 */
import type * as z from '#domain/zod.ts';
import { CalendarNoticeSchema } from '#domain/calendar/notice.ts';
import { CompensationQuoteRequest } from '#domain/compensation.ts';
import {
  CompensationAgreementRequest,
  CompensationClaimRequest,
  CompensationPaidRequest,
  DeterminationListQuery,
  DeterminationRequest,
  DeterminationReviewRequest,
  RectificationListQuery,
  RectificationNoticeRequest,
  RectificationRequest,
  RectificationReviewRequest,
} from '#domain/quality-schemas.ts';
import { ReportResponse, ReportsQuery, reportsDescription } from '#domain/report-schemas.ts';
import { GenericSmsWebhookSchema, IvrWebhookSchema } from '#domain/channels/inbound.ts';
import { OrganisationEntryRequest, RoutingRequest, StaffEntryRequest, UnitEntryRequest } from '#domain/directory-entries.ts';
import {
  AssistCancelRequest,
  AssistListQuery,
  AssistReplyRequest,
  AssistRequest,
  AssignmentRequest,
  CallbackRequest,
  ChaseRequest,
  ContactRequest,
  ExtensionRequest,
  IntakeRequest,
  IntakePublic,
  ListQuery,
  NoticeConfirmationRequest,
  NoticeConfirmQuery,
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
} from '#domain/schemas.ts';

/** One Lambda per name: `functions/<name>/handler.ts`. */
export const API_FUNCTIONS = ['intake', 'read', 'track', 'assignment', 'contact', 'reply', 'callback', 'case-actions', 'channel-sms', 'channel-ivr', 'compensation', 'notices', 'admin', 'reports'] as const;
export type ApiFunction = (typeof API_FUNCTIONS)[number];

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  function: ApiFunction;
  /** `public`: no authorizer, throttled separately; `staff`: JWT authorizer. */
  auth: 'public' | 'staff';
  summary: string;
  request?: z.ZodMiniType;
  query?: z.ZodMiniType;
  success: number;
  idempotent?: boolean;
  /** Public routes only: API Gateway route throttling in AWS, a per-client token bucket locally. */
  throttle?: Throttle;
  /** The success body's schema and a longer description, where the OpenAPI document prints them. */
  response?: z.ZodMiniType;
  description?: string;
}

export interface Throttle {
  /** Whole-route steady rate and burst (API Gateway stage route settings). */
  routeRate: number;
  routeBurst: number;
  /** Per client IP (local token bucket; in AWS a WAF rate-based rule could add the same). */
  clientRate: number;
  clientBurst: number;
}

/** Intake and tracking face the internet: tight per client, generous per route. */
export const PUBLIC_THROTTLE = {
  intake: { routeRate: 50, routeBurst: 100, clientRate: 1, clientBurst: 10 },
  track: { routeRate: 100, routeBurst: 200, clientRate: 5, clientBurst: 30 },
  channels: { routeRate: 100, routeBurst: 200, clientRate: 50, clientBurst: 200 },
} satisfies Record<string, Throttle>;

export const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/complaints', function: 'intake', auth: 'public', summary: 'File a complaint (web form, integrators); returns id and tracking code', request: IntakePublic, success: 201, idempotent: true, throttle: PUBLIC_THROTTLE.intake },
  { method: 'POST', path: '/staff/complaints', function: 'intake', auth: 'staff', summary: 'File a complaint as the centre, with severity, key account and subject staff', request: IntakeRequest, success: 201, idempotent: true },
  { method: 'GET', path: '/complaints', function: 'read', auth: 'staff', summary: 'List complaints visible to the caller (paginated)', query: ListQuery, success: 200 },
  { method: 'GET', path: '/complaints/{id}', function: 'read', auth: 'staff', summary: 'One complaint with its history and deadlines', success: 200 },
  { method: 'GET', path: '/track/{code}', function: 'track', auth: 'public', summary: 'Public progress by tracking code (masked)', success: 200, throttle: PUBLIC_THROTTLE.track },
  { method: 'POST', path: '/channels/sms', function: 'channel-sms', auth: 'public', summary: 'Inbound SMS from an integrator: signed JSON webhook (X-Timestamp, X-Signature: v1=HMAC-SHA256), idempotent by messageId', request: GenericSmsWebhookSchema, success: 200, throttle: PUBLIC_THROTTLE.channels },
  { method: 'POST', path: '/channels/ivr', function: 'channel-ivr', auth: 'public', summary: 'A finished IVR complaint call: signed webhook, idempotent by callId; answers with text to read out', request: IvrWebhookSchema, success: 200, throttle: PUBLIC_THROTTLE.channels },
  { method: 'POST', path: '/complaints/{id}/assignment', function: 'assignment', auth: 'staff', summary: 'Dispatch (转发) to a unit and handler, or move it', request: AssignmentRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/contact', function: 'contact', auth: 'staff', summary: 'Record contact with the complainant (first contact is a milestone; after an unresolved reply it is the promised follow-up that meets next_contact)', request: ContactRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/replies', function: 'reply', auth: 'staff', summary: 'The unit’s reply with the three required elements', request: ReplyRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/callbacks', function: 'callback', auth: 'staff', summary: 'Callback (回访): reached, waived with a reason, or unreachable', request: CallbackRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/chases', function: 'case-actions', auth: 'staff', summary: 'The complainant chases (催办)', request: ChaseRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/suspension', function: 'case-actions', auth: 'staff', summary: 'Temporary closure (暂结)', request: SuspensionRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/reopen', function: 'case-actions', auth: 'staff', summary: 'Reopen a suspended or closed complaint', request: ReopenRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/withdrawal', function: 'case-actions', auth: 'staff', summary: 'Withdrawal (撤诉), confirmed voluntary', request: WithdrawalRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/severity', function: 'case-actions', auth: 'staff', summary: 'Raise or lower the severity with a reason', request: SeverityRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/extensions', function: 'case-actions', auth: 'staff', summary: 'Extend the reply time limit: the unit leader approves, the reason is shown to the complainant', request: ExtensionRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/pause', function: 'case-actions', auth: 'staff', summary: 'Pause the unit’s clocks while waiting for the complainant’s documents', request: PauseRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/compensation/quote', function: 'compensation', auth: 'staff', summary: 'Compensation calculator (赔偿计算): liability, amount, payee and each step with the rule it applies (seed 001, 002; 邮政法 47)', request: CompensationQuoteRequest, success: 200 },
  // Decision 049: the leaders' notice is confirmed by its link (GET shows a page with a button, so that
  // link previews and mail scanners confirm nothing; POST records it) or signed in at the console.
  { method: 'GET', path: '/notices/confirm', function: 'notices', auth: 'public', summary: 'The confirm page of a leaders’ notice link (HTML with a button); confirms nothing', query: NoticeConfirmQuery, success: 200, throttle: PUBLIC_THROTTLE.track },
  { method: 'POST', path: '/notices/confirm', function: 'notices', auth: 'public', summary: 'Confirm receipt of a leaders’ notice by its signed link token; confirming twice records once', query: NoticeConfirmQuery, success: 200, throttle: PUBLIC_THROTTLE.track },
  { method: 'POST', path: '/complaints/{id}/notice-confirmation', function: 'notices', auth: 'staff', summary: 'The signed-in leader or director confirms receipt of the case’s leaders’ notices; idempotent by nature (a second confirmation records nothing), no Idempotency-Key', request: NoticeConfirmationRequest, success: 200 },
  { method: 'POST', path: '/complaints/{id}/assists', function: 'case-actions', auth: 'staff', summary: '协办: the lead unit asks another unit to assist, with a task and a deadline (default 1 working day)', request: AssistRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/assists/{taskId}/reply', function: 'case-actions', auth: 'staff', summary: '协办: the assisting unit answers its task with findings and facts', request: AssistReplyRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/assists/{taskId}/cancel', function: 'case-actions', auth: 'staff', summary: '协办: the lead unit cancels an open task with a reason', request: AssistCancelRequest, success: 200, idempotent: true },
  // Decision 060: statistics from the change feed's counters; the drill-down is GET /complaints?figure=&period=.
  { method: 'GET', path: '/reports', function: 'reports', auth: 'staff', summary: 'Statistics of a period (month 26th–25th by default; quarter, year, whole-month range) per unit and category, every indicator (quality, agent, admin; leaders for their own unit)', query: ReportsQuery, success: 200, response: ReportResponse, description: reportsDescription() },
  { method: 'GET', path: '/assists', function: 'read', auth: 'staff', summary: '协办 worklist: the open assist tasks of one unit, earliest deadline first (masked)', query: AssistListQuery, success: 200 },
  { method: 'POST', path: '/complaints/{id}/resume', function: 'case-actions', auth: 'staff', summary: 'Resume paused clocks; the paused time is added to the time limits', request: ResumeRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/sign', function: 'case-actions', auth: 'staff', summary: '签收: the dispatched unit signs for the complaint (within 20 working minutes of the dispatch)', request: SignRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/return', function: 'case-actions', auth: 'staff', summary: '退回: the dispatched unit returns a mis-dispatched complaint to the centre, once, within 2 working hours and before contact', request: ReturnRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/return-decision', function: 'case-actions', auth: 'staff', summary: 'The centre rules on a return: re-dispatch to another unit, or send it back to the unit', request: ReturnDecisionRequest, success: 200, idempotent: true },
  // 有理由投诉 and 分析整改 (decision 058): the centre determines, quality reviews, notices and checks, the unit files.
  { method: 'POST', path: '/complaints/{id}/determination', function: 'case-actions', auth: 'staff', summary: '有理由投诉的初步界定: the centre determines after the reply (our_fault / uncooperative_unit / not_justified, with a reason); once per round', request: DeterminationRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/determination-review', function: 'case-actions', auth: 'staff', summary: 'Quality reviews the determination and may override it, with a reason', request: DeterminationReviewRequest, success: 200, idempotent: true },
  { method: 'GET', path: '/determinations', function: 'read', auth: 'staff', summary: 'Cases awaiting the centre’s determination (pending), or the determined ones of a range — the month’s justified list for quality (by index)', query: DeterminationListQuery, success: 200 },
  { method: 'POST', path: '/rectification-notices', function: 'case-actions', auth: 'staff', summary: 'Quality’s monthly notice (通报): every justified case of the statistics month (or those named) owes its 分析整改表 within 5 days', request: RectificationNoticeRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/rectification', function: 'case-actions', auth: 'staff', summary: '分析整改表 (seed 000 附件3): the responsible unit files (or refiles) its analysis and rectification record', request: RectificationRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/rectification-review', function: 'case-actions', auth: 'staff', summary: 'Quality verifies the rectification record or returns it with a reason (its deadline keeps running)', request: RectificationReviewRequest, success: 200, idempotent: true },
  { method: 'GET', path: '/rectifications', function: 'read', auth: 'staff', summary: 'Rectifications by unit and status, earliest deadline first (units: their own; quality: all; by index)', query: RectificationListQuery, success: 200 },
  // 赔偿申请 (decision 059): amounts in yuan in the requests, integer fen in the record and the events.
  { method: 'POST', path: '/complaints/{id}/compensation-claim', function: 'case-actions', auth: 'staff', summary: '赔偿申请: record (and so acknowledge) a claim; starts the 30-day (60 international) settlement clock', request: CompensationClaimRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/compensation-agreement', function: 'case-actions', auth: 'staff', summary: 'The amount agreed with the claimant; starts the 7-working-day payment clock', request: CompensationAgreementRequest, success: 200, idempotent: true },
  { method: 'POST', path: '/complaints/{id}/compensation-paid', function: 'case-actions', auth: 'staff', summary: 'The compensation was paid (ends the payment clock)', request: CompensationPaidRequest, success: 200, idempotent: true },
  // Admin (decisions 055, 056): the directory and the State Council notices, at run time; every function sees a change within 60 s.
  { method: 'GET', path: '/admin/directory', function: 'admin', auth: 'staff', summary: 'The runtime directory: organisation, units, staff, routing, with revisions (admin)', success: 200 },
  { method: 'PUT', path: '/admin/units/{id}', function: 'admin', auth: 'staff', summary: 'Create or change a unit (admin; audited)', request: UnitEntryRequest, success: 200, idempotent: true },
  { method: 'DELETE', path: '/admin/units/{id}', function: 'admin', auth: 'staff', summary: 'Remove a unit; 409 while it has open complaints (listed), staff or routing rules (admin; audited)', success: 200, idempotent: true },
  { method: 'PUT', path: '/admin/staff/{id}', function: 'admin', auth: 'staff', summary: 'Create or change a staff member: handler, leader, operations director, quality manager (admin; audited)', request: StaffEntryRequest, success: 200, idempotent: true },
  { method: 'DELETE', path: '/admin/staff/{id}', function: 'admin', auth: 'staff', summary: 'Remove a staff member; 409 listing the open complaints they still hold (admin; audited)', success: 200, idempotent: true },
  { method: 'PUT', path: '/admin/routing', function: 'admin', auth: 'staff', summary: 'Replace the routing rules (category + region / waybill prefix → unit) (admin; audited)', request: RoutingRequest, success: 200, idempotent: true },
  { method: 'PUT', path: '/admin/organisation', function: 'admin', auth: 'staff', summary: 'Change the organisation’s names and console URL (admin; audited)', request: OrganisationEntryRequest, success: 200, idempotent: true },
  { method: 'GET', path: '/admin/audit', function: 'admin', auth: 'staff', summary: 'Every directory change and notice load, newest first: who, when, before, after (admin)', success: 200 },
  { method: 'PUT', path: '/admin/calendar/{year}', function: 'admin', auth: 'staff', summary: 'Load a State Council holiday notice as a new version; re-plans the open complaints and lists every moved deadline (admin)', request: CalendarNoticeSchema, success: 200, idempotent: true },
  { method: 'GET', path: '/admin/calendar/{year}', function: 'admin', auth: 'staff', summary: 'Every loaded version of a year’s notice: who loaded it, when (admin)', success: 200 },
];

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;
