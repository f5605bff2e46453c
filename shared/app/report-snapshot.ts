/**
 * The monthly snapshot (SPEC "Quality": “The monthly report reaches the quality manager by e-mail on the 26th. A
 * closed month is a snapshot that does not change.”; seed 000 §七; docs/decisions/061), run by the scheduled
 * function `functions/report-snapshot` every day at 01:00 Asia/Shanghai:
 * 1. For each statistics month (26th–25th) that has ended — the one that ended this 26th, and the
 *    {@link CATCH_UP_MONTHS} before it, so a run missed on the 26th is made up the next day — that has no
 *    snapshot yet: read the month's report through the `ReportSource` port, stamp it closed, write the monthly
 *    workbook (汇总统计表 + 指标说明 + 明细报表) to the report store (S3; `DATA_DIR/reports/` locally), then put the
 *    snapshot item `SNAP#<period>` with the report, the calendar and formula versions and the workbook's key and
 *    checksum — a conditional put, never an overwrite: a second run, or two at once, leaves the first.
 * 2. For each closed month not yet e-mailed: claim the e-mail (a lease, so two runs never both send), send the
 *    XLSX to the directory's quality managers, record it sent. A crash between the send and the record sends
 *    again after the lease — once too often rather than never.
 * The report JSON goes into the item when the item stays under {@link SNAPSHOT_ITEM_BUDGET} by DynamoDB's own
 * size rules (`item-size.ts`); otherwise into the report store beside the workbook, the item keeping its key.
 */
import { createHash } from 'node:crypto';
import { localDate } from '#domain/calendar/calendar.ts';
import type { Report, ReportPeriod, ReportSource } from '#domain/report-model.ts';
import { RECEIVED_TYPE_LABELS, RECEIVED_TYPES } from '#domain/report-model.ts';
import { receivedKey, receivedTotal } from '#reports/layout.ts';
import { summaryWorkbook, toBuffer, writeMonthlyWorkbook, type WorkbookMeta } from '#reports/xlsx.ts';
import type { ArchiveStore } from './ports.ts';
import type { Clock, Mailer } from './ports.ts';
import type { SnapshotRecord, SnapshotStore } from './ports.ts';

/** Months before the one just ended that a run still closes when they were missed. */
export const CATCH_UP_MONTHS = 2;
/** The item may hold the report inline up to this size (DynamoDB's limit is 400 KB; room for the rest). */
export const SNAPSHOT_ITEM_BUDGET = 300 * 1024;
/** Larger workbooks go out as the summary alone, the full file staying in the report store (SES allows 40 MB). */
export const ATTACHMENT_LIMIT_BYTES = 10 * 1024 * 1024;
/** How long a run holds the e-mail of a month before another run may send it. */
export const MAIL_LEASE_MILLIS = 15 * 60_000;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ReportSnapshotDeps {
  source: ReportSource;
  snapshots: SnapshotStore;
  /** The workbooks (and oversized reports): S3 in AWS, `DATA_DIR/reports/` locally. */
  files: ArchiveStore;
  mailer: Mailer;
  /** The quality managers' addresses (the directory knows them) and the organisation's name. */
  recipients: () => Promise<{ to: string[]; organisation: string }>;
  clock: Clock;
  attachmentLimitBytes?: number;
  /** The first month to close (`2026-11`): a fresh deployment does not close, nor mail, the months before it. */
  since?: string;
}

