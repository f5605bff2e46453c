/**
 * Ends the run with one plain line, `N passed, N failed, N skipped`, that CI reads whatever the
 * runner; the default reporter still prints everything else.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that failed outside any test (import error, a beforeAll that threw) counts as one
      // failure: its tests show as skipped, and a green-looking summary line would hide it.
      failed += module.state() === 'failed' && failedHere === 0 ? 1 : failedHere;
    }
    failed += unhandledErrors.length;
    // The suite must stay under 10 minutes on 2 cores: name the files that cost the most.
    const slowest = [...modules]
      .map((m) => ({ file: m.moduleId.replace(`${process.cwd()}/`, ''), seconds: m.diagnostic().duration / 1000 }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 8);
    if (slowest.length > 1) process.stdout.write(`\nslowest files: ${slowest.map((s) => `${s.file} ${s.seconds.toFixed(0)} s`).join(', ')}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
