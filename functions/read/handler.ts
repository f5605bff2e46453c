/** GET /complaints/{id} and GET /complaints: reads, scoped and masked by the caller's role. */
import { container } from '#app/container.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { ListQuery } from '#domain/schemas.ts';
import { httpHandler } from '#http/handler.ts';
import { zodIssues } from '#http/problem.ts';
import { complaintIdFrom } from '#http/transition.ts';

export const handler = httpHandler({
  auth: 'staff',
  handle: async ({ params, query, actor }) => {
    const { service } = container();
    if (params['id'] !== undefined) return { status: 200, body: await service.get(complaintIdFrom(params), actor) };
    const parsed = ListQuery.safeParse(query);
    if (!parsed.success) throw new ValidationFailed('Invalid query', zodIssues(parsed.error, ['query']));
    return { status: 200, body: await service.list(parsed.data, actor) };
  },
});
