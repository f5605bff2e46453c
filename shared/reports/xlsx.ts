/**
 * XLSX renderers of the two layouts of seed 000 §七 (layout.ts): 《客户投诉大类汇总统计表》 with its 指标说明, and
 * the 明细报表 with one sheet each for 投诉 / 重复投诉 / 重处理. Every workbook goes through our streaming writer
 * (`xlsx-writer.ts`, decision 075): rows are deflated into the output as they are written, strings are inline
 * (no shared-string table held in memory), so a 100,000-row detail list streams out of a Lambda without being
 * held (bench/exports.ts). Pure apart from the stream handed in: no clock (the report's `generatedAt` dates
 * the document and its zip entries: the same report, the same bytes), no file, no network.
 *
 * Sheets: a title, the period, the unit and the time generated above the table; the calendar and formula
 * versions below it; frozen headers, widths for Chinese, Shanghai wall-clock dates as `yyyy-mm-dd hh:mm`,
 * rates as real numbers formatted `0.0%`, totals as SUM formulas with their values; A3 landscape, fit to
 * width, centred, the header rows repeated on every printed page. Complainants' words go in as text cells —
 * never a formula, whatever they start with — cleaned of what XML cannot hold (`cellText`).
 */
import { PassThrough, type Writable } from 'node:stream';
import type { DetailRow, ReceivedType, Report } from '#domain/report-model.ts';
import { RECEIVED_TYPE_LABELS } from '#domain/report-model.ts';
import {
  COUNT_COLUMNS,
  categoryLines,
  cellText,
  DETAIL_COLUMNS,
  DETAIL_TITLE,
  DETAIL_TYPES,
  excelLocalDate,
  footLines,
  type Heading,
  headingLines,
  INDICATOR_NOTES,
  indicatorColumns,
  matrix,
  NOTES_TITLE,
  RECEIVED_TOTAL_HEADER,
  rateOf,
  receivedTotal,
  SUMMARY_TITLE,
  type SummaryLine,
  unitLines,
} from './layout.ts';
import { type Cell, type CellValue, columnLetter as letter, type PrintSetup, type SheetWriter, type StyleId, XlsxWriter } from './xlsx-writer.ts';

/** What a workbook says about where it comes from. */
export interface WorkbookMeta {
  /** 统计单位, e.g. 广州市邮政速递物流公司 客户服务中心. */
  organisation: string;
}

/** The heading facts of a report that the detail sheets print too. */
export type ReportHeading = Heading;

/** The rows of one detail sheet; asked for once per 受理类型, in sheet order. */
export type DetailRows = (type: (typeof DETAIL_TYPES)[number]) => AsyncIterable<DetailRow>;

/** A CJK font Excel has on every Chinese Windows (等线, Office's default) with the GB2312 charset. */
const FONT = { name: '等线', size: 10, charset: 134 } as const;
const BORDER = { style: 'thin', color: 'FF808080' } as const;
const CENTER = { horizontal: 'center', vertical: 'center' } as const;
const HEADER_FILL = 'FFDDEBF7';
const TOTAL_FILL = 'FFF2F2F2';
export const PERCENT_FORMAT = '0.0%';
export const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const COUNT_FORMAT = '#,##0';
const FOOTER = '&C第 &P 页，共 &N 页';

/** A3 landscape, fitted to the page width, centred, the rows `first`–`last` on every page, page numbers in the footer. */
function printSetup(first: number, last: number): PrintSetup {
  return {
    paperSize: 8,
    orientation: 'landscape',
    fit: { width: 1, height: 0 },
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    titleRows: { first, last },
    footer: FOOTER,
  };
}

/** How a table cell looks: 等线 10 (or `size`), vertically centred, left unless told. */
interface Look {
  bold?: boolean;
  size?: number;
  fill?: string;
  border?: boolean;
  align?: 'left' | 'center' | 'right';
  wrap?: boolean;
  numFmt?: string;
}

/** The sheet being written and the workbook whose styles it uses. */
interface Target {
  wb: XlsxWriter;
  ws: SheetWriter;
}

function look(wb: XlsxWriter, opts: Look): StyleId {
  return wb.style({
    font: {
      ...FONT,
      ...(opts.size !== undefined && { size: opts.size }),
      ...(opts.bold && { bold: true }),
    },
    ...(opts.fill && { fill: opts.fill }),
    ...(opts.border && { border: BORDER }),
    alignment: {
      vertical: 'center',
      horizontal: opts.align ?? 'left',
      ...(opts.wrap && { wrapText: true }),
    },
    ...(opts.numFmt && { numFmt: opts.numFmt }),
  });
}

