/**
 * The XLSX export of a month's detail list (issue 12 item 7; decision 061): 100,000 rows of 投诉 through the
 * streaming writer (`writeDetailWorkbook`), counted as they leave, never held — the time, the file's size and
 * the process's peak RSS above where it started. Also the CSV of the same rows.
 * Prints `xlsx detail <n> rows <ms> ms <MB> MB (rss +<MB> MB)` and the same for CSV.
 *
 * `npx tsx bench/exports.ts [rows]`, or `benchExports()` / `printExports()` from `bench/run.ts`.
 */
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { detailCsv } from '#reports/csv.ts';
import { writeDetailWorkbook } from '#reports/xlsx.ts';
import { manyRows, sampleMonth } from '#test/support/report-month.ts';

export interface ExportBench {
  format: 'xlsx' | 'csv';
  rows: number;
  ms: number;
  bytes: number;
  /** Peak resident set size above the start of the run, sampled every 50 ms. */
  rssGrowth: number;
}

/** A sink that only counts bytes. */
function counter(): { sink: Writable; bytes: () => number } {
  let n = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      n += chunk.length;
      done();
    },
  });
  return { sink, bytes: () => n };
}

async function measure(format: 'xlsx' | 'csv', rows: number, run: (sink: Writable) => Promise<void>): Promise<ExportBench> {
  globalThis.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const { sink, bytes } = counter();
  const t0 = performance.now();
  await run(sink);
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { format, rows, ms, bytes: bytes(), rssGrowth: peak - start };
}

export async function benchExports(opts: { rows?: number } = {}): Promise<ExportBench[]> {
  const n = opts.rows ?? 100_000;
  const { report } = sampleMonth();
  const meta = { organisation: '广州市邮政速递物流公司 客户服务中心' };
  // All n rows on the 投诉 sheet; the other two sheets empty.
  const rows = (type: string) => manyRows(type === 'complaint' ? n : 0, 'complaint');
  const xlsx = await measure('xlsx', n, async (sink) => {
    const ended = new Promise<void>((resolve, reject) => sink.on('finish', resolve).on('error', reject));
    await writeDetailWorkbook(sink, report, rows, meta);
    await ended;
  });
  const csv = await measure('csv', n, async (sink) => {
    for await (const chunk of detailCsv(report, rows, meta)) if (!sink.write(chunk)) await new Promise((r) => sink.once('drain', r));
    sink.end();
  });
  return [xlsx, csv];
}

export function printExports(results: ExportBench[]): void {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  process.stdout.write('Exports (the month’s 明细报表, streamed; decision 061):\n');
  for (const r of results) process.stdout.write(`  ${r.format} detail ${r.rows} rows ${r.ms.toFixed(0)} ms ${mb(r.bytes)} MB (rss +${mb(r.rssGrowth)} MB)\n`);
  process.stdout.write('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = Number(process.argv[2] ?? 100_000);
  printExports(await benchExports({ rows }));
}
