/**
 * The quality use cases that are not one complaint's transition (decision 058): the two worklists
 * (`GET /determinations`, `GET /rectifications`, by index) and quality's monthly notice (通报,
 * `POST /rectification-notices`), which runs the `rectification_notice` command on each justified
 * complaint of the statistics month — one conditional write per complaint, each reported on its own.
 */
import { authorizeAction, isUnitRole } from '#domain/access.ts';
import { DomainError, Forbidden } from '#domain/errors.ts';
import { staffKey } from '#domain/ids.ts';
import type { Actor, Complaint } from '#domain/model.ts';
import type { DeterminationRow, RectificationRow } from '#domain/quality.ts';
import { statisticsPeriodRange } from '#domain/statistics-period.ts';
import type { DeterminationListQuery, RectificationListQuery, RectificationNoticeRequest } from '#domain/quality-schemas.ts';
import type { CommandOf } from '#domain/lifecycle.ts';
import type { QualityCount, QualityRows } from './ports.ts';

/** `count=true`'s part of a page: the whole list's size, and `countCapped` when that is only a lower bound. */
interface Counted {
  count?: number;
  countCapped?: true;
}

const counted = (c: QualityCount | undefined): Counted => (c === undefined ? {} : { count: c.count, ...(c.capped && { countCapped: true as const }) });

/** Shanghai midnight of a date, as the instant the index's sort keys use. */
const shanghaiStart = (day: string): string => new Date(`${day}T00:00:00+08:00`).toISOString();
const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export class QualityWorklists {
  constructor(private readonly store: QualityRows) {}

  /** Replied or ended cases awaiting the centre's determination, or the determined ones of a range. */
  async determinations(query: DeterminationListQuery, actor: Actor): Promise<{ items: DeterminationRow[]; cursor?: string } & Counted> {
    authorizeAction(actor, 'determination_list');
    const spec = {
      state: query.status,
      excludeSubject: staffKey(actor.id),
      ...(query.from !== undefined && { fromAt: shanghaiStart(query.from) }),
      // Inclusive `to`: everything before the next Shanghai midnight.
      ...(query.to !== undefined && { toAt: new Date(Date.parse(shanghaiStart(nextDay(query.to))) - 1).toISOString() }),
      ...(query.unitId !== undefined && { unitId: query.unitId }),
      ...(query.justified !== undefined && { justified: query.justified === 'true' }),
    };
    const [page, count] = await Promise.all([
      this.store.listDeterminations({ ...spec, limit: query.limit, ...(query.cursor !== undefined && { cursor: query.cursor }) }),
      query.count === 'true' ? this.store.countDeterminations(spec) : undefined,
    ]);
    return { ...page, ...counted(count) };
  }

  /** A unit's rectifications (handlers and leaders: their own only), or every unit's for quality. */
  async rectifications(query: RectificationListQuery, actor: Actor): Promise<{ items: RectificationRow[]; cursor?: string } & Counted> {
    authorizeAction(actor, 'rectification_list');
    let unitId = query.unitId;
    if (isUnitRole(actor)) {
      if (!actor.unitId) throw new Forbidden('This account belongs to no unit');
      if (unitId !== undefined && unitId !== actor.unitId) throw new Forbidden('A unit sees only its own rectifications', { unitId });
      unitId = actor.unitId;
    }
    const spec = {
      excludeSubject: staffKey(actor.id),
      ...(query.status !== undefined && { status: query.status }),
      ...(unitId !== undefined && { unitId }),
      ...(query.dueBefore !== undefined && { dueBefore: new Date(query.dueBefore).toISOString() }),
    };
    const [page, count] = await Promise.all([
      this.store.listRectifications({ ...spec, limit: query.limit, ...(query.cursor !== undefined && { cursor: query.cursor }) }),
      query.count === 'true' ? this.store.countRectifications(spec) : undefined,
    ]);
    return { ...page, ...counted(count) };
  }
}

/** What the notice did to each complaint. */
export interface NoticeResult {
  period: string;
  noticed: { complaintId: string; unitId?: string; dueAt?: string }[];
  skipped: { complaintId: string; code: string; message: string }[];
}

/** The longest justified list one notice goes through (a month of one centre fits many times over). */
const MAX_NOTICE = 2_000;

export class RectificationNotices {
  constructor(
    private readonly deps: {
      store: Pick<QualityRows, 'listDeterminations'>;
      act: (id: string, command: CommandOf<'rectification_notice'>, actor: Actor, key?: string) => Promise<Complaint>;
    },
  ) {}

  /**
   * Notices every complaint named, or every complaint determined justified in the statistics month
   * (26th of the month before – 25th, by the determination's date; found by index). A complaint that
   * cannot be noticed (not justified, already noticed, another's race) is reported, never fatal.
   * With an Idempotency-Key each complaint's command gets `<key>:<id>`, so a retry replays.
   */
  async publish(request: RectificationNoticeRequest, actor: Actor, key?: string): Promise<NoticeResult> {
    authorizeAction(actor, 'rectification_notice');
    const ids = request.complaintIds ? [...new Set(request.complaintIds)] : await this.justifiedOf(request.period);
    const result: NoticeResult = { period: request.period, noticed: [], skipped: [] };
    for (const id of ids) {
      try {
        const c = await this.deps.act(id, { type: 'rectification_notice', period: request.period }, actor, key === undefined ? undefined : `${key}:${id}`);
        const due = c.deadlines.find((d) => d.milestone === 'rectification');
        result.noticed.push({ complaintId: id, ...(c.unitId !== undefined && { unitId: c.unitId }), ...(due && { dueAt: due.dueAt }) });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.skipped.push({ complaintId: id, code: error.code, message: error.message });
      }
    }
    return result;
  }

  private async justifiedOf(period: string): Promise<string[]> {
    const { from, to } = statisticsPeriodRange(period);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.listDeterminations({
        state: 'determined',
        fromAt: shanghaiStart(from),
        toAt: new Date(Date.parse(shanghaiStart(nextDay(to))) - 1).toISOString(),
        justified: true,
        limit: 100,
        ...(cursor !== undefined && { cursor }),
      });
      ids.push(...page.items.map((r) => r.complaintId));
      cursor = page.cursor;
    } while (cursor !== undefined && ids.length < MAX_NOTICE);
    return ids;
  }
}