/** A line of text across the table (title, period, foot), merged over `width` columns. */
async function banner(
  { wb, ws }: Target,
  text: string,
  width: number,
  opts: {
    size?: number;
    bold?: boolean;
    align?: 'left' | 'center';
    height?: number;
  } = {},
): Promise<void> {
  const style = look(wb, {
    ...(opts.size !== undefined && { size: opts.size }),
    ...(opts.bold && { bold: true }),
    align: opts.align ?? 'left',
  });
  // The cells under the merge carry its style too, as Excel gives them.
  const cells: Cell[] = Array.from({ length: width }, () => ({ style }));
  cells[0] = { value: cellText(text), style };
  const row = await ws.addRow(cells, { height: opts.height ?? 18 });
  if (width > 1) ws.merge({ top: row, left: 1, bottom: row, right: width });
}

async function blank({ ws }: Target): Promise<void> {
  await ws.addRow([]);
}

// ——— 《客户投诉大类汇总统计表》 ———

/** Columns of the two count tables: 序号, the row's label, received by type, 受理合计, handling counts, rates. */
function summaryColumns(report: Report) {
  const indicators = indicatorColumns(report);
  const received = COUNT_COLUMNS.filter((c) => c.group === '受理量');
  const handling = COUNT_COLUMNS.filter((c) => c.group !== '受理量');
  const firstCount = 3;
  const totalCol = firstCount + received.length;
  const firstHandling = totalCol + 1;
  const firstRate = firstHandling + handling.length;
  return {
    indicators,
    received,
    handling,
    firstCount,
    totalCol,
    firstHandling,
    firstRate,
    width: firstRate + indicators.length - 1,
  };
}

/** The two header rows of a count table (group row, name row), merged as a Chinese statistics table is. */
async function countHeader(t: Target, cols: ReturnType<typeof summaryColumns>, label: string): Promise<void> {
  const { ws } = t;
  const style = look(t.wb, {
    bold: true,
    fill: HEADER_FILL,
    border: true,
    align: 'center',
    wrap: true,
  });
  const top: Cell[] = Array.from({ length: cols.width }, () => ({ style }));
  const names: Cell[] = Array.from({ length: cols.width }, () => ({ style }));
  const set = (row: Cell[], col: number, text: string) => {
    row[col - 1] = { value: text, style };
  };
  set(top, 1, '序号');
  set(top, 2, label);
  set(top, cols.firstCount, '受理量');
  set(top, cols.firstHandling, '处理情况');
  if (cols.indicators.length > 0) set(top, cols.firstRate, '考核指标');
  cols.received.forEach((c, i) => {
    set(names, cols.firstCount + i, c.header);
  });
  set(names, cols.totalCol, RECEIVED_TOTAL_HEADER);
  cols.handling.forEach((c, i) => {
    set(names, cols.firstHandling + i, c.header);
  });
  cols.indicators.forEach((c, i) => {
    set(names, cols.firstRate + i, c.header);
  });
  const r = await ws.addRow(top, { height: 20 });
  const n = await ws.addRow(names, { height: 44 });
  ws.merge({ top: r, left: 1, bottom: n, right: 1 });
  ws.merge({ top: r, left: 2, bottom: n, right: 2 });
  ws.merge({ top: r, left: cols.firstCount, bottom: r, right: cols.totalCol });
  ws.merge({ top: r, left: cols.firstHandling, bottom: r, right: cols.firstRate - 1 });
  if (cols.indicators.length > 1) ws.merge({ top: r, left: cols.firstRate, bottom: r, right: cols.width });
}

