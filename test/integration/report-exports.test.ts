/**
 * `GET /reports?format=xlsx|csv` and the daily snapshot job on the local stack (decisions 060, 061): a month of
 * complaints through their real lifecycles over HTTP on a fake clock, then the downloads opened for real — the
 * XLSX with exceljs, the CSV with an RFC 4180 reader — and held against the JSON report and the drill-down; then
 * the stack's own snapshot job closes the month and the local mailer writes the .eml with the workbook.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { exportReport } from '#app/report-export.ts';
import { reportService, statsStore } from '#app/wiring/stats.ts';
import { periodOf } from '#domain/reports.ts';
import { signToken } from '#local/auth.ts';
import { receivedKey, receivedTotal, SUMMARY_TITLE } from '#reports/layout.ts';
import { runDemoMonth, type DemoMonth } from '#test/support/demo-month.ts';
import { startApi, type Api } from '#test/support/local.ts';
import { parseEml } from '#test/support/mime.ts';

let api: Api;
let demo: DemoMonth;
// 09:00 on 26 October in Shanghai: the first day of the statistics month 2026-11 (10-26…11-25).
const clock = new ManualClock(new Date('2026-10-26T01:00:00.000Z'));

beforeAll(async () => {
  api = await startApi({ clock });
  demo = await runDemoMonth(api, clock, { count: 30, seed: 2611, days: 25 });
}, 240_000);
afterAll(async () => api.stack.close());

async function download(path: string, token = api.tokens.quality): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${api.stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function open(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

const resultOf = (cell: ExcelJS.Cell): number => {
  const v = cell.value;
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'result' in v && typeof v.result === 'number') return v.result;
  throw new Error(`cell ${cell.address} holds ${JSON.stringify(v)}`);
};

function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}

/** Every complaint id `GET /complaints?figure=` lists for the period, page by page. */
async function drill(figure: string, extra = ''): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.request('GET', `/complaints?figure=${figure}&period=2026-11&limit=25${extra}${cursor ? `&cursor=${cursor}` : ''}`, {
      token: api.tokens.quality,
    });
    expect(page.status).toBe(200);
    ids.push(...page.body.items.map((c: { id: string }) => c.id));
    cursor = page.body.cursor;
  } while (cursor);
  return ids.sort();
}

