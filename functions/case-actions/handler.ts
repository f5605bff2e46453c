/**
 * The centre's other lifecycle routes, one Lambda: chases (催办), suspension (暂结), reopen,
 * withdrawal (撤诉), severity changes, the SLA commands: extension (leader-approved) and the unit's
 * extension request with its leader's decision (延期申请), clock pause
 * and resume, the unit's 签收 and 退回 with the centre's ruling, 协办, the justified determination and
 * its review, the monthly rectification notice, the 分析整改表 and its review, and the compensation
 * claim, agreement and payment. The route key picks the schema and the command.
 */
import type * as z from '#domain/zod.ts';
import { NotFound, ValidationFailed } from '#domain/errors.ts';
import {
  decideAgreement,
  decideAssistCommand,
  decideChase,
  decideClaim,
  decideDeterminationReview,
  decideDetermine,
  decideExtend,
  decideExtensionDecision,
  decidePaid,
  decidePause,
  decideRectificationFile,
  decideRectificationReview,
  decideReopen,
  decideRequestExtension,
  decideResume,
  decideReturn,
  decideReturnDecision,
  decideSeverity,
  decideSign,
  decideSuspend,
  decideWith,
  decideWithdraw,
  type CommandOf,
} from '#domain/lifecycle.ts';
import { ExtensionAsk, ExtensionDecision } from '#domain/extension-schemas.ts';
import {
  AssistCancelRequest,
  AssistReplyRequest,
  AssistRequest,
  AssistTaskIdParam,
  ChaseRequest,
  ExtensionRequest,
  PauseRequest,
  ReopenRequest,
  ResumeRequest,
  ReturnDecisionRequest,
  ReturnRequest,
  SeverityRequest,
  SignRequest,
  SuspensionRequest,
  WithdrawalRequest,
} from '#domain/requests/case-actions.ts';
import {
  CompensationAgreementRequest,
  CompensationClaimRequest,
  CompensationPaidRequest,
  DeterminationRequest,
  DeterminationReviewRequest,
  RectificationNoticeRequest,
  RectificationRequest,
  RectificationReviewRequest,
} from '#domain/quality-schemas.ts';
import { rectificationNotices } from '#app/wiring/quality-notices.ts';
import { httpHandler, readJsonBody } from '#http/handler.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { runTransition } from '#http/transition.ts';

/** The commands of these routes (every lifecycle command but the four with a function of their own, and the notice's). */
const DECISIONS = {
  chase: decideChase,
  suspend: decideSuspend,
  reopen: decideReopen,
  withdraw: decideWithdraw,
  severity: decideSeverity,
  extend: decideExtend,
  request_extension: decideRequestExtension,
  extension_decision: decideExtensionDecision,
  pause: decidePause,
  resume: decideResume,
  sign: decideSign,
  return: decideReturn,
  return_decision: decideReturnDecision,
  assist: decideAssistCommand,
  assist_reply: decideAssistCommand,
  assist_cancel: decideAssistCommand,
  determine: decideDetermine,
  determination_review: decideDeterminationReview,
  rectification_file: decideRectificationFile,
  rectification_review: decideRectificationReview,
  compensation_claim: decideClaim,
  compensation_agreement: decideAgreement,
  compensation_paid: decidePaid,
};
type CaseCommand = CommandOf<keyof typeof DECISIONS>;
const DECIDE = decideWith(DECISIONS);

