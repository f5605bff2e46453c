/**
 * One complaint: what the role may see (the server masks), the deadlines as a timeline with
 * countdowns and 预计 (provisional) marks, the commands the role may give now, and the full history.
 * Printable as the 受理单 (print stylesheet: the forms and the chrome are hidden).
 */
import { html } from 'htm/preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import shared from 'virtual:shared';
import { call } from './api.ts';
import { commandsFor, type CommandSpec } from './commands.ts';
import { CommandForm } from './form.ts';
import { countdown, t, when } from './i18n.ts';
import { eventLabel, milestoneLabel } from './labels.ts';
import { handlerName, isTyping, link, navigate, unitName } from './nav.ts';
import type { Session } from './session.ts';

interface Deadline {
  milestone: string;
  round: number;
  dueAt: string;
  warnAt: string;
  state: string;
  provisional?: true;
  extended?: { reason: string };
}

interface HistoryEvent {
  seq: number;
  type: string;
  at: string;
  by?: string;
  data?: Record<string, unknown>;
}

interface Complaint {
  id: string;
  trackingCode: string;
  status: string;
  severity: string;
  category: string;
  channel: string;
  priority: boolean;
  round: number;
  complainant: { name?: string; phone?: string; email?: string; anonymous?: boolean };
  waybillNo?: string;
  content: string;
  demand?: string;
  region?: string;
  suggestedUnitId?: string;
  unitId?: string;
  handlerId?: string;
  signedAt?: string;
  dispatchCount?: number;
  createdAt: string;
  deadlines: Deadline[];
  history: HistoryEvent[];
  reply?: { situation?: string; result?: { summary?: string } };
  /** 延期申请 (decision 069). */
  extensionRequest?: {
    status: 'open' | 'approved' | 'refused' | 'cancelled';
    reason: string;
    requestedDueAt: string;
    previousDueAt: string;
    by: string;
    at: string;
    decision?: { reason: string; by: string; at: string };
  };
}

const REQUEST_STATUS: Record<string, [string, string]> = {
  open: ['待领导审批', 'Awaiting the leader'],
  approved: ['已批准', 'Approved'],
  refused: ['未批准', 'Refused'],
  cancelled: ['已撤销', 'Cancelled'],
};

/** ok / warning (80 % of the time used: past warnAt) / breached, for one pending deadline. */
export function deadlineClass(d: Deadline, now: number): string {
  if (d.state === 'met') return 'met';
  if (d.state === 'paused') return 'paused';
  if (d.state === 'breached' || new Date(d.dueAt).getTime() <= now) return 'breached';
  return new Date(d.warnAt).getTime() <= now ? 'warning' : 'ok';
}

const label = (group: 'status' | 'severity' | 'category', key: string): string => (shared.labels[group] as Record<string, string>)[key] ?? key;

