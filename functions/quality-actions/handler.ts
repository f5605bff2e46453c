/**
 * The quality half of the loop (decision 058) and the compensation claim (decision 059), one Lambda:
 * the centre's 有理由投诉 determination and its review, quality's monthly rectification notice (通报),
 * the unit's 分析整改表 and its review, and the claim, agreement and payment. The route key picks the
 * schema and the command. Split from `case-actions` so that neither carries the other's decisions
 * and schemas (issue 10 item 3, decision 074).
 */
import type * as z from '#domain/zod.ts';
import { NotFound, ValidationFailed } from '#domain/errors.ts';
import { CLAIM_COMMANDS, decideWith, QUALITY_COMMANDS, type CommandOf } from '#domain/lifecycle.ts';
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

/** The commands of these routes (the monthly notice decides its own, `rectification_notice`). */
const DECISIONS = { ...QUALITY_COMMANDS, ...CLAIM_COMMANDS };
type QualityCommand = CommandOf<keyof typeof DECISIONS>;
const DECIDE = decideWith(DECISIONS);

const ACTIONS: Record<string, { schema: z.ZodMiniType; command: (body: never) => QualityCommand }> = {
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
    return runTransition(ctx, action.command(parsed.data as never), DECIDE);
  },
});
