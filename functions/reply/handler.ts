/**
 * POST /complaints/{id}/replies: the unit's reply with the three required elements (seed 000).
 * When the reply's compensation carries the calculator's input (`compensation.quote`), the amount is
 * computed here with the calculator (decision 059) and stored with the reply, explained step by step;
 * an offered amount above the quote is refused. The calculator stays out of the lifecycle, which
 * every function bundles (decision 042): only this function and `compensation` carry it.
 */
import { toFen } from '#domain/claims.ts';
import { CompensationQuoteRequest, quoteCompensation } from '#domain/compensation.ts';
import { Unprocessable, ValidationFailed } from '#domain/errors.ts';
import type { QuotedCompensation } from '#domain/model.ts';
import { decideReply, decideWith } from '#domain/lifecycle.ts';
import { ReplyRequest } from '#domain/requests/reply.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { transitionHandler } from '#http/transition.ts';

/** The calculator's explained result for the reply's `compensation.quote`, or nothing without one. */
function quotedFor(compensation: ReplyRequest['compensation']): QuotedCompensation | undefined {
  if (compensation?.quote === undefined) return undefined;
  const parsed = CompensationQuoteRequest.safeParse(compensation.quote);
  if (!parsed.success) throw new ValidationFailed('The compensation quote is invalid', fieldIssues(parsed.error, { prefix: ['compensation', 'quote'] }));
  const quote = quoteCompensation(parsed.data);
  if (compensation.amount !== undefined && toFen(compensation.amount) > toFen(quote.amount)) {
    throw new Unprocessable('amount-above-quote', 'The offered amount exceeds what the rules give', [
      { path: 'compensation.amount', message: `超过按规定计算的赔偿金额 ${quote.amount.toFixed(2)} 元` },
    ]);
  }
  return {
    liable: quote.liable,
    amountFen: toFen(quote.amount),
    payee: quote.payee,
    steps: quote.steps.map((s) => ({ rule: s.rule, text: s.text, source: s.source, ...(s.amount !== undefined && { amountFen: toFen(s.amount) }) })),
  };
}

export const handler = transitionHandler(
  ReplyRequest,
  (body) => {
    const quoted = quotedFor(body.compensation);
    return { type: 'reply', ...body, ...(quoted !== undefined && { quoted }) };
  },
  decideWith({ reply: decideReply }),
);
