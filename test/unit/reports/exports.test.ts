/**
 * The exports opened for real (decision 061): each workbook is written by the renderer, read back with exceljs
 * (and unzipped, to scan every byte of every part), and each CSV is parsed by an RFC 4180 reader.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, CATEGORY_LABELS } from '#domain/model.ts';
import type { DetailRow } from '#domain/report-model.ts';
import { BOM, csvField, detailCsv, summaryCsv } from '#reports/csv.ts';
import { CELL_TEXT_LIMIT, COUNT_COLUMNS, INDICATOR_NOTES, receivedKey, receivedTotal, SUMMARY_TITLE } from '#reports/layout.ts';
import { DATE_FORMAT, PERCENT_FORMAT, summaryWorkbook, toBuffer, writeDetailWorkbook, writeMonthlyWorkbook } from '#reports/xlsx.ts';
import { sampleMonth } from '#test/support/report-month.ts';

const meta = { organisation: '广州市邮政速递物流公司 客户服务中心' };
const { report, rows } = sampleMonth({ seed: 42, complaints: 160 });
const byType = (list: DetailRow[]) => (type: string) =>
  (async function* () {
    for (const r of list) if (r.receivedType === type) yield r;
  })();

async function open(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

/** Every cell of every sheet as text (formula results, dates, rich text included). */
function allText(wb: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        out.push(cell.text, JSON.stringify(cell.value));
      }),
    ),
  );
  return out;
}

/** The text of every part inside the XLSX zip. */
async function zipText(buffer: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buffer);
  const parts = await Promise.all(
    Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.async('string')),
  );
  return parts.join('\n');
}

/** Finds the row whose column B reads `label`, after row `from`. */
function rowOf(ws: ExcelJS.Worksheet, label: string, from = 1): ExcelJS.Row {
  for (let r = from; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(2).text === label) return ws.getRow(r);
  throw new Error(`no row ${label} after ${from}`);
}

const resultOf = (cell: ExcelJS.Cell): number => {
  const v = cell.value;
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'result' in v && typeof v.result === 'number') return v.result;
  throw new Error(`cell ${cell.address} holds ${JSON.stringify(v)}, not a number`);
};

/** RFC 4180: fields split on commas, records on CRLF, quoted fields with doubled quotes and line breaks. */
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
    } else if (ch === '\n' || ch === '\r') throw new Error(`bare line break at ${i} outside quotes`);
    else field += ch;
  }
  if (field !== '' || record.length > 0) throw new Error('last record without CRLF');
  return records;
}

