/**
 * The worklists of a role. Every queue is a query the server answers (decision 067): GET /complaints
 * with status/severity/unit and the queue filters `due`, `signed`, `notice`, or another list route
 * (GET /assists). Each tab shows its count (`count=true`), refreshed with the list every 30 s; the
 * document title shows the count of the queue that needs action. Sorted by the next deadline.
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import shared from 'virtual:shared';
import { call } from './api.ts';
import { directoryUnits } from './directory.ts';
import { countdown, t, when } from './i18n.ts';
import { handlerName, isTyping, link, navigate, unitName } from './nav.ts';
import type { Session } from './session.ts';

/** One row of GET /complaints (ListItemView in shared/domain/access.ts). */
export interface ListItem {
  id: string;
  trackingCode: string;
  status: string;
  severity: string;
  category: string;
  priority: boolean;
  round: number;
  unitId?: string;
  handlerId?: string;
  suggestedUnitId?: string;
  complainant: { name?: string; phone?: string };
  nextDueAt?: string;
  signed?: boolean;
  signDueAt?: string;
  createdAt: string;
  /** An assist task's row (GET /assists): what the lead unit asks. */
  task?: string;
  /** A determination's or a rectification's row: what it waits for (shown in the complainant column). */
  note?: string;
  /** The status column's text when the row is not a complaint's status (a rectification's). */
  statusLabel?: string;
}

/** One row of GET /determinations (DeterminationRow in shared/domain/quality.ts). */
interface DeterminationRow {
  complaintId: string;
  trackingCode: string;
  status: string;
  category: string;
  severity: string;
  unitId?: string;
  round: number;
  repliedAt: string;
  state: 'pending' | 'determined';
  justified?: boolean;
  reason?: string;
  determinedAt?: string;
  review?: { justified: boolean };
}

/** One row of GET /rectifications (RectificationRow in shared/domain/quality.ts). */
interface RectificationRow {
  complaintId: string;
  trackingCode: string;
  category: string;
  unitId: string;
  period: string;
  status: 'due' | 'filed' | 'returned' | 'verified';
  noticedAt: string;
  dueAt?: string;
  filings: number;
  review?: { outcome: string; reason: string };
}

/** One row of GET /assists (AssistRow in shared/domain/assist.ts). */
interface AssistRow {
  complaintId: string;
  taskId: string;
  unitId: string;
  task: string;
  dueAt?: string;
  leadUnitId?: string;
  trackingCode: string;
  category: string;
  severity: string;
  complaintStatus: string;
  requestedAt: string;
}

export interface Queue {
  id: string;
  label: () => string;
  /** The list route (default GET /complaints) and how its rows become worklist rows. */
  route?: '/complaints' | '/assists' | '/determinations' | '/rectifications';
  query: Record<string, string>;
  /** GET /rectifications: only rows past their 5-day deadline (`dueBefore` = now, listed and counted by the server). */
  overdue?: true;
  /**
   * GET /determinations: this statistics month and the one before (`from` = {@link recentFrom}), the months
   * quality still reviews and notices. Unbounded, the justified list only grows, and so would its count.
   */
  recent?: true;
  bulk?: 'dispatch' | 'sign';
  /** The queue whose count the document title shows: work waiting for this role. */
  action?: boolean;
  /** No badge: a whole board (closed cases included) is not counted every 30 s. */
  uncounted?: boolean;
}

const OPEN = ['received', 'dispatched', 'contacted', 'replied', 'returned'];
const late = (i: ListItem, now: number) =>
  (OPEN.includes(i.status) || i.status === 'rectification.due' || i.status === 'rectification.returned') &&
  i.nextDueAt !== undefined &&
  new Date(i.nextDueAt).getTime() <= now;

