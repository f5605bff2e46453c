import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { browserOrSkip, findBrowser } from '#test/support/browser.ts';

function fakeExecutable(dir: string, ...parts: string[]): string {
  const path = join(dir, ...parts);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('finding a browser for the browser tests', () => {
  it('takes CHROMIUM_PATH when it exists, and never swaps a missing explicit path for another browser', () => {
    const dir = mkdtempSync(join(tmpdir(), 'browser-'));
    const chrome = fakeExecutable(dir, 'my-chrome');
    expect(findBrowser({ CHROMIUM_PATH: chrome })).toBe(chrome);
    expect(findBrowser({ CHROMIUM_PATH: join(dir, 'missing') })).toBeUndefined();
  });

  it("finds Playwright's cached Chromium, newest revision first", () => {
    const cache = mkdtempSync(join(tmpdir(), 'pw-'));
    fakeExecutable(cache, 'chromium-1100', 'chrome-linux', 'chrome');
    const newer = fakeExecutable(cache, 'chromium-1200', 'chrome-linux', 'chrome');
    const found = findBrowser({ PLAYWRIGHT_BROWSERS_PATH: cache });
    // A system browser, when installed, comes first; otherwise the newest cached one.
    expect([
      newer,
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/opt/google/chrome/chrome',
    ]).toContain(found);
  });

  it('skips with one loud line naming the install command outside CI, and fails under CI=true', () => {
    const missing = { CHROMIUM_PATH: '/nonexistent/chromium' };
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(browserOrSkip('x.test.ts', missing)).toBeUndefined();
      expect(write).toHaveBeenCalledTimes(1);
      expect(String(write.mock.calls[0]?.[0])).toMatch(/SKIPPING.*apt-get install -y chromium fonts-noto-cjk/);
    } finally {
      write.mockRestore();
    }
    expect(() => browserOrSkip('x.test.ts', { ...missing, CI: 'true' })).toThrow(/CI never skips browser tests/);
  });
});
