/**
 * A streaming SpreadsheetML (XLSX, ECMA-376) writer with what the report workbooks use and nothing more
 * (decision 075): sheets written one after another, each row deflated into the output as it is added;
 * inline strings (no shared-string table), numbers, dates as serial numbers, formulas with their cached
 * results; fonts, solid fills, thin borders, alignment and number formats, deduplicated into `styles.xml`;
 * column widths, row heights, frozen panes, merged cells, an autofilter, print setup with repeated title
 * rows and a footer. No shared strings, rich text, images, comments or zip64 (a file past 4 GiB or
 * 65,534 parts is refused, never written corrupt).
 *
 * Pure apart from the Writable it is handed: no clock (the document dates and the zip entries' times are
 * the `created` given), so the same calls write the same bytes. Backpressure is respected: `addRow` waits
 * while the output does not drain. The zip is built on `node:zlib` (raw deflate, `crc32`): local headers
 * with the data-descriptor flag (sizes and CRC follow the data, nothing is held to be measured first), a
 * central directory and its end record.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { crc32, createDeflateRaw, type DeflateRaw } from 'node:zlib';

// ——— the zip container (APPNOTE.TXT 6.3) ———

/** What a zip without zip64 can hold: 0xFFFF and 0xFFFFFFFF are zip64's markers, so one below each. */
export const ZIP32_LIMITS = { entries: 0xfffe, bytes: 0xfffffffe };

/** Bit 3: CRC and sizes in a data descriptor after the data; bit 11: the name is UTF-8. */
const FLAGS = 0x0808;
const DEFLATE = 8;
const VERSION = 20;
/** Text is handed to deflate in pieces of about this many characters (fewer, larger writes). */
const PIECE = 32 * 1024;

/** MS-DOS date and time of `at`'s UTC fields (zip times have no zone); 1980 is the format's first year. */
function dosTime(at: Date): { time: number; date: number } {
  if (at.getUTCFullYear() < 1980) return { time: 0, date: (1 << 5) | 1 };
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1),
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

interface Entry {
  name: Buffer;
  offset: number;
  crc: number;
  compressed: number;
  size: number;
}

/** One deflated part being written; `write` takes XML text, `close` ends the part. */
class ZipPart {
  private pending = '';
  private crc = 0;
  private size = 0;
  private compressed = 0;
  private readonly deflate: DeflateRaw;

  constructor(
    private readonly zip: Zip,
    private readonly entry: Entry,
  ) {
    this.deflate = createDeflateRaw();
    const deflate = this.deflate;
    // A deflate error fails the workbook (every wait races the failure), whether or not a wait is pending.
    deflate.on('error', (error) => zip.abort(error));
    deflate.on('data', (chunk: Buffer) => {
      this.compressed += chunk.length;
      if (this.compressed > zip.limits.bytes) deflate.destroy(zip.tooLarge());
      // The output is full: stop deflating until it drains (the next write to deflate then waits too).
      else if (!zip.emit(chunk)) {
        deflate.pause();
        zip.out.once('drain', () => deflate.resume());
      }
    });
  }

  /** Adds text; waits only when a piece goes to deflate and deflate (so the output) is full. */
  async write(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= PIECE) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending === '') return;
    const bytes = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.size += bytes.length;
    if (this.size > this.zip.limits.bytes) throw this.zip.tooLarge();
    this.crc = crc32(bytes, this.crc);
    if (!this.deflate.write(bytes)) await this.zip.wait(this.deflate, 'drain');
  }

  /** Ends the deflated data and writes its data descriptor (signature, CRC, sizes). */
  async close(): Promise<void> {
    await this.flush();
    const ended = this.zip.wait(this.deflate, 'end');
    this.deflate.end();
    await ended;
    Object.assign(this.entry, { crc: this.crc, size: this.size, compressed: this.compressed });
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(this.crc, 4);
    d.writeUInt32LE(this.compressed, 8);
    d.writeUInt32LE(this.size, 12);
    await this.zip.put(d);
  }
}

/** A zip archive written to `out` part by part, one open at a time. */
class Zip {
  private readonly entries: Entry[] = [];
  private offset = 0;
  private readonly dos: { time: number; date: number };
  /** Rejects when the output fails or closes before the archive is written (every wait races it). */
  private readonly failed: Promise<never>;
  /** Fails every wait from now on. */
  readonly abort: (error: Error) => void;
  private readonly onClose: () => void;

