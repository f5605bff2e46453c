/**
 * The centre's other lifecycle routes, one Lambda: chases (催办), suspension (暂结), reopen,
 * withdrawal (撤诉), severity changes, the SLA commands: extension (leader-approved) and the unit's
 * extension request with its leader's decision (延期申请), clock pause
 * and resume, the unit's 签收 and 退回 with the centre's ruling, and 协办. The route key picks the
 * schema and the command. The quality records and the compensation claim are `quality-actions`.
 */
import type * as z from '#domain/zod.ts';
import { NotFound, ValidationFailed } from '#domain/errors.ts';
import { ASSIST_COMMANDS, CENTRE_COMMANDS, CLOCK_COMMANDS, decideWith, UNIT_COMMANDS, type CommandOf } from '#domain/lifecycle.ts';
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
import { httpHandler, readJsonBody } from '#http/handler.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { runTransition } from '#http/transition.ts';

/** The commands of these routes: every lifecycle command but the four with a function of their own and the quality ones (`quality-actions`). */
const DECISIONS = { ...CENTRE_COMMANDS, ...CLOCK_COMMANDS, ...UNIT_COMMANDS, ...ASSIST_COMMANDS };
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
};

function taskIdFrom(params: Record<string, string | undefined>): string {
  const parsed = AssistTaskIdParam.safeParse(params['taskId']);
  if (!parsed.success) throw new NotFound(`Assist task ${params['taskId'] ?? ''} not found`);
  return parsed.data;
}

export const handler = httpHandler({
  auth: 'staff',
  handle: async (ctx) => {
    const action = ACTIONS[ctx.event.routeKey?.split('/').pop() ?? ''];
    if (!action) throw new NotFound(`No route ${ctx.event.routeKey}`);
    const parsed = action.schema.safeParse(readJsonBody(ctx.event));
    if (!parsed.success) throw new ValidationFailed('The request body is invalid', fieldIssues(parsed.error));
    return runTransition(ctx, action.command(parsed.data as never, ctx.params), DECIDE);
  },
});
