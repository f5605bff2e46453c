// @ts-check
/**
 * The complaint form (POST /complaints) and the status page (GET /track/{code}).
 * Plain DOM, no framework; every text goes through textContent (no HTML from data).
 */
import { charCount, checkValue, coerce, validateIntake } from './validate.js';
import { enumLabel, has, lang, setLang, t, when } from './i18n.js';

/** @typedef {import('./validate.js').Issue} Issue */
/** @typedef {{ intake: import('./validate.js').ObjectSchema, trackingCode: import('./validate.js').FieldSchema, labels: { category: Record<string, string>, kind: Record<string, string> } }} Rules */
/** @typedef {{ key: string, params?: Record<string, string | number> } | undefined} Alert */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement & HTMLInputElement} */ (document.getElementById(id));
const API = document.querySelector('meta[name="api-base"]')?.getAttribute('content') ?? '';
/** Form fields in page order: errors are focused in this order. */
const FIELDS = ['name', 'phone', 'email', 'waybillNo', 'kind', 'category', 'content', 'demand', 'region', 'declaredValue'];
/** Fields that only hold ASCII: full-width characters typed with a Chinese IME are folded to ASCII. */
const ASCII = new Set(['phone', 'email', 'waybillNo', 'declaredValue', 'code']);
const COUNTED = ['content', 'demand'];
const LABEL_KEY = /** @type {Record<string, string>} */ ({ code: 'trackingCode' });

const state = {
  /** @type {Rules | undefined} */ rules: undefined,
  /** @type {Issue[]} */ issues: [],
  /** @type {Alert} */ alert: undefined,
  /** @type {Alert} */ trackAlert: undefined,
  /** @type {any} */ receipt: undefined,
  /** @type {any} */ status: undefined,
  /** @type {Issue | undefined} */ codeIssue: undefined,
  triedSubmit: false,
  busy: false,
  /**
   * One submission attempt: its Idempotency-Key stays with the exact body, so a retry or a double
   * click of the same answers can never file twice; changed answers are a new attempt.
   * @type {{ key: string, body: string } | undefined}
   */
  attempt: undefined,
};

const halfWidth = (/** @type {string} */ s) => s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** crypto.randomUUID needs a secure context; getRandomValues does not. */
const uuid = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (+c / 4)))).toString(16));

/**
 * Creates an element; attributes with `undefined`/`false` are left out, children may be strings.
 * @param {string} tag @param {Record<string, string | boolean | undefined>} [attrs] @param {(Node | string | undefined | false)[]} children
 */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : v);
  return fill(el, ...children);
}

/** Replaces the children of `el`, leaving out `undefined`/`false` (from `cond && h(...)`). */
function fill(/** @type {Element} */ el, /** @type {(Node | string | undefined | false)[]} */ ...children) {
  el.replaceChildren(...children.filter((c) => c !== undefined && c !== false));
  return el;
}

// ---------------------------------------------------------------- messages

/** @param {Issue} issue */
function message(issue) {
  const label = t(LABEL_KEY[issue.path] ?? issue.path);
  const specific = `e_${issue.code}_${issue.path}`;
  return t(has(specific) ? specific : `e_${issue.code}`, { label, ...issue.params });
}

/** @param {HTMLElement} box @param {Alert} alert */
function renderAlert(box, alert) {
  box.hidden = !alert;
  box.textContent = alert ? t(alert.key, alert.params) : '';
}

/**
 * Shows each issue beside its field (the first one per field) and marks the field invalid.
 * @param {Issue[]} issues @param {boolean} focus move focus to the first field in error
 */
function renderIssues(issues, focus) {
  state.issues = issues;
  /** @type {HTMLElement | undefined} */
  let first;
  for (const name of FIELDS) {
    const issue = issues.find((i) => i.path === name);
    const input = $(name);
    const error = $(`${name}-error`);
    error.replaceChildren(...(issue ? [h('span', { class: 'visually-hidden' }, t('errorPrefix')), message(issue)] : []));
    error.hidden = !issue;
    input.closest('.field')?.classList.toggle('has-error', !!issue);
    if (issue) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (issue && !first) first = input;
  }
  if (focus && first) first.focus();
}

// ---------------------------------------------------------------- the complaint form

