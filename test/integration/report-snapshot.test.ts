/**
 * The monthly snapshot on dynalite with the local report store and outbox (decision 061), on a fake clock:
 * the 26th closes the month into `SNAP#<period>` and e-mails the XLSX; a re-run, a concurrent run and a later
 * report change nothing; a missed 26th is made up the next day; a failed e-mail goes out on a later run;
 * an oversized report and an oversized workbook take their other routes. The report source is the in-memory
 * test double of the `ReportSource` port over fixed reports.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileArchiveStore } from '#adapters/local/archive.ts';
import { ManualClock } from '#adapters/local/clock.ts';
import { FileMailer } from '#adapters/local/mail.ts';
import { documentClient } from '#app/container.ts';
import type { MailMessage, Mailer } from '#app/ports.ts';
import { endedMonths, SNAPSHOT_ITEM_BUDGET, statisticsMonth } from '#app/report-snapshot.ts';
import { configFrom } from '#app/runtime-config.ts';
import { directory, routing } from '#config/index.ts';
import { seedEntries } from '#domain/directory-entries.ts';
import { buildReportSnapshotService } from '#app/wiring/report-snapshot.ts';
import { CATEGORIES, type Category } from '#domain/model.ts';
import type { Report } from '#domain/report-model.ts';
import { ensureTable, startDynalite, type LocalDynamo } from '#local/dynamo.ts';
import { DYNAMODB_ITEM_LIMIT, itemSize } from '#store/item-size.ts';
import { decodeWords, parseEml } from '#test/support/mime.ts';
import { InMemoryReportSource, reportFromCells, sampleMonth } from '#test/support/report-month.ts';

let dynamo: LocalDynamo;
let dir: string;
const TABLE = 'complaints';
const clock = new ManualClock('2026-11-25T17:00:00.000Z'); // 26 November, 01:00 in Shanghai
const november = sampleMonth({ seed: 11, complaints: 120, year: 2026, month: 11 });
const december = sampleMonth({ seed: 12, complaints: 80, year: 2026, month: 12 });
const reports = new Map<string, Report>([
  ['2026-11', november.report],
  ['2026-12', december.report],
]);
const source = new InMemoryReportSource(reports, [...november.rows, ...december.rows]);
// The demo directory, as the local stack seeds it: the quality managers the workbook goes to.
const config = { refresh: async () => configFrom({ entries: seedEntries(directory, routing), notices: [] }) };

beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.client, TABLE);
  dir = await mkdtemp(join(tmpdir(), 'snapshot-'));
});
afterAll(async () => {
  await dynamo.close();
});

const service = (opts: { mailer?: Mailer; attachmentLimitBytes?: number; source?: InMemoryReportSource } = {}) =>
  buildReportSnapshotService({
    doc: documentClient(dynamo.client),
    tableName: TABLE,
    source: opts.source ?? source,
    files: new FileArchiveStore(join(dir, 'reports')),
    mailer: opts.mailer ?? new FileMailer({ dir: join(dir, 'outbox'), clock }),
    clock,
    config,
    since: '2026-11',
    ...(opts.attachmentLimitBytes !== undefined && { attachmentLimitBytes: opts.attachmentLimitBytes }),
  });

const snapshotItem = async (period: string) =>
  (await documentClient(dynamo.client).send(new GetCommand({ TableName: TABLE, Key: { PK: `SNAP#${period}`, SK: 'A' } }))).Item;
const emls = async (period: string) => (await readdir(join(dir, 'outbox'))).filter((f) => f.endsWith(`report-snapshot-${period}.eml`));

/** The attachment of an .eml: its headers and its bytes. */
function attachmentOf(raw: string): { headers: string; bytes: Buffer } {
  const m =
    /(Content-Type: application\/vnd[^\r]*\r\nContent-Disposition: attachment[^\r]*)\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/.exec(
      raw,
    );
  if (!m) throw new Error('no attachment');
  return { headers: m[1] ?? '', bytes: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64') };
}

async function sheetsOf(bytes: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets.map((w) => w.name);
}

describe('the months a run closes', () => {
  it('closes 10-26…11-25 from 00:00 on 26 November Shanghai time, not a minute before', () => {
    expect(endedMonths(new Date('2026-11-25T15:59:00.000Z'))[0]?.label).toBe('2026-10');
    expect(endedMonths(new Date('2026-11-25T16:00:00.000Z')).map((p) => p.label)).toEqual(['2026-11', '2026-10', '2026-09']);
    // across the year: on 10 January the latest ended month is December's (11-26…12-25)
    expect(endedMonths(new Date('2027-01-10T02:00:00.000Z')).map((p) => p.label)).toEqual(['2026-12', '2026-11', '2026-10']);
    expect(statisticsMonth(2027, 1)).toEqual({
      label: '2027-01',
      fromDate: '2026-12-26',
      toDate: '2027-01-25',
      from: '2026-12-25T16:00:00.000Z',
      to: '2027-01-25T16:00:00.000Z',
    });
  });
});

describe('the monthly snapshot', () => {
  it('on the 26th closes the month into SNAP#2026-11 with its versions, archives the XLSX and e-mails it to the quality managers', async () => {
    // Act
    const result = await service().run();
    // Assess: the item
    expect(result).toEqual({ closed: ['2026-11'], unchanged: [], mailed: ['2026-11'] });
    const item = await snapshotItem('2026-11');
    expect(item).toMatchObject({
      period: '2026-11',
      closedAt: '2026-11-25T17:00:00.000Z',
      calendarVersion: november.report.calendarVersion,
      formulaVersion: november.report.formulaVersion,
      mailedAt: '2026-11-25T17:00:00.000Z',
    });
    const stored = JSON.parse(String(item?.['report'])) as Report;
    expect(stored.period).toEqual(statisticsMonth(2026, 11));
    expect(stored.total.counts).toEqual(november.report.total.counts);
    expect(stored.snapshot).toEqual({ closedAt: '2026-11-25T17:00:00.000Z' });
    // the workbook in the report store, by its checksum
    const workbook = await readFile(join(dir, 'reports', String(item?.['workbook']?.key)));
    expect(createHash('sha256').update(workbook).digest('hex')).toBe(item?.['workbook']?.sha256);
    expect(await sheetsOf(workbook)).toEqual(['客户投诉大类汇总统计表', '指标说明', '投诉', '重复投诉', '重处理']);
    // the e-mail: Chinese subject, the headline figures, the XLSX attached (and beside it in the outbox)
    const [file] = await emls('2026-11');
    const raw = await readFile(join(dir, 'outbox', file ?? ''), 'utf8');
    const mail = parseEml(raw);
    expect(mail.subject).toBe('2026年11月投诉统计（10月26日–11月25日）');
    expect(mail.headers.get('to')).toBe('quality@example.cn');
    const text = mail.parts.find((p) => p.contentType === 'text/plain')?.body ?? '';
    const received = Object.entries(november.report.total.counts)
      .filter(([k]) => k.startsWith('received.'))
      .reduce((s, [, v]) => s + v, 0);
    expect(text).toContain(`受理量：${received} 件`);
    expect(text).toMatch(/及时率：\d+\.\d%（\d+\/\d+）（目标 100%）/);
    expect(text).toContain('答复有效率：');
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    const attachment = attachmentOf(raw);
    expect(decodeWords(/name="([^"]+)"/.exec(attachment.headers)?.[1] ?? '')).toBe('2026年11月投诉统计（10月26日–11月25日）.xlsx');
    expect(attachment.headers).toContain(`filename*=UTF-8''${encodeURIComponent('2026年11月投诉统计（10月26日–11月25日）.xlsx')}`);
    expect(attachment.bytes.equals(workbook)).toBe(true);
    expect((await readdir(join(dir, 'outbox'))).some((f) => f.endsWith('report-snapshot-2026-11.2026年11月投诉统计（10月26日–11月25日）.xlsx'))).toBe(true);
  });

  it('is a no-op the second time, the next days, and when the month’s figures change afterwards', async () => {
    // Prepare: the counters move on (a late event counts in the month it happens, never in a closed one)
    const before = await snapshotItem('2026-11');
    const moved = structuredClone(november.report);
    moved.total.counts['closed'] = 9999;
    const later = new InMemoryReportSource(new Map([['2026-11', moved]]));
    // Act
    const again = await service({ source: later }).run();
    clock.set('2026-11-26T17:00:00.000Z');
    const nextDay = await service({ source: later }).run();
    // Assess
    expect(again).toEqual({ closed: [], unchanged: ['2026-11'], mailed: [] });
    expect(nextDay).toEqual({ closed: [], unchanged: ['2026-11'], mailed: [] });
    expect(later.queries).toEqual([]);
    expect(await snapshotItem('2026-11')).toEqual(before);
    expect(await emls('2026-11')).toHaveLength(1);
  });

  it('makes up a month whose 26th run was missed on the next day’s run', async () => {
    // Prepare: nothing ran on 26 December; it is 27 December, 01:00
    clock.set('2026-12-26T17:00:00.000Z');
    // Act
    const result = await service().run();
    // Assess
    expect(result).toEqual({ closed: ['2026-12'], unchanged: ['2026-11'], mailed: ['2026-12'] });
    expect(await snapshotItem('2026-12')).toMatchObject({ closedAt: '2026-12-26T17:00:00.000Z', period: '2026-12' });
    expect(parseEml(await readFile(join(dir, 'outbox', (await emls('2026-12'))[0] ?? ''), 'utf8')).subject).toBe('2026年12月投诉统计（11月26日–12月25日）');
  });

  it('writes one snapshot and sends one e-mail when two runs start at once', async () => {
    // Prepare
    clock.set('2027-01-25T17:00:00.000Z');
    // Act
    const [a, b] = await Promise.all([service().run(), service().run()]);
    // Assess
    expect([...a.closed, ...b.closed]).toEqual(['2027-01']);
    expect([...a.mailed, ...b.mailed]).toEqual(['2027-01']);
    expect(await emls('2027-01')).toHaveLength(1);
  });

  it('sends a failed e-mail again on a later run, once the failed run’s hold has lapsed', async () => {
    // Prepare: the mailer is down on the 26th
    clock.set('2027-02-25T17:00:00.000Z');
    const down: Mailer = {
      send: async () => {
        throw new Error('SES throttled');
      },
    };
    // Act
    await expect(service({ mailer: down }).run()).rejects.toThrow('SES throttled');
    const closed = await snapshotItem('2027-02');
    const soon = await service().run();
    clock.set('2027-02-26T17:00:00.000Z');
    const nextDay = await service().run();
    // Assess
    expect(closed).toMatchObject({ period: '2027-02' });
    expect(closed?.['mailedAt']).toBeUndefined();
    expect(soon.mailed).toEqual([]);
    expect(nextDay.mailed).toEqual(['2027-02']);
    expect(await emls('2027-02')).toHaveLength(1);
  });

  it('keeps a report too large for the item in the report store, the item within DynamoDB’s 400 KB', async () => {
    // Prepare: 400 units × 10 categories × 30 counters
    clock.set('2027-03-25T17:00:00.000Z');
    const period = statisticsMonth(2027, 3);
    const cells = Array.from({ length: 4000 }, (_, i) => ({
      unitId: `unit-${Math.floor(i / 10)}`,
      unitName: `第${Math.floor(i / 10)}揽投部`,
      category: CATEGORIES[i % 10] as Category,
      counts: Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`counter_${k}`, (i * 31 + k) % 97])),
    }));
    const big = reportFromCells(period, cells, { generatedAt: '2027-03-25T17:00:00.000Z' });
    const sent: MailMessage[] = [];
    // Act
    const result = await service({
      source: new InMemoryReportSource(new Map([['2027-03', big]])),
      mailer: {
        send: async (m) => {
          sent.push(m);
          return { messageId: 'm-1' };
        },
      },
    }).run();
    // Assess
    expect(result.closed).toEqual(['2027-03']);
    const item = await snapshotItem('2027-03');
    expect(item?.['report']).toBeUndefined();
    expect(item?.['reportBytes']).toBeGreaterThan(SNAPSHOT_ITEM_BUDGET);
    expect(itemSize(item ?? {})).toBeLessThan(DYNAMODB_ITEM_LIMIT);
    const json = JSON.parse(await readFile(join(dir, 'reports', String(item?.['reportKey'])), 'utf8')) as Report;
    expect(json.cells).toHaveLength(4000);
    expect(sent[0]?.subject).toBe('2027年3月投诉统计（2月26日–3月25日）');
  });

  it('sends the summary alone when the whole workbook is over the attachment limit, naming where the full one is', async () => {
    // Prepare
    clock.set('2027-04-25T17:00:00.000Z');
    const sent: MailMessage[] = [];
    // Act
    await service({
      attachmentLimitBytes: 1_000,
      mailer: {
        send: async (m) => {
          sent.push(m);
          return { messageId: 'm-2' };
        },
      },
    }).run();
    // Assess
    const item = await snapshotItem('2027-04');
    const attachment = sent[0]?.attachments?.[0];
    expect(attachment?.filename).toBe('2027年4月投诉统计（3月26日–4月25日）-汇总.xlsx');
    expect(await sheetsOf(Buffer.from(attachment?.content ?? new Uint8Array()))).toEqual(['客户投诉大类汇总统计表', '指标说明']);
    expect(sent[0]?.text).toContain(String(item?.['workbook']?.key));
  });
});
