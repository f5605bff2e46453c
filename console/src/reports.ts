/**
 * The reports page `/console/reports` (issue 13 item 5; decision 068): `GET /reports` of a statistics month
 * (26th–25th), a quarter or a year; the headline indicators with their targets; the charts, loaded on demand
 * (`charts.ts`, a dynamic import: not in the first load); every figure a link to the complaints it counts
 * (the worklist with `figure`, `period`, `unitId`: `GET /complaints`' drill-down, decision 060); and the downloads,
 * fetched with the bearer token and saved from a blob (the token never goes into a URL).
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { call, download } from './api.ts';
import { t } from './i18n.ts';
import { link, unitName } from './nav.ts';
import type { Session } from './session.ts';
import { drillHref, pct, type Indicator, type ReportJson } from './report-data.ts';

/** The statistics month of an instant (the 26th 00:00 Shanghai opens the next one), as `statsMonthOf` on the server. */
export function statsMonth(now: number): string {
  const local = new Date(now + 8 * 3_600_000);
  let y = local.getUTCFullYear();
  let m = local.getUTCMonth() + 1;
  if (local.getUTCDate() >= 26) m += 1;
  if (m === 13) {
    m = 1;
    y += 1;
  }
  return `${y}-${String(m).padStart(2, '0')}`;
}

const shift = (month: string, by: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = y * 12 + (m - 1) + by;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
};

export type PeriodKind = 'month' | 'quarter' | 'year';

/** The periods the picker offers, newest first: 24 months, 8 quarters, 5 years up to the current month. */
export function periodChoices(kind: PeriodKind, current: string): string[] {
  const [y, m] = current.split('-').map(Number) as [number, number];
  if (kind === 'month') return Array.from({ length: 24 }, (_, i) => shift(current, -i));
  if (kind === 'year') return Array.from({ length: 5 }, (_, i) => String(y - i));
  const q0 = y * 4 + Math.ceil(m / 3) - 1;
  return Array.from({ length: 8 }, (_, i) => `${Math.floor((q0 - i) / 4)}-Q${((q0 - i) % 4) + 1}`);
}

/** The months of the trend chart: 6 ending with the period's last month (12 for a year), none after the current. */
export function trendMonths(label: string, current: string): string[] {
  let last: string;
  let n = 6;
  if (/^\d{4}$/.test(label)) {
    last = `${label}-12`;
    n = 12;
  } else if (/^\d{4}-Q[1-4]$/.test(label)) last = `${label.slice(0, 4)}-${String(Number(label.slice(6)) * 3).padStart(2, '0')}`;
  else last = label;
  const months = Array.from({ length: n }, (_, i) => shift(last, i - n + 1));
  return months.filter((mo) => mo <= current);
}

/** The headline indicators (INDICATORS.md; the two with a target first) and the counts beside them. */
const HEADLINE = ['on_time', 'reply_effectiveness', 'close_rate', 'on_time_close', 'callback_rate', 'satisfaction', 'justified_rate', 'rectification_on_time'];
const COUNTS: [string, string, string][] = [
  ['received', '受理量', 'Received'],
  ['closed', '办结量', 'Closed'],
  ['replies', '答复量', 'Replies'],
  ['breaches', '超时量', 'Breaches'],
  ['justified', '有理由投诉量', 'Justified'],
];

/** Reports fetched this session, by query (a closed month does not change; the open one is refetched on demand). */
const cache = new Map<string, Promise<ReportJson | undefined>>();
export function fetchReport(period: string, unitId: string | undefined, fresh = false): Promise<ReportJson | undefined> {
  const q = new URLSearchParams({ period });
  if (unitId) q.set('unitId', unitId);
  const key = q.toString();
  if (fresh || !cache.has(key))
    cache.set(
      key,
      call<ReportJson>('GET', `/reports?${q}`).then((r) => (r.ok ? r.body : undefined)),
    );
  return cache.get(key) as Promise<ReportJson | undefined>;
}

type ChartsModule = typeof import('./charts.ts');

