/**
 * The two layouts of seed 000 §七 — 《客户投诉大类汇总统计表》 (附件4) and the 明细报表 of 投诉 / 重复投诉 / 重处理
 * (附件5) — defined once, so the XLSX (`xlsx.ts`) and the CSV (`csv.ts`) cannot drift apart. The seed does
 * not give the attachments' formats; these follow how a Chinese complaint centre's monthly tables look: a
 * title, the period, the unit, the time generated, and the calendar and formula versions at the foot
 * (docs/decisions/061-report-exports-and-monthly-snapshot.md). Pure: no I/O.
 */
import { localDate, localTime } from '#domain/calendar/calendar.ts';
import { maskFreeText } from '#domain/masking.ts';
import { CATEGORIES, CATEGORY_LABELS, type Category, KIND_LABELS, SEVERITY_LABELS, type Severity, STATUS_LABELS, type Status } from '#domain/model.ts';
import {
  type Counts,
  type DetailRow,
  type IndicatorValue,
  RECEIVED_TYPE_LABELS,
  RECEIVED_TYPES,
  type ReceivedType,
  type Report,
} from '#domain/report-model.ts';

export const SUMMARY_TITLE = '客户投诉大类汇总统计表';
export const DETAIL_TITLE = '投诉明细报表';
export const NOTES_TITLE = '指标说明';
/** The 受理类型 the detail list holds, one sheet each (seed 000 §七: 投诉、重复投诉、重处理). */
export const DETAIL_TYPES = ['complaint', 'repeat', 'reprocess'] as const satisfies readonly ReceivedType[];

/**
 * The counter names the summary reads from `Counts` (report-model.ts: “names are the counter names”).
 * Received by type is `received.<type>`; the statistics helper's counters must use these names.
 */
export const receivedKey = (type: ReceivedType): string => `received.${type}`;
export const COUNT_COLUMNS: readonly {
  key: string;
  header: string;
  group: string;
}[] = [
  ...RECEIVED_TYPES.map((t) => ({
    key: receivedKey(t),
    header: RECEIVED_TYPE_LABELS[t],
    group: '受理量',
  })),
  { key: 'closed', header: '办结', group: '处理情况' },
  { key: 'withdrawn', header: '撤诉', group: '处理情况' },
  { key: 'suspended', header: '暂结', group: '处理情况' },
];
/** Where the 受理合计 column goes: right after the received types. */
export const RECEIVED_TOTAL_HEADER = '受理合计';

/** Received of one cell or row: the sum over the types. */
export function receivedTotal(counts: Counts): number {
  return RECEIVED_TYPES.reduce((sum, t) => sum + (counts[receivedKey(t)] ?? 0), 0);
}

/** The indicator columns of a report: every indicator the report carries, in the order of its total row. */
export function indicatorColumns(report: Report): { id: string; header: string; target?: number }[] {
  const seen = new Map<string, { id: string; header: string; target?: number }>();
  const add = (list: IndicatorValue[]) => {
    for (const i of list)
      if (!seen.has(i.id))
        seen.set(i.id, {
          id: i.id,
          header: i.target !== undefined ? `${i.name}（目标${Math.round(i.target * 100)}%）` : i.name,
          ...(i.target !== undefined && { target: i.target }),
        });
  };
  add(report.total.indicators);
  for (const r of report.byCategory) add(r.indicators);
  for (const r of report.byUnit) add(r.indicators);
  return [...seen.values()];
}

/** One summary row: a label, its counts and its indicators (absent for the unit × category matrix). */
export interface SummaryLine {
  label: string;
  counts: Counts;
  indicators: IndicatorValue[];
  total?: boolean;
}

