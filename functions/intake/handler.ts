/** POST /complaints (public) and POST /staff/complaints (centre, may add staff fields): intake (投诉接入). */
import { intakeService } from '#app/wiring/intake.ts';
import { authorizeAction } from '#domain/access.ts';
import { IntakeRequest } from '#domain/requests/intake.ts';
import { httpHandler } from '#http/handler.ts';
import { intakeReceipt, publicReceipt } from '#http/receipt.ts';

export const handler = httpHandler({
  auth: (event) => (event.routeKey === 'POST /staff/complaints' ? 'staff' : 'public'),
  body: IntakeRequest,
  handle: async ({ body, raw, idempotencyKey, actor }) => {
    // The staff door is the centre's (issue 8: quality filed staff complaints): 403 for other roles.
    if (actor.role !== 'public') authorizeAction(actor, 'intake_staff');
    const result = await intakeService().submit(body, actor, raw, idempotencyKey);
    // The public learns nothing of an existing case: always 201 and the receipt's shape (decision 030).
    const pub = actor.role === 'public';
    const answer = pub ? publicReceipt(result) : intakeReceipt(result);
    return {
      status: pub || result.outcome !== 'repeat' ? 201 : 200,
      body: answer,
      headers: {
        location: answer.trackUrl,
        ...((result.outcome === 'replayed' || result.replayed) && { 'idempotency-replayed': 'true' }),
      },
    };
  },
});