/** The queues of each role (issue 13 item 2): one entry each; a queue backed by another list route names it. */
export function queuesFor(role: string): Queue[] {
  const overdue: Queue = { id: 'overdue', label: () => t('超时', 'Overdue'), query: { due: 'overdue' } };
  // The unit's rectifications (分析整改表, 5 days from the monthly notice; seed 000): due, and returned by quality.
  const rectDue: Queue = { id: 'rect-due', label: () => t('待整改', 'Rectifications due'), route: '/rectifications', query: { status: 'due' } };
  const rectReturned: Queue = {
    id: 'rect-returned',
    label: () => t('整改退回', 'Rectifications returned'),
    route: '/rectifications',
    query: { status: 'returned' },
  };
  switch (role) {
    case 'agent':
    case 'admin':
      return [
        { id: 'dispatch', label: () => t('待派单', 'To dispatch'), query: { status: 'received' }, bulk: 'dispatch', action: true },
        { id: 'callback', label: () => t('待回访', 'Awaiting callback'), query: { status: 'replied' } },
        { id: 'returned', label: () => t('退回待裁定', 'Returned'), query: { status: 'returned' } },
        { id: 'determine', label: () => t('待认定', 'To determine'), route: '/determinations', query: { status: 'pending' } },
        overdue,
      ];
    case 'handler':
      return [
        { id: 'sign', label: () => t('待签收', 'To sign for'), query: { status: 'dispatched', signed: 'false' }, bulk: 'sign', action: true },
        { id: 'progress', label: () => t('已签收', 'Signed for'), query: { signed: 'true' } },
        { id: 'assists', label: () => t('协办', 'Assist tasks'), route: '/assists', query: {} },
        rectDue,
        rectReturned,
        overdue,
      ];
    case 'leader':
      return [
        { id: 'notice', label: () => t('重大/紧急待确认', 'Major/urgent to confirm'), query: { notice: 'unconfirmed' }, action: true },
        // 延期申请 (decision 069): the unit's open requests, served and counted by the server.
        { id: 'extensions', label: () => t('延期待审批', 'Extensions to approve'), query: { extension: 'requested' } },
        { id: 'progress', label: () => t('处理中', 'In progress'), query: { signed: 'true' } },
        { id: 'board', label: () => t('本单位看板', 'Unit board'), query: {}, uncounted: true },
        { id: 'assists', label: () => t('协办', 'Assist tasks'), route: '/assists', query: {} },
        rectDue,
        rectReturned,
        overdue,
      ];
    default:
      return [
        { ...overdue, label: () => t('各单位超时', 'Overdue, all units'), action: true },
        { id: 'today', label: () => t('今日到期', 'Escalating today'), query: { due: 'today' } },
        { id: 'tomorrow', label: () => t('明日到期', 'Escalating tomorrow'), query: { due: 'tomorrow' } },
        { id: 'notice', label: () => t('领导通报未确认', 'Notices unconfirmed'), query: { notice: 'unconfirmed' } },
        {
          id: 'justified',
          label: () => t('有理由待复核', 'Justified to review'),
          route: '/determinations',
          query: { status: 'determined', justified: 'true' },
          recent: true,
        },
        { id: 'determine', label: () => t('待认定', 'To determine'), route: '/determinations', query: { status: 'pending' } },
        { id: 'rect-verify', label: () => t('整改待核验', 'Rectifications to verify'), route: '/rectifications', query: { status: 'filed' } },
        {
          id: 'rect-overdue',
          label: () => t('整改超时', 'Rectifications overdue'),
          route: '/rectifications',
          query: { status: 'due' },
          overdue: true,
        },
        { id: 'all', label: () => t('全部', 'All'), query: {}, uncounted: true },
      ];
  }
}

/** The filters the server takes (the rest are applied to the fetched page). */
const serverFilters = new Set<string>(shared.listQuery);

