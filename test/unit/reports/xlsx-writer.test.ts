/**
 * Our streaming XLSX writer (decision 075), read back by an independent reader: exceljs opens every file
 * (cells, styles, layout, print setup, defined names); the zip is walked record by record here (local
 * headers, data descriptors, central directory, CRCs) and by `unzip -t` where it is installed; every XML part
 * passes a strict well-formedness check. Then determinism (the same report, the same bytes), refusals, and
 * streaming: 100,000 rows leave as they are written, within a small heap, at the pace of a slow output.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DetailRow } from '#domain/report-model.ts';
import { toBuffer, writeDetailWorkbook, writeMonthlyWorkbook } from '#reports/xlsx.ts';
import { type SheetWriter, XlsxWriter, ZIP32_LIMITS } from '#reports/xlsx-writer.ts';
import { manyRows, sampleMonth } from '#test/support/report-month.ts';

const CREATED = new Date('2026-11-25T17:00:00.000Z');
const meta = { organisation: '广州市邮政速递物流公司 客户服务中心' };
const { report, rows } = sampleMonth({ seed: 42, complaints: 160 });
const byType = (list: DetailRow[]) => (type: string) =>
  (async function* () {
    for (const r of list) if (r.receivedType === type) yield r;
  })();

/** A workbook built by `build` with the writer alone, as bytes. */
function workbook(build: (wb: XlsxWriter) => Promise<void>, limits = ZIP32_LIMITS): Promise<Buffer> {
  return toBuffer(async (out) => {
    const wb = new XlsxWriter(out, { creator: '投诉闭环系统', created: CREATED }, limits);
    await build(wb);
    await wb.end();
  });
}

/** One sheet named `name` whose rows `fill` writes. */
const oneSheet = (fill: (wb: XlsxWriter, ws: SheetWriter) => Promise<void>, options = {}) =>
  workbook(async (wb) => {
    const ws = await wb.addSheet('表', options);
    await fill(wb, ws);
    await ws.end();
  });

async function open(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

interface ZipPart {
  name: string;
  text: string;
  flags: number;
  time: number;
  date: number;
}

/**
 * The parts of a zip, read by its records (APPNOTE 4.3): the end record points at the central directory,
 * each directory record at its local header; the local header has the data-descriptor and UTF-8 flags and
 * zero sizes; the deflated data inflates to the size and CRC that the descriptor after it and the directory
 * both give; the parts lie end to end up to the directory. Throws at the first record that disagrees.
 */
function zipParts(zip: Buffer): ZipPart[] {
  const eocd = zip.length - 22;
  expect(zip.readUInt32LE(eocd), 'end of central directory').toBe(0x06054b50);
  const count = zip.readUInt16LE(eocd + 10);
  expect(zip.readUInt16LE(eocd + 8)).toBe(count);
  const size = zip.readUInt32LE(eocd + 12);
  const start = zip.readUInt32LE(eocd + 16);
  expect(start + size, 'the directory ends where its end record starts').toBe(eocd);
  const parts: ZipPart[] = [];
  let at = start;
  let next = 0;
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at), `directory record ${i}`).toBe(0x02014b50);
    const flags = zip.readUInt16LE(at + 8);
    const [method, time, date] = [zip.readUInt16LE(at + 10), zip.readUInt16LE(at + 12), zip.readUInt16LE(at + 14)];
    const [crc, compressed, length] = [zip.readUInt32LE(at + 16), zip.readUInt32LE(at + 20), zip.readUInt32LE(at + 24)];
    const nameLength = zip.readUInt16LE(at + 28);
    expect([zip.readUInt16LE(at + 30), zip.readUInt16LE(at + 32)], 'no extra field, no comment').toEqual([0, 0]);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength;
    // The local header, right after the part before.
    expect(offset, `${name} follows the part before it`).toBe(next);
    expect(zip.readUInt32LE(offset)).toBe(0x04034b50);
    expect([zip.readUInt16LE(offset + 6), zip.readUInt16LE(offset + 8)]).toEqual([flags, method]);
    expect([zip.readUInt32LE(offset + 14), zip.readUInt32LE(offset + 18), zip.readUInt32LE(offset + 22)], 'sizes follow the data').toEqual([0, 0, 0]);
    expect(zip.toString('utf8', offset + 30, offset + 30 + nameLength)).toBe(name);
    const dataAt = offset + 30 + nameLength + zip.readUInt16LE(offset + 28);
    const data = inflateRawSync(zip.subarray(dataAt, dataAt + compressed));
    expect([data.length, crc32(data)], `${name}: size and CRC`).toEqual([length, crc]);
    const descriptor = dataAt + compressed;
    expect([zip.readUInt32LE(descriptor), zip.readUInt32LE(descriptor + 4), zip.readUInt32LE(descriptor + 8), zip.readUInt32LE(descriptor + 12)]).toEqual([
      0x08074b50,
      crc,
      compressed,
      length,
    ]);
    next = descriptor + 16;
    parts.push({ name, text: new TextDecoder('utf-8', { fatal: true }).decode(data), flags, time, date });
  }
  expect(next, 'the last part ends where the directory starts').toBe(start);
  return parts;
}