/** The rows of a count table; the 合计 row sums the rows above it by formula (its value cached beside it). */
async function countRows(t: Target, cols: ReturnType<typeof summaryColumns>, lines: SummaryLine[]): Promise<void> {
  const { wb, ws } = t;
  const body = lines.filter((l) => !l.total);
  const first = ws.nextRow;
  for (const [index, line] of lines.entries()) {
    const n = ws.nextRow;
    const cells: Cell[] = [];
    const put = (col: number, value: CellValue, opts: Look) => {
      cells[col - 1] = {
        value,
        style: look(wb, {
          border: true,
          ...(line.total && { fill: TOTAL_FILL, bold: true }),
          ...opts,
        }),
      };
    };
    put(1, line.total ? '' : index + 1, { align: 'center' });
    put(2, line.label, { align: line.total ? 'center' : 'left' });
    const countCols = [...cols.received.map((c, i) => ({ c, col: cols.firstCount + i })), ...cols.handling.map((c, i) => ({ c, col: cols.firstHandling + i }))];
    for (const { c, col } of countCols) {
      const value = line.counts[c.key] ?? 0;
      if (line.total) {
        const sum = body.reduce((s, l) => s + (l.counts[c.key] ?? 0), 0);
        put(
          col,
          {
            formula: `SUM(${letter(col)}${first}:${letter(col)}${first + body.length - 1})`,
            result: sum,
          },
          { align: 'right', numFmt: COUNT_FORMAT },
        );
      } else put(col, value, { align: 'right', numFmt: COUNT_FORMAT });
    }
    const a = letter(cols.firstCount);
    const b = letter(cols.totalCol - 1);
    put(
      cols.totalCol,
      {
        formula: `SUM(${a}${n}:${b}${n})`,
        result: line.total ? body.reduce((s, l) => s + receivedTotal(l.counts), 0) : receivedTotal(line.counts),
      },
      { align: 'right', numFmt: COUNT_FORMAT, bold: true },
    );
    cols.indicators.forEach((ind, i) => {
      const rate = rateOf(line.indicators, ind.id);
      put(cols.firstRate + i, rate ?? '—', {
        align: rate === null ? 'center' : 'right',
        ...(rate !== null && { numFmt: PERCENT_FORMAT }),
      });
    });
    await ws.addRow(cells, { height: 18 });
  }
}

/** The unit × category matrix of received cases, with a total column and a total row (both SUM formulas). */
async function matrixRows(t: Target, report: Report): Promise<void> {
  const { wb, ws } = t;
  const m = matrix(report);
  const totalCol = 3 + m.units.length;
  const headerStyle = look(wb, {
    bold: true,
    fill: HEADER_FILL,
    border: true,
    align: 'center',
    wrap: true,
  });
  const header = await ws.addRow(
    ['序号', '投诉大类', ...m.units.map((u) => u.name), '合计'].map((value) => ({ value, style: headerStyle })),
    { height: 32 },
  );
  const first = header + 1;
  const bodyStyle = (c: number) =>
    look(wb, {
      border: true,
      align: c === 2 ? 'left' : c === 1 ? 'center' : 'right',
      ...(c > 2 && { numFmt: COUNT_FORMAT }),
      ...(c === totalCol && { bold: true }),
    });
  for (const [i, r] of m.rows.entries()) {
    const n = ws.nextRow;
    const values: CellValue[] = [
      i + 1,
      r.label,
      ...r.values,
      {
        formula: `SUM(C${n}:${letter(totalCol - 1)}${n})`,
        result: r.values.reduce((s, v) => s + v, 0),
      },
    ];
    await ws.addRow(
      values.map((value, c) => ({ value, style: bodyStyle(c + 1) })),
      { height: 18 },
    );
  }
  const last = first + m.rows.length - 1;
  const total: Cell[] = [];
  for (let c = 1; c <= totalCol; c++) {
    const result =
      c === totalCol ? m.rows.reduce((s, r) => s + r.values.reduce((a, v) => a + v, 0), 0) : m.rows.reduce((s, r) => s + (r.values[c - 3] ?? 0), 0);
    total.push({
      value: c === 1 ? '' : c === 2 ? '合计' : { formula: `SUM(${letter(c)}${first}:${letter(c)}${last})`, result },
      style: look(wb, {
        border: true,
        bold: true,
        fill: TOTAL_FILL,
        align: c <= 2 ? 'center' : 'right',
        ...(c > 2 && { numFmt: COUNT_FORMAT }),
      }),
    });
  }
  await ws.addRow(total, { height: 18 });
}

/** Rows 1–4: title, period, unit, generated; row 5 the first section; rows 6–7 its header (frozen, repeated in print). */
const SUMMARY_HEADER_ROWS = { first: 6, last: 7 } as const;

