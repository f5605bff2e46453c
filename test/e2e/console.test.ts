/**
 * The staff console in a real browser (Debian's Chromium via playwright-core) against the in-process
 * local stack: one complaint through the whole loop across roles, axe-core on each main page, the
 * strict CSP (any violation is a console error and fails the test), session expiry. `UPDATE_SCREENSHOTS=1`
 * also writes docs/screenshots/console-*.png at desktop and mobile width.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#local/stack.ts';
import { buildConsole } from '../../scripts/console-build.ts';
import { browserOrSkip } from '#test/support/browser.ts';
import { intakeBody, replyBody } from '#test/support/fixtures.ts';

const CHROMIUM = browserOrSkip('test/e2e/console.test.ts');
const UPDATE_SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/London' };
const MOBILE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Europe/London',
};

let stack: LocalStack;
let browser: Browser;
const timings: Record<string, number> = {};

beforeAll(async () => {
  if (!CHROMIUM) return;
  [stack, browser] = await Promise.all([
    startLocalStack({ rateLimit: false }),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  ]);
  if (UPDATE_SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  if (Object.keys(timings).length > 0) process.stdout.write(`console walk-through timings (ms): ${JSON.stringify(timings)}\n`);
  await browser?.close();
  await stack?.close();
});

interface Staff {
  page: Page;
  problems: string[];
}

/** A fresh browser context signed in as one dev identity at the sign-in page (as a person does). */
async function signedIn(sub: string, options: BrowserContextOptions = DESKTOP): Promise<Staff> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  // Under a loaded full run a browser step can take seconds; a stuck one must still fail inside the test's own
  // timeout and name the locator it waited for (Playwright's default 30 s outlives vitest's).
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  await page.goto(`${stack.url}/console/`);
  await page.locator(`button[data-sub="${sub}"]`).click();
  await page.locator('#wl-title').waitFor();
  return { page, problems };
}

/** axe-core's serious and critical violations on the page as it is now. */
async function axe(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (no bypassCSP: a CSP violation of the console itself must still show).
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const run = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return run.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const shot = async (page: Page, name: string) => {
  if (UPDATE_SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}console-${name}.png`, fullPage: true });
};

const MAJOR = '邮件里是我的护照原件，今天必须找到，再不处理我就打12315投诉！';

async function fileComplaint(overrides: Record<string, unknown> = {}): Promise<{ id: string; trackingCode: string }> {
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const res = await fetch(`${stack.url}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify(intakeBody({ phone, ...overrides })),
  });
  expect(res.status).toBe(201);
  await stack.drain();
  return (await res.json()) as { id: string; trackingCode: string };
}

async function tokenOf(sub: string): Promise<string> {
  return ((await (await fetch(`${stack.url}/dev/token`, { method: 'POST', body: JSON.stringify({ sub }) })).json()) as { token: string }).token;
}

/** A command over the API as one dev identity (the steps a test does not walk in the browser). */
async function asStaff(sub: string, path: string, body: unknown = {}) {
  const res = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenOf(sub)}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  await stack.drain();
}

/** No horizontal page scroll at the phone's width (the worklist scrolls inside its own box). */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function openComplaint(page: Page, trackingCode: string) {
  await page.getByRole('link', { name: trackingCode }).click();
  await page.locator('#c-title').waitFor();
}

const statusOf = (page: Page) => page.locator('.c-head [data-status]').getAttribute('data-status');

async function submit(page: Page, command: string) {
  await page.locator(`form[data-command="${command}"] button[type="submit"]`).click();
}