export function ReportsPage({ session }: { session: Session }) {
  const current = statsMonth(Date.now());
  const [kind, setKind] = useState<PeriodKind>('month');
  const [label, setLabel] = useState(current);
  const [unitId, setUnitId] = useState<string | undefined>(session.role === 'leader' ? session.unitId : undefined);
  const [report, setReport] = useState<ReportJson | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [trend, setTrend] = useState<ReportJson[]>([]);
  const [charts, setCharts] = useState<ChartsModule | undefined>();
  const [saving, setSaving] = useState<string | undefined>();

  useEffect(() => {
    document.title = `${t('统计报表', 'Reports')} — ${t('投诉闭环工作台', 'Complaint console')}`;
    void import('./charts.ts').then(setCharts);
  }, []);
  useEffect(() => {
    let live = true;
    setReport(undefined);
    setError(undefined);
    const q = new URLSearchParams({ period: label });
    if (unitId) q.set('unitId', unitId);
    void call<ReportJson>('GET', `/reports?${q}`).then((r) => {
      if (!live) return;
      if (r.ok) setReport(r.body);
      else setError(r.problem.detail ?? r.problem.title ?? String(r.status));
    });
    void Promise.all(trendMonths(label, current).map((m) => fetchReport(m, unitId, m === current))).then(
      (rs) => live && setTrend(rs.filter((r): r is ReportJson => r !== undefined)),
    );
    return () => {
      live = false;
    };
  }, [label, unitId]);

  const pickKind = (e: Event) => {
    const k = (e.currentTarget as HTMLSelectElement).value as PeriodKind;
    setKind(k);
    setLabel(periodChoices(k, current)[0] as string);
  };
  const save = async (format: 'xlsx' | 'csv', layout?: 'detail') => {
    const q = new URLSearchParams({ period: label, format });
    if (layout) q.set('layout', layout);
    if (unitId) q.set('unitId', unitId);
    const name = `${layout === 'detail' ? '投诉明细报表' : '投诉统计报表'}-${label}${unitId ? `-${unitId}` : ''}.${format}`;
    setSaving(t('正在下载…', 'Downloading…'));
    const res = await download(`/reports?${q}`, name, format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
    setSaving(
      res.ok
        ? t(`已下载 ${name}`, `Downloaded ${name}`)
        : t(
            `下载失败（${res.status}）：${res.problem.detail ?? res.problem.title ?? ''}`,
            `Download failed (${res.status}): ${res.problem.detail ?? res.problem.title ?? ''}`,
          ),
    );
  };

  const ind = (id: string) => report?.total.indicators.find((i) => i.id === id);
  const period = report?.period.label ?? label;
  return html`<section aria-labelledby="rp-title" class="reports">
    <h1 id="rp-title">${t('统计报表', 'Reports')}</h1>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label=${t('统计期', 'Period')}>
      <div class="field inline"><label for="rp-kind">${t('统计期类型', 'Period type')}</label>
        <select id="rp-kind" value=${kind} onChange=${pickKind}>
          <option value="month">${t('统计月（26日–25日）', 'Statistics month (26th–25th)')}</option>
          <option value="quarter">${t('季度', 'Quarter')}</option>
          <option value="year">${t('年度', 'Year')}</option>
        </select></div>
      <div class="field inline"><label for="rp-period">${t('统计期', 'Period')}</label>
        <select id="rp-period" name="period" value=${label} onChange=${(e: Event) => setLabel((e.currentTarget as HTMLSelectElement).value)}>
          ${periodChoices(kind, current).map((p) => html`<option value=${p}>${p}</option>`)}
        </select></div>
      ${
        session.role === 'leader'
          ? html`<p class="hint">${t('本单位：', 'Unit: ')}${unitName(session.unitId)}</p>`
          : html`<div class="field inline"><label for="rp-unit">${t('单位', 'Unit')}</label>
            <select id="rp-unit" value=${unitId ?? ''} onChange=${(e: Event) => setUnitId((e.currentTarget as HTMLSelectElement).value || undefined)}>
              <option value="">${t('全部单位', 'All units')}</option>
              ${report?.byUnit.map((u) => html`<option value=${u.unitId}>${u.unitName}</option>`)}
            </select></div>`
      }
    </form>
    <div class="downloads" role="group" aria-label=${t('下载', 'Downloads')}>
      <button type="button" data-download="xlsx" onClick=${() => void save('xlsx')}>${t('下载 XLSX（汇总）', 'XLSX (summary)')}</button>
      <button type="button" data-download="detail" onClick=${() => void save('xlsx', 'detail')}>${t('下载 XLSX（明细报表）', 'XLSX (detail list)')}</button>
      <button type="button" data-download="csv" onClick=${() => void save('csv')}>${t('下载 CSV', 'CSV')}</button>
      ${saving && html`<span role="status" class="hint">${saving}</span>`}
    </div>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!report && !error && html`<p class="count" aria-live="polite">${t('加载中…', 'Loading…')}</p>`}
    ${
      report &&
      html`<p class="hint" data-period=${report.period.label}>${t('统计期', 'Period')} ${report.period.label}：${report.period.fromDate} — ${report.period.toDate}${report.snapshot ? t('（已结账快照）', ' (closed snapshot)') : ''}</p>
      <h2>${t('主要指标', 'Headline indicators')}</h2>
      <ul class="kpis">
        ${COUNTS.map(
          ([id, zh, en]) => html`<li class="kpi" data-figure=${id}>
            <span class="kpi-name">${t(zh, en)}</span>
            <a class="kpi-value" href=${drillHref(id, period, unitId)} onClick=${link(drillHref(id, period, unitId))} aria-label=${t(`${zh} ${report.total.counts[id] ?? 0} 件，查看明细`, `${en} ${report.total.counts[id] ?? 0}, show the complaints`)}>${report.total.counts[id] ?? 0}</a>
          </li>`,
        )}
        ${HEADLINE.map((id) => ind(id))
          .filter((i): i is Indicator => i !== undefined)
          .map(
            (i) => html`<li class=${`kpi${i.target !== undefined && i.rate !== null && i.rate < i.target ? ' below' : ''}`} data-figure=${i.id}>
              <span class="kpi-name">${i.name}</span>
              <a class="kpi-value" href=${drillHref(i.numerator > 0 ? numeratorOf(i.id) : denominatorOf(i.id), period, unitId)} onClick=${link(drillHref(i.numerator > 0 ? numeratorOf(i.id) : denominatorOf(i.id), period, unitId))} aria-label=${t(`${i.name} ${pct(i.rate)}，查看明细`, `${i.name} ${pct(i.rate)}, show the complaints`)}>${pct(i.rate)}</a>
              <span class="kpi-sub">${i.numerator} / ${i.denominator}${i.target !== undefined ? t(` · 目标 ${pct(i.target)}`, ` · target ${pct(i.target)}`) : ''}</span>
            </li>`,
          )}
      </ul>
      <h2>${t('各单位受理量（按受理类型）', 'Received by unit (by type)')}</h2>
      ${charts ? charts.UnitBars({ report, period }) : html`<p class="hint">${t('图表加载中…', 'Loading the chart…')}</p>`}
      <h2>${t('按月趋势', 'Trend by month')}</h2>
      ${charts ? charts.Trend({ reports: trend, unitId }) : html`<p class="hint">${t('图表加载中…', 'Loading the chart…')}</p>`}
      <h2>${t('各环节及时率', 'On-time rate per milestone')}</h2>
      ${charts ? charts.Milestones({ report, period, unitId }) : html`<p class="hint">${t('图表加载中…', 'Loading the chart…')}</p>`}`
    }
  </section>`;
}

/** The counter an indicator's figure drills into: its numerator (the complaints counted as met, effective …). */
const NUM: Record<string, [string, string]> = {
  on_time: ['ms_met', 'ms_due'],
  reply_effectiveness: ['replies_effective', 'replies'],
  close_rate: ['closed', 'due_to_close'],
  on_time_close: ['closed_on_time', 'closed'],
  callback_rate: ['callbacks_done', 'closed'],
  satisfaction: ['satisfied', 'callbacks_reached'],
  justified_rate: ['justified', 'closed'],
  rectification_on_time: ['rect_on_time', 'rect_due'],
};
export const numeratorOf = (id: string): string => NUM[id]?.[0] ?? (id.startsWith('on_time.') ? `met.${id.slice(8)}` : id);
export const denominatorOf = (id: string): string => NUM[id]?.[1] ?? (id.startsWith('on_time.') ? `due.${id.slice(8)}` : id);