/** One page of a queue, as worklist rows. */
async function fetchQueue(queue: Queue, filters: Record<string, string>, cursor: string | undefined, limit: number, count: boolean) {
  if (queue.route === '/determinations' || queue.route === '/rectifications') return fetchQuality(queue, filters, cursor, limit, count);
  if (queue.route === '/assists') {
    const q = new URLSearchParams({ limit: String(limit) });
    if (cursor) q.set('cursor', cursor);
    const res = await call<{ items: AssistRow[]; cursor?: string }>('GET', `/assists?${q}`);
    if (!res.ok) return res;
    const items: ListItem[] = res.body.items.map((a) => ({
      id: a.complaintId,
      trackingCode: a.trackingCode,
      status: a.complaintStatus,
      severity: a.severity,
      category: a.category,
      priority: false,
      round: 1,
      ...(a.leadUnitId !== undefined && { unitId: a.leadUnitId }),
      complainant: {},
      ...(a.dueAt !== undefined && { nextDueAt: a.dueAt }),
      createdAt: a.requestedAt,
      task: a.task,
    }));
    // GET /assists has no count: a page of 100 is the badge, "100+" beyond.
    return {
      ...res,
      body: { items, ...(res.body.cursor !== undefined && { cursor: res.body.cursor }), count: items.length, more: res.body.cursor !== undefined },
    };
  }
  const sent = Object.fromEntries(Object.entries(filters).filter(([k, v]) => v && serverFilters.has(k)));
  const q = new URLSearchParams({ ...queue.query, ...sent, limit: String(limit), ...(count && { count: 'true' }) });
  if (cursor) q.set('cursor', cursor);
  const res = await call<{ items: ListItem[]; cursor?: string; count?: number }>('GET', `/complaints?${q}`);
  if (!res.ok) return res;
  return { ...res, body: { ...res.body, more: false } };
}

/**
 * The Shanghai date that opens the statistics month before the current one (months run from the 26th
 * to the 25th, INDICATORS.md): on 2026-12-02 the current month opened on 11-26, so 10-26.
 */
export function recentFrom(now: Date): string {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const opened = local.getUTCDate() >= 26 ? 0 : 1;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - opened - 1, 26)).toISOString().slice(0, 10);
}

/** A page of GET /determinations or GET /rectifications as worklist rows, with the server's count when asked. */
async function fetchQuality(queue: Queue, filters: Record<string, string>, cursor: string | undefined, limit: number, count: boolean) {
  const q = new URLSearchParams({ ...queue.query, limit: String(limit), ...(count && { count: 'true' }) });
  if (queue.overdue) q.set('dueBefore', new Date().toISOString());
  if (queue.recent) q.set('from', recentFrom(new Date()));
  if (filters['unitId']) q.set('unitId', filters['unitId']);
  if (cursor) q.set('cursor', cursor);
  if (queue.route === '/determinations') {
    const res = await call<{ items: DeterminationRow[]; cursor?: string } & Counted>('GET', `/determinations?${q}`);
    if (!res.ok) return res;
    const items = res.body.items.map(
      (d): ListItem => ({
        id: d.complaintId,
        trackingCode: d.trackingCode,
        status: d.status,
        severity: d.severity,
        category: d.category,
        priority: false,
        round: d.round,
        ...(d.unitId !== undefined && { unitId: d.unitId }),
        complainant: {},
        createdAt: d.repliedAt,
        note:
          d.state === 'pending'
            ? t('待认定', 'To determine')
            : `${d.justified ? t('有理由', 'Justified') : t('无理由', 'Not justified')}${d.review ? t('（已复核）', ' (reviewed)') : ''}${d.reason ? `：${d.reason}` : ''}`,
      }),
    );
    return { ...res, body: { items, ...(res.body.cursor !== undefined && { cursor: res.body.cursor }), ...countOf(res.body) } };
  }
  const res = await call<{ items: RectificationRow[]; cursor?: string } & Counted>('GET', `/rectifications?${q}`);
  if (!res.ok) return res;
  const items = res.body.items.map(
    (r): ListItem => ({
      id: r.complaintId,
      trackingCode: r.trackingCode,
      status: `rectification.${r.status}`,
      statusLabel: RECT_STATUS[r.status]?.() ?? r.status,
      severity: 'normal',
      category: r.category,
      priority: false,
      round: 1,
      unitId: r.unitId,
      complainant: {},
      // The 5-day countdown of the rectification (its dueAt), in the "next deadline" column.
      ...(r.dueAt !== undefined && r.status !== 'verified' && r.status !== 'filed' && { nextDueAt: r.dueAt }),
      createdAt: r.noticedAt,
      note: `${t('整改', 'Rectification')} ${r.period}${r.review ? `：${r.review.reason}` : ''}`,
    }),
  );
  return { ...res, body: { items, ...(res.body.cursor !== undefined && { cursor: res.body.cursor }), ...countOf(res.body) } };
}

