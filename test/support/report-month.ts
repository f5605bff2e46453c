/**
 * A realistic month of complaints as the exports see it — a `Report` and its `DetailRow`s — from a fixed seed,
 * for the export tests, `scripts/sample-report.ts` and `bench/exports.ts`. Also {@link InMemoryReportSource}:
 * a test double of the `ReportSource` port (report-model.ts) over fixed reports, so the snapshot use case is
 * tested without the statistics counters (issue 12 item 4 builds those).
 *
 * The counts use the exports' names (`received.<type>`, `closed`, …, layout.ts) plus fixture-only numerators
 * and denominators; the indicators are computed from them here, the way the statistics use case will.
 */
import { directory } from '#config/index.ts';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '#domain/model.ts';
import type { Counts, DetailRow, IndicatorValue, ReceivedType, Report, ReportPeriod, ReportQuery, ReportSource } from '#domain/report-model.ts';
import { receivedKey } from '#reports/layout.ts';

/** mulberry32: a small seeded PRNG, the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The statistics month ending on the 25th of `month` (1–12) of `year`: the 26th before to the 25th. */
export function monthPeriod(year: number, month: number): ReportPeriod {
  const pad = (n: number) => String(n).padStart(2, '0');
  const py = month === 1 ? year - 1 : year;
  const pm = month === 1 ? 12 : month - 1;
  const fromDate = `${py}-${pad(pm)}-26`;
  const toDate = `${year}-${pad(month)}-25`;
  return {
    label: `${year}-${pad(month)}`,
    fromDate,
    toDate,
    from: new Date(`${fromDate}T00:00:00+08:00`).toISOString(),
    to: new Date(`${year}-${pad(month)}-26T00:00:00+08:00`).toISOString(),
  };
}

const INDICATORS: {
  id: string;
  name: string;
  num: string;
  den: string;
  target?: number;
}[] = [
  { id: 'close_rate', name: '办结率', num: 'closed', den: 'due_to_close' },
  {
    id: 'sign_on_time',
    name: '按时签收率',
    num: 'signed_on_time',
    den: 'dispatched',
  },
  {
    id: 'on_time',
    name: '及时率',
    num: 'milestones_met',
    den: 'milestones_due',
    target: 1,
  },
  {
    id: 'reply_effective',
    name: '答复有效率',
    num: 'replies_accepted',
    den: 'replies',
    target: 1,
  },
  { id: 'callback_rate', name: '回访率', num: 'callbacks_done', den: 'closed' },
  {
    id: 'satisfaction',
    name: '满意率',
    num: 'satisfied',
    den: 'callbacks_reached',
  },
  {
    id: 'repeat_rate',
    name: '重复投诉率',
    num: 'with_repeat',
    den: 'received',
  },
  {
    id: 'reprocess_rate',
    name: '重处理率',
    num: 'reprocessed',
    den: 'replies',
  },
  {
    id: 'justified_rate',
    name: '有理由投诉率',
    num: 'justified',
    den: 'closed',
  },
];

export function indicatorsOf(counts: Counts): IndicatorValue[] {
  return INDICATORS.map((i) => {
    const numerator = counts[i.num] ?? 0;
    const denominator = counts[i.den] ?? 0;
    return {
      id: i.id,
      name: i.name,
      numerator,
      denominator,
      rate: denominator === 0 ? null : numerator / denominator,
      ...(i.target !== undefined && { target: i.target }),
    };
  });
}