async function fill(page: Page, command: string, values: Record<string, string>) {
  const form = page.locator(`form[data-command="${command}"]`);
  for (const [name, value] of Object.entries(values)) {
    const field = form.locator(`[name="${name}"]`);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

async function goodReply(page: Page) {
  await page.locator('button[data-open="reply"]').click();
  const r = replyBody();
  await fill(page, 'reply', {
    situation: r.situation,
    'process.contactedBy': r.process.contactedBy,
    'process.summary': r.process.summary,
    'result.summary': r.result.summary,
  });
  await submit(page, 'reply');
  await page.locator('.notice[role="status"]').waitFor();
}

// Each walk opens several pages and runs axe: seconds alone, many times that beside the rest of the suite on 2 cores.
describe.skipIf(!CHROMIUM)('the staff console', { timeout: 60_000 }, () => {
  it('builds to a first load under 150 KB of gzipped JavaScript', async () => {
    // Act
    const out = await buildConsole();
    // Assess
    process.stdout.write(`console first-load JS: ${out.jsBytes} B raw, ${out.jsGzipBytes} B gzipped\n`);
    expect(out.jsGzipBytes).toBeLessThanOrEqual(150 * 1024);
  });

  it('serves /console with the strict CSP and falls back to index.html for its own paths only', async () => {
    // Act
    const [page, deep, asset, missing] = await Promise.all(
      ['/console/', '/console/c/C0000000000000000', '/console/app.js', '/console/nope.js'].map((p) => fetch(`${stack.url}${p}`)),
    );
    // Assess
    expect(page?.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page?.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await deep?.text()).toContain('<div id="app">');
    expect(asset?.headers.get('content-type')).toContain('text/javascript');
    expect(missing?.status).not.toBe(200);
  });

  it('signs only dev identities in at POST /dev/token', async () => {
    // Act
    const known = await fetch(`${stack.url}/dev/token`, { method: 'POST', body: JSON.stringify({ sub: 'agent-lin' }) });
    const forged = await fetch(`${stack.url}/dev/token`, { method: 'POST', body: JSON.stringify({ sub: 'someone-else' }) });
    // Assess
    expect(known.status).toBe(200);
    expect(((await known.json()) as { token: string }).token.split('.')).toHaveLength(3);
    expect(forged.status).toBe(422);
  });

  it('walks one complaint through the loop across roles: dispatch, sign, contact, a vague reply refused beside its field, dissatisfied callback, priority round 2, satisfied callback, closed', async () => {
    // Prepare
    const { trackingCode } = await fileComplaint();
    const t0 = Date.now();
    const agent = await signedIn('agent-lin');
    const handler = await signedIn('th-handler-1');

    // Act + Assess: the centre's worklist shows it to dispatch; the suggestion is preselected.
    await agent.page.getByRole('link', { name: trackingCode }).waitFor();
    expect(await axe(agent.page)).toEqual([]);
    await shot(agent.page, 'worklist-agent');
    await openComplaint(agent.page, trackingCode);
    expect(await axe(agent.page)).toEqual([]);
    await agent.page.keyboard.press('d');
    // The routing suggestion (delay → the hub, shared/config/routing.json) is preselected; the agent knows better.
    await expect.poll(() => agent.page.locator('form[data-command="assign"] [name="unitId"]').inputValue()).toBe('gz-hub');
    await fill(agent.page, 'assign', { unitId: 'gz-tianhe' });
    expect(await agent.page.locator('form[data-command="assign"] [name="handlerId"]').inputValue()).toBe('th-handler-1');
    await shot(agent.page, 'dispatch');
    await submit(agent.page, 'assign');
    await expect.poll(() => statusOf(agent.page)).toBe('dispatched');
    // Focus goes to the confirmation, so a screen reader hears it.
    await expect.poll(() => agent.page.evaluate(() => document.activeElement?.className)).toContain('notice');
    timings['dispatch'] = Date.now() - t0;

    // The unit: to sign for, with a countdown; sign, contact.
    await handler.page.reload();
    await handler.page.getByRole('link', { name: trackingCode }).waitFor();
    await expect.poll(() => handler.page.locator('tr', { hasText: trackingCode }).locator('time').textContent()).toMatch(/还剩|超时/);
    expect(await axe(handler.page)).toEqual([]);
    await shot(handler.page, 'worklist-handler');
    await openComplaint(handler.page, trackingCode);
    await handler.page.locator('button[data-open="sign"]').click();
    await submit(handler.page, 'sign');
    await handler.page.locator('.notice[role="status"]').waitFor();
    await handler.page.locator('button[data-open="contact"]').click();
    await fill(handler.page, 'contact', { note: '已电话联系投诉人，说明正在核查邮件下落' });
    await submit(handler.page, 'contact');
    await expect.poll(() => statusOf(handler.page)).toBe('contacted');
    timings['sign+contact'] = Date.now() - t0;

    // A vague reply: the server's rejection appears beside the fields it names, focus on the first.
    await handler.page.keyboard.press('r');
    await fill(handler.page, 'reply', { situation: '已处理', 'process.contactedBy': '王芳', 'process.summary': '已处理。', 'result.summary': '已妥投' });
    await submit(handler.page, 'reply');
    const situationError = handler.page
      .locator('form[data-command="reply"] .field.invalid', { has: handler.page.locator('[name="situation"]') })
      .locator('.error');
    await expect.poll(() => situationError.textContent()).toContain('笼统');
    await expect.poll(() => handler.page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('situation');
    expect(await handler.page.locator('[name="situation"]').getAttribute('aria-invalid')).toBe('true');
    // "已妥投" without the delivery facts: the server names `delivery`, shown at the switch that opens them.
    expect(await handler.page.locator('form[data-command="reply"] [name="delivered"]').getAttribute('aria-invalid')).toBe('true');
    expect(await axe(handler.page)).toEqual([]);
    await shot(handler.page, 'reply-rejected');
    await handler.page.locator('form[data-command="reply"] button[type="button"]', { hasText: '取消' }).click();
    await goodReply(handler.page);
    await expect.poll(() => statusOf(handler.page)).toBe('replied');
    timings['replies'] = Date.now() - t0;

    // The centre calls back: dissatisfied → back to the unit, round 2, with priority.
    await agent.page.reload();
    await agent.page.locator('#c-title').waitFor();
    await agent.page.locator('button[data-open="callback"]').click();
    await fill(agent.page, 'callback', { attitude: 'dissatisfied', handlingQuality: 'inconsistent' });
    await fill(agent.page, 'callback', { dissatisfactionCause: 'poor_handling', comments: '投诉人表示无人联系' });
    await submit(agent.page, 'callback');
    await expect.poll(() => statusOf(agent.page)).toBe('dispatched');
    expect(await agent.page.locator('.c-head .badge.priority').count()).toBe(1);

    // Round 2 on the unit's worklist, priority first; second reply; satisfied callback closes.
    await handler.page.goto(`${stack.url}/console/`);
    // A re-dispatch starts a new 签收 clock: it is to sign for again.
    await handler.page.locator('button[data-queue="sign"]').click();
    await handler.page.locator('tr', { hasText: trackingCode }).locator('.badge.priority').waitFor();
    await openComplaint(handler.page, trackingCode);
    await goodReply(handler.page);
    await agent.page.reload();
    await agent.page.locator('button[data-open="callback"]').click();
    await fill(agent.page, 'callback', { attitude: 'satisfied', handlingQuality: 'consistent' });
    await submit(agent.page, 'callback');
    await expect.poll(() => statusOf(agent.page)).toBe('closed');
    expect(await agent.page.locator('.history li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type')))).toEqual(
      expect.arrayContaining(['dispatched', 'signed', 'contacted', 'replied', 'callback_recorded', 'redispatched', 'closed']),
    );
    await shot(agent.page, 'complaint-closed');
    timings['loop'] = Date.now() - t0;

    // The loop's end: quality opens the month's report, sees the closed complaint counted, follows the figure to
    // the complaints it counts (the drill-down list holds this one) and downloads the summary XLSX.
    await stack.drain();
    const quality = await signedIn('qm-wu');
    const token = await tokenOf('qm-wu');
    const month = (await (await fetch(`${stack.url}/reports`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      period: { label: string };
      total: { counts: Record<string, number> };
    };
    expect(month.total.counts['closed']).toBeGreaterThanOrEqual(1);
    await quality.page.getByRole('link', { name: '统计报表' }).click();
    await quality.page.locator('#rp-title').waitFor();
    const closedFigure = quality.page.locator('li.kpi[data-figure="closed"] a.kpi-value');
    await expect.poll(() => closedFigure.textContent()).toBe(String(month.total.counts['closed']));
    expect(await quality.page.locator('[data-period]').getAttribute('data-period')).toBe(month.period.label);
    // The charts arrive as their own chunk after the first load.
    await quality.page.locator('svg[data-chart="units"]').waitFor();
    await quality.page.locator('svg[data-chart="trend"]').waitFor();
    await quality.page.locator('svg[data-chart="milestones"]').waitFor();
    expect(await axe(quality.page)).toEqual([]);
    await shot(quality.page, 'reports');
    timings['report'] = Date.now() - t0;
    await closedFigure.click();
    await quality.page.locator('#wl-title').waitFor();
    expect(new URL(quality.page.url()).searchParams.get('figure')).toBe('closed');
    await quality.page.getByRole('link', { name: trackingCode }).waitFor();
    timings['drill-down'] = Date.now() - t0;

    expect([...agent.problems, ...handler.problems, ...quality.problems]).toEqual([]);
  }, 120_000);

  it('offers the handlers of the runtime directory (GET /directory), one an admin added after the build included', async () => {
    // Prepare: a handler that no build-time list could hold, added through the admin routes
    const res = await fetch(`${stack.url}/admin/staff/yx-zz-runtime`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await tokenOf('admin-root')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '运行时处理人', role: 'handler', unitId: 'gz-yuexiu', email: 'yx-runtime@example.cn' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { trackingCode } = await fileComplaint();
    const agent = await signedIn('agent-lin');
    // Act
    await agent.page.getByRole('link', { name: trackingCode }).waitFor();
    await openComplaint(agent.page, trackingCode);
    await agent.page.keyboard.press('d');
    await fill(agent.page, 'assign', { unitId: 'gz-yuexiu' });
    // Assess: the unit by its directory name, the new handler among the choices, no contact anywhere in the page
    const form = agent.page.locator('form[data-command="assign"]');
    await expect.poll(() => form.locator('[name="unitId"] option[value="gz-yuexiu"]').textContent()).not.toBe('gz-yuexiu');
    expect(await form.locator('[name="handlerId"] option').allTextContents()).toContain('运行时处理人');
    expect(await agent.page.content()).not.toContain('yx-runtime@example.cn');
    expect(await axe(agent.page)).toEqual([]);
    expect(agent.problems).toEqual([]);
    await agent.page.context().close();
  });

  it('downloads the report as a real XLSX with the bearer token, never a token in a URL (the export helper’s GET /reports?format=xlsx)', async () => {
    // Prepare
    const quality = await signedIn('qm-wu');
    const urls: string[] = [];
    quality.page.on('request', (r) => urls.push(r.url()));
    await quality.page.goto(`${stack.url}/console/reports`);
    await quality.page.locator('li.kpi[data-figure="received"]').waitFor();
    // Act
    const downloaded = quality.page.waitForEvent('download');
    const refused = quality.page
      .locator('.downloads [role="status"]', { hasText: '下载失败' })
      .waitFor()
      .then(() => quality.page.locator('.downloads [role="status"]').textContent());
    await quality.page.locator('button[data-download="xlsx"]').click();
    const outcome = await Promise.race([
      downloaded.then((file) => ({ file, refused: undefined })),
      refused.then((text) => ({ file: undefined, refused: text })),
    ]);
    // Assess: the server answered a file (not a problem), whose bytes are a zip (PK) that exceljs opens.
    expect(outcome.refused, 'GET /reports?format=xlsx answered a problem').toBeUndefined();
    const file = outcome.file as NonNullable<typeof outcome.file>;
    const path = await file.path();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(file.suggestedFilename()).toMatch(/^投诉统计报表-\d{4}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets.length).toBeGreaterThan(0);
    const token = await tokenOf('qm-wu');
    expect(urls.some((u) => u.includes(token) || /token=/i.test(u))).toBe(false);
    expect(quality.problems).toEqual([]);
  });

  it('lets the handler request an extension and the unit leader approve it from the queue that counts it, and confirm a major case’s notice', async () => {
    // Prepare: one case signed for by the handler (in progress); one major case dispatched (its leaders' notice awaits the leader).
    const { id, trackingCode } = await fileComplaint();
    await asStaff('agent-lin', `/complaints/${id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' });
    await asStaff('th-handler-1', `/complaints/${id}/sign`);
    const major = await fileComplaint({ content: MAJOR });
    await asStaff('agent-lin', `/complaints/${major.id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' });
    const t0 = Date.now();
    const leader = await signedIn('th-leader');

    // Act + Assess: the notice queue comes first, counted on its tab and in the title.
    await leader.page.getByRole('link', { name: major.trackingCode }).waitFor();
    await expect.poll(() => leader.page.locator('button[data-queue="notice"] .count-badge').getAttribute('data-count')).toMatch(/^[1-9]/);
    await expect.poll(() => leader.page.title()).toMatch(/^\([1-9]\d*\) /);
    // The unit's rectifications (GET /rectifications, their own unit) answer with the server's exact count.
    for (const q of ['rect-due', 'rect-returned'])
      await expect.poll(() => leader.page.locator(`button[data-queue="${q}"] .count-badge`).getAttribute('data-count')).toMatch(/^\d+$/);
    expect(await axe(leader.page)).toEqual([]);
    await shot(leader.page, 'worklist-leader');
    await openComplaint(leader.page, major.trackingCode);
    await leader.page.locator('button[data-open="notice_confirmation"]').click();
    await submit(leader.page, 'notice_confirmation');
    await leader.page.locator('.history li[data-type="notice_confirmed"]').waitFor();
    await leader.page.goto(`${stack.url}/console/`);
    await leader.page.locator('button[data-queue="notice"][aria-selected="true"]').waitFor();
    await expect.poll(() => leader.page.locator('table.worklist').textContent()).not.toContain(major.trackingCode);
    timings['leader notice'] = Date.now() - t0;

    // 延期申请 (decision 069): the handler asks in the browser; the client check (the server's schema) and the server's
    // vague-phrase check each answer beside the reason.
    const handler = await signedIn('th-handler-1');
    await handler.page.locator('button[data-queue="progress"]').click();
    await openComplaint(handler.page, trackingCode);
    await handler.page.locator('button[data-open="request-extension"]').click();
    expect(await handler.page.locator('form[data-command="request-extension"] [name="requestedDueAt"]').inputValue()).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/,
    );
    await submit(handler.page, 'request-extension');
    await handler.page.locator('form[data-command="request-extension"] .field.invalid [name="reason"]').waitFor();
    await fill(handler.page, 'request-extension', { reason: '已处理' });
    await submit(handler.page, 'request-extension');
    await expect
      .poll(() => handler.page.locator('form[data-command="request-extension"] .field.invalid .error').textContent())
      .toMatch(/reason|vague|笼统|checked/i);
    await fill(handler.page, 'request-extension', { reason: '需向寄达地邮政调取投递记录和监控录像，预计多需两个工作日' });
    await submit(handler.page, 'request-extension');
    await handler.page.locator('.history li[data-type="extension_requested"]').waitFor();
    await handler.page.locator('.extension-request[data-extension="open"]').waitFor();
    expect(await axe(handler.page)).toEqual([]);
    timings['handler extension request'] = Date.now() - t0;

    // The leader finds it in 延期待审批, counted on its tab, and approves it on the complaint page.
    await leader.page.goto(`${stack.url}/console/`);
    await leader.page.locator('button[data-queue="extensions"]').click();
    await expect.poll(() => leader.page.locator('button[data-queue="extensions"] .count-badge').getAttribute('data-count')).toBe('1');
    await openComplaint(leader.page, trackingCode);
    // With a request open the leader decides it (approve or refuse), not a separate extension.
    expect(await leader.page.locator('button[data-open="extend"]').count()).toBe(0);
    await leader.page.locator('button[data-open="refuse-extension"]').waitFor();
    await leader.page.locator('button[data-open="approve-extension"]').click();
    await fill(leader.page, 'approve-extension', { reason: '同意延期，需向寄达地邮政核实投递记录' });
    await submit(leader.page, 'approve-extension');
    await leader.page.locator('.history li[data-type="extension_decided"]').waitFor();
    await leader.page.locator('.history li[data-type="deadline_extended"]').waitFor();
    // The extended limit carries the unit's reason (the one the complainant sees); the leader's comment is on the request.
    expect(await leader.page.locator('.timeline li[data-milestone="reply"] small').textContent()).toContain('调取投递记录');
    expect(await leader.page.locator('.extension-request[data-extension="approved"]').textContent()).toContain('核实投递记录');
    expect(await axe(leader.page)).toEqual([]);
    await shot(leader.page, 'complaint-extension');
    await leader.page.goto(`${stack.url}/console/`);
    await expect.poll(() => leader.page.locator('button[data-queue="extensions"] .count-badge').getAttribute('data-count')).toBe('0');
    timings['leader extension'] = Date.now() - t0;

    // The handler sees the outcome on the case: the request approved, in the history with the leader's reason.
    await handler.page.reload();
    await handler.page.locator('.extension-request[data-extension="approved"]').waitFor();
    expect(await handler.page.locator('.history li[data-type="extension_decided"]').textContent()).toContain('批准');
    expect(leader.problems).toEqual([]);
    expect(handler.problems).toEqual([]);
  });

  it('shows quality the overdue of every unit and what escalates today / tomorrow, each tab with the server’s count', async () => {
    // Prepare
    await fileComplaint();
    const quality = await signedIn('qm-wu');
    // Act
    const badge = (q: string) => quality.page.locator(`button[data-queue="${q}"] .count-badge`).getAttribute('data-count');
    // Assess: every tab carries a count; the queues are the server's.
    for (const q of ['overdue', 'today', 'tomorrow', 'notice']) await expect.poll(() => badge(q)).toMatch(/^\d+$/);
    // The quality queues of GET /determinations and GET /rectifications answer too, exact (count=true; a refused query has no badge).
    for (const q of ['justified', 'determine', 'rect-verify', 'rect-overdue']) await expect.poll(() => badge(q)).toMatch(/^\d+$/);
    await quality.page.locator('button[data-queue="determine"]').click();
    await quality.page.locator('p.count').filter({ hasNotText: '加载中' }).waitFor();
    expect(await quality.page.locator('p.error[role="alert"]').count()).toBe(0);
    // The whole board is not counted every 30 s (it holds the closed cases too).
    expect(await quality.page.locator('button[data-queue="all"] .count-badge').count()).toBe(0);
    const token = await tokenOf('qm-wu');
    const today = (await (await fetch(`${stack.url}/complaints?due=today&count=true&limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      count: number;
    };
    await quality.page.locator('button[data-queue="today"]').click();
    await expect.poll(() => badge('today')).toBe(String(today.count));
    expect(await axe(quality.page)).toEqual([]);
    await shot(quality.page, 'worklist-quality');
    expect(quality.problems).toEqual([]);
  });

  it('shows the reports page at 390 px without a horizontal scroll, axe clean; a leader’s report is their own unit’s', async () => {
    // Prepare
    await fileComplaint();
    const quality = await signedIn('qm-wu', MOBILE);
    // Act
    await quality.page.goto(`${stack.url}/console/reports`);
    await quality.page.locator('svg[data-chart="units"]').waitFor();
    // Assess
    expect(await fitsWidth(quality.page)).toBeLessThanOrEqual(390);
    expect(await axe(quality.page)).toEqual([]);
    await shot(quality.page, 'reports-mobile');
    // A quarter: the picker asks GET /reports for it, and the page names its months.
    await quality.page.locator('#rp-kind').selectOption('quarter');
    await expect.poll(() => quality.page.locator('[data-period]').getAttribute('data-period')).toMatch(/^\d{4}-Q[1-4]$/);
    const leader = await signedIn('th-leader');
    const unitReports: string[] = [];
    leader.page.on('request', (r) => r.url().includes('/reports?') && unitReports.push(new URL(r.url()).searchParams.get('unitId') ?? ''));
    await leader.page.getByRole('link', { name: '统计报表' }).click();
    await leader.page.locator('li.kpi[data-figure="received"]').waitFor();
    expect(new Set(unitReports)).toEqual(new Set(['gz-tianhe']));
    expect(await leader.page.locator('li.kpi[data-figure="received"] a').getAttribute('href')).toContain('unitId=gz-tianhe');
    expect([...quality.problems, ...leader.problems]).toEqual([]);
  });

  it('is usable at 390 px: no horizontal page scroll on the sign-in page, the worklists, and a complaint with its form open', async () => {
    const { trackingCode } = await fileComplaint();
    // A case at the unit, unsigned: the handler's queue has a row with its 20-minute countdown.
    const atUnit = await fileComplaint({ content: MAJOR });
    await asStaff('agent-lin', `/complaints/${atUnit.id}/assignment`, { unitId: 'gz-tianhe', handlerId: 'th-handler-1' });
    const anonymous = await (await browser.newContext(MOBILE)).newPage();
    await anonymous.goto(`${stack.url}/console/`);
    await anonymous.locator('.signin').waitFor();
    expect(await fitsWidth(anonymous)).toBeLessThanOrEqual(390);
    expect(await axe(anonymous)).toEqual([]);
    await shot(anonymous, 'sign-in-mobile');
    for (const [sub, name] of [
      ['agent-lin', 'agent'],
      ['th-handler-1', 'handler'],
      ['th-leader', 'leader'],
      ['qm-wu', 'quality'],
    ] as const) {
      const staff = await signedIn(sub, MOBILE);
      await staff.page.locator('table.worklist').waitFor();
      await staff.page.locator('p.count').filter({ hasNotText: '加载中' }).waitFor();
      expect(await fitsWidth(staff.page), name).toBeLessThanOrEqual(390);
      // The key columns are on screen without scrolling the table: the case, its status and its next deadline.
      const rightEdges = await staff.page
        .locator('table.worklist thead th')
        .evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().right)));
      expect(Math.max(...rightEdges), name).toBeLessThanOrEqual(390);
      expect(await axe(staff.page), name).toEqual([]);
      await shot(staff.page, `worklist-${name}-mobile`);
      if (name === 'agent') {
        await openComplaint(staff.page, trackingCode);
        await staff.page.locator('button[data-open="assign"]').click();
        expect(await fitsWidth(staff.page)).toBeLessThanOrEqual(390);
        expect(await axe(staff.page)).toEqual([]);
        await shot(staff.page, 'dispatch-mobile');
        // The 受理单 as printed: no controls, the record and its history.
        await staff.page.emulateMedia({ media: 'print' });
        expect(await staff.page.locator('form.command').isVisible()).toBe(false);
        await shot(staff.page, 'print');
        await staff.page.emulateMedia({ media: 'screen' });
      }
      expect(staff.problems, name).toEqual([]);
    }
  }, 90_000);

  it('sends an expired session back to sign-in with a message', async () => {
    // Prepare
    const staff = await signedIn('qm-wu');
    await staff.page.route('**/complaints?**', (route) =>
      route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ status: 401, title: 'Unauthorized' }) }),
    );
    // Act
    await staff.page.locator('button[data-queue="all"]').click();
    // Assess
    await expect.poll(() => staff.page.locator('.signin .notice').textContent()).toContain('登录已过期');
    expect(await staff.page.evaluate(() => sessionStorage.getItem('console.session'))).toBeNull();
  });

  it.runIf(UPDATE_SCREENSHOTS)('writes the desktop sign-in screenshot', async () => {
    const desktop = await (await browser.newContext(DESKTOP)).newPage();
    await desktop.goto(`${stack.url}/console/`);
    await desktop.locator('.signin').waitFor();
    await shot(desktop, 'sign-in');
  });
});

describe.skipIf(!CHROMIUM)('the console without a mouse', { timeout: 60_000 }, () => {
  it('opens a row with o, bulk-dispatches rows picked with j/x, and switches to English', async () => {
    // Prepare
    const a = await fileComplaint();
    const b = await fileComplaint();
    const agent = await signedIn('agent-lin');
    await agent.page.getByRole('link', { name: b.trackingCode }).waitFor();
    const rowIndex = async (code: string) =>
      await agent.page.locator('table.worklist tbody tr').evaluateAll((trs, c) => trs.findIndex((tr) => tr.textContent?.includes(c as string)), code);
    // Act: o opens the focused row; back, select the two rows by keyboard (j moves, x selects), dispatch them in one go
    await agent.page.locator('table.worklist a.open').first().focus();
    await agent.page.keyboard.press('o');
    await agent.page.locator('#c-title').waitFor();
    await agent.page.goBack();
    await agent.page.getByRole('link', { name: b.trackingCode }).waitFor();
    for (const code of [a.trackingCode, b.trackingCode]) {
      const target = await rowIndex(code);
      await agent.page.locator('table.worklist a.open').first().focus();
      for (let i = 0; i < target; i++) await agent.page.keyboard.press('j');
      await agent.page.keyboard.press('x');
    }
    await agent.page.locator('#bulk-unit').selectOption('gz-tianhe');
    await agent.page.getByRole('button', { name: /批量派单（2）/ }).click();
    // Assess
    await expect.poll(() => agent.page.locator('.notice[role="status"]').textContent()).toContain('已处理 2 件');
    for (const { id } of [a, b]) {
      const token = (
        (await (await fetch(`${stack.url}/dev/token`, { method: 'POST', body: JSON.stringify({ sub: 'agent-lin' }) })).json()) as { token: string }
      ).token;
      const read = (await (await fetch(`${stack.url}/complaints/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        status: string;
        unitId: string;
      };
      expect(read).toMatchObject({ status: 'dispatched', unitId: 'gz-tianhe' });
    }
    // English labels the chrome
    await agent.page.locator('button[data-queue="callback"]').click();
    await agent.page.getByRole('button', { name: 'English' }).click();
    await agent.page.getByRole('heading', { name: 'Worklists' }).waitFor();
    expect(await agent.page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(agent.problems).toEqual([]);
  });
});
