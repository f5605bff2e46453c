/**
 * The 协办 worklist (decision 048): an assisting unit's open tasks, earliest deadline first, by key.
 * Units see only their own; the centre, quality and admins name the unit.
 */
import { authorizeAction, isUnitRole } from '#domain/access.ts';
import type { AssistRow } from '#domain/assist.ts';
import { Forbidden, ValidationFailed } from '#domain/errors.ts';
import { staffKey } from '#domain/ids.ts';
import type { Actor } from '#domain/model.ts';
import type { AssistListQuery } from '#domain/schemas.ts';
import type { ComplaintQueries } from './ports.ts';

export class AssistWorklist {
  constructor(private readonly store: Pick<ComplaintQueries, 'listAssists'>) {}

  async list(query: AssistListQuery, actor: Actor): Promise<{ items: AssistRow[]; cursor?: string }> {
    authorizeAction(actor, 'assist_list');
    let unitId = query.unitId;
    if (isUnitRole(actor)) {
      if (!actor.unitId) throw new Forbidden('This account belongs to no unit');
      if (unitId !== undefined && unitId !== actor.unitId) throw new Forbidden('A unit sees only its own assist tasks', { unitId });
      unitId = actor.unitId;
    }
    if (unitId === undefined)
      throw new ValidationFailed('Which unit’s assist tasks?', [{ path: 'query.unitId', message: 'Required for the centre, quality and admins' }]);
    return this.store.listAssists({
      unitId,
      limit: query.limit,
      // Nobody sees a complaint about themself (seed 001 art. 15), as an assisting unit neither.
      excludeSubject: staffKey(actor.id),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
  }
}
