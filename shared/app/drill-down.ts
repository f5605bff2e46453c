/**
 * `GET /complaints` with statistics filters (decision 060): the complaints a report's figure counts — by the month
 * items of the statistics index (GSI7), paged, masked as in every list. Unit staff see only their own unit.
 */
import { authorizeAction, isUnitRole, type ListItemView } from '#domain/access.ts';
import { Forbidden, Unprocessable } from '#domain/errors.ts';
import type { Actor } from '#domain/model.ts';
import type { ListQuery } from '#domain/schemas.ts';
import { reportService } from './wiring/stats.ts';

export const isDrillDown = (q: ListQuery): boolean =>
  q.figure !== undefined ||
  q.period !== undefined ||
  q.from !== undefined ||
  q.to !== undefined ||
  q.category !== undefined ||
  q.type !== undefined ||
  q.onTime !== undefined;

export async function drillDown(q: ListQuery, actor: Actor): Promise<{ items: ListItemView[]; cursor?: string }> {
  authorizeAction(actor, 'list');
  if (q.status !== undefined || q.severity !== undefined) {
    const path = q.status !== undefined ? 'status' : 'severity';
    throw new Unprocessable(
      'filter-not-combinable',
      `${path} does not combine with the statistics filters (figure, period, from, to, category, type, onTime)`,
      [{ path: `query.${path}`, message: 'Not with the statistics filters' }],
    );
  }
  let unitId = q.unitId;
  if (isUnitRole(actor)) {
    if (!actor.unitId) throw new Forbidden('This account belongs to no unit');
    if (unitId !== undefined && unitId !== actor.unitId) throw new Forbidden('A unit sees only its own complaints', { unitId });
    unitId = actor.unitId;
  }
  const service = await reportService();
  const period = service.periodOf({ period: q.period, from: q.from, to: q.to });
  return service.drill(
    {
      period,
      limit: q.limit,
      ...(unitId !== undefined && { unitId }),
      ...(q.category !== undefined && { category: q.category }),
      ...(q.figure !== undefined && { figure: q.figure }),
      ...(q.type !== undefined && { type: q.type }),
      ...(q.onTime !== undefined && { onTime: q.onTime === 'true' }),
      ...(q.cursor !== undefined && { cursor: q.cursor }),
    },
    actor,
  );
}