function readForm() {
  const anonymous = $('anonymous').checked;
  /** @type {Record<string, unknown>} */
  const raw = { channel: 'web', anonymous };
  for (const name of FIELDS) {
    if (anonymous && name === 'name') continue;
    const value = $(name).value;
    raw[name] = ASCII.has(name) ? halfWidth(value) : value;
  }
  return raw;
}

function validateForm() {
  const raw = readForm();
  if (state.rules) return validateIntake(state.rules.intake, raw);
  // Without the rules file the server still checks everything; send what was filled in.
  const value = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v !== 'string' || v.trim() !== ''));
  return { value, issues: /** @type {Issue[]} */ ([]) };
}

function updateCounters() {
  for (const name of COUNTED) {
    const schema = state.rules?.intake.properties[name];
    const max = schema?.maxLength;
    const el = $(`${name}-count`);
    if (!schema || !max) continue;
    // Counted as the server counts: after trimming, in the unit zod uses (x-length-unit).
    const n = charCount($(name).value.trim(), schema['x-length-unit']);
    el.textContent = n > max ? t('countOver', { k: n - max }) : t('count', { n, max });
    el.classList.toggle('over', n > max);
  }
}

let countTimer = 0;
function announceCount() {
  clearTimeout(countTimer);
  // Read out once typing pauses, not on every keystroke.
  countTimer = window.setTimeout(() => {
    $('content-count-live').textContent = $('content-count').textContent;
  }, 1200);
}

function updateAnonymous() {
  const anonymous = $('anonymous').checked;
  $('name-field').hidden = anonymous;
  $('phone-optional').hidden = !anonymous;
  $('phone').setAttribute('aria-required', String(!anonymous));
  if (state.triedSubmit) renderIssues(validateForm().issues, false);
}

/** @param {boolean} busy */
function setBusy(busy) {
  state.busy = busy;
  const button = $('submit');
  // aria-disabled rather than disabled: the button keeps focus while the request runs.
  button.setAttribute('aria-disabled', String(busy));
  button.textContent = t(busy ? 'submitting' : 'submit');
  $('complaint-form').setAttribute('aria-busy', String(busy));
}

