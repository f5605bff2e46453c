/**
 * The read-only half of the complaint service: `get`, `list` and `track`, over the store and the intake
 * ledger only. `read` and `track` bundle this alone — no lifecycle, planner or policy (issue 10: their
 * bundles and cold starts).
 */
import { authorizeAction, authorizeComplaint, isUnitRole, staffView, type ComplaintView, type ListItemView } from '#domain/access.ts';
import { Forbidden, NotFound, ValidationFailed } from '#domain/errors.ts';
import { staffKey } from '#domain/ids.ts';
import { STATUSES, type Actor, type Status } from '#domain/model.ts';
import { publicView, type PublicView } from '#domain/public-view.ts';
import { receiptView, type ReceiptView } from '#domain/receipt.ts';
import type { ListQuery } from '#domain/schemas.ts';
import type { Clock, ComplaintStore, IntakeLedger, ListSpec } from './ports.ts';
import { countList, listQueue, statusesFor } from './list-queues.ts';

/** What the reads need: the store, the intake ledger (public-repeat receipts) and the clock. */
export interface ReadDeps {
  store: ComplaintStore;
  intake: IntakeLedger;
  clock: Clock;
}

/** The reads `read` and `track` answer. */
export type ComplaintReader = Pick<ComplaintReads, 'get' | 'list' | 'track'>;

export class ComplaintReads {
  constructor(private readonly deps: ReadDeps) {}

  async get(id: string, actor: Actor): Promise<ComplaintView> {
    const complaint = await this.deps.store.getWithHistory(id);
    if (!complaint) throw new NotFound(`Complaint ${id} not found`);
    authorizeComplaint(actor, 'read', complaint);
    return staffView(actor, complaint);
  }

  /**
   * Lists are scoped by the actor: a unit sees only its own worklist; the centre, quality and
   * admins read any unit's worklist or a status list. Without a status, the centre's list is the
   * open statuses in lifecycle order, one partition after another (the cursor says which).
   */
  async list(query: ListQuery, actor: Actor): Promise<{ items: ListItemView[]; cursor?: string; count?: number }> {
    authorizeAction(actor, 'list');
    let unitId = query.unitId;
    if (isUnitRole(actor)) {
      if (unitId && unitId !== actor.unitId) throw new Forbidden('A unit sees only its own complaints', { unitId });
      if (!actor.unitId) throw new Forbidden('This account belongs to no unit');
      unitId = actor.unitId;
    }
    const queue = listQueue(query, actor, this.deps.clock.now());
    const common = {
      limit: query.limit,
      ...(query.severity !== undefined && { severity: query.severity }),
      ...(queue && { queue }),
      // Nobody sees a complaint about themself (seed 001 art. 15), the centre's agents included.
      excludeSubject: staffKey(actor.id),
    };
    const { limit: _limit, ...counted } = common;
    if (unitId) {
      const partition = { kind: 'unit' as const, unitId, ...(query.status !== undefined && { status: query.status }) };
      const [page, count] = await Promise.all([
        this.deps.store.list({ ...common, partition, ...(query.cursor !== undefined && { cursor: query.cursor }) }),
        query.count === 'true' ? countList(this.deps.store, { ...counted, partition }) : undefined,
      ]);
      return { ...page, ...(count !== undefined && { count }) };
    }
    if (query.status) {
      const partition = { kind: 'status' as const, status: query.status };
      const [page, count] = await Promise.all([
        this.deps.store.list({ ...common, partition, ...(query.cursor !== undefined && { cursor: query.cursor }) }),
        query.count === 'true' ? countList(this.deps.store, { ...counted, partition }) : undefined,
      ]);
      return { ...page, ...(count !== undefined && { count }) };
    }
    const statuses = statusesFor(queue);
    const [page, count] = await Promise.all([
      this.listAcrossStatuses(query, common, statuses),
      query.count === 'true' ? countList(this.deps.store, { across: statuses, rest: counted }) : undefined,
    ]);
    return { ...page, ...(count !== undefined && { count }) };
  }

  private async listAcrossStatuses(query: ListQuery, common: Omit<ListSpec, 'partition' | 'cursor'>, statuses: readonly Status[]) {
    const [statusPart, inner] = splitCursor(query.cursor);
    let index = statusPart;
    let cursor = inner;
    const items: ListItemView[] = [];
    while (index < statuses.length && items.length < query.limit) {
      const status = statuses[index] as Status;
      const page = await this.deps.store.list({
        ...common,
        limit: query.limit - items.length,
        partition: { kind: 'status', status },
        ...(cursor !== undefined && { cursor }),
      });
      items.push(...page.items);
      if (page.cursor) {
        cursor = page.cursor;
        if (items.length >= query.limit) return { items, cursor: `${index}.${cursor}` };
      } else {
        index++;
        cursor = undefined;
      }
    }
    return index < statuses.length ? { items, cursor: `${index}.` } : { items };
  }

  /**
   * Public status page data (知情权): masked, no staff identities, no internal notes. A public
   * repeat's receipt code shows only that the submission was recorded.
   */
  async track(code: string): Promise<PublicView | ReceiptView> {
    const found = await this.deps.store.findByTrackingCode(code);
    // The milestones come from the whole history; pages are read only when the item has sealed some.
    const complaint = found?.historySealed ? await this.deps.store.getWithHistory(found.id) : found;
    if (complaint) return publicView(complaint, this.deps.clock.now());
    const receipt = await this.deps.intake.findReceiptByTrackingCode(code);
    if (receipt) return receiptView(receipt);
    throw new NotFound('No complaint with this tracking code');
  }
}

function splitCursor(cursor: string | undefined): [number, string | undefined] {
  if (!cursor) return [0, undefined];
  const match = /^(\d)\.([A-Za-z0-9_-]*)$/.exec(cursor);
  const index = match ? Number(match[1]) : NaN;
  if (!match || index >= STATUSES.length) throw new ValidationFailed('Invalid cursor', [{ path: 'cursor', message: 'Not a cursor returned by this list' }]);
  return [index, match[2] || undefined];
}
