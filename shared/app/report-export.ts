/**
 * `GET /reports?format=xlsx|csv` (decisions 060, 061): the report of a period, or its detail list, laid out by
 * `shared/reports/*` into one file held in memory under a cap. A Lambda answer is at most 6 MB and API Gateway
 * sends binary bodies base64-encoded (4/3 larger), so a file over {@link EXPORT_LIMIT_BYTES} is refused with a
 * 413 naming the closed month's snapshot instead of a truncated file or a 5xx. Only the `reports` function
 * imports this module (the bundle test holds every other request path free of `shared/reports/*`).
 */
import { PassThrough } from 'node:stream';
import type { DetailRow, Report, ReportQuery, ReportSource } from '#domain/report-model.ts';
import { detailCsv, summaryCsv } from '#reports/csv.ts';
import { DETAIL_TITLE, SUMMARY_TITLE } from '#reports/layout.ts';
import { writeDetailWorkbook, writeSummaryWorkbook, type DetailRows, type WorkbookMeta } from '#reports/xlsx.ts';

/** The largest file served in one response: 6 MB Lambda payload ÷ 4/3 for base64, less room for the headers. */
export const EXPORT_LIMIT_BYTES = 4 * 1024 * 1024;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

export interface ExportFile {
  bytes: Buffer;
  contentType: string;
  filename: string;
  asciiFilename: string;
}

export interface ExportRequest {
  format: 'xlsx' | 'csv';
  layout: 'summary' | 'detail';
  query: ReportQuery;
  meta: WorkbookMeta;
  limitBytes?: number;
}

class TooLarge extends Error {}

/** The file would not fit in one response (the handler answers 413 with this message). */
export class ExportTooLarge extends Error {
  constructor(
    message: string,
    readonly limitBytes: number,
  ) {
    super(message);
  }
}

/** Chunks collected up to a cap; past it, the next row read throws and the writer stops. */
class Capped {
  private readonly chunks: Buffer[] = [];
  size = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer | string): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.size += b.length;
    if (this.size <= this.limit) this.chunks.push(b);
  }
  check(): void {
    if (this.size > this.limit) throw new TooLarge();
  }
  bytes(): Buffer {
    this.check();
    return Buffer.concat(this.chunks);
  }
}

export async function exportReport(source: ReportSource, req: ExportRequest): Promise<ExportFile> {
  const limit = req.limitBytes ?? EXPORT_LIMIT_BYTES;
  const report = await source.report(req.query);
  const out = new Capped(limit);
  const rows: DetailRows = (type) => guarded(source.details({ ...req.query, types: [type] }), out);
  try {
    if (req.format === 'csv') {
      if (req.layout === 'summary') out.push(summaryCsv(report, req.meta));
      else for await (const chunk of detailCsv(report, rows, req.meta)) out.push(chunk);
    } else {
      const stream = new PassThrough();
      stream.on('data', (c: Buffer) => out.push(c));
      const ended = new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      if (req.layout === 'summary') await writeSummaryWorkbook(stream, report, req.meta);
      else await writeDetailWorkbook(stream, report, rows, req.meta);
      await ended;
    }
    return { bytes: out.bytes(), contentType: req.format === 'csv' ? CSV_TYPE : XLSX_TYPE, ...names(report, req) };
  } catch (error) {
    if (error instanceof TooLarge) {
      throw new ExportTooLarge(
        `The ${req.layout === 'detail' ? 'detail list' : 'report'} of ${report.period.label} is over ${limit} bytes as ${req.format}: a closed month's full workbook is in its snapshot (e-mailed to the quality managers on the 26th, kept in the report bucket under reports/<period>/); or ask for one unit (unitId) or a shorter period`,
        limit,
      );
    }
    throw error;
  }
}

async function* guarded(rows: AsyncIterable<DetailRow>, out: Capped): AsyncIterable<DetailRow> {
  for await (const row of rows) {
    out.check();
    yield row;
  }
}

/** `客户投诉大类汇总统计表-2026-11.xlsx`, and its ASCII fallback `complaints-summary-2026-11.xlsx`. */
function names(report: Report, req: ExportRequest): { filename: string; asciiFilename: string } {
  const label = report.period.label.replace(/[^0-9A-Za-z.-]/g, '_');
  const unit = report.unitId !== undefined ? `-${report.unitId}` : '';
  const title = req.layout === 'detail' ? DETAIL_TITLE : SUMMARY_TITLE;
  const ascii = req.layout === 'detail' ? 'complaints-detail' : 'complaints-summary';
  return { filename: `${title}-${label}${unit}.${req.format}`, asciiFilename: `${ascii}-${label}${unit}.${req.format}` };
}
