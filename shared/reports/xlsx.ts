/**
 * XLSX renderers of the two layouts of seed 000 §七 (layout.ts): 《客户投诉大类汇总统计表》 with its 指标说明, and
 * the 明细报表 with one sheet each for 投诉 / 重复投诉 / 重处理. Every workbook goes through exceljs's streaming
 * writer: rows are committed as they are written, strings are inline (no shared-string table held in
 * memory), so a 100,000-row detail list streams out of a Lambda without being held (bench/exports.ts).
 * Pure apart from the stream handed in: no clock (the report's `generatedAt`), no file, no network.
 *
 * Sheets: a title, the period, the unit and the time generated above the table; the calendar and formula
 * versions below it; frozen headers, widths for Chinese, Shanghai wall-clock dates as `yyyy-mm-dd hh:mm`,
 * rates as real numbers formatted `0.0%`, totals as SUM formulas with their values; A3 landscape, fit to
 * width, the header row repeated on every printed page. Complainants' words go in as text cells — never a
 * formula, whatever they start with — cleaned of what XML cannot hold (`cellText`).
 */
import { PassThrough, type Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
// The streaming writer alone: the package's index also loads its readers and CSV (≈ 800 KB more in a bundle).
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js';
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

/** What a workbook says about where it comes from. */
export interface WorkbookMeta {
  /** 统计单位, e.g. 广州市邮政速递物流公司 客户服务中心. */
  organisation: string;
}

/** The heading facts of a report that the detail sheets print too. */
export type ReportHeading = Heading;

/** The rows of one detail sheet; asked for once per 受理类型, in sheet order. */
export type DetailRows = (type: (typeof DETAIL_TYPES)[number]) => AsyncIterable<DetailRow>;

type Sheet = ExcelJS.Worksheet;
type Cell = ExcelJS.Cell;

/** A CJK font Excel has on every Chinese Windows (等线, Office's default) with the GB2312 charset. */
const FONT = { name: '等线', size: 10, charset: 134 } as const;
const THIN = { style: 'thin', color: { argb: 'FF808080' } } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN } as const;
const CENTER = { horizontal: 'center', vertical: 'middle' } as const;
const HEADER_FILL = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFDDEBF7' },
} as const;
const TOTAL_FILL = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFF2F2F2' },
} as const;
export const PERCENT_FORMAT = '0.0%';
export const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const COUNT_FORMAT = '#,##0';

/** A3 landscape, fitted to the page width, centred, with page numbers in the footer. */
function printSetup(titleRows: string): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: 8 as ExcelJS.PaperSize,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: {
      left: 0.4,
      right: 0.4,
      top: 0.5,
      bottom: 0.6,
      header: 0.3,
      footer: 0.3,
    },
    printTitlesRow: titleRows,
  };
}
const HEADER_FOOTER = { oddFooter: '&C第 &P 页，共 &N 页' };

