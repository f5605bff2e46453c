/**
 * Cold-start figures of the deployed bundles: each function bundled as `NodejsFunction` bundles it
 * (`esbuildOptionsFor`, the AWS SDK inside), the minified size of our code (the bundle without the SDK,
 * `bundleWeight`: what the 150 KB goal means, decision 064) with the whole file and its SDK part, and how
 * long a fresh `node --input-type=module` takes to import it (median of {@link IMPORT_RUNS} processes),
 * with the data files it reads beside it, as in its asset (`copyDataFiles`, decision 073), whose bytes the
 * line shows too. Every `functions/<name>/handler.ts` by default.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { PROJECT_ROOT, bundleWeight, copyDataFiles, esbuildOptionsFor, functionEntry } from '../infra/constructs/bundling.ts';

export interface BundleFigure {
  name: string;
  /** Our code: the bundle without the SDK. */
  bytes: number;
  /** The whole file. */
  fileBytes: number;
  /** The SDK inside it. */
  sdkBytes: number;
  /** The data files beside it (the holiday files). */
  dataBytes: number;
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
      const weight = bundleWeight((await build({ ...esbuildOptionsFor(functionEntry(name), outfile), metafile: true })).metafile);
      const dataBytes = copyDataFiles(outfile);
      figures.push({ name, bytes: weight.ours, fileBytes: weight.total, sdkBytes: weight.sdk, dataBytes, importMs: await timeImport(outfile) });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printBundles(figures: readonly BundleFigure[]): void {
  const kb = (n: number) => (n / 1024).toFixed(1);
  process.stdout.write(
    `Bundles (minified, KB of our code; import = fresh node --input-type=module, median of ${IMPORT_RUNS}; the file has the SDK inside; data: the files beside it)\n`,
  );
  for (const f of figures)
    process.stdout.write(
      `  bundle ${f.name} ${kb(f.bytes)} KB import ${f.importMs.toFixed(0)} ms (file ${kb(f.fileBytes)} KB, SDK ${kb(f.sdkBytes)} KB${f.dataBytes > 0 ? `, data ${kb(f.dataBytes)} KB` : ''})\n`,
    );
  process.stdout.write('\n');
}
