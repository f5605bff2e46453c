/**
 * The staff console (issue 13): sign-in, the worklists per role, the complaint page with a form for
 * every command the role may give now, keyboard shortcuts. Plain Preact + htm, no JSX, no router
 * library: `/console/` is the worklist, `/console/c/<id>` a complaint.
 */
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import shared from 'virtual:shared';
import { whenExpired } from './api.ts';
import { cognitoFinish, cognitoStart, devSignIn, loadConfig, type ConsoleConfig } from './auth.ts';
import { ComplaintPage } from './complaint.ts';
import { loadDirectory, onDirectory } from './directory.ts';
import { lang, setLang, t } from './i18n.ts';
import { current, signOut, type Session } from './session.ts';
import { Worklist } from './worklist.ts';
import { ReportsPage } from './reports.ts';
import { isTyping, link, roleLabel, unitName } from './nav.ts';

function App({ config }: { config: ConsoleConfig }) {
  const [session, setSession] = useState<Session | undefined>(current());
  const [path, setPath] = useState(location.pathname);
  // The worklist's drill-down filters live in the query (`/console/?figure=…&period=…`); a new one remounts it.
  const [search, setSearch] = useState(location.search);
  const [notice, setNotice] = useState<string | undefined>();
  const [, setLangTick] = useState(lang());
  const [help, setHelp] = useState(false);
  // The runtime directory (GET /directory): loaded once per session; its arrival re-renders the names and forms.
  const [, setDirectoryTick] = useState(0);
  useEffect(() => onDirectory(() => setDirectoryTick((n) => n + 1)), []);
  useEffect(() => {
    void loadDirectory(session?.token);
  }, [session?.token]);

  useEffect(() => {
    const onPop = () => {
      setPath(location.pathname);
      setSearch(location.search);
    };
    addEventListener('popstate', onPop);
    whenExpired(() => {
      setSession(undefined);
      setNotice(t('登录已过期，请重新登录。', 'Your session has expired; please sign in again.'));
    });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '?' && !isTyping(e)) setHelp((h) => !h);
      if (e.key === 'Escape') setHelp(false);
    };
    addEventListener('keydown', onKey);
    return () => {
      removeEventListener('popstate', onPop);
      removeEventListener('keydown', onKey);
    };
  }, []);

  const toggleLang = () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    setLangTick(lang());
  };
  const langButton = html`<button type="button" class="link" onClick=${toggleLang} lang=${lang() === 'zh' ? 'en' : 'zh-CN'}>${lang() === 'zh' ? 'English' : '中文'}</button>`;

  if (!session)
    return html`<${SignIn} config=${config} notice=${notice} langButton=${langButton} onSignedIn=${() => {
      setNotice(undefined);
      setSession(current());
    }} />`;

  const match = /^\/console\/c\/([^/]+)$/.exec(path);
  const reports = path === '/console/reports' && session.role !== 'handler';
  const out = () => {
    signOut();
    setSession(undefined);
    setNotice(t('已退出。', 'Signed out.'));
    if (config.mode === 'cognito' && config.logoutUri)
      location.assign(`https://${config.domain}/logout?client_id=${config.clientId}&logout_uri=${encodeURIComponent(config.logoutUri)}`);
  };
  return html`<div class="shell">
    <a class="skip" href="#main">${t('跳到主要内容', 'Skip to content')}</a>
    <header class="top">
      <a class="brand" href="/console/" onClick=${link('/console/')}>${t('投诉闭环工作台', 'Complaint console')}</a>
      <nav aria-label=${t('主导航', 'Main')}>
        <a href="/console/" onClick=${link('/console/')} aria-current=${match || reports ? undefined : 'page'}>${t('工作台', 'Worklists')}</a>
        ${shared.routes.includes('GET /reports') && session.role !== 'handler' && html`<a href="/console/reports" onClick=${link('/console/reports')} aria-current=${reports ? 'page' : undefined}>${t('统计报表', 'Reports')}</a>`}
      </nav>
      <span class="who">${roleLabel(session.role)} · ${session.sub}${session.unitId ? ` · ${unitName(session.unitId)}` : ''}</span>
      ${langButton}
      <button type="button" class="link" onClick=${() => setHelp(true)} aria-keyshortcuts="?">${t('快捷键', 'Shortcuts')}</button>
      <button type="button" class="link" onClick=${out}>${t('退出', 'Sign out')}</button>
    </header>
    <main id="main" tabindex="-1">
      ${
        match
          ? html`<${ComplaintPage} id=${decodeURIComponent(match[1] ?? '')} session=${session} />`
          : reports
            ? html`<${ReportsPage} session=${session} />`
            : html`<${Worklist} key=${search} session=${session} />`
      }
    </main>
    ${help && html`<${Help} onClose=${() => setHelp(false)} />`}
  </div>`;
}

