/**
 * The reports page's charts (decision 068), loaded by a dynamic import so that the first load does not carry them:
 * plain SVG drawn by Preact, no chart library. Every bar is a link to the complaints it counts (the drill-down);
 * each chart is a labelled group of links (not role="img": it holds links) and its figures in a table for screen readers.
 */
import { html } from 'htm/preact';
import { drillHref, pct, type ReportJson } from './report-data.ts';
import { t } from './i18n.ts';
import { link } from './nav.ts';

/** The 受理类型 of the monthly tables (seed 000 §七), as `received.<type>` counters. */
const TYPES: [string, string, string][] = [
  ['complaint', '投诉', '#0b5394'],
  ['repeat', '重复投诉', '#a11d1d'],
  ['reprocess', '重处理', '#8a5a00'],
  ['escalated', '投诉升级', '#5b2a86'],
  ['inquiry', '查询', '#1e6b30'],
  ['feedback', '意见反映', '#555555'],
];

/** The drawing's width: the page's up to 640 px, so that text stays 13 px on a phone instead of shrinking with the viewBox. */
const width = (): number => Math.max(320, Math.min(640, (typeof innerWidth === 'number' ? innerWidth : 640) - 48));

/** Received per unit, stacked by type. */
export function UnitBars({ report, period }: { report: ReportJson; period: string }) {
  const W = width();
  const rows = report.byUnit.filter((u) => (u.counts['received'] ?? 0) > 0);
  if (rows.length === 0) return html`<p class="empty">${t('本期没有受理。', 'Nothing received in this period.')}</p>`;
  const max = Math.max(...rows.map((u) => u.counts['received'] ?? 0));
  const rowH = 28;
  const left = W < 500 ? 136 : 160;
  const h = rows.length * rowH + 30;
  const scale = (n: number) => (n / max) * (W - left - 50);
  return html`<figure class="chart">
    <svg viewBox=${`0 0 ${W} ${h}`} role="group" aria-labelledby="ch-units-t" class="chart-svg" data-chart="units">
      <title id="ch-units-t">${t('各单位受理量', 'Received by unit')}</title>
      ${rows.map((u, n) => {
        let x = left;
        const y = n * rowH + 4;
        return html`<g>
          <text x=${left - 6} y=${y + 16} text-anchor="end" class="ch-label">${u.unitName}</text>
          ${TYPES.map(([type, name, colour]) => {
            const v = u.counts[`received.${type}`] ?? 0;
            if (v === 0) return null;
            const w = Math.max(2, scale(v));
            const href = drillHref(`received.${type}`, period, u.unitId === '-' ? undefined : u.unitId);
            const bar = html`<a href=${href} onClick=${link(href)} aria-label=${`${u.unitName} ${name} ${v}`}><rect x=${x} y=${y} width=${w} height=${rowH - 8} fill=${colour}><title>${`${name} ${v}`}</title></rect></a>`;
            x += w;
            return bar;
          })}
          <a href=${drillHref('received', period, u.unitId === '-' ? undefined : u.unitId)} onClick=${link(drillHref('received', period, u.unitId === '-' ? undefined : u.unitId))} aria-label=${t(`${u.unitName} 受理 ${u.counts['received']}，查看明细`, `${u.unitName} received ${u.counts['received']}, show the complaints`)}>
            <text x=${x + 6} y=${y + 16} class="ch-value">${u.counts['received']}</text>
          </a>
        </g>`;
      })}
    </svg>
    <figcaption class="legend">${TYPES.map(([, name, colour]) => html`<span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill=${colour} /></svg> ${name}</span>`)}</figcaption>
  </figure>`;
}

