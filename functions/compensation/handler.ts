/** POST /compensation/quote: the compensation calculator (seed 001, 002; 邮政法), for any staff member. Pure, no table. */
import { authorizeAction } from '#domain/access.ts';
import { CompensationQuoteRequest, quoteCompensation } from '#domain/compensation.ts';
import { httpHandler } from '#http/handler.ts';

export const handler = httpHandler({
  auth: 'staff',
  body: CompensationQuoteRequest,
  handle: async ({ actor, body }) => {
    authorizeAction(actor, 'quote_compensation');
    return { status: 200, body: quoteCompensation(body) };
  },
});