describe('《客户投诉大类汇总统计表》 as XLSX', () => {
  it('has the title, period, unit and generated-at above the table, and the versions below it', async () => {
    // Act
    const wb = await open(await summaryWorkbook(report, meta));
    const ws = wb.getWorksheet(SUMMARY_TITLE)!;
    // Assess
    expect(wb.worksheets.map((w) => w.name)).toEqual([SUMMARY_TITLE, '指标说明']);
    expect(ws.getCell('A1').text).toBe('客户投诉大类汇总统计表');
    expect(ws.getCell('A1').font.bold).toBe(true);
    expect(ws.getCell('A2').text).toBe('统计周期：2026年10月26日至2026年11月25日（2026-11）');
    expect(ws.getCell('A3').text).toBe('统计单位：广州市邮政速递物流公司 客户服务中心（全部处理单位）');
    expect(ws.getCell('A4').text).toBe('生成时间：2026-11-26 01:00（北京时间）');
    const texts = allText(wb);
    expect(texts).toContain(`日历版本：${report.calendarVersion}；公式版本：${report.formulaVersion}`);
  });

  it('lists every category by its Chinese label with received by type, and the 合计 row sums the cells above it', async () => {
    // Act
    const ws = (await open(await summaryWorkbook(report, meta))).getWorksheet(SUMMARY_TITLE)!;
    // Assess: headers
    const names = ws.getRow(7);
    const headerTexts = (names.values as unknown[]).map(String);
    for (const c of COUNT_COLUMNS) expect(headerTexts).toContain(c.header);
    expect(headerTexts).toContain('及时率（目标100%）');
    expect(headerTexts).toContain('答复有效率（目标100%）');
    expect(headerTexts).toContain('满意率');
    // every category, taxonomy order, from row 8
    expect(CATEGORIES.map((_, i) => ws.getRow(8 + i).getCell(2).text)).toEqual(CATEGORIES.map((c) => CATEGORY_LABELS[c]));
    const total = ws.getRow(8 + CATEGORIES.length);
    expect(total.getCell(2).text).toBe('合计');
    for (let col = 3; col <= 12; col++) {
      const sum = CATEGORIES.reduce((s, _c, i) => s + resultOf(ws.getRow(8 + i).getCell(col)), 0);
      expect(resultOf(total.getCell(col)), `column ${col}`).toBe(sum);
      // a count column sums down the categories; 受理合计 (column I) sums across its own row
      expect(total.getCell(col).formula).toMatch(col === 9 ? /^SUM\(C18:H18\)$/ : /^SUM\([A-Z]+8:[A-Z]+17\)$/);
    }
    // the received total column is the sum of the types, and the report's own total
    const receivedCol = headerTexts.indexOf('受理合计');
    expect(resultOf(total.getCell(receivedCol))).toBe(receivedTotal(report.total.counts));
    expect(resultOf(total.getCell(headerTexts.indexOf('投诉')))).toBe(report.total.counts[receivedKey('complaint')]);
    const delay = rowOf(ws, '延误');
    expect(resultOf(delay.getCell(receivedCol))).toBe(receivedTotal(report.byCategory.find((r) => r.category === 'delay')!.counts));
  });

  it('writes rates as numbers formatted as percentages, and “—” where the denominator is 0', async () => {
    // Prepare: one category with nothing replied
    const quiet = structuredClone(report);
    const fee = quiet.byCategory.find((r) => r.category === 'fee')!;
    fee.indicators = fee.indicators.map((i) => (i.id === 'reply_effective' ? { ...i, numerator: 0, denominator: 0, rate: null } : i));
    // Act
    const ws = (await open(await summaryWorkbook(quiet, meta))).getWorksheet(SUMMARY_TITLE)!;
    // Assess
    const headers = (ws.getRow(7).values as unknown[]).map(String);
    const onTime = headers.indexOf('及时率（目标100%）');
    const effective = headers.indexOf('答复有效率（目标100%）');
    const total = rowOf(ws, '合计');
    expect(total.getCell(onTime).value).toBeCloseTo(report.total.indicators.find((i) => i.id === 'on_time')!.rate!, 10);
    expect(total.getCell(onTime).numFmt).toBe(PERCENT_FORMAT);
    expect(rowOf(ws, '资费争议').getCell(effective).value).toBe('—');
  });

  it('has the unit table and the category × unit matrix, whose total row and column are sums', async () => {
    // Act
    const ws = (await open(await summaryWorkbook(report, meta))).getWorksheet(SUMMARY_TITLE)!;
    // Assess: the unit table follows the category table
    const units = report.byUnit.map((u) => u.unitName);
    const firstUnit = rowOf(ws, units[0]!);
    expect(units.map((_, i) => ws.getRow(firstUnit.number + i).getCell(2).text)).toEqual(units);
    // the matrix: a header naming the units, then every category
    let header = firstUnit.number;
    while (ws.getRow(header).getCell(3).text !== units[0]) header++;
    const totalCol = 3 + units.length;
    expect(ws.getRow(header).getCell(totalCol).text).toBe('合计');
    const rowsOfMatrix = CATEGORIES.map((_, i) => ws.getRow(header + 1 + i));
    for (const row of rowsOfMatrix) {
      const sum = units.reduce((s, _u, i) => s + resultOf(row.getCell(3 + i)), 0);
      expect(resultOf(row.getCell(totalCol))).toBe(sum);
    }
    const totalRow = ws.getRow(header + 1 + CATEGORIES.length);
    expect(totalRow.getCell(2).text).toBe('合计');
    for (let c = 3; c <= totalCol; c++) expect(resultOf(totalRow.getCell(c))).toBe(rowsOfMatrix.reduce((s, r) => s + resultOf(r.getCell(c)), 0));
    expect(resultOf(totalRow.getCell(totalCol))).toBe(receivedTotal(report.total.counts));
  });

  it('freezes the header, prints A3 landscape fitted to width with the header repeated, in a CJK font', async () => {
    // Act
    const ws = (await open(await summaryWorkbook(report, meta))).getWorksheet(SUMMARY_TITLE)!;
    // Assess
    expect(ws.views[0]).toMatchObject({
      state: 'frozen',
      ySplit: 7,
      xSplit: 2,
    });
    expect(ws.pageSetup).toMatchObject({
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      paperSize: 8,
      printTitlesRow: '6:7',
    });
    expect(ws.getCell('B8').font.name).toBe('等线');
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(16);
  });

  it('defines every indicator of INDICATORS.md on the 指标说明 sheet, with this period’s figures beside the computed ones', async () => {
    // Act
    const ws = (await open(await summaryWorkbook(report, meta))).getWorksheet('指标说明')!;
    // Assess
    const names = Array.from({ length: ws.rowCount }, (_, i) => ws.getRow(i + 1).getCell(1).text);
    for (const n of INDICATOR_NOTES) expect(names).toContain(n.name);
    const onTime = ws.getRow(names.indexOf('及时率') + 1);
    const computed = report.total.indicators.find((i) => i.id === 'on_time')!;
    expect(onTime.getCell(3).text).toBe('100%');
    expect([onTime.getCell(5).value, onTime.getCell(6).value]).toEqual([computed.numerator, computed.denominator]);
    expect(onTime.getCell(7).numFmt).toBe(PERCENT_FORMAT);
    expect(ws.getRow(names.indexOf('受理量') + 1).getCell(7).value).toBe(receivedTotal(report.total.counts));
  });
});

