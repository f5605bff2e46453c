/** GET /complaints/{id} and GET /complaints: reads, scoped and masked by the caller's role. */
import { complaintReader } from '#app/wiring/reads.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { ListQuery } from '#domain/schemas.ts';
import { httpHandler } from '#http/handler.ts';
import { zodIssues } from '#http/problem.ts';
import { complaintIdFrom } from '#http/complaint-id.ts';

export const handler = httpHandler({
  auth: 'staff',
  handle: async ({ params, query, actor }) => {
    const service = complaintReader();
    if (params['id'] !== undefined) return { status: 200, body: await service.get(complaintIdFrom(params), actor) };
    const parsed = ListQuery.safeParse(query);
    if (!parsed.success) throw new ValidationFailed('Invalid query', zodIssues(parsed.error, ['query']));
    return { status: 200, body: await service.list(parsed.data, actor) };
  },
});