/** Every category in the taxonomy's order (zeros where the report has none), then the total. */
export function categoryLines(report: Report): SummaryLine[] {
  const by = new Map(report.byCategory.map((r) => [r.category, r]));
  return [
    ...CATEGORIES.map((c) => ({
      label: CATEGORY_LABELS[c],
      counts: by.get(c)?.counts ?? {},
      indicators: by.get(c)?.indicators ?? [],
    })),
    {
      label: '合计',
      counts: report.total.counts,
      indicators: report.total.indicators,
      total: true,
    },
  ];
}

/** Every unit of the report by name, then the total. */
export function unitLines(report: Report): SummaryLine[] {
  return [
    ...report.byUnit.map((u) => ({
      label: u.unitName,
      counts: u.counts,
      indicators: u.indicators,
    })),
    {
      label: '合计',
      counts: report.total.counts,
      indicators: report.total.indicators,
      total: true,
    },
  ];
}

/** The unit × category matrix of received cases: rows are categories, columns the report's units. */
export function matrix(report: Report): {
  units: { id: string; name: string }[];
  rows: { category: Category; label: string; values: number[] }[];
} {
  const units = report.byUnit.map((u) => ({ id: u.unitId, name: u.unitName }));
  const cell = new Map(report.cells.map((c) => [`${c.unitId}|${c.category}`, receivedTotal(c.counts)]));
  return {
    units,
    rows: CATEGORIES.map((category) => ({
      category,
      label: CATEGORY_LABELS[category],
      values: units.map((u) => cell.get(`${u.id}|${category}`) ?? 0),
    })),
  };
}

/** The rate of an indicator of a row, or null (no denominator, or the row does not carry it). */
export function rateOf(indicators: IndicatorValue[], id: string): number | null {
  return indicators.find((i) => i.id === id)?.rate ?? null;
}

/** `2026年10月26日` from `2026-10-26`. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** `2026-11-26 01:00` in Shanghai. */
export function shanghaiDateTime(instant: string | Date): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return `${localDate(d)} ${localTime(d)}`;
}

/** The heading lines every layout starts with. */
/** What the heading and the foot of any layout need from a report. */
export type Heading = Pick<Report, 'period' | 'generatedAt' | 'calendarVersion' | 'formulaVersion'> & Partial<Pick<Report, 'unitId' | 'byUnit' | 'snapshot'>>;

export function headingLines(report: Heading, organisation: string): { period: string; unit: string; generated: string } {
  const unit = report.unitId ? (report.byUnit?.find((u) => u.unitId === report.unitId)?.unitName ?? report.unitId) : '全部处理单位';
  return {
    period: `统计周期：${chineseDate(report.period.fromDate)}至${chineseDate(report.period.toDate)}（${report.period.label}）`,
    unit: `统计单位：${organisation}（${unit}）`,
    generated: `生成时间：${shanghaiDateTime(report.generatedAt)}（北京时间）`,
  };
}

/** The foot every layout ends with: the versions the figures were computed with (a snapshot keeps both). */
export function footLines(report: Heading): string[] {
  return [
    `日历版本：${report.calendarVersion}；公式版本：${report.formulaVersion}${report.snapshot ? `；月度快照，${shanghaiDateTime(report.snapshot.closedAt)} 封存，不再变动` : ''}`,
    '注：统计周期为上月26日至本月25日（seed 000 §七）；比率 = 分子 ÷ 分母，分母为 0 时记“—”；各指标定义见《指标说明》。',
  ];
}

