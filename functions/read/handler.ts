/**
 * GET /complaints/{id}, GET /complaints, GET /assists (协办 worklist), GET /determinations and GET
 * /rectifications (decision 058): reads, scoped and masked by the caller's role.
 */
import { assistWorklist, complaintReader } from '#app/wiring/reads.ts';
import { drillDown, isDrillDown } from '#app/drill-down.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { AssistListQuery, ListQuery } from '#domain/requests/lists.ts';
import { DeterminationListQuery, RectificationListQuery } from '#domain/quality-schemas.ts';
import { qualityWorklists } from '#app/wiring/quality.ts';
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
    if (event.routeKey === 'GET /determinations') {
      const q = DeterminationListQuery.safeParse(query);
      if (!q.success) throw new ValidationFailed('Invalid query', fieldIssues(q.error, { prefix: ['query'] }));
      return { status: 200, body: await qualityWorklists().determinations(q.data, actor) };
    }
    if (event.routeKey === 'GET /rectifications') {
      const q = RectificationListQuery.safeParse(query);
      if (!q.success) throw new ValidationFailed('Invalid query', fieldIssues(q.error, { prefix: ['query'] }));
      return { status: 200, body: await qualityWorklists().rectifications(q.data, actor) };
    }
    const service = complaintReader();
    if (params['id'] !== undefined) return { status: 200, body: await service.get(complaintIdFrom(params), actor) };
    const parsed = ListQuery.safeParse(query);
    if (!parsed.success) throw new ValidationFailed('Invalid query', fieldIssues(parsed.error, { prefix: ['query'] }));
    if (isDrillDown(parsed.data)) return { status: 200, body: await drillDown(parsed.data, actor) };
    return { status: 200, body: await service.list(parsed.data, actor) };
  },
});
