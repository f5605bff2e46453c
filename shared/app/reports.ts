/**
 * Reports and drill-downs (decision 060): `GET /reports` from the counter cells (one Query per statistics month,
 * O(units × categories) items), and "the complaints a figure counts" from the month items of GSI7 — never a Scan.
 * Implements `ReportSource` for the exports and the monthly snapshot.
 */
import { authorizeAction, isSubject, isUnitRole, listItemView, maskComplainant, type ListItemView } from '#domain/access.ts';
import { Forbidden, Unprocessable } from '#domain/errors.ts';
import { COUNTER_IDS, counterDefinition, FORMULA_VERSION } from '#domain/indicators.ts';
import { kindOf, type Actor, type Category, type Complaint } from '#domain/model.ts';
import { maskFreeText } from '#domain/masking.ts';
import type { DetailRow, ReceivedType, Report, ReportQuery, ReportSource } from '#domain/report-model.ts';
import { buildReport, currentPeriod, periodOf, rangeOf, type CounterItem, type ResolvedPeriod, type UnitName } from '#domain/reports.ts';

export interface StatsReader {
  monthCells(period: string): Promise<CounterItem[]>;
  monthPage(period: string, start: string | undefined, limit: number): Promise<{ items: { complaintId: string; tokens: Set<string> }[]; next?: string }>;
}

export interface ReportDeps {
  stats: StatsReader;
  /** Complaints by id (BatchGet), for the drill-down rows. */
  complaints: { getMany(ids: readonly string[]): Promise<Complaint[]> };
  units(): readonly UnitName[];
  calendarVersion(): string;
  clock: { now(): Date };
  /** Closed months (decision 061): a month with a snapshot is reported from it, never from the live counters. */
  snapshots?: { get(period: string): Promise<{ closedAt: string; calendarVersion: string; formulaVersion: string; report?: Report } | undefined> };
}

/** The filters of a drill-down: `figure` is a counter id; without one, `type` (or every received case). */
export interface DrillQuery {
  period: ResolvedPeriod;
  unitId?: string;
  category?: Category;
  figure?: string;
  type?: ReceivedType;
  onTime?: boolean;
  cursor?: string;
  limit: number;
}

export interface ReportRequest {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  unitId?: string | undefined;
}

const tokenMatches = (token: string, counter: string, unitId?: string, category?: string): boolean => {
  const [c, u, cat] = token.split('|');
  return c === counter && (unitId === undefined || u === unitId) && (category === undefined || cat === category);
};

/** A drill-down cursor: `<month index>.<complaint id after which to read>` (only a position in the caller's own query). */
const encodeCursor = (monthIndex: number, after: string | undefined) => `${monthIndex}.${after ?? ''}`;
function decodeCursor(cursor: string | undefined, months: number): [number, string | undefined] {
  if (cursor === undefined) return [0, undefined];
  const m = /^(\d{1,4})\.(C[0-9A-HJKMNP-TV-Z]{16})?$/.exec(cursor);
  if (!m || Number(m[1]) >= months)
    throw new Unprocessable('invalid-cursor', 'Not a cursor returned by this list', [{ path: 'cursor', message: 'Not a cursor returned by this list' }]);
  return [Number(m[1]), m[2]];
}

export class ReportService implements ReportSource {
  constructor(private readonly deps: ReportDeps) {}

  /** The period a request names: `period`, or `from`+`to` (whole statistics months), else the current month. */
  periodOf(req: ReportRequest): ResolvedPeriod {
    if (req.period !== undefined && (req.from !== undefined || req.to !== undefined)) {
      throw new Unprocessable('invalid-period', 'Give either period or from and to', [{ path: 'period', message: 'Not with from/to' }]);
    }
    if (req.period !== undefined) return periodOf(req.period);
    if (req.from !== undefined || req.to !== undefined) {
      if (req.from === undefined) throw new Unprocessable('invalid-period', 'from is required with to', [{ path: 'from', message: 'Required with to' }]);
      if (req.to === undefined) throw new Unprocessable('invalid-period', 'to is required with from', [{ path: 'to', message: 'Required with from' }]);
      return rangeOf(req.from, req.to);
    }
    return currentPeriod(this.deps.clock.now());
  }

  /** The unit a caller may report on: a leader only their own (another unit → 403), the centre any or all. */
  scope(actor: Actor, unitId: string | undefined): string | undefined {
    authorizeAction(actor, 'reports');
    if (isUnitRole(actor)) {
      if (!actor.unitId) throw new Forbidden('This account belongs to no unit');
      if (unitId !== undefined && unitId !== actor.unitId) throw new Forbidden('A leader sees the reports of their own unit only', { unitId });
      return actor.unitId;
    }
    return unitId;
  }

  async forCaller(req: ReportRequest, actor: Actor): Promise<Report> {
    const unitId = this.scope(actor, req.unitId);
    const period = this.periodOf(req);
    return this.report({ period, ...(unitId !== undefined && { unitId }) });
  }

  async report(query: ReportQuery): Promise<Report> {
    const period = resolved(query.period);
    // A closed month does not change (INDICATORS.md): its figures are the snapshot's, with the versions it used;
    // later events count in the month they happen. A range of months reads the live counters.
    const month = period.months.length === 1 ? (period.months[0] as string) : undefined;
    const snapshot = month !== undefined && period.label === month ? await this.deps.snapshots?.get(month) : undefined;
    if (snapshot?.report) {
      const items = snapshot.report.cells.map((c) => ({ period: month as string, unitId: c.unitId, category: c.category, counts: c.counts }));
      const report = buildReport(period, items, this.deps.units(), {
        calendarVersion: snapshot.calendarVersion,
        formulaVersion: snapshot.formulaVersion,
        generatedAt: snapshot.report.generatedAt,
        ...(query.unitId !== undefined && { unitId: query.unitId }),
      });
      return { ...report, snapshot: { closedAt: snapshot.closedAt } };
    }
    const items = (await Promise.all(period.months.map((m) => this.deps.stats.monthCells(m)))).flat();
    return buildReport(period, items, this.deps.units(), {
      calendarVersion: this.deps.calendarVersion(),
      formulaVersion: FORMULA_VERSION,
      generatedAt: this.deps.clock.now().toISOString(),
      ...(query.unitId !== undefined && { unitId: query.unitId }),
    });
  }