/** `count=true` on the quality lists (the whole list, exact; `countCapped`: past the server's bound, shown "n+"). */
interface Counted {
  count?: number;
  countCapped?: true;
}
const countOf = (body: Counted) => ({ ...(body.count !== undefined && { count: body.count }), more: body.countCapped === true });

const RECT_STATUS: Record<string, () => string> = {
  due: () => t('待提交', 'due'),
  filed: () => t('待核验', 'to verify'),
  returned: () => t('已退回', 'returned'),
  verified: () => t('已核验', 'verified'),
};

/** ok / warning / breached for a row: past the sign-for due is breached; past the next warn/due instant at least a warning. */
export function slaOf(i: ListItem, now: number): 'ok' | 'warning' | 'breached' {
  if (i.signDueAt && i.signed === false && new Date(i.signDueAt).getTime() <= now) return 'breached';
  return late(i, now) ? 'warning' : 'ok';
}

/** The Shanghai calendar date of an instant (the period filter's dates are Shanghai days). */
const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

const due = (i: ListItem) => (i.signed === false && i.signDueAt ? i.signDueAt : i.nextDueAt);

/** The drill-down filters of GET /complaints (decision 060) that a report's figure links with (`/console/?figure=…`). */
const DRILL = ['figure', 'period', 'from', 'to', 'unitId', 'category', 'type', 'onTime'] as const;

/** The drill-down named by the page's query, or undefined (a figure or a period is needed). */
export function drillOf(search: string): Record<string, string> | undefined {
  const params = new URLSearchParams(search);
  const q = Object.fromEntries(DRILL.flatMap((k) => (params.get(k) ? [[k, params.get(k) as string]] : [])));
  return q['figure'] || q['period'] ? q : undefined;
}

/** The one queue of a drill-down: the complaints a report's figure counts. */
export const drillQueue = (q: Record<string, string>): Queue => ({
  id: 'drill',
  label: () =>
    t(
      `报表明细：${q['figure'] ?? '受理'} · ${q['period'] ?? `${q['from']}–${q['to']}`}${q['unitId'] ? ` · ${unitName(q['unitId'])}` : ''}`,
      `Report figure: ${q['figure'] ?? 'received'} · ${q['period'] ?? `${q['from']}–${q['to']}`}${q['unitId'] ? ` · ${unitName(q['unitId'])}` : ''}`,
    ),
  query: q,
  uncounted: true,
});