describe('明细报表 as XLSX', () => {
  it('has one sheet each for 投诉, 重复投诉 and 重处理, every row, dates in Shanghai time as yyyy-mm-dd hh:mm', async () => {
    // Act
    const buffer = await toBuffer((out) => writeDetailWorkbook(out, report, byType(rows), meta));
    const wb = await open(buffer);
    // Assess
    expect(wb.worksheets.map((w) => w.name)).toEqual(['投诉', '重复投诉', '重处理']);
    const ws = wb.getWorksheet('投诉')!;
    expect(ws.getCell('A1').text).toBe('投诉明细报表——投诉');
    expect(ws.getRow(3).getCell(6).text).toBe('受理时间');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.pageSetup.printTitlesRow).toBe('3:3');
    const complaints = rows.filter((r) => r.receivedType === 'complaint');
    expect(ws.getRow(4 + complaints.length - 1).getCell(2).text).toBe(complaints.at(-1)!.complaintId);
    expect(ws.getRow(4 + complaints.length + 1).getCell(1).text).toContain(`共 ${complaints.length} 条`);
    // 2026-10-25T16:30Z is 26 October 00:30 in Shanghai: the cell shows the wall clock
    const first = complaints[0]!;
    const cell = ws.getRow(4).getCell(6);
    expect(cell.numFmt).toBe(DATE_FORMAT);
    expect(cell.value).toBeInstanceOf(Date);
    const shanghai = new Date(new Date(first.receivedAt).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect((cell.value as Date).toISOString().slice(0, 16).replace('T', ' ')).toBe(shanghai);
    for (const t of ['重复投诉', '重处理'] as const) expect(wb.getWorksheet(t)!.getRow(4).getCell(4).text).toBe(t);
  });

  it('holds no full phone number anywhere in the file, even one a complainant wrote into the text', async () => {
    // Prepare: a source that broke its promise to mask, and a complainant who wrote numbers into the text
    const leaky: DetailRow[] = [
      {
        ...rows[0]!,
        complainantPhone: '13800138000',
        summary: '请打我电话 13912345678 或 +86 137-1234-5678，座机 020-87654321，邮箱 zhang@example.com',
      },
      ...rows.slice(1, 5),
    ];
    // Act
    const buffer = await toBuffer((out) => writeMonthlyWorkbook(out, report, byType(leaky), meta));
    // Assess: every cell, and every byte of every part of the zip
    const texts = allText(await open(buffer)).join('\n');
    const raw = await zipText(buffer);
    for (const text of [texts, raw]) {
      expect(text).not.toMatch(/(?<![\d.])1[3-9]\d{9}(?!\d)/);
      expect(text).not.toMatch(/1[3-9]\d-\d{4}-\d{4}/);
      expect(text).not.toContain('87654321');
      expect(text).not.toContain('zhang@example.com');
    }
    expect(texts).toContain('请打我电话');
  });

  it('keeps hostile text as inert text: a formula, emoji, 10,000 characters, control characters, a lone surrogate', async () => {
    // Prepare
    const formula = '=HYPERLINK("http://evil.example/x","点此查看")';
    const long = '慢'.repeat(10_000);
    const hostile: DetailRow[] = [
      { ...rows[0]!, summary: formula },
      { ...rows[1]!, summary: `快递😡😡 太慢了🚚` },
      { ...rows[2]!, summary: long },
      {
        ...rows[3]!,
        summary: 'a\u0000b\u0007c\u001bd\u000be\u007ff\u0085g\tTab\r\nLine\uFFFE',
      },
      { ...rows[4]!, summary: `半个\uD83D字` },
      { ...rows[5]!, summary: '@SUM(1+1)*cmd|/C calc!A0' },
      { ...rows[6]!, summary: '长'.repeat(CELL_TEXT_LIMIT + 100) },
    ].map((r) => ({ ...r, receivedType: 'complaint' as const }));
    // Act
    const buffer = await toBuffer((out) => writeDetailWorkbook(out, report, byType(hostile), meta));
    const ws = (await open(buffer)).getWorksheet('投诉')!;
    const summaryOf = (i: number) => ws.getRow(4 + i).getCell(16);
    // Assess
    expect(summaryOf(0).type).toBe(ExcelJS.ValueType.String);
    expect(summaryOf(0).value).toBe(formula);
    expect(summaryOf(0).formula).toBeUndefined();
    expect(await zipText(buffer)).not.toContain('<f>');
    expect(summaryOf(1).value).toBe('快递😡😡 太慢了🚚');
    expect(summaryOf(2).value).toBe(long);
    expect(summaryOf(3).value).toBe('abcdefg\tTab\nLine');
    expect(summaryOf(4).value).toBe('半个\uFFFD字');
    expect(summaryOf(5).value).toBe('@SUM(1+1)*cmd|/C calc!A0');
    const capped = String(summaryOf(6).value);
    expect(capped.length).toBeLessThanOrEqual(CELL_TEXT_LIMIT);
    expect(capped.endsWith('…（超长截断）')).toBe(true);
  });
});