  constructor(
    readonly out: Writable,
    at: Date,
    readonly limits = ZIP32_LIMITS,
  ) {
    this.dos = dosTime(at);
    let fail: (error: Error) => void = () => undefined;
    this.failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    this.failed.catch(() => undefined);
    this.abort = fail;
    this.onClose = () => fail(new Error('the output closed before the workbook was written'));
    out.on('error', this.abort).on('close', this.onClose);
  }

  tooLarge(): Error {
    return new RangeError(`an XLSX over ${this.limits.bytes} bytes or ${this.limits.entries} parts needs zip64, which this writer does not write`);
  }

  /** Waits for `event` of `emitter`, or fails with the output (or with `emitter`'s own error). */
  wait(emitter: NodeJS.EventEmitter, event: string): Promise<unknown> {
    return Promise.race([once(emitter, event), this.failed]);
  }

  /** Writes bytes to the output, counting them; false when the output is full. */
  emit(bytes: Buffer): boolean {
    this.offset += bytes.length;
    return this.out.write(bytes);
  }

  /** Writes bytes to the output; waits while it is full. */
  async put(bytes: Buffer): Promise<void> {
    if (!this.emit(bytes)) await this.wait(this.out, 'drain');
  }

  /** Starts a part: its local header (sizes and CRC zero, in the data descriptor after the data). */
  async open(path: string): Promise<ZipPart> {
    if (this.entries.length >= this.limits.entries || this.offset > this.limits.bytes) throw this.tooLarge();
    const name = Buffer.from(path, 'utf8');
    const entry: Entry = { name, offset: this.offset, crc: 0, compressed: 0, size: 0 };
    this.entries.push(entry);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(VERSION, 4);
    h.writeUInt16LE(FLAGS, 6);
    h.writeUInt16LE(DEFLATE, 8);
    h.writeUInt16LE(this.dos.time, 10);
    h.writeUInt16LE(this.dos.date, 12);
    h.writeUInt16LE(name.length, 26);
    await this.put(Buffer.concat([h, name]));
    return new ZipPart(this, entry);
  }

  /** A whole part at once. */
  async file(path: string, text: string): Promise<void> {
    const part = await this.open(path);
    await part.write(text);
    await part.close();
  }

