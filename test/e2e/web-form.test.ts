/**
 * The web form and status page in a real browser (Debian's Chromium via playwright-core) against
 * the in-process local stack. `UPDATE_SCREENSHOTS=1` also writes docs/screenshots/*.png.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicView } from '#domain/public-view.ts';
import { signToken } from '#local/auth.ts';
import { startLocalStack, type LocalStack } from '#local/stack.ts';
import { browserOrSkip } from '#test/support/browser.ts';

const CHROMIUM = browserOrSkip('test/e2e/web-form.test.ts');
const UPDATE_SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const TRACKING_CODE = /^[0-9A-HJKMNP-TV-Z]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A phone in a browser whose own clock is not in China: times must still be Beijing time. */
const MOBILE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Europe/London',
};
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/London' };

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM) return;
  [stack, browser] = await Promise.all([
    // No local token bucket: the 429 path is driven by interception below; the limiter has its own tests.
    startLocalStack({ rateLimit: false }),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  ]);
  if (UPDATE_SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A fresh page on the form; console errors (CSP violations included) and page errors are collected. */
async function openPage(path = '/', options: BrowserContextOptions = MOBILE): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  await page.goto(`${stack.url}${path}`);
  await page.locator('body[data-ready="true"]').waitFor();
  return { page, problems };
}

const screenshot = async (page: Page, name: string) => {
  if (UPDATE_SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
};

const isComplaintPost = (r: Request) => r.method() === 'POST' && new URL(r.url()).pathname === '/complaints';
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id);
const beijingTime = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

