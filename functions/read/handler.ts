/** GET /complaints/{id}, GET /complaints and GET /assists (协办 worklist): reads, scoped and masked by the caller's role. */
import { assistWorklist, complaintReader } from '#app/wiring/reads.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { AssistListQuery, ListQuery } from '#domain/schemas.ts';
import { httpHandler } from '#http/handler.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { complaintIdFrom } from '#http/complaint-id.ts';

export const handler = httpHandler({
  auth: 'staff',
  handle: async ({ params, query, actor, event }) => {
    if (event.routeKey === 'GET /assists') {
      const assists = AssistListQuery.safeParse(query);
      if (!assists.success) throw new ValidationFailed('Invalid query', fieldIssues(assists.error, { prefix: ['query'] }));
      return { status: 200, body: await assistWorklist().list(assists.data, actor) };
    }
    const service = complaintReader();
    if (params['id'] !== undefined) return { status: 200, body: await service.get(complaintIdFrom(params), actor) };
    const parsed = ListQuery.safeParse(query);
    if (!parsed.success) throw new ValidationFailed('Invalid query', fieldIssues(parsed.error, { prefix: ['query'] }));
    return { status: 200, body: await service.list(parsed.data, actor) };
  },
});