const NAME = /[A-Za-z_][\w.:-]*/.source;
const TOKEN = new RegExp(`<\\?xml[^?]*\\?>|</(${NAME})\\s*>|<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>|([^<]+)`, 'y');
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/;

/**
 * XML 1.0 well-formedness, strictly enough for what we write: the declaration first, one root element,
 * tags that nest and close, double-quoted attributes each once, `&` only in the five entities and
 * character references, `<` only in markup, no character XML forbids.
 */
function wellFormed(xml: string, part: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'), `${part}: declaration`).toBe(true);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml), `${part}: characters XML forbids`).toBe(false);
  const open: string[] = [];
  let roots = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < xml.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(xml);
    if (!m) throw new Error(`${part}: not well-formed at ${at}: ${xml.slice(at, at + 60)}`);
    const [token, close, tag, attrs, selfClosing, text] = m;
    if (token.startsWith('<?')) expect(at, `${part}: declaration only first`).toBe(0);
    else if (close) expect(open.pop(), `${part}: </${close}> at ${at}`).toBe(close);
    else if (tag) {
      if (open.length === 0) roots++;
      const names = [...(attrs ?? '').matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g'))];
      expect(new Set(names.map((a) => a[1])).size, `${part}: <${tag}> repeats an attribute`).toBe(names.length);
      for (const a of names) expect(ENTITY.test(a[2] ?? ''), `${part}: & in ${tag}@${a[1]}`).toBe(false);
      if (!selfClosing) open.push(tag);
    } else if (text !== undefined) {
      if (open.length === 0) expect(text.trim(), `${part}: text outside the root`).toBe('');
      expect(ENTITY.test(text), `${part}: a bare & in text at ${at}`).toBe(false);
    }
  }
  expect(open, `${part}: unclosed`).toEqual([]);
  expect(roots, `${part}: one root`).toBe(1);
}

const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