describe('the two layouts as CSV', () => {
  it('is UTF-8 with a BOM and CRLF records that an RFC 4180 reader reads back cell for cell', async () => {
    // Act
    const text = summaryCsv(report, meta);
    // Assess
    expect(text.startsWith(BOM)).toBe(true);
    const records = parseCsv(text.slice(1));
    expect(records[0]).toEqual(['客户投诉大类汇总统计表']);
    expect(records[1]).toEqual(['统计周期：2026年10月26日至2026年11月25日（2026-11）']);
    const header = records.find((r) => r[0] === '序号' && r[1] === '投诉大类')!;
    const total = records.find((r) => r[1] === '合计')!;
    const body = records.slice(records.indexOf(header) + 1, records.indexOf(total));
    expect(body.map((r) => r[1])).toEqual(CATEGORIES.map((c) => CATEGORY_LABELS[c]));
    for (let col = 2; col < 12; col++) expect(Number(total[col])).toBe(body.reduce((s, r) => s + Number(r[col]), 0));
    expect(total[header.indexOf('及时率（目标100%）')]).toMatch(/^\d{1,3}\.\d%$/);
    expect(records.at(-2)?.[0]).toContain(`公式版本：${report.formulaVersion}`);
  });

  it('streams the detail list as one table of 投诉, 重复投诉 and 重处理, guarding formulas and quoting what needs it', async () => {
    // Prepare
    const hostile: DetailRow[] = [
      {
        ...rows[0]!,
        receivedType: 'complaint',
        summary: '=HYPERLINK("http://evil.example","点我")',
      },
      {
        ...rows[1]!,
        receivedType: 'complaint',
        summary: '+86 在群里说, "尽快"\n第二行',
      },
      { ...rows[2]!, receivedType: 'repeat', summary: '-1+1' },
      {
        ...rows[3]!,
        receivedType: 'reprocess',
        summary: '@cmd',
        complainantPhone: '13800138000',
      },
      { ...rows[4]!, receivedType: 'reprocess', summary: '\tTab开头 😀' },
    ];
    // Act
    const chunks: string[] = [];
    for await (const chunk of detailCsv(report, byType(hostile), meta)) chunks.push(chunk);
    const text = chunks.join('');
    // Assess
    expect(chunks.length).toBeGreaterThan(hostile.length);
    expect(text.startsWith(BOM)).toBe(true);
    const records = parseCsv(text.slice(1));
    const header = records.findIndex((r) => r[0] === '序号');
    const data = records.slice(header + 1, header + 1 + hostile.length);
    const col = records[header]!.indexOf('投诉内容摘要');
    expect(data.map((r) => r[col])).toEqual([
      '\'=HYPERLINK("http://evil.example","点我")',
      '\'+86 在群里说, "尽快"\n第二行',
      "'-1+1",
      "'@cmd",
      "'\tTab开头 😀",
    ]);
    expect(data.map((r) => r[3])).toEqual(['投诉', '投诉', '重复投诉', '重处理', '重处理']);
    expect(data[0]![0]).toBe('1');
    expect(data[0]![records[header]!.indexOf('受理时间')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    expect(records.find((r) => r[0]?.startsWith('共 5 条'))?.[0]).toBe('共 5 条（投诉 2 条，重复投诉 1 条，重处理 2 条）。姓名、电话已脱敏。');
  });

  it('never prefixes a number, even a negative one', () => {
    expect([csvField(-3), csvField(0.5), csvField('-3'), csvField(null)]).toEqual(['-3', '0.5', "'-3", '']);
  });
});