  /** The central directory and its end record; then ends the output and waits until it has everything. */
  async end(): Promise<void> {
    const start = this.offset;
    const records = this.entries.map((e) => {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(VERSION, 4);
      c.writeUInt16LE(VERSION, 6);
      c.writeUInt16LE(FLAGS, 8);
      c.writeUInt16LE(DEFLATE, 10);
      c.writeUInt16LE(this.dos.time, 12);
      c.writeUInt16LE(this.dos.date, 14);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(e.compressed, 20);
      c.writeUInt32LE(e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE(e.offset, 42);
      return Buffer.concat([c, e.name]);
    });
    const directory = Buffer.concat(records);
    if (start + directory.length > this.limits.bytes) throw this.tooLarge();
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    await this.put(Buffer.concat([directory, end]));
    this.out.off('close', this.onClose);
    const finished = this.wait(this.out, 'finish');
    this.out.end();
    await finished;
    this.out.off('error', this.abort);
  }
}

// ——— cells and styles ———

/** A formula (without the leading `=`) and the value it computes, cached so readers need not calculate. */
export interface Formula {
  formula: string;
  result: number;
}

/**
 * What a cell holds: text (always a string cell: `=…` stays text), a number, a date (stored as Excel's
 * serial number of its UTC fields — give it a date number format), or a formula. `null`, `undefined` and
 * `''` leave the cell empty (its style still applies).
 */
export type CellValue = string | number | Date | Formula | null | undefined;

/** A style's index in `styles.xml` (cellXfs), from {@link XlsxWriter.style}; 0 is the default. */
export type StyleId = number;

export interface Cell {
  value?: CellValue;
  style?: StyleId;
}

/** A cell's look; colours are ARGB hex (`FFDDEBF7`). */
export interface Style {
  font?: { name: string; size: number; bold?: boolean; charset?: number };
  /** A solid pattern fill of this colour. */
  fill?: string;
  /** The same border on all four sides. */
  border?: { style: 'thin'; color: string };
  alignment?: { horizontal?: 'left' | 'center' | 'right'; vertical?: 'top' | 'center' | 'bottom'; wrapText?: boolean };
  /** A number format code (`0.0%`, `yyyy-mm-dd hh:mm`, `#,##0`). */
  numFmt?: string;
}

/** Print setup of a sheet. */
export interface PrintSetup {
  /** Excel's paper size code: 9 is A4, 8 is A3. */
  paperSize?: number;
  orientation?: 'portrait' | 'landscape';
  /** Fit to this many pages wide and tall (0: as many as it takes). */
  fit?: { width: number; height: number };
  horizontalCentered?: boolean;
  /** In inches, as Excel keeps them. */
  margins?: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
  /** Rows printed at the top of every page (1-based, inclusive). */
  titleRows?: { first: number; last: number };
  /** The footer of every page, in Excel's header/footer codes (`&C第 &P 页，共 &N 页`). */
  footer?: string;
}

export interface SheetOptions {
  /** Column widths in characters, from column A. */
  widths?: readonly number[];
  /** The height of rows not given one, in points. */
  defaultRowHeight?: number;
  /** Columns at the left and rows at the top that stay in view when scrolling. */
  frozen?: { columns?: number; rows?: number };
  showGridLines?: boolean;
  print?: PrintSetup;
}

/** A 1-based, inclusive range of cells. */
export interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

const COLUMN_LETTERS: string[] = [];
/** `A` for 1, `Z` for 26, `AA` for 27 (Excel has 16,384 columns: XFD). */
export function columnLetter(n: number): string {
  let s = COLUMN_LETTERS[n];
  if (s === undefined) {
    if (!Number.isInteger(n) || n < 1 || n > 16_384) throw new RangeError(`column ${n} is outside A–XFD`);
    s = '';
    for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
    COLUMN_LETTERS[n] = s;
  }
  return s;
}

const ref = (r: Range): string => `${columnLetter(r.left)}${r.top}:${columnLetter(r.right)}${r.bottom}`;
const absolute = (r: Range): string => `$${columnLetter(r.left)}$${r.top}:$${columnLetter(r.right)}$${r.bottom}`;

// XML 1.0 cannot hold C0 controls but tab and line breaks, nor U+FFFE/FFFF: dropped (layout's `cellText`
// cleans text before, this keeps any part well-formed); CR as a reference, or a reader would make it LF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const SPECIAL = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const SPECIALS = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };
/** Text safe in XML content and in a double-quoted attribute. (Lone surrogates become U+FFFD in UTF-8.) */
function xmlText(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIALS, (c) => ENTITIES[c] ?? '') : s;
}

/** Excel's limit for the text of one cell; the layouts cut longer text (`cellText`), the writer refuses it. */
const CELL_TEXT_LIMIT = 32_767;
/** Days from Excel's epoch (1899-12-30, the 1900 system) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;
/** Number formats Excel knows by id (ECMA-376 §18.8.30); others get ids from 164. */
const BUILT_IN_FORMATS: Record<string, number> = { '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10 };

function number(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`a cell cannot hold ${n}`);
  return String(n);
}

function cellXml(r: string, cell: Cell): string {
  const s = cell.style ? ` s="${cell.style}"` : '';
  const v = cell.value;
  if (v === null || v === undefined || v === '') return s ? `<c r="${r}"${s}/>` : '';
  if (typeof v === 'string') {
    if (v.length > CELL_TEXT_LIMIT) throw new RangeError(`cell ${r} has ${v.length} characters, over Excel's ${CELL_TEXT_LIMIT}`);
    // Leading or trailing white space is kept only when asked to be.
    const keep = v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? ' xml:space="preserve"' : '';
    return `<c r="${r}"${s} t="inlineStr"><is><t${keep}>${xmlText(v)}</t></is></c>`;
  }
  if (typeof v === 'number') return `<c r="${r}"${s}><v>${number(v)}</v></c>`;
  if (v instanceof Date) return `<c r="${r}"${s}><v>${number(EXCEL_EPOCH_DAYS + v.getTime() / 86_400_000)}</v></c>`;
  return `<c r="${r}"${s}><f>${xmlText(v.formula)}</f><v>${number(v.result)}</v></c>`;
}

