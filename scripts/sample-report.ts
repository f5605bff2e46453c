/**
 * `npx tsx scripts/sample-report.ts [outDir]`: the sample report from the local stack's demo data. Starts the local
 * stack in memory on a fake clock at 09:00 on 26 October 2026 (Shanghai), runs a month of demo complaints through
 * their real lifecycles over HTTP (`test/support/demo-month.ts`: filed, dispatched, replied, called back, closed,
 * re-dispatched, withdrawn, repeated), moves the clock past the 25th so the month's deadlines are decided, and
 * writes what `GET /reports?period=2026-11` answers: `docs/reports/sample-2026-11.xlsx` (《客户投诉大类汇总统计表》
 * + 指标说明), `sample-2026-11-detail.xlsx` (明细报表), `sample-2026-11.csv` and `sample-2026-11-detail.csv`. Then,
 * where LibreOffice is installed, `docs/screenshots/report-summary.png` and `report-detail.png` (soffice → PDF →
 * pdftoppm).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ManualClock } from '#adapters/local/clock.ts';
import { DEV_IDENTITIES, signToken } from '#local/auth.ts';
import { startLocalStack } from '#local/stack.ts';
import { runDemoMonth } from '#test/support/demo-month.ts';
import type { Api } from '#test/support/local.ts';

const out = resolve(process.argv[2] ?? 'docs/reports');
const shots = resolve('docs/screenshots');
const PERIOD = '2026-11';
const clock = new ManualClock(new Date('2026-10-26T01:00:00.000Z'));
const stack = await startLocalStack({ clock, rateLimit: false });
const token = (role: string) => {
  const id = DEV_IDENTITIES.find((i) => i.role === role);
  if (!id) throw new Error(`no dev identity for ${role}`);
  return signToken({ sub: id.sub, role: id.role, ...('unitId' in id && { unitId: id.unitId }) });
};
const api = {
  stack,
  tokens: { agent: token('agent'), quality: token('quality') },
  async request(method: string, path: string, o: { token?: string; body?: unknown } = {}) {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { ...(o.token && { authorization: `Bearer ${o.token}` }), ...(o.body !== undefined && { 'content-type': 'application/json' }) },
      ...(o.body !== undefined && { body: JSON.stringify(o.body) }),
    });
    const text = await res.text();
    await stack.drain();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  },
} as unknown as Api;
const started = Date.now();
const demo = await runDemoMonth(api, clock, { count: Number(process.env['DEMO_COMPLAINTS'] ?? 60), seed: 20261125, days: 25 });
await stack.timers.advanceTo(new Date('2026-11-25T17:00:00.000Z'));
await stack.drain();
process.stdout.write(`demo month: ${demo.ids.length} complaints ${JSON.stringify(demo.paths)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

async function save(query: string, file: string): Promise<string> {
  const res = await fetch(`${stack.url}/reports?period=${PERIOD}&${query}`, { headers: { authorization: `Bearer ${token('quality')}` } });
  if (res.status !== 200) throw new Error(`GET /reports?${query} → ${res.status} ${await res.text()}`);
  const path = join(out, file);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  process.stdout.write(`wrote ${path} (${res.headers.get('content-disposition')})\n`);
  return path;
}
const xlsx = await save('format=xlsx', `sample-${PERIOD}.xlsx`);
const detailXlsx = await save('format=xlsx&layout=detail', `sample-${PERIOD}-detail.xlsx`);
await save('format=csv', `sample-${PERIOD}.csv`);
await save('format=csv&layout=detail', `sample-${PERIOD}-detail.csv`);
await stack.close();

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
  const pdfOf = (file: string) => {
    execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', tmp, file], { stdio: 'ignore', env: { ...process.env, HOME: tmp } });
    const pdf = join(tmp, file.replace(/^.*\//, '').replace(/\.xlsx$/, '.pdf'));
    if (!existsSync(pdf)) throw new Error(`LibreOffice wrote no PDF in ${tmp}`);
    return pdf;
  };
  // Page 1 of each: the summary table, and the first page of the 投诉 sheet.
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdfOf(xlsx), join(tmp, 'summary')]);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdfOf(detailXlsx), join(tmp, 'detail')]);
  const png = (prefix: string) => join(tmp, readdirSync(tmp).find((f) => f.startsWith(prefix) && f.endsWith('.png')) ?? '');
  renameSync(png('summary'), join(shots, 'report-summary.png'));
  renameSync(png('detail'), join(shots, 'report-detail.png'));
  process.stdout.write(`wrote ${shots}/report-summary.png and report-detail.png\n`);
} else process.stdout.write('soffice or pdftoppm missing: no screenshots\n');
