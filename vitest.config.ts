import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The console's `virtual:shared` (compiled in by scripts/console-build.ts) for its unit tests. */
const consoleShared = {
  name: 'console-shared',
  resolveId: (id: string) => (id === 'virtual:shared' ? '\0virtual:shared' : undefined),
  load: (id: string) =>
    id === '\0virtual:shared'
      ? `export { default } from ${JSON.stringify(fileURLToPath(new URL('./test/support/console-shared.ts', import.meta.url)))};`
      : undefined,
};

export default defineConfig({
  plugins: [consoleShared],
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: 1 on the 2-core machines CI and we run on, and the
    // suite took 15 min. Most files wait on child processes, a browser or the disk; two workers share the cores.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
