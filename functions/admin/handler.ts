/**
 * The admin routes (decisions 055, 056), one Lambda: the runtime directory (units, staff, routing,
 * organisation), its audit, and the State Council holiday notices. Bodies are validated by the use
 * case, which answers 422 naming the field; the route key picks the use case.
 */
import { adminService } from '#app/wiring/admin.ts';
import { NotFound, ValidationFailed } from '#domain/errors.ts';
import { httpHandler, readJsonBody, type Reply } from '#http/handler.ts';

const AUDIT_LIMIT = { default: 100, max: 1000 };

function yearOf(params: Record<string, string>): number {
  const raw = params['year'] ?? '';
  if (!/^\d{4}$/.test(raw)) throw new ValidationFailed('Invalid year', [{ path: 'path.year', message: 'Expected a year as YYYY' }]);
  return Number(raw);
}

function limitOf(query: Record<string, string>): number {
  const raw = query['limit'];
  if (raw === undefined) return AUDIT_LIMIT.default;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > AUDIT_LIMIT.max)
    throw new ValidationFailed('Invalid limit', [{ path: 'query.limit', message: `1 to ${AUDIT_LIMIT.max}` }]);
  return n;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

export const handler = httpHandler({
  auth: 'staff',
  handle: async ({ event, actor, params, query }) => {
    const admin = adminService();
    const id = params['id'] ?? '';
    switch (event.routeKey) {
      case 'GET /admin/directory':
        return ok(await admin.directory(actor));
      case 'PUT /admin/units/{id}':
        return ok(await admin.putUnit(actor, id, readJsonBody(event)));
      case 'DELETE /admin/units/{id}':
        return ok(await admin.removeUnit(actor, id));
      case 'PUT /admin/staff/{id}':
        return ok(await admin.putStaff(actor, id, readJsonBody(event)));
      case 'DELETE /admin/staff/{id}':
        return ok(await admin.removeStaff(actor, id));
      case 'PUT /admin/routing':
        return ok(await admin.putRouting(actor, readJsonBody(event)));
      case 'PUT /admin/organisation':
        return ok(await admin.putOrganisation(actor, readJsonBody(event)));
      case 'GET /admin/audit':
        return ok({ items: await admin.audit(actor, limitOf(query)) });
      case 'PUT /admin/calendar/{year}':
        return ok(await admin.loadNotice(actor, yearOf(params), readJsonBody(event)));
      case 'GET /admin/calendar/{year}':
        return ok(await admin.noticeVersions(actor, yearOf(params)));
      default:
        throw new NotFound(`No route ${event.routeKey}`);
    }
  },
});