export function ComplaintPage({ id, session }: { id: string; session: Session }) {
  const [c, setC] = useState<Complaint | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [now, setNow] = useState(Date.now());
  const messageRef = useRef<HTMLParagraphElement>(null);
  // The confirmation takes the focus in the commit that shows it (announced, and the next Tab continues from here).
  useLayoutEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  const load = async () => {
    const res = await call<Complaint>('GET', `/complaints/${encodeURIComponent(id)}`);
    if (res.ok) setC(res.body);
    else
      setError(res.status === 404 ? t('没有这件投诉，或您无权查看。', 'No such complaint, or not yours to see.') : (res.problem.title ?? String(res.status)));
  };
  useEffect(() => {
    void load();
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [id]);
  const commands: CommandSpec[] = c ? commandsFor(session.role, c) : [];

  // A layout effect: the keys of this render's commands are listened for before the browser paints it,
  // so a key pressed as soon as the complaint shows is not taken by the previous render's (empty) list.
  useLayoutEffect(() => {
    if (c) document.title = `${c.trackingCode} ${label('status', c.status)} — ${t('投诉闭环工作台', 'Complaint console')}`;
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || document.querySelector('.dialog')) return;
      if (e.key === 'g') return navigate('/console/');
      const cmd = commands.find((x) => x.key === e.key);
      if (cmd) {
        e.preventDefault();
        setOpen(cmd.id);
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  if (error)
    return html`<p class="error" role="alert">${error}</p><p><a href="/console/" onClick=${link('/console/')}>${t('返回工作台', 'Back to the worklists')}</a></p>`;
  if (!c) return html`<p aria-live="polite">${t('加载中…', 'Loading…')}</p>`;
  const active = commands.find((x) => x.id === open);
  // The confirmation appears once the fresh record is shown.
  const done = async (msg: string) => {
    await load();
    setOpen(undefined);
    setMessage(`${msg} (${when(new Date().toISOString())})`);
  };

  return html`<article class="complaint" aria-labelledby="c-title">
    <p class="back no-print"><a href="/console/" onClick=${link('/console/')}>← ${t('工作台', 'Worklists')}</a></p>
    <header class="c-head">
      <h1 id="c-title">${t('受理单', 'Complaint')} ${c.trackingCode}</h1>
      <p class="tags">
        <span class=${`badge status-${c.status}`} data-status=${c.status}>${label('status', c.status)}</span>
        <span class=${`badge sev-${c.severity}`}>${label('severity', c.severity)}</span>
        <span class="badge">${label('category', c.category)}</span>
        ${c.priority && html`<span class="badge priority">${t('优先处理', 'Priority')}</span>`}
        ${c.round > 1 && html`<span class="badge">${t(`第${c.round}轮`, `Round ${c.round}`)}</span>`}
      </p>
      <button type="button" class="no-print" onClick=${() => print()}>${t('打印受理单', 'Print')}</button>
    </header>
    ${message && html`<p class="notice" role="status" tabindex="-1" ref=${messageRef}>${message}</p>`}
    <section aria-labelledby="s-facts">
      <h2 id="s-facts">${t('基本信息', 'Details')}</h2>
      <dl class="facts">
        <dt>${t('投诉人', 'Complainant')}</dt><dd>${c.complainant.anonymous ? t('匿名', 'Anonymous') : `${c.complainant.name ?? '—'} ${c.complainant.phone ?? ''}`}</dd>
        <dt>${t('邮件号', 'Waybill')}</dt><dd>${c.waybillNo ?? '—'}</dd>
        <dt>${t('地区', 'Region')}</dt><dd>${c.region ?? '—'}</dd>
        <dt>${t('受理时间', 'Received')}</dt><dd>${when(c.createdAt)}</dd>
        <dt>${t('投诉内容', 'Complaint')}</dt><dd class="text">${c.content}</dd>
        ${c.demand && html`<dt>${t('诉求', 'Demand')}</dt><dd class="text">${c.demand}</dd>`}
        <dt>${t('建议单位', 'Suggested unit')}</dt><dd>${c.suggestedUnitId ? unitName(c.suggestedUnitId) : '—'}</dd>
        <dt>${t('处理单位 / 处理人', 'Unit / handler')}</dt><dd>${c.unitId ? `${unitName(c.unitId)} / ${handlerName(c.handlerId)}` : '—'}${c.unitId && !c.signedAt && c.status === 'dispatched' ? html` <span class="badge">${t('未签收', 'Unsigned')}</span>` : ''}</dd>
      </dl>
    </section>
    <section aria-labelledby="s-deadlines">
      <h2 id="s-deadlines">${t('时限', 'Deadlines')}</h2>
      <ol class="timeline">
        ${[...c.deadlines]
          .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
          .map((d) => {
            const cls = deadlineClass(d, now);
            return html`<li class=${`sla-${cls}`} data-milestone=${d.milestone}>
              <span><strong>${milestoneLabel(d.milestone)}</strong>${d.round > 1 ? ` (${t(`第${d.round}轮`, `round ${d.round}`)})` : ''}</span>
              <span>${when(d.dueAt)}${d.provisional ? html` <abbr class="badge" title=${t('节假日安排未经国务院通知确认', 'Holiday data not yet confirmed')}>${t('预计', 'provisional')}</abbr>` : ''}</span>
              <span class="state">${cls === 'met' ? t('已完成', 'met') : cls === 'paused' ? t('已暂停', 'paused') : countdown(d.dueAt, now)}</span>
              ${d.extended && html`<small>${t('已延期：', 'Extended: ')}${d.extended.reason}</small>`}
            </li>`;
          })}
      </ol>
    </section>
    ${
      c.extensionRequest &&
      html`<section aria-labelledby="s-extension" class="extension-request" data-extension=${c.extensionRequest.status}>
      <h2 id="s-extension">${t('延期申请', 'Extension request')}</h2>
      <dl class="facts">
        <dt>${t('状态', 'Status')}</dt><dd><span class="badge">${t(...(REQUEST_STATUS[c.extensionRequest.status] ?? [c.extensionRequest.status, c.extensionRequest.status]))}</span></dd>
        <dt>${t('申请人', 'Asked by')}</dt><dd>${handlerName(c.extensionRequest.by)} · ${when(c.extensionRequest.at)}</dd>
        <dt>${t('原答复时限 → 申请延至', 'Reply due → asked until')}</dt><dd>${when(c.extensionRequest.previousDueAt)} → ${when(c.extensionRequest.requestedDueAt)}</dd>
        <dt>${t('理由', 'Reason')}</dt><dd class="text">${c.extensionRequest.reason}</dd>
        ${c.extensionRequest.decision && html`<dt>${t('审批意见', 'Decision')}</dt><dd class="text">${c.extensionRequest.decision.reason} · ${handlerName(c.extensionRequest.decision.by)} · ${when(c.extensionRequest.decision.at)}</dd>`}
      </dl>
    </section>`
    }
    <section aria-labelledby="s-actions" class="no-print">
      <h2 id="s-actions">${t('操作', 'Actions')}</h2>
      ${
        commands.length === 0
          ? html`<p>${t('您现在没有可执行的操作。', 'Nothing for you to do now.')}</p>`
          : html`<div class="command-buttons">
        ${commands.map((cmd) => html`<button type="button" data-open=${cmd.id} aria-expanded=${open === cmd.id} aria-keyshortcuts=${cmd.key} onClick=${() => setOpen(cmd.id)}>${cmd.label()}${cmd.key ? html` <kbd>${cmd.key}</kbd>` : ''}</button>`)}
      </div>`
      }
      ${active && html`<${CommandForm} key=${active.id} cmd=${active} complaint=${c} onDone=${done} onCancel=${() => setOpen(undefined)} />`}
    </section>
    <section aria-labelledby="s-history">
      <h2 id="s-history">${t('处理记录', 'History')}</h2>
      <ol class="history">
        ${c.history.map(
          (e) => html`<li data-type=${e.type}>
            <span class="seq">${e.seq}</span> <time datetime=${e.at}>${when(e.at)}</time> <strong>${eventLabel(e.type)}</strong>${e.by ? ` · ${handlerName(e.by)}` : ''}
            ${summary(e) && html`<p class="text">${summary(e)}</p>`}
          </li>`,
        )}
      </ol>
    </section>
  </article>`;
}

/** The human part of an event's data: its note, reason or summary. */
function summary(e: HistoryEvent): string {
  const d = e.data ?? {};
  const pick = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  // 延期申请 (decision 069): the leader's answer and the time asked for, so the handler reads the outcome here.
  const outcome = e.type === 'extension_decided' ? (d['approved'] === true ? t('批准', 'Approved') : t('不批准', 'Refused')) : undefined;
  const asked =
    e.type === 'extension_requested' && pick('requestedDueAt')
      ? t(`申请延至 ${when(pick('requestedDueAt') as string)}`, `until ${when(pick('requestedDueAt') as string)}`)
      : undefined;
  return [outcome, asked, pick('note'), pick('reason'), pick('comments'), pick('summary'), pick('unitId') && `→ ${unitName(pick('unitId'))}`]
    .filter(Boolean)
    .join(' · ');
}