async function fileByApi(body: Record<string, unknown>): Promise<{ id: string; trackingCode: string }> {
  const res = await fetch(`${stack.url}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ channel: 'web', ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; trackingCode: string };
}

describe.skipIf(!CHROMIUM)('web complaint form', () => {
  it('files a complaint in Chinese, shows the receipt and finds it on the status page as 已受理', async () => {
    // Prepare
    const { page, problems } = await openPage();
    await expect.poll(() => page.locator('#category option').count()).toBe(11);
    expect(await page.locator('#kind option').allTextContents()).toEqual(['投诉', '查询', '意见反映']);

    // Act: fill in the form as a complainant would
    await page.getByLabel('姓名').fill('张三');
    await page.getByLabel('联系电话').fill('13800138000');
    await page.getByLabel('电子邮箱').fill('zhangsan@example.cn');
    await page.getByLabel('邮件号/运单号').fill('ea123456789cn');
    await page.getByLabel('投诉类别').selectOption({ label: '丢失' });
    await page.getByLabel('投诉内容').fill('我的包裹显示已签收，但我本人没有收到，也没有人通知我。');
    expect(await page.locator('#content-count').textContent()).toBe('已输入 27 / 4000 字');
    await page.getByLabel('您的诉求').fill('尽快找到包裹，找不到请按保价赔偿。');
    await page.getByLabel('所在地区').fill('广东省广州市天河区');
    await page.getByLabel('保价或声明价值（元）').fill('５００'); // full-width digits from a Chinese IME
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('保价或声明价值（元）').inputValue()).toBe('500');
    await screenshot(page, 'web-form');
    const request = page.waitForRequest(isComplaintPost);
    await page.getByRole('button', { name: '提交投诉' }).focus();
    await page.keyboard.press('Enter');

    // Assess: the request the server got
    const sent = await request;
    expect(sent.headers()['content-type']).toBe('application/json');
    expect(sent.headers()['idempotency-key']).toMatch(UUID);
    expect(sent.postDataJSON()).toEqual({
      channel: 'web',
      anonymous: false,
      name: '张三',
      phone: '13800138000',
      email: 'zhangsan@example.cn',
      waybillNo: 'EA123456789CN',
      // 受理类型: the select starts on the schema's default (decision 050).
      kind: 'complaint',
      category: 'loss',
      content: '我的包裹显示已签收，但我本人没有收到，也没有人通知我。',
      demand: '尽快找到包裹，找不到请按保价赔偿。',
      region: '广东省广州市天河区',
      declaredValue: 500,
    });

    // Assess: the receipt, with focus on its heading and a big tracking code
    await expect.poll(() => activeId(page)).toBe('receipt-title');
    expect(await page.locator('#receipt-title').textContent()).toBe('投诉已提交');
    const code = (await page.locator('#receipt-code').textContent()) ?? '';
    expect(code).toMatch(TRACKING_CODE);
    expect(await page.locator('#receipt-next').textContent()).toContain('处理单位');
    expect(await page.locator('#receipt').textContent()).not.toMatch(/undefined|false|null/);
    await screenshot(page, 'receipt');

    // Act: keyboard only, from the receipt to the status view
    await page.getByRole('link', { name: '查看处理进度' }).focus();
    await page.keyboard.press('Enter');

    // Assess: the status view of the complaint
    await page.locator('#status-title').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/track/${code}`);
    expect(await page.locator('#status-label').textContent()).toBe('已受理');
    const status = page.locator('#status');
    await expect.poll(() => status.textContent()).toContain('张*');
    expect(await status.textContent()).toContain('138****8000');
    expect(await status.textContent()).not.toContain('13800138000');
    expect(await status.textContent()).not.toMatch(/undefined|false|null|NaN/);
    const milestone = page.locator('#timeline li').first();
    expect(await milestone.textContent()).toContain('投诉已受理');
    const at = (await milestone.locator('time').getAttribute('datetime')) ?? '';
    expect(await milestone.locator('time').textContent()).toContain(beijingTime(at));

    // Assess: the links an SMS or the receipt can carry open the status view directly
    for (const path of [`/?code=${code}`, `/#/track/${code.toLowerCase()}`]) {
      const direct = await openPage(path);
      await direct.page.locator('#status-label').waitFor();
      expect(await direct.page.locator('#status-label').textContent()).toBe('已受理');
      await direct.page.context().close();
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows client-side errors beside the fields without a request, then a server error beside its field, and retries with the same Idempotency-Key', async () => {
    // Prepare
    const { page, problems } = await openPage();
    const posts: Request[] = [];
    page.on('request', (r) => isComplaintPost(r) && posts.push(r));

    // Act: a bad phone and no content
    await page.getByLabel('联系电话').fill('12345');
    await page.getByLabel('投诉类别').selectOption('delay');
    await page.getByRole('button', { name: '提交投诉' }).click();

    // Assess: errors beside the fields, linked for screen readers, focus on the first; nothing sent
    const phoneError = page.locator('#phone-error');
    const contentError = page.locator('#content-error');
    expect(await phoneError.textContent()).toContain('请输入正确的手机号');
    expect(await contentError.textContent()).toContain('请填写投诉内容');
    expect(await page.getByLabel('投诉内容').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('投诉内容').getAttribute('aria-describedby')).toContain('content-error');
    expect(await activeId(page)).toBe('phone');
    await screenshot(page, 'web-form-errors');

    // Act: fixing the phone clears its error at once; content over the limit counts as the server does
    await page.getByLabel('联系电话').fill('010-12345678');
    expect(await phoneError.isHidden()).toBe(true);
    await page.getByLabel('投诉内容').fill('😀'.repeat(4001)); // one character each, as zod 4.6 counts code points
    expect(await page.locator('#content-count').textContent()).toBe('已超出 1 字');
    await page.getByRole('button', { name: '提交投诉' }).click();
    expect(await contentError.textContent()).toContain('投诉内容最多 4000 字，现在是 4001 字');
    expect(posts).toHaveLength(0);

    // Act: a control character, which only the server checks
    await page.getByLabel('投诉内容').fill('快递员态度恶劣\u0007');
    await page.getByRole('button', { name: '提交投诉' }).click();

    // Assess: the problem body's errors[].path puts the message beside the content field
    await expect.poll(() => contentError.textContent()).toContain('未通过服务器校验');
    expect(await contentError.textContent()).toContain('control characters');
    expect(await activeId(page)).toBe('content');
    expect(posts).toHaveLength(1);

    // Act: fixed content; the API first throttles, then the network drops, then it works
    await page.getByLabel('投诉内容').fill('快递员态度恶劣，把包裹扔在门口。');
    let calls = 0;
    await page.route('**/complaints', async (route) => {
      calls += 1;
      if (calls === 1) {
        await route.fulfill({
          status: 429,
          headers: { 'content-type': 'application/problem+json', 'retry-after': '30' },
          body: JSON.stringify({ type: 'about:blank', title: 'Too many requests', status: 429, detail: 'Slow down', code: 'rate-limited' }),
        });
      } else if (calls === 2) {
        await route.abort('internetdisconnected');
      } else {
        await new Promise((resolve) => setTimeout(resolve, 300)); // a slow answer: the second click lands while it runs
        await route.continue();
      }
    });
    const submit = page.getByRole('button', { name: '提交投诉' });
    await submit.click();
    await expect.poll(() => page.locator('#form-alert').textContent()).toContain('请 30 秒后再试');
    await submit.click();
    await expect.poll(() => page.locator('#form-alert').textContent()).toContain('网络连接失败');
    expect(await page.getByLabel('投诉内容').inputValue()).toBe('快递员态度恶劣，把包裹扔在门口。');
    await submit.dblclick();

    // Assess: one complaint; every attempt of the same answers carried the same key
    await page.locator('#receipt-code').filter({ hasText: TRACKING_CODE }).waitFor();
    const keys = posts.slice(1).map((r) => r.headers()['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).not.toBe(posts[0]?.headers()['idempotency-key']); // other answers, another attempt
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('switches to English and back, on the form and on the status page', async () => {
    // Prepare
    const { trackingCode } = await fileByApi({ category: 'delay', content: '快递延误三天', phone: '13912345678', waybillNo: 'SF1234567890' });
    const { page, problems } = await openPage();

    // Act
    await page.getByRole('button', { name: 'English' }).click();

    // Assess: the form speaks English, including the validation messages and categories
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#submit-title').textContent()).toBe('Make a complaint');
    expect(await page.locator('#category option[value="loss"]').textContent()).toBe('Lost item');
    await page.getByRole('button', { name: 'Send complaint' }).click();
    expect(await page.locator('#content-error').textContent()).toContain('What happened: this is required');
    expect(await page.locator('#phone-error').textContent()).toContain('Enter a phone number, or tick “Complain anonymously”');

    // Act: anonymous relaxes the phone; the choice of language survives a reload
    await page.getByLabel('Complain anonymously').check();
    expect(await page.locator('#phone-error').isHidden()).toBe(true);
    expect(await page.locator('#name-field').isHidden()).toBe(true);
    await page.goto(`${stack.url}/#/track/${trackingCode}`);
    await page.locator('#status-label').waitFor();

    // Assess: the status page in English, times in plain words
    expect(await page.locator('#status-label').textContent()).toBe('Received');
    expect(await page.locator('#timeline li').first().textContent()).toContain('Complaint received');
    expect(await page.locator('#status').textContent()).toContain('All times are Beijing time.');

    // Act + Assess: the skip link (first Tab stop) jumps to the content without leaving the view
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toBe('main');
    expect(await page.locator('#view-track').isVisible()).toBe(true);

    // Act + Assess: back to Chinese
    await page.getByRole('button', { name: '中文' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#status-label').textContent()).toBe('已受理');
    expect(await page.locator('#timeline li').first().textContent()).toContain('投诉已受理');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('tells the complainant the pending deadlines and the result in Beijing time, in plain words', async () => {
    // Prepare: a replied complaint as GET /track/{code} returns it (typed by the server's PublicView)
    const view: PublicView = {
      trackingCode: 'K7M2Q9XRT4WB',
      status: 'replied',
      statusLabel: '已答复，待回访',
      kind: 'complaint',
      kindLabel: '投诉',
      category: 'delay',
      categoryLabel: '延误',
      waybillNo: 'EA123456789CN',
      complainant: { name: '王*', phone: '139****5678' },
      createdAt: '2025-06-02T01:00:00.000Z',
      updatedAt: '2025-06-03T01:30:00.000Z',
      milestones: [
        { type: 'received', label: '投诉已受理', at: '2025-06-02T01:00:00.000Z' },
        { type: 'dispatched', label: '已转交责任单位处理', at: '2025-06-02T01:20:00.000Z' },
        { type: 'deadline_extended', label: '处理期限已延长', at: '2025-06-02T06:00:00.000Z', note: '需要调取分拣中心监控' },
        { type: 'replied', label: '处理单位已答复', at: '2025-06-03T01:30:00.000Z' },
      ],
      deadlines: [
        { milestone: 'first_contact', label: '首次联系您', dueAt: '2025-06-03T01:00:00.000Z', state: 'met' },
        { milestone: 'callback', label: '回访', dueAt: '2025-06-04T02:00:00.000Z', state: 'pending' },
      ],
      result: { summary: '邮件已找到并于今日投递，向您致歉。', resolved: true, at: '2025-06-03T01:30:00.000Z' },
    };
    const context = await browser.newContext(MOBILE);
    await context.clock.setFixedTime(new Date('2025-06-03T02:00:00.000Z')); // 10:00 in Beijing, 03:00 in London
    await context.route(`**/track/${view.trackingCode}`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(view) }),
    );
    const page = await context.newPage();

    // Act
    await page.goto(`${stack.url}/?code=${view.trackingCode}`);
    await page.locator('#status-label').waitFor();

    // Assess
    const text = (await page.locator('#status').textContent()) ?? '';
    expect(await page.locator('#status-label').textContent()).toBe('已答复，待回访');
    expect(text).toContain('客服中心将在 明天 10:00 前回访您');
    expect(text).not.toContain('首次联系您'); // a met deadline is history, not a promise
    expect(text).toContain('已解决：邮件已找到并于今日投递，向您致歉。');
    expect(await page.locator('#timeline li').first().textContent()).toContain('今天 09:30处理单位已答复');
    expect(await page.locator('#timeline li').nth(1).textContent()).toContain('需要调取分拣中心监控');
    expect(await page.locator('#timeline li').last().textContent()).toContain('昨天 09:00投诉已受理');
    await context.close();
  });

  it('names the 12305 appeal route when 7 days passed without an answer (seed 001)', async () => {
    // Prepare: a dispatched complaint 8 days old, as GET /track/{code} returns it
    const view: PublicView = {
      trackingCode: 'K7M2Q9XRT4WC',
      status: 'dispatched',
      statusLabel: '处理中',
      kind: 'complaint',
      kindLabel: '投诉',
      category: 'delay',
      categoryLabel: '延误',
      waybillNo: 'EA123456789CN',
      complainant: { name: '王*', phone: '139****5678' },
      createdAt: '2025-06-02T01:00:00.000Z',
      updatedAt: '2025-06-02T01:20:00.000Z',
      milestones: [{ type: 'received', label: '投诉已受理', at: '2025-06-02T01:00:00.000Z' }],
      deadlines: [],
      result: undefined,
      appeal: { hotline: '12305', since: '2025-06-09T01:00:00.000Z' },
    };
    const context = await browser.newContext(MOBILE);
    await context.clock.setFixedTime(new Date('2025-06-10T02:00:00.000Z'));
    await context.route(`**/track/${view.trackingCode}`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(view) }),
    );
    const page = await context.newPage();

    // Act
    await page.goto(`${stack.url}/?code=${view.trackingCode}`);
    await page.locator('#status-label').waitFor();

    // Assess
    const appeal = (await page.locator('#appeal-route').textContent()) ?? '';
    expect(appeal).toContain('满7日仍未得到答复');
    expect(appeal).toContain('12305（省会区号-12305）');
    expect(appeal).not.toMatch(/undefined|\{/);
    await context.close();
  });

  it.runIf(UPDATE_SCREENSHOTS)('writes the status page screenshots with a complaint in progress', async () => {
    const { id, trackingCode } = await fileByApi({
      name: '李明',
      phone: '13800138001',
      waybillNo: 'EA987654321CN',
      category: 'damage',
      content: '收到的箱子破损，里面的瓷碗碎了两个。',
      region: '广东省广州市越秀区',
    });
    const staff = async (path: string, token: string, body: unknown) => {
      const res = await fetch(`${stack.url}/complaints/${id}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    await staff('assignment', signToken({ sub: 'agent-1', role: 'agent' }), { unitId: 'gz-yuexiu', handlerId: 'yx-handler-1' });
    await staff('contact', signToken({ sub: 'yx-handler-1', role: 'handler', unitId: 'gz-yuexiu' }), { method: 'phone', note: '已电话联系，约定上门查看' });
    for (const [options, name] of [
      [MOBILE, 'status-page'],
      [DESKTOP, 'status-page-desktop'],
    ] as const) {
      const { page } = await openPage(`/#/track/${trackingCode}`, options);
      await page.locator('#status-label').waitFor();
      await screenshot(page, name);
      await page.context().close();
    }
    const { page } = await openPage('/', DESKTOP);
    await screenshot(page, 'web-form-desktop');
    await page.context().close();
  });
});