const letter = (n: number): string => {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

function style(
  cell: Cell,
  opts: {
    bold?: boolean;
    size?: number;
    fill?: ExcelJS.Fill;
    border?: boolean;
    align?: 'left' | 'center' | 'right';
    wrap?: boolean;
    numFmt?: string;
  },
): void {
  cell.font = {
    ...FONT,
    ...(opts.size !== undefined && { size: opts.size }),
    ...(opts.bold && { bold: true }),
  };
  if (opts.fill) cell.fill = opts.fill;
  if (opts.border) cell.border = BORDER;
  cell.alignment = {
    vertical: 'middle',
    horizontal: opts.align ?? 'left',
    ...(opts.wrap && { wrapText: true }),
  };
  if (opts.numFmt) cell.numFmt = opts.numFmt;
}

/** A line of text across the table (title, period, foot), merged over `width` columns. */
function banner(
  ws: Sheet,
  text: string,
  width: number,
  opts: {
    size?: number;
    bold?: boolean;
    align?: 'left' | 'center';
    height?: number;
  } = {},
): void {
  const row = ws.addRow([cellText(text)]);
  row.height = opts.height ?? 18;
  style(row.getCell(1), { ...opts, align: opts.align ?? 'left' });
  if (width > 1) ws.mergeCells(row.number, 1, row.number, width);
  row.commit();
}

/** A streamed sheet's commit returns a promise (exceljs types it as the in-memory sheet's void). */
const commit = (ws: Sheet): Promise<void> => Promise.resolve(ws.commit() as unknown as Promise<void>);

function blank(ws: Sheet): void {
  ws.addRow([]).commit();
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
function countHeader(ws: Sheet, cols: ReturnType<typeof summaryColumns>, label: string): void {
  const top = ws.addRow([]);
  const names = ws.addRow([]);
  const set = (row: ExcelJS.Row, col: number, text: string) => {
    const cell = row.getCell(col);
    cell.value = text;
    style(cell, {
      bold: true,
      fill: HEADER_FILL,
      border: true,
      align: 'center',
      wrap: true,
    });
  };
  for (let c = 1; c <= cols.width; c++) {
    set(top, c, '');
    set(names, c, '');
  }
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
  top.height = 20;
  names.height = 44;
  ws.mergeCells(top.number, 1, names.number, 1);
  ws.mergeCells(top.number, 2, names.number, 2);
  ws.mergeCells(top.number, cols.firstCount, top.number, cols.totalCol);
  ws.mergeCells(top.number, cols.firstHandling, top.number, cols.firstRate - 1);
  if (cols.indicators.length > 1) ws.mergeCells(top.number, cols.firstRate, top.number, cols.width);
  top.commit();
  names.commit();
}

/** The rows of a count table; the 合计 row sums the rows above it by formula (its value cached beside it). */
function countRows(ws: Sheet, cols: ReturnType<typeof summaryColumns>, lines: SummaryLine[]): void {
  const body = lines.filter((l) => !l.total);
  let first = 0;
  lines.forEach((line, index) => {
    const row = ws.addRow([]);
    if (index === 0) first = row.number;
    const fill = line.total ? TOTAL_FILL : undefined;
    const put = (col: number, value: ExcelJS.CellValue, opts: Parameters<typeof style>[1]) => {
      const cell = row.getCell(col);
      cell.value = value;
      style(cell, {
        border: true,
        ...(fill && { fill }),
        ...(line.total && { bold: true }),
        ...opts,
      });
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
        formula: `SUM(${a}${row.number}:${b}${row.number})`,
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
    row.height = 18;
    row.commit();
  });
}

/** The unit × category matrix of received cases, with a total column and a total row (both SUM formulas). */
function matrixRows(ws: Sheet, report: Report): void {
  const m = matrix(report);
  const totalCol = 3 + m.units.length;
  const header = ws.addRow(['序号', '投诉大类', ...m.units.map((u) => u.name), '合计']);
  for (let c = 1; c <= totalCol; c++)
    style(header.getCell(c), {
      bold: true,
      fill: HEADER_FILL,
      border: true,
      align: 'center',
      wrap: true,
    });
  header.height = 32;
  header.commit();
  const first = header.number + 1;
  m.rows.forEach((r, i) => {
    const row = ws.addRow([i + 1, r.label, ...r.values]);
    const n = row.number;
    row.getCell(totalCol).value = {
      formula: `SUM(C${n}:${letter(totalCol - 1)}${n})`,
      result: r.values.reduce((s, v) => s + v, 0),
    };
    for (let c = 1; c <= totalCol; c++)
      style(row.getCell(c), {
        border: true,
        align: c === 2 ? 'left' : c === 1 ? 'center' : 'right',
        ...(c > 2 && { numFmt: COUNT_FORMAT }),
        ...(c === totalCol && { bold: true }),
      });
    row.height = 18;
    row.commit();
  });
  const last = first + m.rows.length - 1;
  const total = ws.addRow(['', '合计']);
  for (let c = 3; c <= totalCol; c++) {
    const result =
      c === totalCol ? m.rows.reduce((s, r) => s + r.values.reduce((a, v) => a + v, 0), 0) : m.rows.reduce((s, r) => s + (r.values[c - 3] ?? 0), 0);
    total.getCell(c).value = {
      formula: `SUM(${letter(c)}${first}:${letter(c)}${last})`,
      result,
    };
  }
  for (let c = 1; c <= totalCol; c++)
    style(total.getCell(c), {
      border: true,
      bold: true,
      fill: TOTAL_FILL,
      align: c <= 2 ? 'center' : 'right',
      ...(c > 2 && { numFmt: COUNT_FORMAT }),
    });
  total.height = 18;
  total.commit();
}

/** Rows 1–4: title, period, unit, generated; row 5 the first section; rows 6–7 its header (frozen, repeated in print). */
const SUMMARY_HEADER_ROWS = '6:7';

function writeSummarySheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, report: Report, meta: WorkbookMeta): Promise<void> {
  const cols = summaryColumns(report);
  const width = Math.max(cols.width, 3 + report.byUnit.length);
  const ws = wb.addWorksheet(SUMMARY_TITLE, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 7, showGridLines: false }],
    pageSetup: printSetup(SUMMARY_HEADER_ROWS),
    headerFooter: HEADER_FOOTER,
    properties: { defaultRowHeight: 18 },
  });
  ws.columns = Array.from({ length: width }, (_, i) => ({
    width: i === 0 ? 6 : i === 1 ? 18 : i >= cols.firstRate - 1 && i < cols.width ? 12 : 10,
  }));
  const h = headingLines(report, meta.organisation);
  banner(ws, SUMMARY_TITLE, width, {
    size: 16,
    bold: true,
    align: 'center',
    height: 30,
  });
  banner(ws, h.period, width);
  banner(ws, h.unit, width);
  banner(ws, h.generated, width);
  banner(ws, '一、按投诉大类汇总', width, { bold: true, height: 22 });
  countHeader(ws, cols, '投诉大类');
  countRows(ws, cols, categoryLines(report));
  blank(ws);
  banner(ws, '二、按处理单位汇总', width, { bold: true, height: 22 });
  countHeader(ws, cols, '处理单位');
  countRows(ws, cols, unitLines(report));
  blank(ws);
  banner(ws, '三、投诉大类 × 处理单位 受理量', width, {
    bold: true,
    height: 22,
  });
  matrixRows(ws, report);
  blank(ws);
  for (const line of footLines(report)) banner(ws, line, width, { size: 9 });
  return commit(ws);
}

function writeNotesSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, report: Report): Promise<void> {
  const ws = wb.addWorksheet(NOTES_TITLE, {
    views: [{ state: 'frozen', ySplit: 2, showGridLines: false }],
    pageSetup: printSetup('2:2'),
    headerFooter: HEADER_FOOTER,
  });
  ws.columns = [{ width: 16 }, { width: 64 }, { width: 9 }, { width: 16 }, { width: 10 }, { width: 10 }, { width: 10 }];
  banner(ws, `${NOTES_TITLE}（${report.period.label}）`, 7, {
    size: 14,
    bold: true,
    align: 'center',
    height: 26,
  });
  const header = ws.addRow(['指标', '定义（统计周期内）', '目标', '依据', '本期分子', '本期分母', '本期值']);
  for (let c = 1; c <= 7; c++)
    style(header.getCell(c), {
      bold: true,
      fill: HEADER_FILL,
      border: true,
      align: 'center',
    });
  header.commit();
  const computed = report.total.indicators;
  const described = new Set<string>();
  const line = (name: string, definition: string, target: string, source: string) => {
    const value = computed.find((i) => i.name === name);
    if (value) described.add(value.id);
    // 受理量 is a count, not a rate: its figure is the period's received total.
    const figure = value ? (value.rate ?? '—') : name === '受理量' ? receivedTotal(report.total.counts) : '';
    const row = ws.addRow([name, definition, target, source, value?.numerator ?? '', value?.denominator ?? '', figure]);
    for (let c = 1; c <= 7; c++)
      style(row.getCell(c), {
        border: true,
        wrap: c === 2,
        align: c >= 5 ? 'right' : c === 3 ? 'center' : 'left',
        ...(c === 7 && typeof value?.rate === 'number' && { numFmt: PERCENT_FORMAT }),
      });
    row.commit();
  };
  for (const n of INDICATOR_NOTES) line(n.name, n.definition, n.target ?? '', n.source);
  // An indicator the report computes under a name the notes do not list still gets a line with its figures.
  for (const i of computed) if (!described.has(i.id)) line(i.name, `（${i.id}）`, i.target !== undefined ? `${Math.round(i.target * 100)}%` : '', '');
  blank(ws);
  for (const text of footLines(report)) banner(ws, text, 7, { size: 9 });
  return commit(ws);
}