  /**
   * The complaints a figure counts (`GET /complaints?figure=&period=`, or `from`/`to`/`type`/`onTime`), paged by
   * the month items of GSI7: each page reads month items until `limit` complaints match, then their items.
   */
  async drill(query: DrillQuery, actor: Actor): Promise<{ items: ListItemView[]; cursor?: string }> {
    const counter = this.counterOf(query);
    const [start, after] = decodeCursor(query.cursor, query.period.months.length);
    const ids: string[] = [];
    let month = start;
    let position = after;
    const seen = new Set<string>();
    while (month < query.period.months.length && ids.length < query.limit) {
      const page = await this.deps.stats.monthPage(query.period.months[month] as string, position, Math.max(query.limit * 4, 50));
      for (const item of page.items) {
        position = item.complaintId;
        if (seen.has(item.complaintId)) continue;
        if (![...item.tokens].some((t) => tokenMatches(t, counter, query.unitId, query.category))) continue;
        if (query.onTime !== undefined) {
          const late = [...item.tokens].some((t) => t.startsWith('due.') && !item.tokens.has(t.replace(/^due\./, 'met.')));
          if (late === query.onTime) continue;
        }
        seen.add(item.complaintId);
        ids.push(item.complaintId);
        if (ids.length >= query.limit) break;
      }
      if (ids.length >= query.limit) break;
      if (page.next === undefined) {
        month++;
        position = undefined;
      }
    }
    const complaints = await this.deps.complaints.getMany(ids);
    const byId = new Map(complaints.map((c) => [c.id, c]));
    const items = ids.flatMap((id) => {
      const c = byId.get(id);
      return c && !isSubject(c, actor.id) ? [listItemView(c)] : [];
    });
    const more = month < query.period.months.length;
    return { items, ...(more && ids.length >= query.limit && { cursor: encodeCursor(month, position) }) };
  }

  /** The detail list (明细报表): the period's received cases of the given types, masked. */
  async *details(query: ReportQuery & { types: readonly ReceivedType[] }): AsyncIterable<DetailRow> {
    const period = resolved(query.period);
    const names = new Map(this.deps.units().map((u) => [u.id, u.name]));
    for (const month of period.months) {
      let start: string | undefined;
      do {
        const page = await this.deps.stats.monthPage(month, start, 100);
        const wanted = new Map<string, ReceivedType>();
        for (const item of page.items) {
          const type = query.types.find((t) => [...item.tokens].some((tok) => tokenMatches(tok, `received.${t}`, query.unitId)));
          if (type) wanted.set(item.complaintId, type);
        }
        const complaints = await this.deps.complaints.getMany([...wanted.keys()]);
        for (const c of complaints.sort((a, b) => a.createdAt.localeCompare(b.createdAt))) yield detailRow(c, wanted.get(c.id) as ReceivedType, names);
        start = page.next;
      } while (start !== undefined);
    }
  }

  private counterOf(query: DrillQuery): string {
    if (query.figure !== undefined) {
      if (!counterDefinition(query.figure)) {
        throw new Unprocessable('unknown-figure', `No figure “${query.figure}”`, [{ path: 'figure', message: `One of: ${COUNTER_IDS.join(', ')}` }]);
      }
      return query.figure;
    }
    return query.type !== undefined ? `received.${query.type}` : 'received';
  }
}

function resolved(period: ReportQuery['period']): ResolvedPeriod {
  if ('months' in period && Array.isArray((period as ResolvedPeriod).months)) return period as ResolvedPeriod;
  return { ...rangeOf(period.fromDate, period.toDate), label: period.label };
}

function detailRow(c: Complaint, receivedType: ReceivedType, names: Map<string, string>): DetailRow {
  const masked = maskComplainant(c.complainant);
  const reply = c.deadlines.find((d) => d.milestone === 'reply' && d.round === c.round);
  return {
    complaintId: c.id,
    trackingCode: c.trackingCode,
    receivedType,
    kind: kindOf(c),
    receivedAt: c.createdAt,
    channel: c.channel,
    category: c.category,
    severity: c.severity,
    unitId: c.unitId ?? null,
    unitName: c.unitId !== undefined ? (names.get(c.unitId) ?? c.unitId) : null,
    status: c.status,
    round: c.round,
    complainantName: masked.name ?? '',
    complainantPhone: masked.phone ?? '',
    itemNumber: c.waybillNo ?? null,
    summary: maskFreeText(c.content.slice(0, 200), c.complainant),
    repliedAt: c.reply?.at ?? null,
    closedAt: c.closedAt ?? null,
    callbackResult: c.callback ? (c.callback.outcome === 'reached' ? c.callback.attitude : 'waived') : null,
    justified: justifiedOf(c),
    onTime: reply ? reply.state === 'met' && reply.breachedAt === undefined && reply.metAt !== undefined && reply.metAt <= reply.dueAt : null,
  };
}

/** The centre's determination as quality left it (decision 058); null before one — the unit's proposal is not a finding. */
function justifiedOf(c: Complaint): boolean | null {
  const d = c.determination;
  if (!d) return null;
  return d.review ? d.review.justified : d.justified;
}
