/**
 * What the reports page and its lazily loaded charts share (decision 068): the report's JSON as the console reads
 * it, the drill-down link of a figure and the percentage format. Apart from both, so the charts chunk does not
 * import the page that imports it.
 */
export interface Indicator {
  id: string;
  name: string;
  numerator: number;
  denominator: number;
  rate: number | null;
  target?: number;
}
type Counts = Record<string, number>;
export interface ReportJson {
  period: { label: string; fromDate: string; toDate: string };
  unitId?: string;
  byUnit: { unitId: string; unitName: string; counts: Counts; indicators: Indicator[] }[];
  total: { counts: Counts; indicators: Indicator[] };
  generatedAt: string;
  snapshot?: { closedAt: string };
}

/** The worklist showing the complaints one figure counts (GET /complaints' drill-down). */
export function drillHref(figure: string, period: string, unitId?: string): string {
  const q = new URLSearchParams({ figure, period });
  if (unitId) q.set('unitId', unitId);
  return `/console/?${q}`;
}

export const pct = (r: number | null): string => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);
