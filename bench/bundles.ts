/**
 * Cold-start figures of the deployed bundles: each function bundled as `NodejsFunction` bundles it
 * (`esbuildOptionsFor`), its minified size, and how long a fresh `node --input-type=module` takes to
 * import it (median of {@link IMPORT_RUNS} processes; the SDK clients it imports are loaded from node_modules
 * as the Lambda runtime provides them). Every `functions/<name>/handler.ts` by default.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { PROJECT_ROOT, esbuildOptionsFor, functionEntry } from '../infra/constructs/bundling.ts';

export interface BundleFigure {
  name: string;
  bytes: number;
  importMs: number;
}

const LOAD_ENV = { ...process.env, TABLE_NAME: 'complaints', AWS_REGION: 'ap-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** Fresh processes per bundle; the median is reported. */
const IMPORT_RUNS = 5;

async function timeImport(file: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const runs: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++)
    runs.push(Number((await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: LOAD_ENV })).stdout.trim()));
  return runs.sort((a, b) => a - b)[Math.floor(IMPORT_RUNS / 2)] ?? Number.NaN;
}

/** Every function with a `functions/<name>/handler.ts`. */
function functionNames(): string[] {
  return readdirSync(resolve(PROJECT_ROOT, 'functions'))
    .filter((name) => {
      try {
        return statSync(functionEntry(name)).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

/** Bundles and times `names` one after the other (parallel imports would measure each other). */
export async function benchBundles(names: readonly string[] = functionNames()): Promise<BundleFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  symlinkSync(resolve(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  try {
    const figures: BundleFigure[] = [];
    for (const name of names) {
      const outfile = join(dir, name, 'index.mjs');
      await build(esbuildOptionsFor(functionEntry(name), outfile));
      figures.push({ name, bytes: statSync(outfile).size, importMs: await timeImport(outfile) });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printBundles(figures: readonly BundleFigure[]): void {
  process.stdout.write(`Bundles (minified; import = fresh node --input-type=module, median of ${IMPORT_RUNS})\n`);
  for (const f of figures) process.stdout.write(`  bundle ${f.name} ${(f.bytes / 1024).toFixed(1)} KB import ${f.importMs.toFixed(0)} ms\n`);
  process.stdout.write('\n');
}
