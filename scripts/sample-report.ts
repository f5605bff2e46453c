/**
 * `npx tsx scripts/sample-report.ts [outDir]`: a realistic month (fixed seed, the units of
 * shared/config/units.json, every category) written as the monthly workbook — 《客户投诉大类汇总统计表》, 指标说明
 * and the 明细报表 — `docs/reports/sample-2026-11.xlsx`, and as CSV (`sample-2026-11.csv`, the summary;
 * `sample-2026-11-detail.csv`). Then, where LibreOffice is installed, the screenshots
 * `docs/screenshots/report-summary.png` and `report-detail.png` (soffice → PDF → pdftoppm).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { directory } from '#config/index.ts';
import { detailCsv, summaryCsv } from '#reports/csv.ts';
import { writeMonthlyWorkbook } from '#reports/xlsx.ts';
import { sampleMonth } from '#test/support/report-month.ts';

const out = resolve(process.argv[2] ?? 'docs/reports');
const shots = resolve('docs/screenshots');
const { report, rows } = sampleMonth({ seed: 20261125, complaints: 240 });
const meta = {
  organisation: `${directory.organisation.name} ${directory.organisation.centreName}`,
};
const byType = (type: string) =>
  (async function* () {
    for (const r of rows) if (r.receivedType === type) yield r;
  })();

const xlsx = join(out, `sample-${report.period.label}.xlsx`);
const file = createWriteStream(xlsx);
await writeMonthlyWorkbook(file, report, byType, meta);
await finished(file);
writeFileSync(join(out, `sample-${report.period.label}.csv`), summaryCsv(report, meta));
const detail = createWriteStream(join(out, `sample-${report.period.label}-detail.csv`));
for await (const chunk of detailCsv(report, byType, meta)) detail.write(chunk);
detail.end();
await finished(detail);
process.stdout.write(`wrote ${xlsx} and its CSVs\n`);

const has = (cmd: string) => {
  try {
    execFileSync('which', [cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
if (has('soffice') && has('pdftoppm')) {
  const tmp = mkdtempSync(join(tmpdir(), 'report-'));
  execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', tmp, xlsx], { stdio: 'ignore', env: { ...process.env, HOME: tmp } });
  const pdf = join(tmp, `sample-${report.period.label}.pdf`);
  if (!existsSync(pdf)) throw new Error(`LibreOffice wrote no PDF in ${tmp}`);
  // Page 1 is the summary table; the first detail page follows the summary and the notes.
  const pages = execFileSync('pdfinfo', [pdf])
    .toString()
    .match(/Pages:\s+(\d+)/)?.[1];
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdf, join(tmp, 'summary')]);
  const detailPage = process.env['DETAIL_PAGE'] ?? '3';
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', detailPage, '-l', detailPage, pdf, join(tmp, 'detail')]);
  const png = (prefix: string) => join(tmp, readdirSync(tmp).find((f) => f.startsWith(prefix) && f.endsWith('.png')) ?? '');
  renameSync(png('summary'), join(shots, 'report-summary.png'));
  renameSync(png('detail'), join(shots, 'report-detail.png'));
  process.stdout.write(`wrote ${shots}/report-summary.png and report-detail.png (PDF of ${pages} pages)\n`);
} else process.stdout.write('soffice or pdftoppm missing: no screenshots\n');
