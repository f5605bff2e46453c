/**
 * CSV renderers of the same two layouts as the XLSX (layout.ts): UTF-8 with a byte-order mark (so Excel
 * opens the Chinese as Chinese), CRLF line ends, RFC 4180 quoting (a field with a comma, a quote or a line
 * break is quoted, quotes doubled), and a formula-injection guard: a text field that starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is prefixed with `'` so a spreadsheet shows it as text instead of
 * running it (OWASP “CSV injection”). Numbers are written as numbers and never prefixed; rates as `95.0%`.
 * The detail list is an async iterable of chunks — one line at a time, never the whole file in memory.
 */
import type { Report } from '#domain/report-model.ts';
import { RECEIVED_TYPE_LABELS } from '#domain/report-model.ts';
import {
  COUNT_COLUMNS,
  categoryLines,
  cellText,
  DETAIL_COLUMNS,
  DETAIL_TITLE,
  DETAIL_TYPES,
  footLines,
  type Heading,
  headingLines,
  indicatorColumns,
  matrix,
  RECEIVED_TOTAL_HEADER,
  rateOf,
  receivedTotal,
  SUMMARY_TITLE,
  type SummaryLine,
  shanghaiDateTime,
  unitLines,
} from './layout.ts';
import type { DetailRows, WorkbookMeta } from './xlsx.ts';

export const BOM = '\uFEFF';
const CRLF = '\r\n';

/** One field: numbers as they are, text guarded against formulas and quoted when RFC 4180 needs it. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = cellText(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its CRLF. */
export const csvLine = (fields: readonly (string | number | null | undefined)[]): string => `${fields.map(csvField).join(',')}${CRLF}`;

const percent = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** 《客户投诉大类汇总统计表》 as CSV: heading lines, the category table, the unit table, the matrix, the foot. */
export function summaryCsv(report: Report, meta: WorkbookMeta): string {
  const indicators = indicatorColumns(report);
  const received = COUNT_COLUMNS.filter((c) => c.group === '受理量');
  const handling = COUNT_COLUMNS.filter((c) => c.group !== '受理量');
  const h = headingLines(report, meta.organisation);
  const out: string[] = [BOM, csvLine([SUMMARY_TITLE]), csvLine([h.period]), csvLine([h.unit]), csvLine([h.generated]), CRLF];
  const table = (title: string, label: string, lines: SummaryLine[]) => {
    out.push(
      csvLine([title]),
      csvLine(['序号', label, ...received.map((c) => c.header), RECEIVED_TOTAL_HEADER, ...handling.map((c) => c.header), ...indicators.map((i) => i.header)]),
    );
    lines.forEach((l, i) => {
      out.push(
        csvLine([
          l.total ? '' : i + 1,
          l.label,
          ...received.map((c) => l.counts[c.key] ?? 0),
          receivedTotal(l.counts),
          ...handling.map((c) => l.counts[c.key] ?? 0),
          ...indicators.map((ind) => percent(rateOf(l.indicators, ind.id))),
        ]),
      );
    });
    out.push(CRLF);
  };
  table('一、按投诉大类汇总', '投诉大类', categoryLines(report));
  table('二、按处理单位汇总', '处理单位', unitLines(report));
  const m = matrix(report);
  out.push(csvLine(['三、投诉大类 × 处理单位 受理量']), csvLine(['序号', '投诉大类', ...m.units.map((u) => u.name), '合计']));
  m.rows.forEach((r, i) => {
    out.push(csvLine([i + 1, r.label, ...r.values, r.values.reduce((s, v) => s + v, 0)]));
  });
  const columnTotals = m.units.map((_, c) => m.rows.reduce((s, r) => s + (r.values[c] ?? 0), 0));
  out.push(csvLine(['', '合计', ...columnTotals, columnTotals.reduce((s, v) => s + v, 0)]), CRLF);
  for (const line of footLines(report)) out.push(csvLine([line]));
  return out.join('');
}

/**
 * The 明细报表 as one CSV: the heading, one header line, then the rows of 投诉, 重复投诉 and 重处理 in turn (the
 * 受理类型 column tells them apart), then the foot. Yields one line at a time.
 */
export async function* detailCsv(heading: Heading, rows: DetailRows, meta: WorkbookMeta): AsyncGenerator<string> {
  const h = headingLines(heading, meta.organisation);
  yield BOM + csvLine([DETAIL_TITLE]) + csvLine([h.period]) + csvLine([h.unit]) + csvLine([h.generated]);
  yield csvLine(DETAIL_COLUMNS.map((c) => c.header));
  let index = 0;
  const perType: string[] = [];
  for (const type of DETAIL_TYPES) {
    let n = 0;
    for await (const row of rows(type)) {
      yield csvLine(
        DETAIL_COLUMNS.map((c) => {
          const v = c.value(row, index);
          return c.kind === 'datetime' && typeof v === 'string' ? shanghaiDateTime(v) : v;
        }),
      );
      index++;
      n++;
    }
    perType.push(`${RECEIVED_TYPE_LABELS[type]} ${n} 条`);
  }
  yield CRLF +
    csvLine([`共 ${index} 条（${perType.join('，')}）。姓名、电话已脱敏。`]) +
    footLines(heading)
      .map((l) => csvLine([l]))
      .join('');
}