function SignIn({ config, notice, langButton, onSignedIn }: { config: ConsoleConfig; notice?: string; langButton: unknown; onSignedIn: () => void }) {
  const [error, setError] = useState<string | undefined>();
  return html`<main class="signin" id="main">
    <h1>${t('投诉闭环工作台 — 登录', 'Complaint console — sign in')}</h1>
    ${langButton}
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${
      config.mode === 'dev'
        ? html`<p>${t('本地开发环境：选择一个开发身份。', 'Local stack: pick a dev identity.')}</p>
          <ul class="identities">
            ${config.identities.map(
              (
                i,
              ) => html`<li><button type="button" data-sub=${i.sub} onClick=${async () => ((await devSignIn(i.sub)) ? onSignedIn() : setError(t('登录失败', 'Sign-in failed')))}>
                ${roleLabel(i.role)} — ${i.sub}${i.unitId ? `（${unitName(i.unitId)}）` : ''}
              </button></li>`,
            )}
          </ul>`
        : config.mode === 'cognito'
          ? html`<button type="button" class="primary" onClick=${() => void cognitoStart(config)}>${t('使用单位账号登录', 'Sign in with your staff account')}</button>`
          : html`<p class="error">${t('尚未配置登录（见部署文档）。', 'Sign-in is not configured (see the deployment notes).')}</p>`
    }
  </main>`;
}

function Help({ onClose }: { onClose: () => void }) {
  const rows: [string, string, string][] = [
    ['j / k', '下一条 / 上一条', 'Next / previous item'],
    ['o / Enter', '打开', 'Open'],
    ['x', '选中（批量派单、签收）', 'Select (bulk dispatch / sign)'],
    ['r', '打开答复表单', 'Open the reply form'],
    ['s', '签收', 'Sign for'],
    ['c', '联系投诉人', 'Contact'],
    ['d', '派单', 'Dispatch'],
    ['b', '回访', 'Callback'],
    ['e', '延期', 'Extension'],
    ['g', '回到工作台', 'Back to the worklists'],
    ['?', '显示 / 关闭本帮助', 'Show / hide this help'],
  ];
  return html`<div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title">
    <h2 id="help-title">${t('快捷键', 'Keyboard shortcuts')}</h2>
    <table><tbody>${rows.map(([k, zh, en]) => html`<tr><th scope="row"><kbd>${k}</kbd></th><td>${t(zh, en)}</td></tr>`)}</tbody></table>
    <button type="button" ref=${(el: HTMLButtonElement | null) => el?.focus()} onClick=${onClose}>${t('关闭', 'Close')}</button>
  </div>`;
}

async function boot(): Promise<void> {
  setLang(lang());
  const root = document.getElementById('app');
  if (!root) return;
  const config = await loadConfig();
  if (config.mode === 'cognito' && location.pathname === '/console/callback') await cognitoFinish(config);
  if (location.pathname === '/console' || location.pathname === '/console/callback') history.replaceState(null, '', '/console/');
  root.textContent = '';
  render(html`<${App} config=${config} />`, root);
}

void boot();