async function writeSummarySheet(wb: XlsxWriter, report: Report, meta: WorkbookMeta): Promise<void> {
  const cols = summaryColumns(report);
  const width = Math.max(cols.width, 3 + report.byUnit.length);
  const ws = await wb.addSheet(SUMMARY_TITLE, {
    frozen: { columns: 2, rows: SUMMARY_HEADER_ROWS.last },
    showGridLines: false,
    print: printSetup(SUMMARY_HEADER_ROWS.first, SUMMARY_HEADER_ROWS.last),
    defaultRowHeight: 18,
    widths: Array.from({ length: width }, (_, i) => (i === 0 ? 6 : i === 1 ? 18 : i >= cols.firstRate - 1 && i < cols.width ? 12 : 10)),
  });
  const t = { wb, ws };
  const h = headingLines(report, meta.organisation);
  await banner(t, SUMMARY_TITLE, width, {
    size: 16,
    bold: true,
    align: 'center',
    height: 30,
  });
  await banner(t, h.period, width);
  await banner(t, h.unit, width);
  await banner(t, h.generated, width);
  await banner(t, '一、按投诉大类汇总', width, { bold: true, height: 22 });
  await countHeader(t, cols, '投诉大类');
  await countRows(t, cols, categoryLines(report));
  await blank(t);
  await banner(t, '二、按处理单位汇总', width, { bold: true, height: 22 });
  await countHeader(t, cols, '处理单位');
  await countRows(t, cols, unitLines(report));
  await blank(t);
  await banner(t, '三、投诉大类 × 处理单位 受理量', width, {
    bold: true,
    height: 22,
  });
  await matrixRows(t, report);
  await blank(t);
  for (const line of footLines(report)) await banner(t, line, width, { size: 9 });
  await ws.end();
}

async function writeNotesSheet(wb: XlsxWriter, report: Report): Promise<void> {
  const ws = await wb.addSheet(NOTES_TITLE, {
    frozen: { rows: 2 },
    showGridLines: false,
    print: printSetup(2, 2),
    widths: [16, 64, 9, 16, 10, 10, 10],
  });
  const t = { wb, ws };
  await banner(t, `${NOTES_TITLE}（${report.period.label}）`, 7, {
    size: 14,
    bold: true,
    align: 'center',
    height: 26,
  });
  const headerStyle = look(wb, {
    bold: true,
    fill: HEADER_FILL,
    border: true,
    align: 'center',
  });
  await ws.addRow(['指标', '定义（统计周期内）', '目标', '依据', '本期分子', '本期分母', '本期值'].map((value) => ({ value, style: headerStyle })));
  const computed = report.total.indicators;
  const described = new Set<string>();
  const line = async (name: string, definition: string, target: string, source: string) => {
    const value = computed.find((i) => i.name === name);
    if (value) described.add(value.id);
    // 受理量 is a count, not a rate: its figure is the period's received total.
    const figure = value ? (value.rate ?? '—') : name === '受理量' ? receivedTotal(report.total.counts) : '';
    const values: CellValue[] = [name, definition, target, source, value?.numerator ?? '', value?.denominator ?? '', figure];
    await ws.addRow(
      values.map((v, i) => {
        const c = i + 1;
        return {
          value: v,
          style: look(wb, {
            border: true,
            wrap: c === 2,
            align: c >= 5 ? 'right' : c === 3 ? 'center' : 'left',
            ...(c === 7 && typeof value?.rate === 'number' && { numFmt: PERCENT_FORMAT }),
          }),
        };
      }),
    );
  };
  for (const n of INDICATOR_NOTES) await line(n.name, n.definition, n.target ?? '', n.source);
  // An indicator the report computes under a name the notes do not list still gets a line with its figures.
  for (const i of computed) if (!described.has(i.id)) await line(i.name, `（${i.id}）`, i.target !== undefined ? `${Math.round(i.target * 100)}%` : '', '');
  await blank(t);
  for (const text of footLines(report)) await banner(t, text, 7, { size: 9 });
  await ws.end();
}

// ——— 明细报表 ———

const DETAIL_HEADER_ROW = 3;