describe('the writer, read back by exceljs', () => {
  it('writes text as inline strings, numbers, dates as serial numbers and formulas with their cached results', async () => {
    // Prepare
    const when = new Date('2026-10-26T08:30:00.000Z');
    // Act
    const buffer = await oneSheet(async (wb, ws) => {
      await ws.addRow([{ value: '受理单号' }, { value: 7 }, { value: -0.125 }, { value: when, style: wb.style({ numFmt: 'yyyy-mm-dd hh:mm' }) }]);
      await ws.addRow([{ value: 2 }, { value: 3 }, { value: { formula: 'SUM(A2:B2)', result: 5 } }, undefined, { value: '' }, { value: null }]);
    });
    // Assess
    const ws = (await open(buffer)).getWorksheet('表')!;
    expect(ws.getRow(1).values).toEqual([undefined, '受理单号', 7, -0.125, when]);
    expect(ws.getCell('C2').value).toEqual({ formula: 'SUM(A2:B2)', result: 5 });
    expect(['D2', 'E2', 'F2'].map((a) => ws.getCell(a).value)).toEqual([null, null, null]);
    const sheet = zipParts(buffer).find((p) => p.name === 'xl/worksheets/sheet1.xml')!.text;
    expect(sheet).toContain('<c r="A1" t="inlineStr"><is><t>受理单号</t></is></c>');
    // Excel's serial number of the date's UTC fields: days since 1899-12-30
    expect(sheet).toContain(`<c r="D1" s="1"><v>${25_569 + when.getTime() / 86_400_000}</v></c>`);
    expect(sheet).toContain('<c r="C2"><f>SUM(A2:B2)</f><v>5</v></c>');
    expect(zipParts(buffer).map((p) => p.name)).not.toContain('xl/sharedStrings.xml');
  });

  it('writes fonts, solid fills, thin coloured borders, alignment and number formats, each distinct style once', async () => {
    // Prepare
    const header = {
      font: { name: '等线', size: 10, bold: true, charset: 134 },
      fill: 'FFDDEBF7',
      border: { style: 'thin', color: 'FF808080' },
      alignment: { horizontal: 'center', vertical: 'center', wrapText: true },
    } as const;
    let ids: number[] = [];
    // Act
    const buffer = await oneSheet(async (wb, ws) => {
      const percent = wb.style({ font: { name: '等线', size: 10, charset: 134 }, numFmt: '0.0%', alignment: { horizontal: 'right' } });
      const date = wb.style({ numFmt: 'yyyy-mm-dd hh:mm' });
      const count = wb.style({ numFmt: '#,##0' });
      // The same look built anew (keys in another order) is the same style.
      const again = wb.style({
        alignment: { wrapText: true, vertical: 'center', horizontal: 'center' },
        border: header.border,
        fill: 'FFDDEBF7',
        font: header.font,
      });
      ids = [wb.style(header), again, percent, date, count];
      await ws.addRow([
        { value: '投诉大类', style: ids[0] },
        { value: 0.875, style: percent },
        { value: new Date('2026-11-01T09:00:00Z'), style: date },
        { value: 12_345, style: count },
      ]);
    });
    // Assess
    const ws = (await open(buffer)).getWorksheet('表')!;
    const a1 = ws.getCell('A1');
    expect(a1.font).toEqual({ name: '等线', size: 10, bold: true, charset: 134 });
    expect(a1.fill).toEqual({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } });
    for (const side of ['top', 'left', 'bottom', 'right'] as const) expect(a1.border[side]).toEqual({ style: 'thin', color: { argb: 'FF808080' } });
    expect(a1.alignment).toEqual({ horizontal: 'center', vertical: 'middle', wrapText: true });
    expect(ws.getCell('B1').numFmt).toBe('0.0%');
    expect(ws.getCell('B1').alignment).toEqual({ horizontal: 'right' });
    expect(ws.getCell('C1').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(ws.getCell('D1').numFmt).toBe('#,##0');
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(4);
    const styles = zipParts(buffer).find((p) => p.name === 'xl/styles.xml')!.text;
    expect(styles).toContain('<cellXfs count="5">');
    // #,##0 is Excel's built-in format 3; the others are defined from 164.
    expect(styles).toContain('<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>');
  });

  it('lays out a sheet: column widths, row heights, the default row height, frozen panes without grid lines, merges and an autofilter', async () => {
    // Act
    const buffer = await oneSheet(
      async (_wb, ws) => {
        await ws.addRow([{ value: '客户投诉大类汇总统计表' }], { height: 30 });
        ws.merge({ top: 1, left: 1, bottom: 1, right: 4 });
        await ws.addRow([{ value: '序号' }, { value: '投诉大类' }, { value: '受理量' }]);
        await ws.addRow([]);
        ws.merge({ top: 2, left: 1, bottom: 3, right: 1 });
        for (let i = 0; i < 5; i++) await ws.addRow([{ value: i + 1 }, { value: `第${i + 1}类` }, { value: i * 10 }]);
        ws.autoFilter({ top: 2, left: 1, bottom: 8, right: 3 });
        expect(ws.nextRow).toBe(9);
      },
      { widths: [6, 18, 10, 9], defaultRowHeight: 18, frozen: { columns: 2, rows: 3 }, showGridLines: false },
    );
    // Assess
    const ws = (await open(buffer)).getWorksheet('表')!;
    expect([1, 2, 3, 4].map((c) => ws.getColumn(c).width)).toEqual([6, 18, 10, 9]);
    expect(ws.getRow(1).height).toBe(30);
    expect(ws.properties.defaultRowHeight).toBe(18);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 3, topLeftCell: 'C4', showGridLines: false });
    expect(ws.model.merges).toEqual(['A1:D1', 'A2:A3']);
    expect(ws.getCell('D1').master.address).toBe('A1');
    expect(ws.autoFilter).toBe('A2:C8');
    expect(ws.getCell('C8').value).toBe(40);
  });

  it('sets up printing: A3 landscape, one page wide, centred, margins, title rows on every page, page numbers in the footer', async () => {
    // Act
    const buffer = await oneSheet(
      async (_wb, ws) => {
        await ws.addRow([{ value: '页' }]);
      },
      {
        print: {
          paperSize: 8,
          orientation: 'landscape',
          fit: { width: 1, height: 0 },
          horizontalCentered: true,
          margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
          titleRows: { first: 6, last: 7 },
          footer: '&C第 &P 页，共 &N 页',
        },
      },
    );
    // Assess
    const ws = (await open(buffer)).getWorksheet('表')!;
    expect(ws.pageSetup).toMatchObject({
      paperSize: 8,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '6:7',
    });
    expect(ws.headerFooter.oddFooter).toBe('&C第 &P 页，共 &N 页');
  });

  it('writes sheets one after another, each with its defined names (print titles, the filter database), and the document properties', async () => {
    // Act
    const buffer = await workbook(async (wb) => {
      for (const [i, name] of ['投诉', "O'Brien 的表", '重处理'].entries()) {
        const ws = await wb.addSheet(name, { print: { titleRows: { first: 3, last: 3 } } });
        await ws.addRow([{ value: name }]);
        if (i !== 1) ws.autoFilter({ top: 3, left: 1, bottom: 10 + i, right: 21 });
        await ws.end();
      }
    });
    // Assess
    const wb = await open(buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['投诉', "O'Brien 的表", '重处理']);
    expect(wb.worksheets.map((w) => w.pageSetup.printTitlesRow)).toEqual(['3:3', '3:3', '3:3']);
    expect([wb.creator, wb.lastModifiedBy, wb.created, wb.modified]).toEqual(['投诉闭环系统', '投诉闭环系统', CREATED, CREATED]);
    // exceljs keeps one _FilterDatabase per name, not per sheet: the workbook part itself has each.
    const parts = zipParts(buffer);
    const book = parts.find((p) => p.name === 'xl/workbook.xml')!.text;
    expect(book).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'投诉'!$A$3:$U$10</definedName>`);
    expect(book).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="1">'O''Brien 的表'!$3:$3</definedName>`);
    expect(book).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="2" hidden="1">'重处理'!$A$3:$U$12</definedName>`);
    const app = parts.find((p) => p.name === 'docProps/app.xml')!.text;
    expect(app).toContain("<vt:lpstr>投诉</vt:lpstr><vt:lpstr>O'Brien 的表</vt:lpstr><vt:lpstr>重处理</vt:lpstr>");
    const types = parts.find((p) => p.name === '[Content_Types].xml')!.text;
    for (const part of parts.filter((p) => p.name.endsWith('.xml') && p.name !== '[Content_Types].xml'))
      expect(types, `${part.name} has a content type`).toContain(`PartName="/${part.name}"`);
  });
});

describe('hostile text', () => {
  it('keeps what a complainant wrote as inert text: a formula, markup, quotes, emoji, white space at the ends, a CR', async () => {
    // Prepare
    const texts = [
      '=HYPERLINK("http://evil.example/x","点此查看")',
      '+SUM(1,1)',
      `<script>&amp;</script> "它" 'x' ]]>`,
      '快递😡😡 太慢了🚚',
      '  两端有空格\t',
      '第一行\r\n第二行\n第三行',
    ];
    // Act
    const buffer = await oneSheet(async (_wb, ws) => {
      for (const value of texts) await ws.addRow([{ value }]);
    });
    // Assess
    const ws = (await open(buffer)).getWorksheet('表')!;
    expect(texts.map((_, i) => ws.getCell(`A${i + 1}`).value)).toEqual(texts);
    expect(texts.map((_, i) => ws.getCell(`A${i + 1}`).type)).toEqual(texts.map(() => ExcelJS.ValueType.String));
    const sheet = zipParts(buffer).find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    expect(sheet.text).not.toContain('<f>');
    expect(sheet.text).toContain('&lt;script&gt;&amp;amp;&lt;/script&gt; &quot;它&quot;');
    wellFormed(sheet.text, sheet.name);
  });

  it('drops what XML 1.0 cannot hold, so every part stays well-formed, and writes a lone surrogate as U+FFFD', async () => {
    // Act
    const buffer = await oneSheet(async (_wb, ws) => {
      await ws.addRow([{ value: 'a\u0000b\u0007c\u001bd\u000be\uFFFEf\uFFFF' }, { value: '半个\uD83D字' }]);
    });
    // Assess
    const ws = (await open(buffer)).getWorksheet('表')!;
    expect([ws.getCell('A1').value, ws.getCell('B1').value]).toEqual(['abcdef', '半个\uFFFD字']);
    for (const part of zipParts(buffer)) if (part.name.endsWith('.xml') || part.name.endsWith('.rels')) wellFormed(part.text, part.name);
  });

  it('takes text up to Excel’s 32,767 characters and refuses longer (the layouts cut it first: cellText)', async () => {
    // Prepare
    const most = '长'.repeat(32_767);
    // Act
    const buffer = await oneSheet(async (_wb, ws) => {
      await ws.addRow([{ value: most }]);
    });
    const over = () =>
      oneSheet(async (_wb, ws) => {
        await ws.addRow([{ value: `${most}!` }]);
      });
    // Assess
    expect((await open(buffer)).getWorksheet('表')!.getCell('A1').value).toBe(most);
    await expect(over()).rejects.toThrow(/cell A1 has 32768 characters, over Excel's 32767/);
  });
});

describe('the zip', () => {
  it('holds the monthly workbook part by part where its directory says, with data descriptors, UTF-8 names, matching CRCs and well-formed XML', async () => {
    // Act
    const buffer = await toBuffer((out) => writeMonthlyWorkbook(out, report, byType(rows), meta));
    // Assess
    const parts = zipParts(buffer);
    expect(parts.map((p) => p.name)).toEqual([
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
      'xl/worksheets/sheet3.xml',
      'xl/worksheets/sheet4.xml',
      'xl/worksheets/sheet5.xml',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      '_rels/.rels',
      '[Content_Types].xml',
      'docProps/core.xml',
      'docProps/app.xml',
    ]);
    for (const part of parts) {
      expect(part.flags, part.name).toBe(0x0808);
      wellFormed(part.text, part.name);
    }
    expect((await open(buffer)).worksheets.map((w) => w.name)).toEqual(['客户投诉大类汇总统计表', '指标说明', '投诉', '重复投诉', '重处理']);
  });

  it.skipIf(!hasUnzip)('passes unzip -t', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'xlsx-')), 'monthly.xlsx');
    writeFileSync(file, await toBuffer((out) => writeMonthlyWorkbook(out, report, byType(rows), meta)));
    // Act
    const out = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
    // Assess
    expect(out).toContain('No errors detected in compressed data');
    expect(out.match(/ OK$/gm)).toHaveLength(12);
  });

  it('writes the same bytes for the same report, its parts dated by the report’s generatedAt', async () => {
    // Act
    const write = () => toBuffer((out) => writeMonthlyWorkbook(out, report, byType(rows), meta));
    const [first, second] = [await write(), await write()];
    // Assess
    expect(first.equals(second)).toBe(true);
    expect(report.generatedAt).toBe('2026-11-25T17:00:00.000Z');
    // MS-DOS date and time of its UTC fields: 2026-11-25 17:00:00
    for (const part of zipParts(first)) expect([part.date, part.time], part.name).toEqual([((2026 - 1980) << 9) | (11 << 5) | 25, 17 << 11]);
  });

  it('refuses rather than write a zip that would need zip64 (too many parts, too many bytes)', async () => {
    // Prepare: the limits of a zip without zip64, made small
    const fewParts = { ...ZIP32_LIMITS, entries: 5 };
    const fewBytes = { ...ZIP32_LIMITS, bytes: 50_000 };
    const big = async (wb: XlsxWriter) => {
      const ws = await wb.addSheet('表');
      for (let i = 0; i < 5_000; i++) await ws.addRow([{ value: `第${i}行 ${'x'.repeat(i % 97)}` }, { value: i }]);
    };
    // Act, Assess: five parts fit, the sixth (of 7: a sheet and six others) is refused
    await expect(workbook(big, fewParts)).rejects.toThrow(/needs zip64/);
    await expect(workbook(big, fewBytes)).rejects.toThrow(/needs zip64/);
    await expect(workbook(big)).resolves.toBeInstanceOf(Buffer);
  });

  it('refuses what Excel would not open or the sheet would lose: a bad or repeated sheet name, overlapping merges, a sheet added while one is open, a merge after the end, a number that is not finite, no sheet', async () => {
    await expect(workbook(async (wb) => void (await wb.addSheet('a/b')))).rejects.toThrow(/sheet name/);
    await expect(workbook(async (wb) => void (await wb.addSheet('x'.repeat(32))))).rejects.toThrow(/sheet name/);
    await expect(
      workbook(async (wb) => {
        await (await wb.addSheet('投诉')).end();
        await wb.addSheet('投诉');
      }),
    ).rejects.toThrow(/two sheets named 投诉/);
    await expect(
      workbook(async (wb) => {
        await wb.addSheet('一');
        await wb.addSheet('二');
      }),
    ).rejects.toThrow(/end sheet 一 before adding 二/);
    await expect(
      oneSheet(async (_wb, ws) => {
        ws.merge({ top: 1, left: 1, bottom: 1, right: 5 });
        ws.merge({ top: 1, left: 5, bottom: 2, right: 5 });
      }),
    ).rejects.toThrow(/merge E1:E2 overlaps A1:E1/);
    await expect(
      workbook(async (wb) => {
        const ws = await wb.addSheet('表');
        await ws.end();
        ws.merge({ top: 1, left: 1, bottom: 1, right: 2 });
      }),
    ).rejects.toThrow(/sheet 表 is ended/);
    await expect(oneSheet(async (_wb, ws) => void (await ws.addRow([{ value: Number.NaN }])))).rejects.toThrow(/cannot hold NaN/);
    await expect(workbook(async () => undefined)).rejects.toThrow(/at least one sheet/);
  });
});

describe('streaming', () => {
  it('streams 100,000 detail rows: the output leaves in many chunks while the rows are read, and the heap stays small', async () => {
    // Prepare: a sink that counts; the rows, sampling the heap as they are read
    let bytes = 0;
    let chunks = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        chunks++;
        done();
      },
    });
    const start = process.memoryUsage().heapUsed;
    let peak = start;
    let atLastRow = { bytes: 0, chunks: 0 };
    const detail = (type: string) =>
      (async function* () {
        let i = 0;
        for await (const row of manyRows(type === 'complaint' ? 100_000 : 0, 'complaint')) {
          if (++i % 1_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
          yield row;
        }
        if (type === 'complaint') atLastRow = { bytes, chunks };
      })();
    // Act
    const counts = await writeDetailWorkbook(sink, report, detail, meta);
    // Assess
    expect(counts).toEqual({ complaint: 100_000, repeat: 0, reprocess: 0 });
    expect(sink.writableFinished).toBe(true);
    expect(atLastRow.chunks).toBeGreaterThan(500);
    expect(atLastRow.bytes / bytes).toBeGreaterThan(0.95);
    expect(peak - start).toBeLessThan(60 * 1024 * 1024);
  }, 120_000);

  it('waits for a slow output instead of piling bytes up in it', async () => {
    // Prepare: an output that takes 20 ms for each chunk, 0.8 MB/s: the rows and deflate would outrun it
    let most = 0;
    const sink = new Writable({
      highWaterMark: 16 * 1024,
      write(_chunk: Buffer, _enc, done) {
        most = Math.max(most, this.writableLength);
        setTimeout(done, 20);
      },
    });
    // Act
    await writeDetailWorkbook(sink, report, (type) => manyRows(type === 'complaint' ? 10_000 : 0, 'complaint'), meta);
    // Assess: about 1.3 MB written, never more than a few chunks of it waiting in the output
    expect(sink.writableFinished).toBe(true);
    expect(most).toBeLessThan(128 * 1024);
  }, 60_000);

  it('fails, and does not hang, when the output fails', async () => {
    // Prepare
    let written = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        written += chunk.length;
        done(written > 200_000 ? new Error('disk full') : null);
      },
    });
    // Act, Assess
    await expect(writeDetailWorkbook(sink, report, (type) => manyRows(type === 'complaint' ? 20_000 : 0, 'complaint'), meta)).rejects.toThrow('disk full');
  });
});
