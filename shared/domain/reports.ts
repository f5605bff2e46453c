/**
 * Reports from counters (decision 060): pure. A period is whole statistics months (26th–25th, Shanghai); the
 * report of a period sums the counter items of its months and divides them into the indicators of INDICATORS.
 */
import { Unprocessable } from './errors.ts';
import { COUNTER_IDS, INDICATORS, statsMonthOf } from './indicators.ts';
import { CATEGORIES, CATEGORY_LABELS, type Category } from './model.ts';
import type { Counts, IndicatorValue, Report, ReportCell, ReportPeriod } from './report-model.ts';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const monthLabel = (y: number, m: number) => `${pad(y, 4)}-${pad(m)}`;
const prevMonth = (y: number, m: number): [number, number] => (m === 1 ? [y - 1, 12] : [y, m - 1]);
const nextMonth = (y: number, m: number): [number, number] => (m === 12 ? [y + 1, 1] : [y, m + 1]);
const shanghaiMidnight = (date: string) => new Date(Date.parse(`${date}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS).toISOString();

/** The months of a period, oldest first, and its bounds. */
export interface ResolvedPeriod extends ReportPeriod {
  months: string[];
}

function span(label: string, first: [number, number], last: [number, number]): ResolvedPeriod {
  const months: string[] = [];
  for (let cur = first; ; cur = nextMonth(...cur)) {
    months.push(monthLabel(...cur));
    if (cur[0] === last[0] && cur[1] === last[1]) break;
    if (months.length > 1200) break;
  }
  const [py, pm] = prevMonth(...first);
  const fromDate = `${monthLabel(py, pm)}-26`;
  const toDate = `${monthLabel(...last)}-25`;
  const [ny, nm] = [last[0], last[1]];
  return { label, fromDate, toDate, from: shanghaiMidnight(fromDate), to: shanghaiMidnight(`${monthLabel(ny, nm)}-26`), months };
}

const invalid = (path: string, message: string) => new Unprocessable('invalid-period', message, [{ path, message }]);
/** Years a statistics period may name (the system's records start long after 2000). */
const yearOk = (y: number) => y >= 2000 && y <= 2999;

/** `2026-11` (the month 2026-10-26 … 2026-11-25), `2026-Q4` (three months), `2026` (twelve). */
export function periodOf(label: string): ResolvedPeriod {
  let m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12 || !yearOk(y)) throw invalid('period', 'A month is YYYY-MM with MM 01–12, a year 2000–2999');
    return span(label, [y, mo], [y, mo]);
  }
  m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    if (!yearOk(y)) throw invalid('period', 'A year is 2000–2999');
    return span(label, [y, q * 3 - 2], [y, q * 3]);
  }
  m = /^(\d{4})$/.exec(label);
  if (m) {
    if (!yearOk(Number(m[1]))) throw invalid('period', 'A year is 2000–2999');
    return span(label, [Number(m[1]), 1], [Number(m[1]), 12]);
  }
  throw invalid('period', 'period is a statistics month (2026-11), a quarter (2026-Q4) or a year (2026)');
}

/**
 * A range `from`..`to` (Shanghai dates, both included): ranges are whole statistics months, so `from` must be a 26th
 * and `to` a 25th (2026-09-26..2026-12-25 is 2026-10 … 2026-12); anything else is refused, naming the field.
 */
export function rangeOf(from: string, to: string): ResolvedPeriod {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/;
  const f = date.exec(from);
  const t = date.exec(to);
  if (!f || Number.isNaN(Date.parse(`${from}T00:00:00Z`))) throw invalid('from', 'from is a date YYYY-MM-DD');
  if (!t || Number.isNaN(Date.parse(`${to}T00:00:00Z`))) throw invalid('to', 'to is a date YYYY-MM-DD');
  if (!yearOk(Number(f[1]))) throw invalid('from', 'A year is 2000–2999');
  if (!yearOk(Number(t[1]))) throw invalid('to', 'A year is 2000–2999');
  if (f[3] !== '26') throw invalid('from', 'Ranges are whole statistics months (26th–25th): from must be a 26th');
  if (t[3] !== '25') throw invalid('to', 'Ranges are whole statistics months (26th–25th): to must be a 25th');
  const first = nextMonth(Number(f[1]), Number(f[2]));
  const last: [number, number] = [Number(t[1]), Number(t[2])];
  if (first[0] * 12 + first[1] > last[0] * 12 + last[1]) throw invalid('to', 'to is before from');
  if (last[0] * 12 + last[1] - (first[0] * 12 + first[1]) >= 120) throw invalid('to', 'A range is at most 10 years');
  return { ...span(`${from}..${to}`, first, last) };
}

/** The current statistics month at `now` (the default period). */
export const currentPeriod = (now: Date): ResolvedPeriod => periodOf(statsMonthOf(now));

/** One counter item as the store reads it. */
export interface CounterItem {
  period: string;
  unitId: string;
  category: Category;
  counts: Counts;
}

export interface UnitName {
  id: string;
  name: string;
}

const addCounts = (into: Counts, from: Counts) => {
  for (const [k, v] of Object.entries(from)) if (v !== 0) into[k] = (into[k] ?? 0) + v;
};

export function indicatorsOf(counts: Counts): IndicatorValue[] {
  return INDICATORS.map((d) => {
    const numerator = counts[d.numerator] ?? 0;
    const denominator = counts[d.denominator] ?? 0;
    return {
      id: d.id,
      name: d.name,
      numerator,
      denominator,
      rate: denominator === 0 ? null : numerator / denominator,
      ...(d.target !== undefined && { target: d.target }),
    };
  });
}

/**
 * The report of a period from its counter items (any order; the items of other months are ignored): cells with a
 * non-zero count, rows per unit and per category, the total, every indicator (rate null on 0/0).
 */
export function buildReport(
  period: ResolvedPeriod,
  counterItems: readonly CounterItem[],
  units: readonly UnitName[],
  meta: { calendarVersion: string; formulaVersion: string; generatedAt: string; unitId?: string },
): Report {
  const months = new Set(period.months);
  const names = new Map(units.map((u) => [u.id, u.name]));
  const unitName = (id: string) => names.get(id) ?? (id === '-' ? '服务中心（未转发）' : id);
  const cells = new Map<string, ReportCell>();
  for (const item of counterItems) {
    if (!months.has(item.period)) continue;
    if (meta.unitId !== undefined && item.unitId !== meta.unitId) continue;
    const key = `${item.unitId}#${item.category}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { unitId: item.unitId, unitName: unitName(item.unitId), category: item.category, counts: {} };
      cells.set(key, cell);
    }
    addCounts(cell.counts, item.counts);
  }
  const nonZero = [...cells.values()]
    .filter((c) => Object.values(c.counts).some((v) => v !== 0))
    .sort((a, b) => a.unitId.localeCompare(b.unitId) || CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  for (const c of nonZero) c.counts = ordered(c.counts);
  const byUnit = new Map<string, Counts>();
  const byCategory = new Map<Category, Counts>();
  const total: Counts = {};
  for (const c of nonZero) {
    if (!byUnit.has(c.unitId)) byUnit.set(c.unitId, {});
    if (!byCategory.has(c.category)) byCategory.set(c.category, {});
    addCounts(byUnit.get(c.unitId) as Counts, c.counts);
    addCounts(byCategory.get(c.category) as Counts, c.counts);
    addCounts(total, c.counts);
  }
  return {
    period: { label: period.label, fromDate: period.fromDate, toDate: period.toDate, from: period.from, to: period.to },
    ...(meta.unitId !== undefined && { unitId: meta.unitId }),
    cells: nonZero,
    byUnit: [...byUnit].map(([unitId, counts]) => ({ unitId, unitName: unitName(unitId), counts: ordered(counts), indicators: indicatorsOf(counts) })),
    byCategory: CATEGORIES.filter((c) => byCategory.has(c)).map((category) => {
      const counts = byCategory.get(category) as Counts;
      return { category, categoryName: CATEGORY_LABELS[category], counts: ordered(counts), indicators: indicatorsOf(counts) };
    }),
    total: { counts: ordered(total), indicators: indicatorsOf(total) },
    calendarVersion: meta.calendarVersion,
    formulaVersion: meta.formulaVersion,
    generatedAt: meta.generatedAt,
  };
}

/** Counts in the order of COUNTERS, every counter present (0 when none), so every layout has the same columns. */
function ordered(counts: Counts): Counts {
  const out: Counts = {};
  for (const id of COUNTER_IDS) out[id] = counts[id] ?? 0;
  return out;
}