export function Worklist({ session }: { session: Session }) {
  const drill = drillOf(location.search);
  const queues = drill ? [drillQueue(drill)] : queuesFor(session.role);
  const [queueId, setQueueId] = useState(() => (drill ? 'drill' : (sessionStorage.getItem('console.queue') ?? queues[0]?.id ?? '')));
  const queue = queues.find((q) => q.id === queueId) ?? (queues[0] as Queue);
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<{ items: ListItem[]; cursor?: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [now, setNow] = useState(Date.now());
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkMsg, setBulkMsg] = useState<string | undefined>();
  const tableRef = useRef<HTMLTableElement>(null);

  const [counts, setCounts] = useState<Record<string, string>>({});

  const cursor = cursors[cursors.length - 1];
  const load = async () => {
    const res = await fetchQueue(queue, filters, cursor, 50, false);
    if (!res.ok) return setError(res.problem.title ?? String(res.status));
    setError(undefined);
    setPage(res.body);
  };
  /** Every tab's badge: the server's count of the whole queue (with the filters the server takes). */
  const loadCounts = async () => {
    const entries = await Promise.all(
      queues.map(async (q) => {
        if (q.uncounted) return [q.id, ''] as const;
        const res = await fetchQueue(q, filters, undefined, q.route && q.route !== '/complaints' ? 100 : 1, true);
        return [q.id, res.ok && res.body.count !== undefined ? `${res.body.count}${res.body.more ? '+' : ''}` : ''] as const;
      }),
    );
    setCounts(Object.fromEntries(entries));
  };
  useEffect(() => {
    void load();
    const refresh = setInterval(() => void load(), 30_000);
    return () => clearInterval(refresh);
  }, [queue.id, JSON.stringify(filters), cursor]);
  useEffect(() => {
    void loadCounts();
    const refresh = setInterval(() => void loadCounts(), 30_000);
    return () => clearInterval(refresh);
  }, [JSON.stringify(filters), session.role]);
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);

  const rows = (page?.items ?? [])
    .filter((i) => serverFilters.has('category') || !filters['category'] || i.category === filters['category'])
    .filter((i) => serverFilters.has('from') || !filters['from'] || shanghaiDate(i.createdAt) >= (filters['from'] as string))
    .filter((i) => serverFilters.has('to') || !filters['to'] || shanghaiDate(i.createdAt) <= (filters['to'] as string))
    .sort((a, b) => Number(b.priority) - Number(a.priority) || (due(a) ?? '9').localeCompare(due(b) ?? '9'));

  const actionQueue = queues.find((q) => q.action);
  const waiting = actionQueue ? counts[actionQueue.id] : undefined;
  useEffect(() => {
    document.title = `${waiting && waiting !== '0' ? `(${waiting}) ` : ''}${queue.label()} — ${t('投诉闭环工作台', 'Complaint console')}`;
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || document.querySelector('.dialog')) return;
      const links = tableRef.current ? Array.from(tableRef.current.querySelectorAll<HTMLAnchorElement>('a.open')) : [];
      // From the focused row when there is one (the state may lag a fast key repeat), else the highlighted one.
      const focused = links.indexOf(document.activeElement as HTMLAnchorElement);
      const from = focused >= 0 ? focused : active;
      if (e.key === 'j' || e.key === 'k') {
        const next = Math.max(0, Math.min(links.length - 1, from + (e.key === 'j' ? 1 : -1)));
        setActive(next);
        links[next]?.focus();
      } else if (e.key === 'o' && links[from]) navigate(links[from].getAttribute('href') ?? '/console/');
      else if (e.key === 'x' && rows[from]) toggle(rows[from].id);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const choose = (id: string) => {
    sessionStorage.setItem('console.queue', id);
    setQueueId(id);
    setCursors([]);
    setSelected(new Set());
  };
  const setFilter = (k: string) => (e: Event) => {
    setFilters((f) => ({ ...f, [k]: (e.currentTarget as HTMLSelectElement).value }));
    setCursors([]);
  };

  return html`<section aria-labelledby="wl-title">
    <h1 id="wl-title">${t('工作台', 'Worklists')}</h1>
    <div class="tabs" role="tablist" aria-label=${t('工作队列', 'Queues')}>
      ${queues.map(
        (q) => html`<button type="button" role="tab" aria-selected=${q.id === queue.id} data-queue=${q.id} onClick=${() => choose(q.id)}>
          ${q.label()}${counts[q.id] ? html` <span class=${`count-badge${q.action && counts[q.id] !== '0' ? ' action' : ''}`} data-count=${counts[q.id]}><span class="sr-only">（</span>${counts[q.id]}<span class="sr-only">${t('件）', ' items)')}</span></span>` : ''}
        </button>`,
      )}
    </div>
    ${drill && html`<p class="drill" data-drill=${drill['figure'] ?? ''}><a href="/console/reports" onClick=${link('/console/reports')}>${t('← 返回统计报表', '← Back to the reports')}</a></p>`}
    ${
      !drill &&
      html`<form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label=${t('筛选', 'Filters')}>
      ${filterSelect('severity', t('严重程度', 'Severity'), shared.labels.severity, filters, setFilter)}
      ${filterSelect('category', t('类别', 'Category'), shared.labels.category, filters, setFilter)}
      ${!queue.query['status'] && filterSelect('status', t('状态', 'Status'), shared.labels.status, filters, setFilter)}
      ${period('from', t('受理日期从', 'Received from'), filters, setFilter)}
      ${period('to', t('至', 'to'), filters, setFilter)}
      ${session.role !== 'handler' && session.role !== 'leader' && filterSelect('unitId', t('单位', 'Unit'), Object.fromEntries(directoryUnits().map((u) => [u.id, u.name])), filters, setFilter)}
    </form>`
    }
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${
      queue.bulk &&
      html`<${Bulk} kind=${queue.bulk} ids=${[...selected]} onDone=${(msg: string) => {
        setBulkMsg(msg);
        setSelected(new Set());
        void load();
      }} />`
    }
    ${bulkMsg && html`<p class="notice" role="status">${bulkMsg}</p>`}
    <p class="count" aria-live="polite">${page ? t(`${rows.length} 件`, `${rows.length} item(s)`) : t('加载中…', 'Loading…')}</p>
    <div class="table-wrap">
    <table ref=${tableRef} class="worklist">
      <caption class="sr-only">${queue.label()}</caption>
      <thead><tr>
        ${queue.bulk && html`<th scope="col"><span class="sr-only">${t('选择', 'Select')}</span></th>`}
        <th scope="col">${t('受理编号', 'Case')}</th><th scope="col" class="opt">${t('类别', 'Category')}</th><th scope="col" class="opt">${t('严重程度', 'Severity')}</th>
        <th scope="col">${t('状态', 'Status')}</th><th scope="col">${t('处理单位', 'Unit')}</th><th scope="col" class="opt">${t('投诉人', 'Complainant')}</th><th scope="col">${t('下一时限', 'Next deadline')}</th>
      </tr></thead>
      <tbody>
        ${rows.map((i, n) => {
          const d = due(i);
          return html`<tr class=${`sla-${slaOf(i, now)}${n === active ? ' active' : ''}`} data-id=${i.id}>
            ${queue.bulk && html`<td><input type="checkbox" aria-label=${t(`选择 ${i.trackingCode}`, `Select ${i.trackingCode}`)} checked=${selected.has(i.id)} onChange=${() => toggle(i.id)} /></td>`}
            <td><a class="open" href=${`/console/c/${i.id}`} onClick=${link(`/console/c/${i.id}`)} onFocus=${() => setActive(n)}>${i.trackingCode}</a>${i.priority ? html` <span class="badge priority">${t('优先', 'Priority')}</span>` : ''}${i.round > 1 ? html` <span class="badge">${t(`第${i.round}轮`, `Round ${i.round}`)}</span>` : ''}</td>
            <td class="opt">${shared.labels.category[i.category as keyof typeof shared.labels.category] ?? i.category}</td>
            <td class="opt">${shared.labels.severity[i.severity as keyof typeof shared.labels.severity] ?? i.severity}</td>
            <td>${i.statusLabel ?? shared.labels.status[i.status as keyof typeof shared.labels.status] ?? i.status}${i.signed === false ? html` <span class="badge">${t('未签收', 'Unsigned')}</span>` : ''}</td>
            <td>${i.unitId ? `${unitName(i.unitId)} / ${handlerName(i.handlerId)}` : i.suggestedUnitId ? html`<span class="suggest">${t('建议：', 'Suggested: ')}${unitName(i.suggestedUnitId)}</span>` : '—'}</td>
            <td class="opt">${i.task ? html`<span class="task">${t('协办：', 'Assist: ')}${i.task}</span>` : i.note ? html`<span class="task">${i.note}</span>` : `${i.complainant.name ?? '—'} ${i.complainant.phone ?? ''}`}</td>
            <td>${d ? html`<time datetime=${d} title=${when(d)}>${countdown(d, now)}</time>` : '—'}</td>
          </tr>`;
        })}
      </tbody>
    </table>
    </div>
    ${rows.length === 0 && page && html`<p class="empty">${t('没有待办。', 'Nothing to do here.')}</p>`}
    <nav class="pager" aria-label=${t('翻页', 'Pages')}>
      <button type="button" disabled=${cursors.length === 0} onClick=${() => setCursors((c) => c.slice(0, -1))}>${t('上一页', 'Previous')}</button>
      <button type="button" disabled=${!page?.cursor} onClick=${() => page?.cursor && setCursors((c) => [...c, page.cursor as string])}>${t('下一页', 'Next')}</button>
    </nav>
  </section>`;
}

