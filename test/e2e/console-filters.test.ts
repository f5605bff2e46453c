/**
 * The worklist's filters in a real browser (issue 13 item 2: status, severity, category, unit, period): the
 * centre's to-dispatch queue narrowed by each filter shows exactly the complaints that match, and the
 * period filter (受理日期从/至) is a plain date range, not the statistics drill-down's whole months.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#adapters/local/clock.ts';
import { startLocalStack, type LocalStack } from '#local/stack.ts';
import { browserOrSkip } from '#test/support/browser.ts';
import { intakeBody } from '#test/support/fixtures.ts';

const CHROMIUM = browserOrSkip('test/e2e/console-filters.test.ts');
const DAY = 86_400_000;
/** Shanghai midday three days ago: the three complaints are received a day apart, the last one today. */
const start = new Date(Math.floor((Date.now() + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000 + 4 * 3_600_000 - 3 * DAY);
const clock = new ManualClock(start);
const shanghaiDate = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

let stack: LocalStack;
let browser: Browser;
const filed: Record<'delay' | 'fee' | 'major', { trackingCode: string; day: string }> = {} as never;

beforeAll(async () => {
  if (!CHROMIUM) return;
  [stack, browser] = await Promise.all([
    startLocalStack({ rateLimit: false, clock }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'] }),
  ]);
  const file = async (name: keyof typeof filed, overrides: Record<string, unknown>) => {
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const res = await fetch(`${stack.url}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify(intakeBody({ phone, waybillNo: `EA${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}CN`, ...overrides })),
    });
    expect(res.status).toBe(201);
    filed[name] = { trackingCode: ((await res.json()) as { trackingCode: string }).trackingCode, day: shanghaiDate(clock.now()) };
  };
  await file('delay', {});
  clock.advance(DAY);
  await file('fee', { category: 'fee', content: '寄件时多收了运费，要求退还差价。', region: '广东省广州市' });
  clock.advance(2 * DAY);
  await file('major', { content: '邮件里是我的护照原件，今天必须找到，再不处理我就打12315投诉！' });
  // Back to the browser's own now, so the session the stack signs is current in the browser too.
  clock.set(new Date());
  await stack.drain();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function agent(): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${stack.url}/console/`);
  await page.locator('button[data-sub="agent-lin"]').click();
  await page.locator('#wl-title').waitFor();
  return { page, problems };
}

/** The tracking codes of ours the table shows once it has settled on `expected`. */
async function shows(page: Page, expected: string[]): Promise<void> {
  const ours = Object.values(filed).map((f) => f.trackingCode);
  await expect
    .poll(
      async () =>
        (await page.locator('a.open').allTextContents())
          .map((t) => t.trim())
          .filter((t) => ours.includes(t))
          .sort(),
      { timeout: 15_000 },
    )
    .toEqual([...expected].sort());
}

describe.skipIf(!CHROMIUM)('the worklist filters', { timeout: 90_000 }, () => {
  it('narrow the to-dispatch queue by category, severity (urgent: 护照 + 12315) and the received dates, and show all again when cleared', async () => {
    const { page, problems } = await agent();
    const all = [filed.delay.trackingCode, filed.fee.trackingCode, filed.major.trackingCode];
    await shows(page, all);

    await page.selectOption('#filter-category', 'fee');
    await shows(page, [filed.fee.trackingCode]);
    await page.selectOption('#filter-category', '');

    await page.selectOption('#filter-severity', 'urgent');
    await shows(page, [filed.major.trackingCode]);
    await page.selectOption('#filter-severity', '');
    await shows(page, all);

    // Received from the fee complaint's day to the day before the major one: that one alone.
    await page.fill('#filter-from', filed.fee.day);
    await page.fill('#filter-to', shanghaiDate(new Date(Date.parse(`${filed.major.day}T12:00:00+08:00`) - DAY)));
    await shows(page, [filed.fee.trackingCode]);
    await page.fill('#filter-from', '');
    await page.fill('#filter-to', '');
    await shows(page, all);
    expect(problems).toEqual([]);
  });
});
