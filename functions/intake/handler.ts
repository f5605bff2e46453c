/** POST /complaints (public) and POST /staff/complaints (centre, may add staff fields): intake (投诉接入). */
import { container } from '#app/container.ts';
import { authorizeAction } from '#domain/access.ts';
import { IntakeRequest } from '#domain/schemas.ts';
import { httpHandler } from '#http/handler.ts';
import { intakeReceipt } from '#http/receipt.ts';

export const handler = httpHandler({
  auth: (event) => (event.routeKey === 'POST /staff/complaints' ? 'staff' : 'public'),
  body: IntakeRequest,
  handle: async ({ body, raw, idempotencyKey, actor }) => {
    // The staff door is the centre's (issue 8: quality filed staff complaints): 403 for other roles.
    if (actor.role !== 'public') authorizeAction(actor, 'intake_staff');
    const result = await container().service.submit(body, actor, raw, idempotencyKey);
    return {
      status: result.outcome === 'repeat' ? 200 : 201,
      body: intakeReceipt(result),
      headers: {
        location: `/track/${result.complaint.trackingCode}`,
        ...(result.outcome === 'replayed' && { 'idempotency-replayed': 'true' }),
      },
    };
  },
});