/** The fonts, fills, borders, number formats and cell formats used, each once, in the order first used. */
class Styles {
  private readonly fonts = new Map<string, number>([['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>', 0]]);
  // Excel requires these two fills first.
  private readonly fills = new Map<string, number>([
    ['<fill><patternFill patternType="none"/></fill>', 0],
    ['<fill><patternFill patternType="gray125"/></fill>', 1],
  ]);
  private readonly borders = new Map<string, number>([['<border><left/><right/><top/><bottom/><diagonal/></border>', 0]]);
  private readonly formats = new Map<string, number>();
  private readonly xfs = new Map<string, number>([['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>', 0]]);

  private static id(map: Map<string, number>, xml: string, first = map.size): number {
    const id = map.get(xml);
    if (id !== undefined) return id;
    map.set(xml, first);
    return first;
  }

  add(style: Style): StyleId {
    const { font, fill, border, alignment, numFmt } = style;
    const fontId = font
      ? Styles.id(
          this.fonts,
          `<font>${font.bold ? '<b/>' : ''}<sz val="${number(font.size)}"/><name val="${xmlText(font.name)}"/>${font.charset !== undefined ? `<charset val="${font.charset}"/>` : ''}</font>`,
        )
      : 0;
    const fillId = fill ? Styles.id(this.fills, `<fill><patternFill patternType="solid"><fgColor rgb="${xmlText(fill)}"/></patternFill></fill>`) : 0;
    const side = border && ` style="${border.style}"><color rgb="${xmlText(border.color)}"/>`;
    const borderId = side
      ? Styles.id(this.borders, `<border><left${side}</left><right${side}</right><top${side}</top><bottom${side}</bottom><diagonal/></border>`)
      : 0;
    const formatId = numFmt === undefined ? 0 : (BUILT_IN_FORMATS[numFmt] ?? Styles.id(this.formats, numFmt, 164 + this.formats.size));
    const align = alignment
      ? `<alignment${alignment.horizontal ? ` horizontal="${alignment.horizontal}"` : ''}${alignment.vertical ? ` vertical="${alignment.vertical}"` : ''}${alignment.wrapText ? ' wrapText="1"' : ''}/>`
      : '';
    const applies = `${formatId ? ' applyNumberFormat="1"' : ''}${fontId ? ' applyFont="1"' : ''}${fillId ? ' applyFill="1"' : ''}${borderId ? ' applyBorder="1"' : ''}${align ? ' applyAlignment="1"' : ''}`;
    const attrs = `numFmtId="${formatId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"${applies}`;
    return Styles.id(this.xfs, align ? `<xf ${attrs}>${align}</xf>` : `<xf ${attrs}/>`);
  }

