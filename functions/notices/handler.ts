/**
 * The leaders' notice confirmations (decision 049), one Lambda:
 * `GET /notices/confirm?t=` shows a page with a button (confirms nothing), `POST /notices/confirm?t=`
 * records `notice_confirmed` for the person and notice the signed token names, and
 * `POST /complaints/{id}/notice-confirmation` lets the signed-in leader or director confirm.
 * A forged, expired or malformed token is a 404 and writes nothing.
 */
import { noticeConfirmations } from '#app/wiring/notices.ts';
import { personName } from '#app/escalation-mail.ts';
import { runtimeConfig } from '#app/wiring/runtime-config.ts';
import { NotFound, ValidationFailed } from '#domain/errors.ts';
import { SEVERITY_LABELS } from '#domain/model.ts';
import { NoticeConfirmationRequest, NoticeConfirmQuery } from '#domain/requests/notices.ts';
import { httpHandler, readJsonBody, type ApiEvent } from '#http/handler.ts';
import { confirmedPage, confirmPage } from '#http/notice-page.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { complaintIdFrom } from '#http/complaint-id.ts';

const isStaffRoute = (event: ApiEvent): boolean => (event.routeKey ?? '').startsWith('POST /complaints/');
const wantsHtml = (event: ApiEvent): boolean => /text\/html/i.test(event.headers?.['accept'] ?? '');

function tokenOf(query: Record<string, string>): string {
  const parsed = NoticeConfirmQuery.safeParse(query);
  if (!parsed.success)
    throw new ValidationFailed(
      'The confirm link is incomplete',
      fieldIssues(parsed.error).map((i) => ({ ...i, path: `query.${i.path}` })),
    );
  return parsed.data.t;
}

export const handler = httpHandler({
  auth: (event) => (isStaffRoute(event) ? 'staff' : 'public'),
  handle: async (ctx) => {
    const notices = noticeConfirmations();
    if (isStaffRoute(ctx.event)) {
      const body = NoticeConfirmationRequest.safeParse(readJsonBody(ctx.event));
      if (!body.success) throw new ValidationFailed('The request body is invalid', fieldIssues(body.error));
      return { status: 200, body: await notices.confirmSignedIn(complaintIdFrom(ctx.params), ctx.actor, body.data.noticeId) };
    }
    const token = tokenOf(ctx.query);
    // The recipient's name on the page comes from the runtime directory (the table's, ≤ 60 s old).
    const { directory } = await runtimeConfig().refresh();
    if (ctx.event.requestContext?.http?.method === 'GET') {
      const { claims, complaint, confirmed } = await notices.preview(token);
      const html = confirmPage({
        complaintId: complaint.id,
        recipientName: personName(directory, claims.recipientId) ?? claims.recipientId,
        severityLabel: SEVERITY_LABELS[complaint.severity],
        token,
        confirmed,
      });
      return { status: 200, body: undefined, html };
    }
    const result = await notices.confirmByLink(token);
    const outcome = result.notices[0]?.outcome;
    if (!outcome) throw new NotFound('This confirmation link is not valid');
    if (wantsHtml(ctx.event))
      return {
        status: 200,
        body: undefined,
        html: confirmedPage({
          complaintId: result.complaintId,
          recipientName: personName(directory, result.recipientId) ?? result.recipientId,
          already: outcome === 'already',
        }),
      };
    return { status: 200, body: result };
  },
});
