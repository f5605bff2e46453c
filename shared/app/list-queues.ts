/**
 * GET /complaints' worklist queues (decision 067): the query's `due`, `signed`, `notice` and `extension` as the
 * store's filter, and `count=true` as the whole list's size. Kept apart from the list's partitioning
 * (complaints.ts) so that other list filters merge beside it.
 */
import { isUnitRole } from '#domain/access.ts';
import { staffKey } from '#domain/ids.ts';
import { OPEN_STATUSES, STATUSES, type Actor, type Status } from '#domain/model.ts';
import { dueBounds, hasQueueFilter, type QueueFilter } from '#domain/queues.ts';
import type { ListQuery } from '#domain/schemas.ts';
import type { ComplaintStore, ListQueue, ListSpec } from './ports.ts';

/** The queue a list query asks for, on this clock, for this caller; undefined when it asks for none. */
export function listQueue(query: Pick<ListQuery, 'due' | 'signed' | 'notice' | 'extension'>, actor: Actor, now: Date): ListQueue | undefined {
  const filter: QueueFilter = {
    ...(query.due !== undefined && { due: query.due }),
    ...(query.signed !== undefined && { signed: query.signed === 'true' }),
    // A unit's staff confirm their own notices; the centre and quality watch everyone's.
    ...(query.notice === 'unconfirmed' && { noticeAwaiting: isUnitRole(actor) ? staffKey(actor.id) : '*' }),
    // Scoped by the list's partition: a unit's leader reads the unit's worklist only (decision 069).
    ...(query.extension === 'requested' && { extensionRequested: true }),
  };
  if (!hasQueueFilter(filter)) return undefined;
  return {
    ...(filter.due !== undefined && { bounds: dueBounds(filter.due, now) }),
    ...(filter.signed !== undefined && { signed: filter.signed }),
    ...(filter.noticeAwaiting !== undefined && { noticeAwaiting: filter.noticeAwaiting }),
    ...(filter.extensionRequested === true && { extensionRequested: true }),
  };
}

/** The statuses a list without a status reads: a queue holds open complaints only, so the ended partitions are never read for one. */
export const statusesFor = (queue: ListQueue | undefined): readonly Status[] => (queue ? OPEN_STATUSES : STATUSES);

/** `count=true`: how many the whole list holds — one partition, or each status partition of {@link statusesFor}. */
export async function countList(
  store: ComplaintStore,
  spec: Omit<ListSpec, 'limit' | 'cursor'> | { across: readonly Status[]; rest: Omit<ListSpec, 'limit' | 'cursor' | 'partition'> },
): Promise<number> {
  if ('across' in spec) {
    const counts = await Promise.all(spec.across.map((status) => store.count({ ...spec.rest, partition: { kind: 'status', status } })));
    return counts.reduce((a, b) => a + b, 0);
  }
  return store.count(spec);
}