const add = (into: Counts, from: Counts) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** A report from its cells: rows and the total are the sums of the cells, indicators computed from them. */
export function reportFromCells(
  period: ReportPeriod,
  cells: Report['cells'],
  opts: { generatedAt: string; unitId?: string } = { generatedAt: period.to },
): Report {
  const units = new Map<string, { name: string; counts: Counts }>();
  const categories = new Map<Category, Counts>();
  const total: Counts = {};
  for (const c of cells) {
    const u = units.get(c.unitId) ?? { name: c.unitName, counts: {} };
    add(u.counts, c.counts);
    units.set(c.unitId, u);
    const cat = categories.get(c.category) ?? {};
    add(cat, c.counts);
    categories.set(c.category, cat);
    add(total, c.counts);
  }
  return {
    period,
    ...(opts.unitId !== undefined && { unitId: opts.unitId }),
    cells,
    byUnit: [...units].map(([unitId, u]) => ({
      unitId,
      unitName: u.name,
      counts: u.counts,
      indicators: indicatorsOf(u.counts),
    })),
    byCategory: CATEGORIES.filter((c) => categories.has(c)).map((category) => ({
      category,
      categoryName: CATEGORY_LABELS[category],
      counts: categories.get(category) ?? {},
      indicators: indicatorsOf(categories.get(category) ?? {}),
    })),
    total: { counts: total, indicators: indicatorsOf(total) },
    calendarVersion: 'holidays-cn 2026.1+provisional 2027',
    formulaVersion: 'indicators-v1',
    generatedAt: opts.generatedAt,
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const TEXTS: Record<Category, string[]> = {
  loss: ['寄往北京的文件查询显示已签收，但收件人没有收到，要求查明去向', '包裹在转运中心停滞后丢失，内有合同原件'],
  delay: ['邮件寄出十天还没到，急用，物流信息三天未更新', '特快专递承诺次日达，第四天才投递'],
  damage: ['收到的箱子破损，里面的陶瓷杯碎了两个', '外包装完好但内件短少一件衬衣'],
  wrong_delivery: ['投递员未经同意放在快递柜，也没有通知', '邮件被他人代签，本人并不认识签收人'],
  attitude: ['营业员态度恶劣，拒绝解释资费标准', '投递员电话中语气很差，挂断电话'],
  notification: ['邮件到达后没有任何短信或电话通知，超期被退回', '没有收到取件通知，过了保管期'],
  fee: ['同样重量两次收费不同，要求退还多收的费用', '到付邮件收取了额外的上楼费'],
  privacy: ['收到陌生推销电话，对方知道我的快递信息', '面单信息被随意丢弃在小区门口'],
  harassment: ['投递员多次深夜打电话', '收到与邮件无关的骚扰短信'],
  other: ['建议增加周末营业时间', '网点搬迁后没有公告'],
};

/** A month's worth of detail rows (masked as the source promises) and the report their counts make. */
export function sampleMonth(opts: { seed?: number; complaints?: number; year?: number; month?: number } = {}): { report: Report; rows: DetailRow[] } {
  const random = prng(opts.seed ?? 20261125);
  const period = monthPeriod(opts.year ?? 2026, opts.month ?? 11);
  const units = directory.units;
  const n = opts.complaints ?? 240;
  const start = new Date(period.from).getTime();
  const span = new Date(period.to).getTime() - start;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const cells = new Map<string, Report['cells'][number]>();
  const rows: DetailRow[] = [];
  const times = Array.from({ length: n }, () => start + Math.floor(random() * span)).sort((a, b) => a - b);
  times.forEach((t, i) => {
    const unit = pick(units);
    // Delays and losses dominate a parcel network's complaints; every category appears.
    const category: Category = i < CATEGORIES.length ? (CATEGORIES[i] as Category) : random() < 0.35 ? 'delay' : random() < 0.3 ? 'loss' : pick(CATEGORIES);
    const r = random();
    const receivedType: ReceivedType =
      r < 0.72 ? 'complaint' : r < 0.82 ? 'repeat' : r < 0.89 ? 'reprocess' : r < 0.93 ? 'escalated' : r < 0.97 ? 'inquiry' : 'feedback';
    const closed = random() < 0.86;
    const replied = closed || random() < 0.5;
    const onTime = random() < 0.93;
    const reached = closed && random() < 0.9;
    const satisfied = reached && random() < 0.88;
    const justified = closed ? random() < 0.3 : null;
    const key = `${unit.id}|${category}`;
    const cell = cells.get(key) ?? {
      unitId: unit.id,
      unitName: unit.name,
      category,
      counts: {},
    };
    const inc = (k: string, by = 1) => {
      cell.counts[k] = (cell.counts[k] ?? 0) + by;
    };
    inc(receivedKey(receivedType));
    inc('received');
    inc('dispatched');
    if (random() < 0.95) inc('signed_on_time');
    inc('due_to_close');
    if (closed) inc('closed');
    inc('milestones_due', 3);
    inc('milestones_met', onTime ? 3 : 2);
    if (replied) inc('replies');
    if (replied && receivedType !== 'reprocess' && satisfied) inc('replies_accepted');
    if (closed) inc('callbacks_done', reached ? 1 : random() < 0.5 ? 1 : 0);
    if (reached) inc('callbacks_reached');
    if (satisfied) inc('satisfied');
    if (receivedType === 'repeat') inc('with_repeat');
    if (receivedType === 'reprocess') inc('reprocessed');
    if (justified) inc('justified');
    if (!closed && random() < 0.2) inc('suspended');
    if (!closed && random() < 0.1) inc('withdrawn');
    cells.set(key, cell);
    const receivedAt = new Date(t).toISOString();
    const surname = pick(SURNAMES);
    const phoneTail = String(Math.floor(random() * 100)).padStart(2, '0');
    if ((['complaint', 'repeat', 'reprocess'] as ReceivedType[]).includes(receivedType)) {
      rows.push({
        complaintId: `C${receivedAt.slice(0, 10).replace(/-/g, '')}${String(i + 1).padStart(6, '0')}`,
        trackingCode: `T${(i * 7919 + 1000).toString(36).toUpperCase().padStart(6, '0')}`,
        receivedType,
        kind: 'complaint',
        receivedAt,
        channel: pick(['web', 'sms', 'ivr', 'phone', 'phone', 'walk_in']),
        category,
        severity: random() < 0.08 ? 'major' : 'general',
        unitId: unit.id,
        unitName: unit.name,
        status: closed ? 'closed' : replied ? 'replied' : 'dispatched',
        round: receivedType === 'reprocess' ? 2 : 1,
        complainantName: `${surname}*`,
        complainantPhone: `138****${String(Math.floor(random() * 100)).padStart(2, '0')}${phoneTail}`,
        itemNumber: `E${String(Math.floor(random() * 1e8)).padStart(8, '0')}CN`,
        summary: pick(TEXTS[category]),
        repliedAt: replied ? new Date(t + 2 * 86400_000).toISOString() : null,
        closedAt: closed ? new Date(t + 3 * 86400_000).toISOString() : null,
        callbackResult: closed ? (reached ? (satisfied ? 'satisfied' : 'dissatisfied') : 'unreachable') : null,
        justified,
        onTime,
      });
    }
  });
  return {
    report: reportFromCells(period, [...cells.values()], {
      generatedAt: new Date(new Date(period.to).getTime() + 3600_000).toISOString(),
    }),
    rows,
  };
}

/** `n` detail rows of one type, generated on the fly (never all in memory): the 100k export bench. */
export async function* manyRows(n: number, type: ReceivedType, seed = 7): AsyncGenerator<DetailRow> {
  const { rows } = sampleMonth({ seed, complaints: 400 });
  const base = rows.filter((r) => r.receivedType === 'complaint');
  for (let i = 0; i < n; i++) {
    const r = base[i % base.length] as DetailRow;
    yield { ...r, complaintId: `${r.complaintId}-${i}`, receivedType: type };
  }
}

/**
 * A test double of the `ReportSource` port: answers the reports it was given (by period label) and
 * filters the given detail rows by period and type. Records each query, so a test can see what was read.
 */
export class InMemoryReportSource implements ReportSource {
  readonly queries: ReportQuery[] = [];
  constructor(
    private readonly reports: Map<string, Report>,
    private readonly rows: DetailRow[] = [],
  ) {}

  async report(query: ReportQuery): Promise<Report> {
    this.queries.push(query);
    const report = this.reports.get(query.period.label);
    if (report) return structuredClone(report);
    return reportFromCells(query.period, [], { generatedAt: query.period.to });
  }

  async *details(query: ReportQuery & { types: readonly ReceivedType[] }): AsyncIterable<DetailRow> {
    for (const r of this.rows) if (query.types.includes(r.receivedType) && r.receivedAt >= query.period.from && r.receivedAt < query.period.to) yield r;
  }
}
