/**
 * Bundle budget: every `functions/<name>/handler.ts` bundled exactly as the `NodejsFunction` construct
 * bundles it (`FUNCTION_BUNDLING` → `esbuildOptionsFor`), printed, loaded, and held under 250 KB
 * minified. A cold start pays for every byte; the usual culprit is a dependency imported whole.
 */
import { mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES, PROJECT_ROOT, esbuildOptionsFor, functionEntry } from '../../infra/constructs/bundling.ts';
import { scratchDir } from './synth.ts';

const names = readdirSync(resolve(PROJECT_ROOT, 'functions')).filter((name) => {
  try {
    return statSync(functionEntry(name)).isFile();
  } catch {
    return false;
  }
});

// The bundles live next to a node_modules link, as in Lambda where the runtime provides @aws-sdk/*.
const outDir = scratchDir('bundles-');
const sizes = new Map<string, number>();
/** The biggest contributors to each bundle, by package or source folder, for the failure message. */
const heaviest = new Map<string, string>();

function contributors(metafile: Metafile, name: string): string {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(`/${name}/index.mjs`));
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.[1].inputs ?? {})) {
    const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
    bytes.set(key, (bytes.get(key) ?? 0) + bytesInOutput);
  }
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([key, n]) => `${key} ${(n / 1024).toFixed(0)} KB`).join(', ');
}

beforeAll(async () => {
  symlinkSync(resolve(PROJECT_ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  await Promise.all(
    names.map(async (name) => {
      mkdirSync(join(outDir, name));
      const outfile = join(outDir, name, 'index.mjs');
      const result = await build({ ...esbuildOptionsFor(functionEntry(name), outfile), metafile: true });
      sizes.set(name, statSync(outfile).size);
      heaviest.set(name, contributors(result.metafile, name));
    }),
  );
});

afterAll(() => {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const lines = [...sizes].sort(([a], [b]) => a.localeCompare(b)).map(([name, size]) => `  ${name.padEnd(14)} ${kb(size).padStart(10)}${size > BUNDLE_BUDGET_BYTES ? '  OVER BUDGET' : ''}`);
  console.log(`Minified bundles (budget ${kb(BUNDLE_BUDGET_BYTES)}):\n${lines.join('\n')}`);
});

describe('function bundles', () => {
  it('finds the handlers', () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  it.each(names)('%s bundles to an ES module that loads and exports a handler', async (name) => {
    const mod = (await import(pathToFileURL(join(outDir, name, 'index.mjs')).href)) as { handler?: unknown };
    expect(typeof mod.handler).toBe('function');
  });

  it.each(names)('%s stays within the 250 KB budget', (name) => {
    expect(sizes.get(name), `heaviest parts: ${heaviest.get(name)}`).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
  });
});
