/**
 * Finds a Chromium for the browser tests (playwright-core downloads none). Looked for, in order:
 * `CHROMIUM_PATH`, Debian's `chromium`, Google Chrome, and Playwright's own cache. Without one the
 * browser tests are skipped with one loud line naming the install command — except under `CI=true`,
 * where a missing browser fails the run, so CI can never skip them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const INSTALL_HINT = 'apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)';

const FIXED_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];

/** `~/.cache/ms-playwright/chromium-*​/chrome-linux/chrome` (and the headless shell), newest first. */
function playwrightCache(): string[] {
  const root = process.env['PLAYWRIGHT_BROWSERS_PATH'] ?? join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => name.startsWith('chromium'))
    .sort()
    .reverse()
    .flatMap((name) => [join(root, name, 'chrome-linux', 'chrome'), join(root, name, 'chrome-linux', 'headless_shell')]);
}

/** The first browser found, or undefined. An explicit `CHROMIUM_PATH` that does not exist is not replaced by another. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env['CHROMIUM_PATH'];
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return [...FIXED_PATHS, ...playwrightCache()].find((path) => existsSync(path));
}

/**
 * The browser for a test file, or undefined after one loud line (the caller skips its suite).
 * Under CI=true a missing browser throws instead.
 */
export function browserOrSkip(file: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const found = findBrowser(env);
  if (found) return found;
  const where = env['CHROMIUM_PATH'] ? `CHROMIUM_PATH=${env['CHROMIUM_PATH']} does not exist` : 'no Chromium or Chrome found';
  if (env['CI'] === 'true') throw new Error(`${file}: ${where}; CI never skips browser tests. Install: ${INSTALL_HINT}`);
  process.stderr.write(`\n!!! SKIPPING the browser tests of ${file}: ${where}. Install: ${INSTALL_HINT}\n\n`);
  return undefined;
}