export interface SnapshotRunResult {
  closed: string[];
  /** Already closed by an earlier run (or a concurrent one): nothing written. */
  unchanged: string[];
  mailed: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The statistics month that ends on the 25th of `month` of `year` (seed 000 §七: 上月26日至本月25日). */
export function statisticsMonth(year: number, month: number): ReportPeriod {
  const py = month === 1 ? year - 1 : year;
  const pm = month === 1 ? 12 : month - 1;
  const fromDate = `${py}-${pad(pm)}-26`;
  const instant = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
  return { label: `${year}-${pad(month)}`, fromDate, toDate: `${year}-${pad(month)}-25`, from: instant(fromDate), to: instant(`${year}-${pad(month)}-26`) };
}

/** The months that have ended by `now` (Shanghai), newest first: the latest and `catchUp` before it. */
export function endedMonths(now: Date, catchUp = CATCH_UP_MONTHS): ReportPeriod[] {
  const [y, m, d] = localDate(now).split('-').map(Number) as [number, number, number];
  // Before the 26th the month ending this 25th is still open: the latest ended month is the one before.
  let year = y;
  let month = d >= 26 ? m : m - 1;
  const out: ReportPeriod[] = [];
  for (let i = 0; i <= catchUp; i++) {
    if (month < 1) {
      month += 12;
      year--;
    }
    out.push(statisticsMonth(year, month));
    month--;
  }
  return out;
}

const monthDay = (date: string) => {
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日`;
};

/** `2026年11月投诉统计（10月26日–11月25日）`. */
export function snapshotSubject(period: ReportPeriod): string {
  const [y, m] = period.label.split('-').map(Number);
  return `${y}年${m}月投诉统计（${monthDay(period.fromDate)}–${monthDay(period.toDate)}）`;
}

const percent = (report: Report, name: string): string => {
  const i = report.total.indicators.find((x) => x.name === name);
  if (!i) return '—';
  return i.rate === null ? '—（无分母）' : `${(i.rate * 100).toFixed(1)}%（${i.numerator}/${i.denominator}）`;
};

/** The e-mail body: the headline figures of the month; no personal data (the list is in the attachment, masked). */
export function snapshotMailText(report: Report, record: Pick<SnapshotRecord, 'closedAt' | 'workbook'>, attachment: 'monthly' | 'summary'): string {
  const c = report.total.counts;
  const byType = RECEIVED_TYPES.filter((t) => (c[receivedKey(t)] ?? 0) > 0)
    .map((t) => `${RECEIVED_TYPE_LABELS[t]} ${c[receivedKey(t)]}`)
    .join('，');
  return [
    '质量管理岗：',
    '',
    `${snapshotSubject(report.period)}已封存，附件为本月报表。`,
    '',
    `受理量：${receivedTotal(c)} 件${byType ? `（${byType}）` : ''}`,
    `办结：${c['closed'] ?? 0} 件；撤诉 ${c['withdrawn'] ?? 0} 件；暂结 ${c['suspended'] ?? 0} 件`,
    `及时率：${percent(report, '及时率')}（目标 100%）`,
    `答复有效率：${percent(report, '答复有效率')}（目标 100%）`,
    `满意率：${percent(report, '满意率')}`,
    `有理由投诉率：${percent(report, '有理由投诉率')}`,
    '',
    attachment === 'monthly'
      ? '附件：《客户投诉大类汇总统计表》、指标说明及投诉、重复投诉、重处理明细报表（个人信息已脱敏）。'
      : `附件：《客户投诉大类汇总统计表》及指标说明；完整报表（含明细）超过邮件附件上限，已存档：${record.workbook.key}`,
    `快照时间：${localDate(new Date(record.closedAt))}；日历版本 ${report.calendarVersion}；公式版本 ${report.formulaVersion}。月度快照不再变动，之后到达的事件计入其发生的月份。`,
    '',
    '投诉闭环系统（自动发送）',
  ].join('\n');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export class ReportSnapshotService {
  constructor(private readonly deps: ReportSnapshotDeps) {}

  /** Closes every ended month in the window that has no snapshot, then e-mails every closed one not yet sent. */
  async run(): Promise<SnapshotRunResult> {
    const result: SnapshotRunResult = { closed: [], unchanged: [], mailed: [] };
    // Oldest first: a catch-up closes and mails the months in their order.
    const since = this.deps.since;
    for (const period of endedMonths(this.deps.clock.now()).reverse()) {
      if (since !== undefined && period.label < since) continue;
      let record = await this.deps.snapshots.get(period.label);
      if (!record) {
        const made = await this.close(period);
        if (made.created) result.closed.push(period.label);
        else result.unchanged.push(period.label);
        record = made.record;
      } else result.unchanged.push(period.label);
      if (!record.mailedAt && (await this.mail(record))) result.mailed.push(period.label);
    }
    return result;
  }

  private async close(period: ReportPeriod): Promise<{ created: boolean; record: SnapshotRecord }> {
    const { source, files, snapshots, clock } = this.deps;
    const closedAt = clock.now().toISOString();
    const report: Report = { ...(await source.report({ period })), snapshot: { closedAt } };
    const { organisation } = await this.deps.recipients();
    const meta: WorkbookMeta = { organisation };
    let rows: Record<string, number> = {};
    const body = await toBuffer(async (out) => {
      rows = await writeMonthlyWorkbook(out, report, (type) => source.details({ period, types: [type] }), meta);
    });
    const digest = sha256(body);
    const workbook = { key: `reports/${period.label}/${period.label}-${digest.slice(0, 12)}.xlsx`, sha256: digest, bytes: body.length, rows };
    await files.put({ key: workbook.key, body, sha256: digest, contentType: XLSX_TYPE });
    const json = Buffer.from(JSON.stringify(report), 'utf8');
    const base: SnapshotRecord = {
      period: period.label,
      closedAt,
      calendarVersion: report.calendarVersion,
      formulaVersion: report.formulaVersion,
      reportBytes: json.length,
      workbook,
      report,
    };
    let record = base;
    if (snapshots.sizeOf(base) > SNAPSHOT_ITEM_BUDGET) {
      const reportKey = `reports/${period.label}/${period.label}-${sha256(json).slice(0, 12)}.json`;
      await files.put({ key: reportKey, body: json, sha256: sha256(json), contentType: 'application/json' });
      const { report: _inline, ...rest } = base;
      record = { ...rest, reportKey };
    }
    if (await snapshots.create(record)) return { created: true, record };
    // Another run closed it first: theirs stands (the workbook written here is a spare copy under its own key).
    const existing = await snapshots.get(period.label);
    if (!existing) throw new Error(`snapshot ${period.label} refused as existing but not found`);
    return { created: false, record: existing };
  }

  private async mail(record: SnapshotRecord): Promise<boolean> {
    const { snapshots, clock, files, mailer } = this.deps;
    const now = clock.now();
    if (!(await snapshots.claimMail(record.period, now.toISOString(), new Date(now.getTime() + MAIL_LEASE_MILLIS).toISOString()))) return false;
    const { to, organisation } = await this.deps.recipients();
    const report = record.report ?? (await this.storedReport(record));
    const workbook = await files.get(record.workbook.key);
    if (!workbook) throw new Error(`the workbook of ${record.period} is missing from the report store: ${record.workbook.key}`);
    const whole = workbook.length <= (this.deps.attachmentLimitBytes ?? ATTACHMENT_LIMIT_BYTES);
    const content = whole ? workbook : await summaryWorkbook(report, { organisation });
    const subject = snapshotSubject(report.period);
    const sent = await mailer.send({
      to,
      subject,
      text: snapshotMailText(report, record, whole ? 'monthly' : 'summary'),
      dedupeKey: `report-snapshot#${record.period}`,
      attachments: [{ filename: `${subject}${whole ? '' : '-汇总'}.xlsx`, contentType: XLSX_TYPE, content }],
    });
    await snapshots.markMailed(record.period, clock.now().toISOString(), sent.messageId);
    return true;
  }

  private async storedReport(record: SnapshotRecord): Promise<Report> {
    if (!record.reportKey) throw new Error(`snapshot ${record.period} holds no report`);
    const bytes = await this.deps.files.get(record.reportKey);
    if (!bytes) throw new Error(`the report of ${record.period} is missing from the report store: ${record.reportKey}`);
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as Report;
  }
}
