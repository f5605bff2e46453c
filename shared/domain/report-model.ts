/**
 * The shape of a statistics report (SPEC "Quality" → Statistics; ../INDICATORS.md): what the counters produce
 * (`shared/domain/reports.ts` builds it from the counter items) and what the exports lay out (XLSX/CSV in the two
 * layouts of seed 000 §七). Pure types: the JSON of `GET /reports` is this, and a closed month's snapshot stores it.
 */
import type { Category, Kind } from './model.ts';

/** 受理类型 as the monthly tables count them (seed 000 §七; decision 060): one per received case, plus the kinds kept. */
export const RECEIVED_TYPES = ['complaint', 'repeat', 'reprocess', 'escalated', 'inquiry', 'feedback'] as const;
export type ReceivedType = (typeof RECEIVED_TYPES)[number];
export const RECEIVED_TYPE_LABELS: Record<ReceivedType, string> = {
  complaint: '投诉',
  repeat: '重复投诉',
  reprocess: '重处理',
  escalated: '投诉升级',
  inquiry: '查询',
  feedback: '意见反映',
};

/** A statistics period: [from, to) in UTC instants, with the Shanghai dates it names (month = 26th–25th). */
export interface ReportPeriod {
  /** `2026-11` for the month 2026-10-26 … 2026-11-25; `2026-Q4`, `2026`, or `2026-10-01..2026-10-31` for a range. */
  label: string;
  /** First Shanghai day included, `YYYY-MM-DD`. */
  fromDate: string;
  /** Last Shanghai day included, `YYYY-MM-DD`. */
  toDate: string;
  /** UTC instant of fromDate 00:00 Shanghai. */
  from: string;
  /** UTC instant of the day after toDate, 00:00 Shanghai (exclusive). */
  to: string;
}

/**
 * Raw counts of one cell (unit × category): the numerators and denominators every indicator is made of.
 * Names are the counter names; each is an integer ≥ 0. Money is in fen (integer) to stay exact.
 */
export type Counts = Record<string, number>;

/** One indicator of ../INDICATORS.md, computed from counts. `rate` is null when the denominator is 0. */
export interface IndicatorValue {
  id: string;
  /** Chinese name, e.g. 及时率. */
  name: string;
  numerator: number;
  denominator: number;
  rate: number | null;
  /** Target rate where the seeds give one (及时率, 答复有效率: 1). */
  target?: number;
}

export interface ReportCell {
  unitId: string;
  unitName: string;
  category: Category;
  counts: Counts;
}

export interface ReportUnitRow {
  unitId: string;
  unitName: string;
  counts: Counts;
  indicators: IndicatorValue[];
}

export interface ReportCategoryRow {
  category: Category;
  categoryName: string;
  counts: Counts;
  indicators: IndicatorValue[];
}

export interface Report {
  period: ReportPeriod;
  /** Unit the report is limited to (a leader's own unit), else absent. */
  unitId?: string;
  /** Every (unit, category) cell with at least one non-zero count. */
  cells: ReportCell[];
  byUnit: ReportUnitRow[];
  byCategory: ReportCategoryRow[];
  total: { counts: Counts; indicators: IndicatorValue[] };
  /** The calendar version and the formula version the figures were computed with (a snapshot keeps both). */
  calendarVersion: string;
  formulaVersion: string;
  generatedAt: string;
  /** Present when the report is a closed month's immutable snapshot. */
  snapshot?: { closedAt: string };
}

/** One line of the detail list (明细报表) of 投诉 / 重复投诉 / 重处理 (seed 000 §七), personal data masked. */
export interface DetailRow {
  complaintId: string;
  trackingCode: string;
  receivedType: ReceivedType;
  kind: Kind;
  receivedAt: string;
  channel: string;
  category: Category;
  severity: string;
  unitId: string | null;
  unitName: string | null;
  status: string;
  round: number;
  /** Masked: name and phone as in lists (SPEC "Personal data"). */
  complainantName: string;
  complainantPhone: string;
  itemNumber: string | null;
  summary: string;
  repliedAt: string | null;
  closedAt: string | null;
  callbackResult: string | null;
  justified: boolean | null;
  onTime: boolean | null;
}

/** Filters of a report or a drill-down (SPEC: period, unit, category, type, on-time or not). */
export interface ReportQuery {
  period: ReportPeriod;
  /** Limit to one unit (a leader sees only their own). */
  unitId?: string;
}

/**
 * Where reports come from (implemented over the counter items by the statistics use case; the exports and the
 * monthly snapshot only read through this).
 */
export interface ReportSource {
  /** The report of a period, from the counters: O(units × categories) reads, never a Scan. */
  report(query: ReportQuery): Promise<Report>;
  /** The detail list (明细报表): the period's received cases of the given types, oldest first, masked. */
  details(query: ReportQuery & { types: readonly ReceivedType[] }): AsyncIterable<DetailRow>;
}
