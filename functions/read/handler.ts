/** GET /complaints/{id}, GET /complaints and GET /assists (协办 worklist): reads, scoped and masked by the caller's role. */
import { assistWorklist, complaintReader } from '#app/wiring/reads.ts';
import { drillDown, isDrillDown } from '#app/drill-down.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { AssistListQuery, ListQuery } from '#domain/schemas.ts';
import { httpHandler } from '#http/handler.ts';
import { zodIssues } from '#http/problem.ts';
import { complaintIdFrom } from '#http/complaint-id.ts';

export const handler = httpHandler({
  auth: 'staff',
  handle: async ({ params, query, actor, event }) => {
    if (event.routeKey === 'GET /assists') {
      const assists = AssistListQuery.safeParse(query);
      if (!assists.success) throw new ValidationFailed('Invalid query', zodIssues(assists.error, ['query']));
      return { status: 200, body: await assistWorklist().list(assists.data, actor) };
    }
    const service = complaintReader();
    if (params['id'] !== undefined) return { status: 200, body: await service.get(complaintIdFrom(params), actor) };
    const parsed = ListQuery.safeParse(query);
    if (!parsed.success) throw new ValidationFailed('Invalid query', zodIssues(parsed.error, ['query']));
    if (isDrillDown(parsed.data)) return { status: 200, body: await drillDown(parsed.data, actor) };
    return { status: 200, body: await service.list(parsed.data, actor) };
  },
});
