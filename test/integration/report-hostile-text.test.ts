/**
 * A complainant's words reach the exports as text, whatever they look like (decision 061, "Hostile text";
 * decision 075: our own XLSX writer). One web complaint whose content is a spreadsheet formula, markup, XML's
 * own characters, an emoji and a phone number goes in over HTTP; the detail downloads come out of
 * `GET /reports` and are opened for real: in the XLSX it is a string cell (no formula), byte for byte what was
 * stored, the phone masked; in the CSV the field starts with `'` so that a spreadsheet does not evaluate it.
 */
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { startApi, type Api } from '#test/support/local.ts';

let api: Api;
// 10:00 on 10 November 2026 in Shanghai: inside the statistics month 2026-11 (10-26…11-25).
const clock = new ManualClock(new Date('2026-11-10T02:00:00.000Z'));
const HOSTILE = '=HYPERLINK("http://evil.example/x","点此查看")<b>&amp;</b> ]]> 😀 请回电13912345678';
let id: string;

beforeAll(async () => {
  api = await startApi({ clock });
  const res = await api.request('POST', '/complaints', {
    body: { channel: 'web', name: '张三', phone: '13800138000', waybillNo: '1151234567890', category: 'delay', content: HOSTILE, region: '广东省广州市天河区' },
  });
  expect(res.status).toBe(201);
  id = res.body.id;
}, 60_000);
afterAll(async () => api.stack.close());

async function download(format: 'xlsx' | 'csv'): Promise<Buffer> {
  const res = await fetch(`${api.stack.url}/reports?period=2026-11&format=${format}&layout=detail`, {
    headers: { authorization: `Bearer ${api.tokens.quality}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('hostile complaint text in the detail exports', () => {
  it('xlsx: a string cell holding the stored words (phone masked), never a formula', async () => {
    const bytes = await download('xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('投诉')!;
    let header = 0;
    for (let r = 1; r <= ws.rowCount && header === 0; r++) if (ws.getRow(r).getCell(1).text === '序号') header = r;
    const columns = ws.getRow(header).values as unknown[];
    const row = [...Array(ws.rowCount - header).keys()].map((i) => ws.getRow(header + 1 + i)).find((r) => r.getCell(columns.indexOf('受理单号')).text === id);
    expect(row, 'the complaint has its row').toBeDefined();
    const content = row!.getCell(columns.indexOf('投诉内容摘要'));
    expect(content.type).toBe(ExcelJS.ValueType.String);
    expect(content.value).toBe(HOSTILE.replace('13912345678', '139****5678'));
    // The sheet's XML: no formula anywhere in the row, the markup escaped as text.
    const zip = await JSZip.loadAsync(bytes);
    const sheets = Object.keys(zip.files).filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
    const xml = (await Promise.all(sheets.map((name) => zip.file(name)!.async('string')))).join('');
    const rowXml = xml.slice(xml.lastIndexOf('<row', xml.indexOf(id)), xml.indexOf('</row>', xml.indexOf(id)));
    expect(rowXml).not.toContain('<f>');
    expect(rowXml).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt;');
  });

  it("csv: the field starts with ' (a spreadsheet shows it, never evaluates it)", async () => {
    const text = (await download('csv')).toString('utf8');
    const line = text.split('\r\n').find((l) => l.includes(id));
    expect(line).toBeDefined();
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example/x"",""点此查看"")<b>&amp;</b> ]]> 😀 请回电139****5678"`);
  });
});