/** The period filter (received from / to): sent when the server's list takes it, else applied to the page. */
function period(name: 'from' | 'to', label: string, filters: Record<string, string>, on: (k: string) => (e: Event) => void) {
  return html`<div class="field inline"><label for=${`filter-${name}`}>${label}</label>
    <input type="date" id=${`filter-${name}`} value=${filters[name] ?? ''} onChange=${on(name)} /></div>`;
}

function filterSelect(name: string, label: string, options: Record<string, string>, filters: Record<string, string>, on: (k: string) => (e: Event) => void) {
  return html`<div class="field inline"><label for=${`filter-${name}`}>${label}</label>
    <select id=${`filter-${name}`} value=${filters[name] ?? ''} onChange=${on(name)}>
      <option value="">${t('全部', 'All')}</option>
      ${Object.entries(options).map(([v, l]) => html`<option value=${v}>${l}</option>`)}
    </select></div>`;
}

/** Bulk dispatch (centre) or bulk 签收 (unit) of the selected rows, one command per complaint. */
function Bulk({ kind, ids, onDone }: { kind: 'dispatch' | 'sign'; ids: string[]; onDone: (msg: string) => void }) {
  // Nothing chosen yet (or the directory loaded after this mounted): the first unit and its first handler.
  const [chosenUnit, setUnitId] = useState('');
  const [chosenHandler, setHandlerId] = useState('');
  const units = directoryUnits();
  const unitId = chosenUnit || (units[0]?.id ?? '');
  const handlers = units.find((u) => u.id === unitId)?.handlers ?? [];
  const handlerId = chosenHandler || (handlers[0]?.id ?? '');
  const run = async () => {
    let ok = 0;
    const failed: string[] = [];
    for (const id of ids) {
      const res =
        kind === 'dispatch' ? await call('POST', `/complaints/${id}/assignment`, { unitId, handlerId }) : await call('POST', `/complaints/${id}/sign`, {});
      if (res.ok) ok++;
      else failed.push(`${id}: ${res.problem.title ?? res.status}`);
    }
    onDone(
      t(
        `已处理 ${ok} 件${failed.length ? `，失败 ${failed.length} 件：${failed.join('；')}` : ''}`,
        `${ok} done${failed.length ? `, ${failed.length} failed: ${failed.join('; ')}` : ''}`,
      ),
    );
  };
  return html`<div class="bulk" role="group" aria-label=${kind === 'dispatch' ? t('批量派单', 'Bulk dispatch') : t('批量签收', 'Bulk sign')}>
    ${
      kind === 'dispatch' &&
      html`<div class="field inline"><label for="bulk-unit">${t('处理单位', 'Unit')}</label>
        <select id="bulk-unit" value=${unitId} onChange=${(e: Event) => {
          const u = (e.currentTarget as HTMLSelectElement).value;
          setUnitId(u);
          setHandlerId(units.find((x) => x.id === u)?.handlers[0]?.id ?? '');
        }}>${units.map((u) => html`<option value=${u.id}>${u.name}</option>`)}</select></div>
      <div class="field inline"><label for="bulk-handler">${t('处理人', 'Handler')}</label>
        <select id="bulk-handler" value=${handlerId} onChange=${(e: Event) => setHandlerId((e.currentTarget as HTMLSelectElement).value)}>${handlers.map((h) => html`<option value=${h.id}>${h.name}</option>`)}</select></div>`
    }
    <button type="button" disabled=${ids.length === 0} onClick=${run}>${kind === 'dispatch' ? t(`批量派单（${ids.length}）`, `Dispatch selected (${ids.length})`) : t(`批量签收（${ids.length}）`, `Sign selected (${ids.length})`)}</button>
  </div>`;
}