/** @param {SubmitEvent} event */
async function onSubmit(event) {
  event.preventDefault();
  if (state.busy) return;
  state.triedSubmit = true;
  state.alert = undefined;
  renderAlert($('form-alert'), undefined);
  const { value, issues } = validateForm();
  renderIssues(issues, true);
  if (issues.length > 0) return;

  const body = JSON.stringify(value);
  if (!state.attempt || state.attempt.body !== body) state.attempt = { key: uuid(), body };
  setBusy(true);
  try {
    const res = await fetch(`${API}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': state.attempt.key },
      body,
    });
    const data = await res.json().catch(() => undefined);
    if (res.ok && data?.trackingCode) {
      state.attempt = undefined;
      showReceipt(data);
    } else {
      handleProblem(res, data);
    }
  } catch {
    // Network failure: the answers and the key stay, so sending again cannot duplicate.
    showFormAlert({ key: 'network' });
  } finally {
    setBusy(false);
  }
}

/** @param {Alert} alert */
function showFormAlert(alert) {
  state.alert = alert;
  renderAlert($('form-alert'), alert);
}

/** @param {Response} res @param {any} problem an RFC 9457 body, or undefined */
function handleProblem(res, problem) {
  if (res.status === 429) {
    const seconds = Number(res.headers.get('retry-after')) || 60;
    return showFormAlert({ key: 'rateLimited', params: { s: seconds } });
  }
  if (res.status >= 500 || !problem) return showFormAlert({ key: 'serverDown' });
  if (problem.code === 'idempotency-key-reused') state.attempt = undefined;
  /** @type {Issue[]} */
  const issues = [];
  /** @type {string[]} */
  const other = [];
  for (const e of Array.isArray(problem.errors) ? problem.errors : []) {
    const field = String(e.path ?? '').split('.')[0] ?? '';
    if (FIELDS.includes(field)) issues.push({ path: field, code: 'server', params: { message: String(e.message ?? '') } });
    else other.push(String(e.message ?? ''));
  }
  renderIssues(issues, true);
  if (issues.length === 0 || other.length > 0) {
    showFormAlert({ key: 'raw', params: { text: [problem.detail ?? problem.title ?? `HTTP ${res.status}`, ...other].join(' ') } });
    if (issues.length === 0) $('form-alert').focus();
  }
}

/** @param {any} receipt the 201/200 body of POST /complaints */
function showReceipt(receipt) {
  state.receipt = receipt;
  renderReceipt();
  $('complaint-form').hidden = true;
  document.querySelector('#view-submit > .lead')?.setAttribute('hidden', '');
  $('submit-title').hidden = true;
  $('receipt').hidden = false;
  $('receipt-title').focus();
}

function renderReceipt() {
  const r = state.receipt;
  if (!r) return;
  $('receipt-code').textContent = r.trackingCode;
  // The public answer is the same for a new complaint and a repeat (decision 030): say where the SMS goes.
  const digits = typeof r.smsTo === 'string' ? r.smsTo.replace(/\D/g, '') : '';
  $('receipt-sms').hidden = digits === '';
  $('receipt-sms').textContent = digits ? t('receiptSms', { n: digits }) : '';
  /** @param {string} milestone */
  const due = (milestone) => r.deadlines?.find((/** @type {any} */ d) => d.milestone === milestone)?.dueAt;
  const contact = due('first_contact');
  const reply = due('reply');
  fill(
    $('receipt-next'),
    h('li', {}, t('nextReceived')),
    h('li', {}, contact ? t('nextContact', { t: when(contact) }) : t('nextContactDefault')),
    reply && h('li', {}, t('nextReply', { t: when(reply) })),
    h('li', {}, t('nextCallback')),
    h('li', {}, t('nextKeep')),
  );
  $('receipt-track').setAttribute('href', `#/track/${encodeURIComponent(r.trackingCode)}`);
}

function newComplaint() {
  state.receipt = undefined;
  state.triedSubmit = false;
  const form = /** @type {HTMLFormElement} */ (document.getElementById('complaint-form'));
  form.reset();
  renderIssues([], false);
  updateAnonymous();
  updateCounters();
  $('receipt').hidden = true;
  $('copy-status').textContent = '';
  form.hidden = false;
  $('submit-title').hidden = false;
  document.querySelector('#view-submit > .lead')?.removeAttribute('hidden');
  $('submit-title').focus();
}

async function copyCode() {
  const code = $('receipt-code');
  try {
    await navigator.clipboard.writeText(code.textContent ?? '');
    $('copy-status').textContent = t('copied');
  } catch {
    // No clipboard permission: select the code so that the user can copy it.
    const range = document.createRange();
    range.selectNodeContents(code);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
  }
}

// ---------------------------------------------------------------- the status page

/** @param {string} input @param {{ focus: boolean, push: boolean }} opts */
async function lookup(input, opts) {
  const schema = state.rules?.trackingCode;
  const raw = halfWidth(input);
  const code = /** @type {string | undefined} */ (schema ? coerce(schema, raw) : raw.trim().toUpperCase() || undefined);
  state.codeIssue = code === undefined ? { path: 'code', code: 'required' } : schema && checkValue('code', schema, code);
  state.trackAlert = undefined;
  renderTrackForm();
  if (state.codeIssue || code === undefined) {
    state.status = undefined;
    renderStatus();
    if (opts.focus) $('code').focus();
    return;
  }
  if (opts.push) history.pushState(null, '', `#/track/${encodeURIComponent(code)}`);
  const button = $('lookup');
  button.textContent = t('looking');
  try {
    const res = await fetch(`${API}/track/${encodeURIComponent(code)}`, { headers: { accept: 'application/json' } });
    const data = await res.json().catch(() => undefined);
    if (res.ok && data) {
      state.status = data;
    } else {
      state.status = undefined;
      if (res.status === 404) state.codeIssue = { path: 'code', code: 'not_found' };
      else if (res.status === 429) state.trackAlert = { key: 'rateLimited', params: { s: Number(res.headers.get('retry-after')) || 60 } };
      else state.trackAlert = { key: 'serverDown' };
    }
  } catch {
    state.status = undefined;
    state.trackAlert = { key: 'network' };
  } finally {
    button.textContent = t('lookup');
  }
  renderTrackForm();
  renderStatus();
  if (opts.focus) (state.status ? $('status-title') : state.codeIssue ? $('code') : $('track-alert')).focus();
}

function renderTrackForm() {
  const issue = state.codeIssue;
  const error = $('code-error');
  error.replaceChildren(...(issue ? [h('span', { class: 'visually-hidden' }, t('errorPrefix')), message(issue)] : []));
  error.hidden = !issue;
  $('code').closest('.field')?.classList.toggle('has-error', !!issue);
  if (issue) $('code').setAttribute('aria-invalid', 'true');
  else $('code').removeAttribute('aria-invalid');
  renderAlert($('track-alert'), state.trackAlert);
}

function renderStatus() {
  const s = state.status;
  const box = $('status');
  if (!s) return box.replaceChildren();
  const colon = t('colon');
  /** @param {string} key @param {string | undefined} value */
  const fact = (key, value) => value && [h('dt', {}, t(key)), h('dd', {}, value)];
  const facts = [
    fact('kindLabel', s.kindLabel && enumLabel('kind', s.kind, s.kindLabel)),
    fact('categoryLabel', enumLabel('category', s.category, s.categoryLabel)),
    fact('waybillLabel', s.waybillNo),
    fact('complainant', s.complainant?.name ?? (s.complainant?.phone ? undefined : t('anonymousShown'))),
    fact('phoneLabel', s.complainant?.phone),
    fact('submittedAt', when(s.createdAt)),
  ].flatMap((f) => f || []);
  const deadlines = (s.deadlines ?? []).filter((/** @type {any} */ d) => d.state === 'pending' || d.state === 'breached');
  const milestones = [...(s.milestones ?? [])].reverse();
  fill(
    box,
    h('h2', { id: 'status-title', tabindex: '-1' }, t('complaintNo', { code: s.trackingCode })),
    h(
      'p',
      { class: 'status-line' },
      t('statusNow'),
      colon,
      h('strong', { class: `badge badge-${s.status}`, id: 'status-label' }, enumLabel('status', s.status, s.statusLabel)),
    ),
    h('dl', { class: 'facts' }, ...facts),
    deadlines.length > 0 && h('h3', {}, t('upcoming')),
    deadlines.length > 0 &&
      h(
        'ul',
        { class: 'deadlines' },
        ...deadlines.map((/** @type {any} */ d) => {
          const key = has(`deadline_${d.milestone}`) ? `deadline_${d.milestone}` : 'deadline_other';
          return h(
            'li',
            { class: d.state === 'breached' ? 'late' : undefined },
            t(key, { t: when(d.dueAt), label: d.label }),
            d.state === 'breached' && t('deadlineBreached'),
            d.provisional && h('span', { class: 'note' }, t('deadlineProvisional')),
            d.extended && h('span', { class: 'note' }, t('deadlineExtended', { reason: d.extended.reason })),
          );
        }),
      ),
    // Seed 001 (第九条): no answer 7 days after the complaint → the regulator's appeal line.
    s.appeal && h('h3', {}, t('appealTitle')),
    s.appeal && h('p', { class: 'appeal', id: 'appeal-route' }, t('appealRoute', { t: when(s.appeal.since), hotline: s.appeal.hotline })),
    s.result && h('h3', {}, t('resultTitle')),
    s.result &&
      h(
        'div',
        { class: 'result' },
        h('p', {}, h('strong', {}, t(s.result.resolved ? 'resolved' : 'unresolved')), colon, s.result.summary),
        h('p', { class: 'note' }, when(s.result.at)),
      ),
    h('h3', {}, t('timeline')),
    h(
      'ol',
      { class: 'timeline', id: 'timeline' },
      ...milestones.map((/** @type {any} */ m) =>
        h(
          'li',
          {},
          h('time', { datetime: m.at }, when(m.at)),
          h('span', { class: 'what' }, enumLabel('milestone', m.type, m.label)),
          m.note && h('span', { class: 'note' }, m.note),
        ),
      ),
    ),
    h('p', { class: 'note' }, t('beijingTime')),
  );
}

// ---------------------------------------------------------------- views, language, start

/** @param {'submit' | 'track'} view */
function show(view) {
  $('view-submit').hidden = view !== 'submit';
  $('view-track').hidden = view !== 'track';
  for (const [id, v] of [
    ['nav-submit', 'submit'],
    ['nav-track', 'track'],
  ]) {
    if (v === view) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
  document.title = `${t(view === 'submit' ? 'submitTitle' : 'trackTitle')} – ${t('title')}`;
}

/** `#/track/CODE` or `?code=CODE` opens the status page; anything else the form. @param {boolean} initial */
function route(initial) {
  if (location.hash && !location.hash.startsWith('#/')) return; // an in-page anchor, such as the skip link
  const m = /^#\/track(?:\/([^/?#]*))?/.exec(location.hash);
  const queryCode = location.hash ? null : new URLSearchParams(location.search).get('code');
  if (!m && queryCode === null) {
    show('submit');
    if (!initial) (state.receipt ? $('receipt-title') : $('submit-title')).focus();
    return;
  }
  show('track');
  const code = m ? decodeURIComponent(m[1] ?? '') : (queryCode ?? '');
  if (code) {
    $('code').value = code;
    void lookup(code, { focus: !initial, push: false });
  } else if (!initial) {
    $('track-title').focus();
  }
}

/** @param {'zh' | 'en'} l */
function applyLang(l) {
  setLang(l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(/** @type {HTMLElement} */ (el).dataset['i18n'] ?? '');
  $('nav').setAttribute('aria-label', t('navLabel'));
  const toggle = $('lang-toggle');
  toggle.textContent = t('switchTo');
  toggle.lang = l === 'zh' ? 'en' : 'zh-CN';
  for (const name of /** @type {const} */ (['category', 'kind'])) {
    for (const option of /** @type {HTMLSelectElement} */ (document.getElementById(name)).options) {
      if (option.value) option.textContent = enumLabel(name, option.value, state.rules?.labels[name][option.value]);
    }
  }
  show($('view-track').hidden ? 'submit' : 'track');
  setBusy(state.busy);
  renderIssues(state.issues, false);
  renderAlert($('form-alert'), state.alert);
  renderReceipt();
  renderTrackForm();
  renderStatus();
  updateCounters();
  try {
    localStorage.setItem('lang', l);
  } catch {
    /* private mode: the choice lasts for this page */
  }
}

async function loadRules() {
  try {
    const res = await fetch('intake-rules.json');
    if (!res.ok) throw new Error(String(res.status));
    state.rules = await res.json();
  } catch {
    showFormAlert({ key: 'rulesMissing' });
    return;
  }
  const select = $('category');
  const category = state.rules?.intake.properties['category'];
  for (const value of /** @type {string[]} */ (category?.enum ?? [])) {
    select.append(h('option', { value }, enumLabel('category', value, state.rules?.labels.category[value])));
  }
  // 受理类型: the schema's values, its default chosen (decision 050).
  const kinds = $('kind');
  const kind = state.rules?.intake.properties['kind'];
  for (const value of /** @type {string[]} */ (kind?.enum ?? [])) {
    kinds.append(h('option', { value, selected: value === kind?.default }, enumLabel('kind', value, state.rules?.labels.kind?.[value])));
  }
  updateCounters();
}

async function start() {
  let saved = null;
  try {
    saved = localStorage.getItem('lang');
  } catch {
    /* no storage */
  }
  await loadRules();
  applyLang(saved === 'en' ? 'en' : 'zh');

  $('complaint-form').addEventListener('submit', (e) => void onSubmit(/** @type {SubmitEvent} */ (e)));
  $('anonymous').addEventListener('change', updateAnonymous);
  for (const name of FIELDS) {
    const input = $(name);
    // Fix-as-you-type: an error goes away as soon as the field is right; new errors wait for blur.
    input.addEventListener('input', () => {
      if (COUNTED.includes(name)) {
        updateCounters();
        if (name === 'content') announceCount();
      }
      const current = state.issues.find((i) => i.path === name);
      if (!current) return;
      const fresh = current.code === 'server' ? undefined : validateForm().issues.find((i) => i.path === name);
      if (!fresh)
        renderIssues(
          state.issues.filter((i) => i.path !== name),
          false,
        );
    });
    input.addEventListener('change', () => {
      if (ASCII.has(name)) input.value = halfWidth(input.value);
      if (!state.triedSubmit) return;
      const server = state.issues.filter((i) => i.code === 'server' && i.path !== name);
      const client = validateForm().issues;
      renderIssues([...client, ...server.filter((s) => !client.some((c) => c.path === s.path))], false);
    });
  }
  $('copy-code').addEventListener('click', () => void copyCode());
  $('another').addEventListener('click', newComplaint);
  $('code').addEventListener('change', () => {
    $('code').value = halfWidth($('code').value);
  });
  $('track-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void lookup($('code').value, { focus: true, push: true });
  });
  $('lang-toggle').addEventListener('click', () => applyLang(lang() === 'zh' ? 'en' : 'zh'));
  window.addEventListener('hashchange', () => route(false));
  updateAnonymous();
  route(true);
  document.body.dataset['ready'] = 'true';
}

void start();