  xml(): string {
    const list = (tag: string, map: Map<string, number>) => `<${tag} count="${map.size}">${[...map.keys()].join('')}</${tag}>`;
    const formats = [...this.formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${xmlText(code)}"/>`).join('');
    return `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">${formats ? `<numFmts count="${this.formats.size}">${formats}</numFmts>` : ''}${list('fonts', this.fonts)}${list('fills', this.fills)}${list('borders', this.borders)}<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>${list('cellXfs', this.xfs)}<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
  }
}

// ——— sheets and the workbook ———

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** One worksheet being written: rows go out as they are added; merges and the filter follow the rows. */
export class SheetWriter {
  private row = 0;
  private readonly merges: Range[] = [];
  private filter: Range | undefined;
  private ended = false;

  /** @internal Made by {@link XlsxWriter.addSheet}. */
  constructor(
    readonly name: string,
    private readonly part: ZipPart,
    private readonly options: SheetOptions,
    private readonly onEnd: (sheet: SheetWriter) => void,
  ) {}

  /** The number of the row the next `addRow` writes. */
  get nextRow(): number {
    return this.row + 1;
  }

  /** @internal The XML before the rows: page-setup flag, view (frozen panes), default row height, column widths. */
  head(index: number): string {
    const { frozen, print, widths, defaultRowHeight, showGridLines } = this.options;
    const x = frozen?.columns ?? 0;
    const y = frozen?.rows ?? 0;
    const pane = x > 0 && y > 0 ? 'bottomRight' : y > 0 ? 'bottomLeft' : 'topRight';
    const panes =
      x > 0 || y > 0
        ? `<pane${x ? ` xSplit="${x}"` : ''}${y ? ` ySplit="${y}"` : ''} topLeftCell="${columnLetter(x + 1)}${y + 1}" activePane="${pane}" state="frozen"/><selection pane="${pane}"/>`
        : '';
    const view = `<sheetView workbookViewId="0"${index === 0 ? ' tabSelected="1"' : ''}${showGridLines === false ? ' showGridLines="0"' : ''}>${panes}</sheetView>`;
    const format =
      defaultRowHeight !== undefined
        ? `<sheetFormatPr defaultRowHeight="${number(defaultRowHeight)}" customHeight="1"/>`
        : '<sheetFormatPr defaultRowHeight="15"/>';
    const cols = widths?.length
      ? `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${number(w)}" customWidth="1"/>`).join('')}</cols>`
      : '';
    return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${print?.fit ? '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' : ''}<sheetViews>${view}</sheetViews>${format}${cols}<sheetData>`;
  }

  /** Writes the next row (cells from column A; `undefined` skips a column); answers its number. */
  async addRow(cells: readonly (Cell | undefined)[], options: { height?: number } = {}): Promise<number> {
    this.live();
    const r = ++this.row;
    let xml = '';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell) xml += cellXml(`${columnLetter(i + 1)}${r}`, cell);
    }
    const height = options.height !== undefined ? ` ht="${number(options.height)}" customHeight="1"` : '';
    // An empty row without a height is no row at all (as Excel writes it).
    if (xml || height) await this.part.write(`<row r="${r}"${height}>${xml}</row>`);
    return r;
  }

  /** Merges a range (written after the rows); ranges may not overlap. */
  merge(range: Range): void {
    this.live();
    check(range);
    const overlapping = this.merges.find((m) => m.left <= range.right && range.left <= m.right && m.top <= range.bottom && range.top <= m.bottom);
    if (overlapping) throw new RangeError(`merge ${ref(range)} overlaps ${ref(overlapping)} on sheet ${this.name}`);
    this.merges.push(range);
  }

  /** An autofilter over a range (its first row holds the headers). */
  autoFilter(range: Range): void {
    this.live();
    check(range);
    this.filter = range;
  }

  private live(): void {
    if (this.ended) throw new Error(`sheet ${this.name} is ended`);
  }

  /** @internal What the workbook defines for this sheet: the filter's range, the print titles. */
  definedNames(index: number): string {
    const sheet = `'${xmlText(this.name).replaceAll("'", "''")}'`;
    const titles = this.options.print?.titleRows;
    return `${this.filter ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${index}" hidden="1">${sheet}!${absolute(this.filter)}</definedName>` : ''}${titles ? `<definedName name="_xlnm.Print_Titles" localSheetId="${index}">${sheet}!$${titles.first}:$${titles.last}</definedName>` : ''}`;
  }

  /** Closes the rows and writes what follows them, in CT_Worksheet's order; then the part ends. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const p = this.options.print ?? {};
    const m = p.margins;
    const setup = `${p.paperSize !== undefined ? ` paperSize="${p.paperSize}"` : ''}${p.orientation ? ` orientation="${p.orientation}"` : ''}${p.fit ? ` fitToWidth="${p.fit.width}" fitToHeight="${p.fit.height}"` : ''}`;
    await this.part.write(
      `</sheetData>${this.filter ? `<autoFilter ref="${ref(this.filter)}"/>` : ''}${
        this.merges.length ? `<mergeCells count="${this.merges.length}">${this.merges.map((r) => `<mergeCell ref="${ref(r)}"/>`).join('')}</mergeCells>` : ''
      }${p.horizontalCentered ? '<printOptions horizontalCentered="1"/>' : ''}${
        m
          ? `<pageMargins left="${number(m.left)}" right="${number(m.right)}" top="${number(m.top)}" bottom="${number(m.bottom)}" header="${number(m.header)}" footer="${number(m.footer)}"/>`
          : ''
      }${setup ? `<pageSetup${setup}/>` : ''}${p.footer ? `<headerFooter><oddFooter>${xmlText(p.footer)}</oddFooter></headerFooter>` : ''}</worksheet>`,
    );
    await this.part.close();
    this.onEnd(this);
  }
}

function check(r: Range): void {
  if (![r.top, r.left, r.bottom, r.right].every((n) => Number.isInteger(n) && n >= 1) || r.bottom < r.top || r.right < r.left)
    throw new RangeError(`not a range: ${JSON.stringify(r)}`);
}

/** Excel's rules for a sheet name. */
function checkSheetName(name: string, taken: readonly SheetWriter[]): void {
  if (name.length < 1 || name.length > 31 || /[:\\/?*[\]]/.test(name) || name.startsWith("'") || name.endsWith("'"))
    throw new RangeError(`not a sheet name Excel accepts: ${JSON.stringify(name)}`);
  if (taken.some((s) => s.name.toLowerCase() === name.toLowerCase())) throw new RangeError(`two sheets named ${name}`);
}

/** What the workbook says about itself (docProps): who made it and when — the `created` date is the file's only time. */
export interface WorkbookProperties {
  creator: string;
  created: Date;
  modified?: Date;
}

/**
 * A workbook streamed to `out`: `addSheet`, its rows, its `end()`, the next sheet; then `end()` writes
 * the styles, the workbook, the relationships, the content types and the document properties, the zip's
 * central directory, and ends `out`.
 */
export class XlsxWriter {
  private readonly zip: Zip;
  private readonly styles = new Styles();
  private readonly sheets: SheetWriter[] = [];
  private open: SheetWriter | undefined;

  constructor(
    out: Writable,
    private readonly properties: WorkbookProperties,
    /** @internal Smaller limits let a test see the refusal without writing 4 GiB. */
    limits = ZIP32_LIMITS,
  ) {
    this.zip = new Zip(out, properties.created, limits);
  }

  /** The id of a style (the same look, the same id): register once, use for many cells. */
  style(style: Style): StyleId {
    return this.styles.add(style);
  }

  /** Starts the next sheet (the one before must be ended). */
  async addSheet(name: string, options: SheetOptions = {}): Promise<SheetWriter> {
    if (this.open) throw new Error(`end sheet ${this.open.name} before adding ${name}`);
    checkSheetName(name, this.sheets);
    const index = this.sheets.length;
    const part = await this.zip.open(`xl/worksheets/sheet${index + 1}.xml`);
    const sheet = new SheetWriter(name, part, options, () => {
      this.open = undefined;
    });
    this.sheets.push(sheet);
    this.open = sheet;
    await part.write(sheet.head(index));
    return sheet;
  }

  /** Ends the open sheet, writes the workbook's other parts and the zip's directory, and ends the output. */
  async end(): Promise<void> {
    await this.open?.end();
    if (this.sheets.length === 0) throw new Error('a workbook needs at least one sheet');
    const n = this.sheets.length;
    const sheets = this.sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
    const names = this.sheets.map((s, i) => s.definedNames(i)).join('');
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const { creator, created, modified = created } = this.properties;
    const ct = 'application/vnd.openxmlformats-';
    const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`;
    await this.zip.file('xl/styles.xml', this.styles.xml());
    await this.zip.file(
      'xl/workbook.xml',
      `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheets}</sheets>${names ? `<definedNames>${names}</definedNames>` : ''}</workbook>`,
    );
    await this.zip.file(
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${this.sheets.map((_, i) => rel(`rId${i + 1}`, `${REL_NS}/worksheet`, `worksheets/sheet${i + 1}.xml`)).join('')}${rel(`rId${n + 1}`, `${REL_NS}/styles`, 'styles.xml')}</Relationships>`,
    );
    await this.zip.file(
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${rel('rId1', `${REL_NS}/officeDocument`, 'xl/workbook.xml')}${rel('rId2', `${PKG_REL_NS}/metadata/core-properties`, 'docProps/core.xml')}${rel('rId3', `${REL_NS}/extended-properties`, 'docProps/app.xml')}</Relationships>`,
    );
    await this.zip.file(
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="${ct}package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${ct}officedocument.spreadsheetml.sheet.main+xml"/>${this.sheets
        .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${ct}officedocument.spreadsheetml.worksheet+xml"/>`)
        .join(
          '',
        )}<Override PartName="/xl/styles.xml" ContentType="${ct}officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="${ct}package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="${ct}officedocument.extended-properties+xml"/></Types>`,
    );
    await this.zip.file(
      'docProps/core.xml',
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>${xmlText(creator)}</dc:creator><cp:lastModifiedBy>${xmlText(creator)}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">${iso(created)}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${iso(modified)}</dcterms:modified></cp:coreProperties>`,
    );
    await this.zip.file(
      'docProps/app.xml',
      `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>${xmlText(creator)}</Application><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${n}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="${n}" baseType="lpstr">${this.sheets.map((s) => `<vt:lpstr>${xmlText(s.name)}</vt:lpstr>`).join('')}</vt:vector></TitlesOfParts></Properties>`,
    );
    await this.zip.end();
  }
}