const ACTIONS: Record<string, { schema: z.ZodMiniType; command: (body: never, params: Record<string, string | undefined>) => CaseCommand }> = {
  chases: { schema: ChaseRequest, command: (b: z.output<typeof ChaseRequest>) => ({ type: 'chase', ...b }) },
  suspension: { schema: SuspensionRequest, command: (b: z.output<typeof SuspensionRequest>) => ({ type: 'suspend', ...b }) },
  reopen: { schema: ReopenRequest, command: (b: z.output<typeof ReopenRequest>) => ({ type: 'reopen', ...b }) },
  withdrawal: { schema: WithdrawalRequest, command: (b: z.output<typeof WithdrawalRequest>) => ({ type: 'withdraw', ...b }) },
  severity: { schema: SeverityRequest, command: (b: z.output<typeof SeverityRequest>) => ({ type: 'severity', ...b }) },
  // SLA commands (issue 3): extension approved by the unit leader, clock pause/resume.
  extensions: { schema: ExtensionRequest, command: (b: z.output<typeof ExtensionRequest>) => ({ type: 'extend', ...b }) },
  // 延期申请 (decision 069): the unit asks, its leader decides.
  'extension-requests': { schema: ExtensionAsk, command: (b: z.output<typeof ExtensionAsk>) => ({ type: 'request_extension', ...b }) },
  'extension-decision': { schema: ExtensionDecision, command: (b: z.output<typeof ExtensionDecision>) => ({ type: 'extension_decision', ...b }) },
  pause: { schema: PauseRequest, command: (b: z.output<typeof PauseRequest>) => ({ type: 'pause', ...b }) },
  resume: { schema: ResumeRequest, command: (b: z.output<typeof ResumeRequest>) => ({ type: 'resume', ...b }) },
  // 签收 and 退回 (decision 047): the unit signs or returns, the centre rules on the return.
  sign: { schema: SignRequest, command: (b: z.output<typeof SignRequest>) => ({ type: 'sign', ...b }) },
  return: { schema: ReturnRequest, command: (b: z.output<typeof ReturnRequest>) => ({ type: 'return', ...b }) },
  'return-decision': { schema: ReturnDecisionRequest, command: (b: z.output<typeof ReturnDecisionRequest>) => ({ type: 'return_decision', ...b }) },
  // 协办 (decision 048): ask, answer, cancel.
  assists: { schema: AssistRequest, command: (b: z.output<typeof AssistRequest>) => ({ type: 'assist', ...b }) },
  reply: { schema: AssistReplyRequest, command: (b: z.output<typeof AssistReplyRequest>, p) => ({ type: 'assist_reply', taskId: taskIdFrom(p), ...b }) },
  cancel: { schema: AssistCancelRequest, command: (b: z.output<typeof AssistCancelRequest>, p) => ({ type: 'assist_cancel', taskId: taskIdFrom(p), ...b }) },
  // 有理由投诉 and 分析整改 (decision 058), the compensation claim (decision 059).
  determination: { schema: DeterminationRequest, command: (b: z.output<typeof DeterminationRequest>) => ({ type: 'determine', ...b }) },
  'determination-review': {
    schema: DeterminationReviewRequest,
    command: (b: z.output<typeof DeterminationReviewRequest>) => ({ type: 'determination_review', ...b }),
  },
  rectification: { schema: RectificationRequest, command: (b: z.output<typeof RectificationRequest>) => ({ type: 'rectification_file', ...b }) },
  'rectification-review': {
    schema: RectificationReviewRequest,
    command: (b: z.output<typeof RectificationReviewRequest>) => ({ type: 'rectification_review', ...b }),
  },
  'compensation-claim': { schema: CompensationClaimRequest, command: (b: z.output<typeof CompensationClaimRequest>) => ({ type: 'compensation_claim', ...b }) },
  'compensation-agreement': {
    schema: CompensationAgreementRequest,
    command: (b: z.output<typeof CompensationAgreementRequest>) => ({ type: 'compensation_agreement', ...b }),
  },
  'compensation-paid': { schema: CompensationPaidRequest, command: (b: z.output<typeof CompensationPaidRequest>) => ({ type: 'compensation_paid', ...b }) },
};

function taskIdFrom(params: Record<string, string | undefined>): string {
  const parsed = AssistTaskIdParam.safeParse(params['taskId']);
  if (!parsed.success) throw new NotFound(`Assist task ${params['taskId'] ?? ''} not found`);
  return parsed.data;
}

export const handler = httpHandler({
  auth: 'staff',
  handle: async (ctx) => {
    if (ctx.event.routeKey === 'POST /rectification-notices') {
      const notice = RectificationNoticeRequest.safeParse(readJsonBody(ctx.event));
      if (!notice.success) throw new ValidationFailed('The request body is invalid', fieldIssues(notice.error));
      return { status: 200, body: await rectificationNotices().publish(notice.data, ctx.actor, ctx.idempotencyKey) };
    }
    const action = ACTIONS[ctx.event.routeKey?.split('/').pop() ?? ''];
    if (!action) throw new NotFound(`No route ${ctx.event.routeKey}`);
    const parsed = action.schema.safeParse(readJsonBody(ctx.event));
    if (!parsed.success) throw new ValidationFailed('The request body is invalid', fieldIssues(parsed.error));
    return runTransition(ctx, action.command(parsed.data as never, ctx.params), DECIDE);
  },
});
