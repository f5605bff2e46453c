/**
 * GET /directory (decision 062): the runtime directory's units and handlers, names only, for every signed-in staff
 * role — served here because this function already holds the cached directory (≤ 60 s, decision 056).
 *
 * GET /reports (decisions 060, 061): the statistics of a period from the counters, as JSON, or as a download —
 * `format=xlsx|csv`, `layout=summary` (《客户投诉大类汇总统计表》 + 指标说明) or `layout=detail` (明细报表).
 * Quality, agents and admins see every unit; a leader only their own; handlers get 403. A file too large for
 * one response answers 413 pointing at the closed month's snapshot.
 */
import { EXPORT_LIMIT_BYTES, ExportTooLarge, exportReport } from '#app/report-export.ts';
import { directoryConfig } from '#app/wiring/directory-config.ts';
import { reportService } from '#app/wiring/stats.ts';
import { ValidationFailed } from '#domain/errors.ts';
import { ReportsQuery } from '#domain/report-schemas.ts';
import { httpHandler } from '#http/handler.ts';
import { HttpProblem } from '#http/problem.ts';
import { fieldIssues } from '#domain/field-issues.ts';
import { staffDirectoryOf } from '#domain/staff-directory.ts';

/** `REPORT_EXPORT_LIMIT_BYTES` may only lower the cap (the response limits are the ceiling). */
function exportLimit(): number {
  const configured = Number(process.env['REPORT_EXPORT_LIMIT_BYTES']);
  return Number.isInteger(configured) && configured > 0 ? Math.min(configured, EXPORT_LIMIT_BYTES) : EXPORT_LIMIT_BYTES;
}

export const handler = httpHandler({
  auth: 'staff',
  handle: async ({ query, actor, event }) => {
    if (event.routeKey === 'GET /directory') {
      const { directory } = await directoryConfig().refresh();
      return { status: 200, body: staffDirectoryOf(directory), headers: { 'cache-control': 'private, max-age=60' } };
    }
    const parsed = ReportsQuery.safeParse(query);
    if (!parsed.success) throw new ValidationFailed('Invalid query', fieldIssues(parsed.error, { prefix: ['query'] }));
    const { format, layout } = parsed.data;
    if (format === 'json' && layout !== undefined) {
      throw new ValidationFailed('layout is for downloads', [{ path: 'query.layout', message: 'Only with format=xlsx or format=csv' }]);
    }
    const service = await reportService();
    // Who may see which unit is decided before anything is read.
    const unitId = service.scope(actor, parsed.data.unitId);
    if (format === 'json') return { status: 200, body: await service.forCaller(parsed.data, actor) };
    const period = service.periodOf(parsed.data);
    const { directory } = await directoryConfig().refresh();
    try {
      const file = await exportReport(service, {
        format,
        layout: layout ?? 'summary',
        query: { period, ...(unitId !== undefined && { unitId }) },
        meta: { organisation: `${directory.organisation.name} ${directory.organisation.centreName}` },
        limitBytes: exportLimit(),
      });
      return { status: 200, body: undefined, file };
    } catch (error) {
      if (error instanceof ExportTooLarge)
        throw new HttpProblem(413, 'export-too-large', error.message, [{ path: 'query.layout', message: `Over ${error.limitBytes} bytes in one response` }]);
      throw error;
    }
  },
});