/** Received and closed per statistics month (one GET /reports per month, cached by the page). */
export function Trend({ reports, unitId }: { reports: ReportJson[]; unitId?: string | undefined }) {
  const W = width();
  if (reports.length === 0) return html`<p class="hint">${t('加载中…', 'Loading…')}</p>`;
  const h = 220;
  const top = 16;
  const bottom = 40;
  const left = 40;
  const max = Math.max(1, ...reports.flatMap((r) => [r.total.counts['received'] ?? 0, r.total.counts['closed'] ?? 0]));
  const slot = (W - left - 10) / reports.length;
  const y = (v: number) => top + (h - top - bottom) * (1 - v / max);
  const series: [string, string, string][] = [
    ['received', t('受理量', 'Received'), '#0b5394'],
    ['closed', t('办结量', 'Closed'), '#1e6b30'],
  ];
  return html`<figure class="chart">
    <svg viewBox=${`0 0 ${W} ${h}`} role="group" aria-labelledby="ch-trend-t" class="chart-svg" data-chart="trend">
      <title id="ch-trend-t">${t('按月受理量与办结量', 'Received and closed by month')}</title>
      <line x1=${left} x2=${W - 10} y1=${y(0)} y2=${y(0)} stroke="#767676" />
      <text x=${left - 6} y=${y(max) + 4} text-anchor="end" class="ch-label">${max}</text>
      ${reports.map((r, i) => {
        const x = left + i * slot;
        return html`<g>
          ${series.map(([id, name, colour], k) => {
            const v = r.total.counts[id] ?? 0;
            const href = drillHref(id, r.period.label, unitId);
            return html`<a href=${href} onClick=${link(href)} aria-label=${`${r.period.label} ${name} ${v}`}>
              <rect x=${x + 6 + k * (slot / 2 - 6)} y=${y(v)} width=${Math.max(2, slot / 2 - 8)} height=${Math.max(1, y(0) - y(v))} fill=${colour}><title>${`${r.period.label} ${name} ${v}`}</title></rect>
            </a>`;
          })}
          <text x=${x + slot / 2} y=${h - bottom + 18} text-anchor="middle" class="ch-label">${r.period.label.slice(2)}</text>
        </g>`;
      })}
    </svg>
    <figcaption class="legend">${series.map(([, name, colour]) => html`<span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill=${colour} /></svg> ${name}</span>`)}</figcaption>
    <table class="sr-only"><caption>${t('按月趋势', 'Trend by month')}</caption>
      <thead><tr><th scope="col">${t('统计月', 'Month')}</th>${series.map(([, name]) => html`<th scope="col">${name}</th>`)}</tr></thead>
      <tbody>${reports.map((r) => html`<tr><th scope="row">${r.period.label}</th>${series.map(([id]) => html`<td>${r.total.counts[id] ?? 0}</td>`)}</tr>`)}</tbody>
    </table>
  </figure>`;
}

const MILESTONE: Record<string, string> = {
  leaders_notified: '领导通报',
  dispatch: '派单',
  first_contact: '首次联系',
  reply: '答复',
  callback: '回访',
  appeal_risk: '申诉风险',
  rectification: '整改',
  claim_ack: '赔偿受理',
  claim_settle: '赔偿处理',
  claim_pay: '赔偿支付',
  leaders_confirm: '领导确认',
  sign: '签收',
  next_contact: '再次联系',
  assist: '协办',
};

/** The on-time rate of every milestone with a limit due in the period (及时率 per milestone; target 100 %). */
export function Milestones({ report, period, unitId }: { report: ReportJson; period: string; unitId?: string | undefined }) {
  const W = width();
  const rows = report.total.indicators.filter((i) => i.id.startsWith('on_time.') && i.denominator > 0);
  if (rows.length === 0) return html`<p class="empty">${t('本期没有到期的时限。', 'No time limit fell due in this period.')}</p>`;
  const rowH = 26;
  const left = 70;
  const h = rows.length * rowH + 8;
  const span = W - left - 110;
  return html`<figure class="chart">
    <svg viewBox=${`0 0 ${W} ${h}`} role="group" aria-labelledby="ch-ms-t" class="chart-svg" data-chart="milestones">
      <title id="ch-ms-t">${t('各环节及时率', 'On-time rate per milestone')}</title>
      ${rows.map((i, n) => {
        const m = i.id.slice('on_time.'.length);
        const yy = n * rowH + 4;
        const href = drillHref(`met.${m}`, period, unitId);
        const missed = drillHref(`due.${m}`, period, unitId);
        return html`<g>
          <text x=${left - 6} y=${yy + 15} text-anchor="end" class="ch-label">${MILESTONE[m] ?? m}</text>
          <rect x=${left} y=${yy} width=${span} height=${rowH - 8} fill="#e8e8e8" />
          <a href=${href} onClick=${link(href)} aria-label=${`${MILESTONE[m] ?? m} ${t('及时', 'met')} ${i.numerator}`}><rect x=${left} y=${yy} width=${Math.max(1, span * (i.rate ?? 0))} height=${rowH - 8} fill=${(i.rate ?? 0) < 1 ? '#8a5a00' : '#1e6b30'} /></a>
          <a href=${missed} onClick=${link(missed)} aria-label=${`${MILESTONE[m] ?? m} ${t('及时率', 'on time')} ${pct(i.rate)} (${i.numerator}/${i.denominator})`}><text x=${left + span + 6} y=${yy + 15} class="ch-value">${pct(i.rate)} (${i.numerator}/${i.denominator})</text></a>
        </g>`;
      })}
    </svg>
  </figure>`;
}