async function writeDetailSheet(
  wb: XlsxWriter,
  heading: ReportHeading,
  meta: WorkbookMeta,
  type: ReceivedType,
  rows: AsyncIterable<DetailRow>,
): Promise<number> {
  const width = DETAIL_COLUMNS.length;
  const ws = await wb.addSheet(RECEIVED_TYPE_LABELS[type], {
    frozen: { columns: 2, rows: DETAIL_HEADER_ROW },
    print: printSetup(DETAIL_HEADER_ROW, DETAIL_HEADER_ROW),
    defaultRowHeight: 16,
    widths: DETAIL_COLUMNS.map((c) => c.width),
  });
  const t = { wb, ws };
  const h = headingLines(heading, meta.organisation);
  await banner(t, `${DETAIL_TITLE}——${RECEIVED_TYPE_LABELS[type]}`, width, {
    size: 14,
    bold: true,
    align: 'center',
    height: 26,
  });
  await banner(t, `${h.period}　${h.unit}　${h.generated}`, width);
  const headerStyle = look(wb, {
    bold: true,
    fill: HEADER_FILL,
    border: true,
    align: 'center',
  });
  await ws.addRow(
    DETAIL_COLUMNS.map((c) => ({ value: c.header, style: headerStyle })),
    { height: 20 },
  );
  // One style per column, looked up once: 100,000 rows cost no style work per cell.
  const styles = DETAIL_COLUMNS.map((c) =>
    wb.style({
      font: FONT,
      border: BORDER,
      ...(c.center && { alignment: CENTER }),
      ...(c.kind === 'datetime' && { numFmt: DATE_FORMAT }),
    }),
  );
  let count = 0;
  for await (const detail of rows) {
    await ws.addRow(
      DETAIL_COLUMNS.map((column, i) => {
        const raw = column.value(detail, count);
        const value =
          raw === null || raw === ''
            ? undefined
            : column.kind === 'datetime' && typeof raw === 'string'
              ? excelLocalDate(raw)
              : typeof raw === 'number'
                ? raw
                : cellText(raw);
        return { value, style: styles[i] };
      }),
    );
    count++;
  }
  // The header row and the rows under it.
  ws.autoFilter({ top: DETAIL_HEADER_ROW, left: 1, bottom: DETAIL_HEADER_ROW + count, right: width });
  await blank(t);
  await banner(t, `共 ${count} 条。姓名、电话已脱敏（SPEC“个人信息”）。`, width, {
    size: 9,
  });
  for (const text of footLines(heading)) await banner(t, text, width, { size: 9 });
  await ws.end();
  return count;
}

// ——— workbooks ———

/** A streaming workbook; its document dates are the report's `generatedAt` (no clock here: the same report, the same file). */
function writer(out: Writable, heading: Heading): XlsxWriter {
  return new XlsxWriter(out, { creator: '投诉闭环系统', created: new Date(heading.generatedAt) });
}

/** Collects what `write` streams into one buffer (the summary is small; the e-mail attachment must be whole). */
export async function toBuffer(write: (out: Writable) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

/** 《客户投诉大类汇总统计表》 and 指标说明, written to `out`. */
export async function writeSummaryWorkbook(out: Writable, report: Report, meta: WorkbookMeta): Promise<void> {
  const wb = writer(out, report);
  await writeSummarySheet(wb, report, meta);
  await writeNotesSheet(wb, report);
  await wb.end();
}

/** 《客户投诉大类汇总统计表》 and 指标说明 as an XLSX file. */
export function summaryWorkbook(report: Report, meta: WorkbookMeta): Promise<Buffer> {
  return toBuffer((out) => writeSummaryWorkbook(out, report, meta));
}

/** The 明细报表 (投诉 / 重复投诉 / 重处理, one sheet each), streamed to `out`; answers the rows per type. */
export async function writeDetailWorkbook(out: Writable, heading: ReportHeading, rows: DetailRows, meta: WorkbookMeta): Promise<Record<string, number>> {
  const wb = writer(out, heading);
  const counts: Record<string, number> = {};
  for (const type of DETAIL_TYPES) counts[type] = await writeDetailSheet(wb, heading, meta, type, rows(type));
  await wb.end();
  return counts;
}

/**
 * The monthly report (the e-mail's attachment and the snapshot's archived file): 汇总统计表, 指标说明 and the
 * three detail sheets in one workbook, streamed to `out`.
 */
export async function writeMonthlyWorkbook(out: Writable, report: Report, rows: DetailRows, meta: WorkbookMeta): Promise<Record<string, number>> {
  const wb = writer(out, report);
  await writeSummarySheet(wb, report, meta);
  await writeNotesSheet(wb, report);
  const counts: Record<string, number> = {};
  for (const type of DETAIL_TYPES) counts[type] = await writeDetailSheet(wb, report, meta, type, rows(type));
  await wb.end();
  return counts;
}