// ——— 明细报表 ———

const DETAIL_HEADER_ROW = 3;

async function writeDetailSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  heading: ReportHeading,
  meta: WorkbookMeta,
  type: ReceivedType,
  rows: AsyncIterable<DetailRow>,
): Promise<number> {
  const width = DETAIL_COLUMNS.length;
  const ws = wb.addWorksheet(RECEIVED_TYPE_LABELS[type], {
    views: [{ state: 'frozen', xSplit: 2, ySplit: DETAIL_HEADER_ROW }],
    pageSetup: printSetup(`${DETAIL_HEADER_ROW}:${DETAIL_HEADER_ROW}`),
    headerFooter: HEADER_FOOTER,
    properties: { defaultRowHeight: 16 },
  });
  ws.columns = DETAIL_COLUMNS.map((c) => ({ width: c.width }));
  const h = headingLines(heading, meta.organisation);
  banner(ws, `${DETAIL_TITLE}——${RECEIVED_TYPE_LABELS[type]}`, width, {
    size: 14,
    bold: true,
    align: 'center',
    height: 26,
  });
  banner(ws, `${h.period}　${h.unit}　${h.generated}`, width);
  const header = ws.addRow(DETAIL_COLUMNS.map((c) => c.header));
  for (let c = 1; c <= width; c++)
    style(header.getCell(c), {
      bold: true,
      fill: HEADER_FILL,
      border: true,
      align: 'center',
    });
  header.height = 20;
  header.commit();
  // One style object per column, shared by all its cells: exceljs keys style ids by object identity
  // (a WeakMap), so 100,000 rows cost one lookup per cell instead of building a style each time.
  const styles: Partial<ExcelJS.Style>[] = DETAIL_COLUMNS.map((c) => ({
    font: FONT,
    border: BORDER,
    ...(c.center && { alignment: CENTER }),
    ...(c.kind === 'datetime' && { numFmt: DATE_FORMAT }),
  }));
  let count = 0;
  for await (const detail of rows) {
    const row = ws.addRow([]);
    DETAIL_COLUMNS.forEach((column, i) => {
      const cell = row.getCell(i + 1);
      const raw = column.value(detail, count);
      if (raw !== null && raw !== '')
        cell.value = column.kind === 'datetime' && typeof raw === 'string' ? excelLocalDate(raw) : typeof raw === 'number' ? raw : cellText(raw);
      cell.style = styles[i] as Partial<ExcelJS.Style>;
    });
    row.commit();
    count++;
  }
  ws.autoFilter = {
    from: { row: DETAIL_HEADER_ROW, column: 1 },
    to: { row: DETAIL_HEADER_ROW, column: width },
  };
  blank(ws);
  banner(ws, `共 ${count} 条。姓名、电话已脱敏（SPEC“个人信息”）。`, width, {
    size: 9,
  });
  for (const text of footLines(heading)) banner(ws, text, width, { size: 9 });
  await commit(ws);
  return count;
}

// ——— workbooks ———

/** A streaming workbook; its document dates are the report's `generatedAt` (no clock here: the same report, the same file). */
function writer(out: Writable, heading: Heading): ExcelJS.stream.xlsx.WorkbookWriter {
  const at = new Date(heading.generatedAt);
  const wb = new WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    created: at,
    modified: at,
  } as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>);
  wb.creator = '投诉闭环系统';
  return wb;
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
  await wb.commit();
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
  await wb.commit();
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
  await wb.commit();
  return counts;
}
