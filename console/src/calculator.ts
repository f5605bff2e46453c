/** The compensation calculator inline in the reply form: POST /compensation/quote, its steps, "use this amount". */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import shared from 'virtual:shared';
import { call } from './api.ts';
import { t } from './i18n.ts';

interface Quote {
  amount: number;
  steps: { text: string; source?: string }[];
}

export function Calculator({ onUse }: { onUse: (amount: number) => void }) {
  const today = new Date().toISOString().slice(0, 10);
  const [v, setV] = useState<Record<string, string>>({
    cause: 'delay',
    network: 'express',
    itemType: 'parcel',
    postage: '',
    insured: 'false',
    declaredValue: '',
    actualLoss: '',
    postedOn: today,
    claimedOn: today,
  });
  const [quote, setQuote] = useState<Quote | undefined>();
  const [error, setError] = useState<string | undefined>();
  const set = (k: string) => (e: Event) => setV((old) => ({ ...old, [k]: (e.currentTarget as HTMLInputElement).value }));
  const num = (k: string) => (v[k] ? { [k]: Number(v[k]) } : {});
  const ask = async () => {
    const body = {
      cause: v['cause'],
      network: v['network'],
      itemType: v['itemType'],
      insured: v['insured'] === 'true',
      postedOn: v['postedOn'],
      claimedOn: v['claimedOn'],
      postage: Number(v['postage'] || 0),
      ...num('declaredValue'),
      ...num('actualLoss'),
    };
    const res = await call<Quote>('POST', '/compensation/quote', body);
    if (res.ok) {
      setQuote(res.body);
      setError(undefined);
    } else {
      setQuote(undefined);
      setError((res.problem.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('；') || res.problem.title);
    }
  };
  const sel = (k: string, label: string, opts: [string, string][]) =>
    html`<div class="field"><label for=${`calc-${k}`}>${label}</label><select id=${`calc-${k}`} value=${v[k]} onChange=${set(k)}>${opts.map(([o, l]) => html`<option value=${o} selected=${o === v[k]}>${l}</option>`)}</select></div>`;
  const inp = (k: string, label: string, type = 'number') =>
    html`<div class="field"><label for=${`calc-${k}`}>${label}</label><input id=${`calc-${k}`} type=${type} step="0.01" value=${v[k]} onInput=${set(k)} /></div>`;
  return html`<details class="calculator">
    <summary>${t('赔偿计算器', 'Compensation calculator')}</summary>
    <div class="grid">
      ${sel('cause', t('原因', 'Cause'), Object.entries(shared.labels.compensationCause))}
      ${sel('network', t('业务', 'Network'), [
        ['express', t('快递', 'Express')],
        ['post', t('邮政', 'Post')],
      ])}
      ${sel('itemType', t('类型', 'Item'), [
        ['parcel', t('包裹类', 'Parcel')],
        ['letter', t('信件类', 'Letter')],
      ])}
      ${sel('insured', t('保价', 'Insured'), [
        ['false', t('否', 'No')],
        ['true', t('是', 'Yes')],
      ])}
      ${inp('postage', t('本次服务费用（元）', 'Postage (yuan)'))}
      ${inp('declaredValue', t('保价金额（元）', 'Declared value'))}
      ${inp('actualLoss', t('实际损失（元）', 'Actual loss'))}
      ${inp('postedOn', t('交寄日期', 'Posted on'), 'date')}
      ${inp('claimedOn', t('提出日期', 'Claimed on'), 'date')}
    </div>
    <button type="button" onClick=${ask}>${t('计算', 'Calculate')}</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${
      quote &&
      html`<div class="quote" role="status">
      <p><strong>${t('应赔', 'Owed')}: ¥${quote.amount.toFixed(2)}</strong> <button type="button" onClick=${() => onUse(quote.amount)}>${t('使用此金额', 'Use this amount')}</button></p>
      <ol>${quote.steps.map((s) => html`<li>${s.text}${s.source ? html` <small>（${s.source}）</small>` : ''}</li>`)}</ol>
    </div>`
    }
  </details>`;
}