describe('GET /reports?format=xlsx|csv', () => {
  it('the demo month took every path (the fixture is what the tests below need)', () => {
    expect(demo.ids).toHaveLength(30);
    for (const n of Object.values(demo.paths)) expect(n).toBeGreaterThan(0);
  });

  it('xlsx: the summary workbook as an attachment with a UTF-8 and an ASCII file name, whose totals are the JSON report’s', async () => {
    const json = await api.request('GET', '/reports?period=2026-11', { token: api.tokens.quality });
    expect(json.status).toBe(200);
    const res = await download('/reports?period=2026-11&format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="complaints-summary-2026-11.xlsx"; filename*=UTF-8''${encodeURIComponent('客户投诉大类汇总统计表-2026-11.xlsx')}`,
    );
    expect(Number(res.headers.get('content-length'))).toBe(res.bytes.length);
    expect(res.bytes.subarray(0, 2).toString()).toBe('PK');
    const wb = await open(res.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SUMMARY_TITLE, '指标说明']);
    const ws = wb.getWorksheet(SUMMARY_TITLE)!;
    const header = ws.getRow(7).values as unknown[];
    const total = [...Array(ws.rowCount).keys()].map((i) => ws.getRow(i + 1)).find((r) => r.getCell(2).text === '合计')!;
    const counts = json.body.total.counts as Record<string, number>;
    expect(receivedTotal(counts)).toBeGreaterThanOrEqual(30);
    expect(resultOf(total.getCell(header.indexOf('受理合计')))).toBe(receivedTotal(counts));
    for (const type of ['complaint', 'repeat', 'reprocess'] as const) {
      expect(resultOf(total.getCell(header.indexOf({ complaint: '投诉', repeat: '重复投诉', reprocess: '重处理' }[type]))), type).toBe(
        counts[receivedKey(type)] ?? 0,
      );
    }
    expect(counts[receivedKey('repeat')]).toBeGreaterThan(0);
    expect(counts[receivedKey('reprocess')]).toBeGreaterThan(0);
    expect(resultOf(total.getCell(header.indexOf('办结')))).toBe(counts['closed'] ?? 0);
    expect(resultOf(total.getCell(header.indexOf('撤诉')))).toBe(counts['withdrawn'] ?? 0);
  });

  it('csv: the summary parsed back gives the same totals; the detail CSV lists the drill-down’s complaints', async () => {
    const json = await api.request('GET', '/reports?period=2026-11', { token: api.tokens.quality });
    const res = await download('/reports?period=2026-11&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('客户投诉大类汇总统计表-2026-11.csv')}`);
    const text = res.bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = parseCsv(text.slice(1));
    const head = records.find((r) => r[0] === '序号' && r[1] === '投诉大类')!;
    const total = records.find((r) => r[1] === '合计')!;
    expect(Number(total[head.indexOf('受理合计')])).toBe(receivedTotal(json.body.total.counts));
    const detail = await download('/reports?period=2026-11&format=csv&layout=detail');
    expect(detail.status).toBe(200);
    const rows = parseCsv(detail.bytes.toString('utf8').slice(1));
    const h = rows.findIndex((r) => r[0] === '序号');
    const idCol = rows[h]!.indexOf('受理单号');
    const typeCol = rows[h]!.indexOf('受理类型');
    const body = rows.slice(h + 1).filter((r) => /^C[0-9A-Z]{16}$/.test(r[idCol] ?? ''));
    expect(
      body
        .filter((r) => r[typeCol] === '投诉')
        .map((r) => r[idCol])
        .sort(),
    ).toEqual(await drill('received.complaint'));
    expect(
      body
        .filter((r) => r[typeCol] === '重处理')
        .map((r) => r[idCol])
        .sort(),
    ).toEqual(await drill('received.reprocess'));
    // no complainant's phone number leaves in the clear
    expect(detail.bytes.toString('utf8')).not.toMatch(/139\d{8}/);
  });

  it('xlsx layout=detail: the 投诉 / 重复投诉 / 重处理 sheets hold exactly the complaints the drill-down counts', async () => {
    const res = await download('/reports?period=2026-11&format=xlsx&layout=detail');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename="complaints-detail-2026-11.xlsx"`);
    const wb = await open(res.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['投诉', '重复投诉', '重处理']);
    for (const [sheet, figure] of [
      ['投诉', 'received.complaint'],
      ['重复投诉', 'received.repeat'],
      ['重处理', 'received.reprocess'],
    ] as const) {
      const ws = wb.getWorksheet(sheet)!;
      let header = 0;
      for (let r = 1; r <= ws.rowCount && header === 0; r++) if (ws.getRow(r).getCell(1).text === '序号') header = r;
      const col = (ws.getRow(header).values as unknown[]).indexOf('受理单号');
      const ids: string[] = [];
      for (let r = header + 1; r <= ws.rowCount; r++) {
        const id = ws.getRow(r).getCell(col).text;
        if (/^C[0-9A-Z]{16}$/.test(id)) ids.push(id);
      }
      const want = await drill(figure);
      expect(want.length, sheet).toBeGreaterThan(0);
      expect(ids.sort(), sheet).toEqual(want);
    }
  });

  it('the same roles as JSON: a leader downloads their own unit, not another; a handler is refused; layout without a download is 400', async () => {
    const own = await download('/reports?period=2026-11&format=xlsx', api.tokens.leader);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-disposition')).toContain('complaints-summary-2026-11-gz-tianhe.xlsx');
    const other = await download('/reports?period=2026-11&format=csv&unitId=gz-yuexiu', api.tokens.leader);
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toMatch(/problem\+json/);
    const yuexiuLeader = signToken({ sub: 'yx-leader', role: 'leader', unitId: 'gz-yuexiu' });
    expect((await download('/reports?period=2026-11&format=xlsx&layout=detail&unitId=gz-tianhe', yuexiuLeader)).status).toBe(403);
    expect((await download('/reports?period=2026-11&format=xlsx', api.tokens.handler)).status).toBe(403);
    const bad = await api.request('GET', '/reports?period=2026-11&layout=detail', { token: api.tokens.quality });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.layout');
    const unknown = await api.request('GET', '/reports?period=2026-11&format=xlsx&layout=wide', { token: api.tokens.quality });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('query.layout');
  });

  it('a detail list too big for one response is refused whole (413 pointing at the snapshot), never cut', async () => {
    const service = await reportService();
    const attempt = exportReport(service, {
      format: 'xlsx',
      layout: 'detail',
      query: { period: periodOf('2026-11') },
      meta: { organisation: '测试' },
      limitBytes: 12_000,
    });
    await expect(attempt).rejects.toMatchObject({ name: 'Error', limitBytes: 12_000, message: expect.stringMatching(/snapshot/) });
    // over HTTP: the whole answer is a problem body, not a cut file
    process.env['REPORT_EXPORT_LIMIT_BYTES'] = '12000';
    try {
      const res = await api.request('GET', '/reports?period=2026-11&format=xlsx&layout=detail', { token: api.tokens.quality });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body).toMatchObject({ code: 'export-too-large', errors: [{ path: 'query.layout' }] });
      expect(res.body.detail).toMatch(/snapshot/);
      // the summary is small enough under the same cap
      expect((await download('/reports?period=2026-11&format=csv')).status).toBe(200);
    } finally {
      delete process.env['REPORT_EXPORT_LIMIT_BYTES'];
    }
    const fits = await exportReport(service, {
      format: 'csv',
      layout: 'detail',
      query: { period: periodOf('2026-11') },
      meta: { organisation: '测试' },
      limitBytes: 1_000_000,
    });
    expect(fits.bytes.length).toBeLessThan(1_000_000);
  });
});

describe('the daily snapshot on the local stack', () => {
  it('after the 25th the stack’s job closes 2026-11 with the counters’ figures and the local mailer writes the .eml with the workbook', async () => {
    // 01:00 on 26 November, Shanghai (the deadlines that passed on the way count in November)
    await api.stack.timers.advanceTo(new Date('2026-11-25T17:00:00.000Z'));
    await api.stack.drain();
    const json = await api.request('GET', '/reports?period=2026-11', { token: api.tokens.quality });
    const result = await api.stack.reportSnapshot();
    expect(result).toEqual({ closed: ['2026-11'], unchanged: [], mailed: ['2026-11'] });
    expect(await api.stack.reportSnapshot()).toEqual({ closed: [], unchanged: ['2026-11'], mailed: [] });
    const files = await readdir(api.stack.outboxDir);
    const eml = files.find((f) => f.endsWith('report-snapshot-2026-11.eml'));
    expect(eml).toBeDefined();
    const raw = await readFile(join(api.stack.outboxDir, eml!), 'utf8');
    const mail = parseEml(raw);
    expect(mail.subject).toBe('2026年11月投诉统计（10月26日–11月25日）');
    expect(mail.parts.find((p) => p.contentType === 'text/plain')?.body).toContain(`受理量：${receivedTotal(json.body.total.counts)} 件`);
    expect(raw).toMatch(/Content-Disposition: attachment/);
    const attached = files.find((f) => f.startsWith(eml!.replace(/\.eml$/, '.')) && f.endsWith('.xlsx'));
    expect(attached).toBeDefined();
    const wb = await open(await readFile(join(api.stack.outboxDir, attached!)));
    expect(wb.worksheets.map((w) => w.name)).toEqual([SUMMARY_TITLE, '指标说明', '投诉', '重复投诉', '重处理']);
    const summary = wb.getWorksheet(SUMMARY_TITLE)!;
    const header = summary.getRow(7).values as unknown[];
    const total = [...Array(summary.rowCount).keys()].map((i) => summary.getRow(i + 1)).find((r) => r.getCell(2).text === '合计')!;
    expect(resultOf(total.getCell(header.indexOf('受理合计')))).toBe(receivedTotal(json.body.total.counts));

    // A closed month is its snapshot: a late count into its cells (an old change record replayed) changes nothing
    // GET /reports answers for it, in JSON or as a download.
    expect(json.body.snapshot).toBeUndefined();
    const closed = await api.request('GET', '/reports?period=2026-11', { token: api.tokens.quality });
    expect(closed.body.snapshot.closedAt).toBeDefined();
    expect(closed.body.total.counts).toEqual(json.body.total.counts);
    expect(
      await statsStore().applyCell({ period: '2026-11', cell: '-#other', counts: { received: 5, 'received.complaint': 5 }, tokens: ['late-replay'] }),
    ).toBe(true);
    const after = await api.request('GET', '/reports?period=2026-11', { token: api.tokens.quality });
    expect(after.body.total.counts).toEqual(json.body.total.counts);
    // The live counters did move: a quarter (a range of months) reads them.
    const quarter = await api.request('GET', '/reports?period=2026-Q4', { token: api.tokens.quality });
    expect(quarter.body.snapshot).toBeUndefined();
  }, 60_000);
});