/** Every indicator of ../INDICATORS.md with its Chinese definition and source, for the 指标说明 sheet. */
export const INDICATOR_NOTES: readonly {
  name: string;
  definition: string;
  target?: string;
  source: string;
}[] = [
  {
    name: '受理量',
    definition: '统计周期内受理的投诉，按受理类型（投诉、重复投诉、重处理、投诉升级；查询、意见反映）分列',
    source: 'seed 000',
  },
  { name: '办结率', definition: '本期办结量 ÷ 本期应办结量', source: '12345' },
  {
    name: '按时签收率',
    definition: '转发后20个工作分钟内签收的 ÷ 转发量',
    source: 'seed 000、12345',
  },
  {
    name: '退回率',
    definition: '因转发错误被退回的（须说明理由并经裁定）÷ 转发量',
    source: '12345',
  },
  {
    name: '延期率',
    definition: '批准延期的 ÷ 应答复量',
    source: 'seed 002、12345',
  },
  {
    name: '及时率',
    definition: '按时完成的环节（含批准延期）÷ 本期到期的环节，按环节分列',
    target: '100%',
    source: 'seed 000',
  },
  {
    name: '按时办结率',
    definition: '在答复时限内（含延期）办结的 ÷ 办结量',
    source: '12345',
  },
  {
    name: '答复有效率',
    definition: '回访认可、未重处理的答复 ÷ 答复量',
    target: '100%',
    source: 'seed 000',
  },
  {
    name: '回访率',
    definition: '回访成功或依规免回访的 ÷ 办结量',
    source: 'seed 000、12345',
  },
  {
    name: '满意率',
    definition: '（满意 + 认可）÷ 回访成功量',
    source: 'seed 000、12345',
  },
  {
    name: '重复投诉率',
    definition: '至少有一次重复投诉的 ÷ 受理量',
    source: 'seed 000',
  },
  {
    name: '重处理率',
    definition: '回访不满意后重新转发处理的 ÷ 答复量',
    source: 'seed 000、12345',
  },
  {
    name: '投诉升级量',
    definition: '反映到上级或监管部门（12305、12345、12315、省公司、集团公司、信访、媒体）的投诉',
    source: 'seed 000',
  },
  {
    name: '有理由投诉率',
    definition: '认定为有理由投诉的 ÷ 办结量',
    source: 'seed 000',
  },
  {
    name: '整改按时率',
    definition: '在月度通报后5日内提交分析整改表的 ÷ 应提交量',
    source: 'seed 000',
  },
  {
    name: '超时量',
    definition: '按级别：预警（80%）、超时、超时后1个工作日仍未处理的升级',
    source: 'SPEC',
  },
  {
    name: '赔偿',
    definition: '赔偿申请件数、拟赔与实赔金额、结案用时',
    source: 'seed 001',
  },
  {
    name: '12305有效申诉率',
    definition: '企业有责的申诉 ÷ 申诉量（已知业务量时按每百万件计）',
    source: '监管通报',
  },
];

const CHANNEL_LABELS: Record<string, string> = {
  web: '网上',
  sms: '短信',
  ivr: '语音',
  phone: '电话',
  walk_in: '来访',
  letter: '来信',
  transfer: '转办',
};
const CALLBACK_LABELS: Record<string, string> = {
  satisfied: '满意',
  accepted: '认可',
  dissatisfied: '不满意',
  waived: '免回访',
  unreachable: '未联系上',
};
const yesNo = (b: boolean | null): string => (b === null ? '' : b ? '是' : '否');

/** A detail column: its header, width in Excel characters, and the cell of a row. */
export interface DetailColumn {
  header: string;
  width: number;
  kind: 'text' | 'number' | 'datetime';
  /** Short codes and yes/no read best centred. */
  center?: true;
  value: (row: DetailRow, index: number) => string | number | null;
}

/**
 * The 明细报表 columns. Free text is masked again here (decision 034's one masker): the source promises masked
 * rows, and an export is the last place a phone number in a complainant's own words could leak from.
 */
