/**
 * GET /reports (decision 060): the statistics of a period from the counters, as JSON. Quality, agents and admins
 * see every unit; a leader only their own; handlers get 403. `format=xlsx|csv` are answered 406 until the export
 * lands in this function.
 */
import { reportService } from '#app/wiring/stats.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { ReportsQuery } from '#domain/report-schemas.ts';
import { httpHandler } from '#http/handler.ts';
import { HttpProblem } from '#http/problem.ts';
import { fieldIssues } from '#domain/field-issues.ts';

export const handler = httpHandler({
  auth: 'staff',
  handle: async ({ query, actor }) => {
    const parsed = ReportsQuery.safeParse(query);
    if (!parsed.success) throw new ValidationFailed('Invalid query', fieldIssues(parsed.error, { prefix: ['query'] }));
    const service = await reportService();
    // Who may see which unit is decided before anything is read or refused for its format.
    service.scope(actor, parsed.data.unitId);
    if (parsed.data.format !== 'json') {
      throw new HttpProblem(406, 'format-not-available', `format=${parsed.data.format} is not served yet; ask for format=json`, [{ path: 'query.format', message: 'Only json for now' }]);
    }
    return { status: 200, body: await service.forCaller(parsed.data, actor) };
  },
});