export const DETAIL_COLUMNS: readonly DetailColumn[] = [
  {
    header: '序号',
    width: 7,
    center: true,
    kind: 'number',
    value: (_r, i) => i + 1,
  },
  { header: '受理单号', width: 22, kind: 'text', value: (r) => r.complaintId },
  {
    header: '查询码',
    width: 11,
    center: true,
    kind: 'text',
    value: (r) => r.trackingCode,
  },
  {
    header: '受理类型',
    width: 10,
    center: true,
    kind: 'text',
    value: (r) => RECEIVED_TYPE_LABELS[r.receivedType] ?? r.receivedType,
  },
  {
    header: '业务类别',
    width: 10,
    center: true,
    kind: 'text',
    value: (r) => KIND_LABELS[r.kind] ?? r.kind,
  },
  {
    header: '受理时间',
    width: 17,
    center: true,
    kind: 'datetime',
    value: (r) => r.receivedAt,
  },
  {
    header: '渠道',
    width: 7,
    center: true,
    kind: 'text',
    value: (r) => CHANNEL_LABELS[r.channel] ?? r.channel,
  },
  {
    header: '投诉大类',
    width: 16,
    kind: 'text',
    value: (r) => CATEGORY_LABELS[r.category] ?? r.category,
  },
  {
    header: '严重程度',
    width: 9,
    center: true,
    kind: 'text',
    value: (r) => SEVERITY_LABELS[r.severity as Severity] ?? r.severity,
  },
  {
    header: '处理单位',
    width: 18,
    kind: 'text',
    value: (r) => r.unitName ?? r.unitId ?? '未转发',
  },
  {
    header: '状态',
    width: 16,
    kind: 'text',
    value: (r) => STATUS_LABELS[r.status as Status] ?? r.status,
  },
  {
    header: '轮次',
    width: 6,
    center: true,
    kind: 'number',
    value: (r) => r.round,
  },
  {
    header: '客户姓名',
    width: 10,
    kind: 'text',
    value: (r) => r.complainantName,
  },
  {
    header: '联系电话',
    width: 14,
    kind: 'text',
    value: (r) => maskFreeText(r.complainantPhone),
  },
  {
    header: '邮件号',
    width: 17,
    kind: 'text',
    value: (r) => r.itemNumber ?? '',
  },
  {
    header: '投诉内容摘要',
    width: 60,
    kind: 'text',
    value: (r) => maskFreeText(r.summary, { name: r.complainantName }),
  },
  {
    header: '答复时间',
    width: 17,
    center: true,
    kind: 'datetime',
    value: (r) => r.repliedAt,
  },
  {
    header: '办结时间',
    width: 17,
    center: true,
    kind: 'datetime',
    value: (r) => r.closedAt,
  },
  {
    header: '回访结果',
    width: 10,
    center: true,
    kind: 'text',
    value: (r) => (r.callbackResult === null ? '' : (CALLBACK_LABELS[r.callbackResult] ?? r.callbackResult)),
  },
  {
    header: '有理由投诉',
    width: 10,
    center: true,
    kind: 'text',
    value: (r) => yesNo(r.justified),
  },
  {
    header: '是否及时',
    width: 9,
    center: true,
    kind: 'text',
    value: (r) => yesNo(r.onTime),
  },
];

/** Excel's limit for the text of one cell. */
export const CELL_TEXT_LIMIT = 32_767;

/**
 * Text that is safe in a cell: no characters XML 1.0 forbids (C0 controls but tab and line breaks; a broken
 * workbook otherwise) nor C1 controls, no lone surrogates, and no more than Excel holds in a cell (cut on a
 * code point, marked). Tab and line breaks stay; CR LF becomes LF.
 */
export function cellText(text: string): string {
  let out = text
    .replace(/\r\n?/g, '\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  if (out.length > CELL_TEXT_LIMIT) {
    const mark = '…（超长截断）';
    let cut = CELL_TEXT_LIMIT - mark.length;
    if (/[\uD800-\uDBFF]/.test(out.charAt(cut - 1))) cut--;
    out = out.slice(0, cut) + mark;
  }
  return out;
}

/** An ISO instant as the Shanghai wall-clock time in a `Date` whose UTC fields are that time (how Excel keeps dates). */
export function excelLocalDate(instant: string): Date {
  return new Date(new Date(instant).getTime() + 8 * 3600_000);
}
