/**
 * Bundle budget: every `functions/<name>/handler.ts` bundled exactly as the `NodejsFunction` construct
 * bundles it (`FUNCTION_BUNDLING` → `esbuildOptionsFor`, the AWS SDK inside), printed, loaded, and held
 * under the budget minified: our code (the bundle without the SDK, `bundleWeight`) under `bundleBudget`,
 * the SDK part under `SDK_BUDGET_BYTES` (decision 064). A cold start pays for every byte and every SDK
 * client it loads: each function wires only the ports it uses (docs/decisions/042), so it carries only
 * the SDK clients its profile grants.
 * Printed per function: `bundle <name> <KB> import <ms>` — KB of our code, then a fresh `node` importing
 * the bundle (median of 3), then the whole file and its SDK part.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_BUDGET_BYTES,
  PROJECT_ROOT,
  SDK_BUDGET_BYTES,
  bundleBudget,
  bundleWeight,
  esbuildOptionsFor,
  functionEntry,
  type BundleWeight,
} from '../../infra/constructs/bundling.ts';
import { API_FUNCTIONS } from '#http/routes.ts';
import { DEPLOY_FUNCTIONS, profileOf, type FunctionName } from '../../infra/functions.ts';
import { scratchDir } from './synth.ts';

const names = readdirSync(resolve(PROJECT_ROOT, 'functions')).filter((name) => {
  try {
    return statSync(functionEntry(name)).isFile();
  } catch {
    return false;
  }
});

// The bundles live next to a node_modules link: a bundle that still imported a package would load it.
const outDir = scratchDir('bundles-');
const sizes = new Map<string, BundleWeight>();
/** The biggest contributors to each bundle, by package or source folder, for the failure message. */
const heaviest = new Map<string, string>();
/** The SDK clients each bundle carries (`@aws-sdk/client-*`, `lib-dynamodb`, `util-dynamodb`). */
const clients = new Map<string, string[]>();
/** The packages each bundle still imports at run time (none: everything is bundled). */
const externals = new Map<string, string[]>();
/** The XLSX/CSV layouts and exceljs in each bundle (decision 061: only `reports` and `report-snapshot` carry them). */
const exportInputs = new Map<string, string[]>();
/** The demo directory files in each bundle (decision 056: none; the directory is the table's). */
const directoryInputs = new Map<string, string[]>();
/** Whether the bundle imports `shared/domain/schemas.ts` (and so every request schema) at run time. */
const schemaBarrel = new Map<string, boolean>();
/** `typeof handler` of each bundle file as a fresh `node` imported it (outside vitest: its transform of ~0.5–1 MB files takes seconds). */
const handlerType = new Map<string, string>();
/** Median milliseconds of a fresh `node` importing the bundle. */
const importMs = new Map<string, number>();

/** The environment a function loads with in Lambda, as far as loading needs it. */
const LOAD_ENV = { ...process.env, TABLE_NAME: 'complaints', AWS_REGION: 'ap-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** How long a fresh Node process takes to import the bundle: what a cold start pays before the handler runs. */
async function timeImport(file: string): Promise<number> {
  const script = `const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t, typeof m.handler);`;
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: LOAD_ENV });
    const [ms, exported] = stdout.trim().split('\n').at(-1)?.split(' ') ?? [];
    handlerType.set(file, exported ?? 'nothing');
    runs.push(Number(ms));
  }
  return runs.sort((a, b) => a - b)[1] ?? Number.NaN;
}

/** The SDK clients a function may load: the table for all, the rest only with the grant that needs them. */
function allowedClients(name: string): Set<string> {
  // The deploy-time seed (decision 056) puts directory items: the table's clients (lib-dynamodb marshals with util-dynamodb), nothing else.
  if ((DEPLOY_FUNCTIONS as readonly string[]).includes(name)) return new Set(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb']);
  const profile = profileOf(name as FunctionName);
  // util-dynamodb: (un)marshalling only, no client (the statistics aggregator reads stream images, decision 060).
  const allowed = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'];
  // Every API function checks the CloudFront origin secret (decision 039); the channels also verify webhooks.
  if ((API_FUNCTIONS as readonly string[]).includes(name) || profile.verifiesWebhooks || profile.noticeKeys) allowed.push('@aws-sdk/client-secrets-manager');
  if (profile.escalates) allowed.push('@aws-sdk/client-sqs');
  if (profile.sendsEmail) allowed.push('@aws-sdk/client-sesv2');
  if (profile.sendsSms) allowed.push('@aws-sdk/client-pinpoint-sms-voice-v2');
  if (profile.archives || profile.reports) allowed.push('@aws-sdk/client-s3');
  if (profile.schedules) allowed.push('@aws-sdk/client-scheduler');
  return new Set(allowed);
}

function contributors(metafile: Metafile, name: string): string {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(`/${name}/index.mjs`));
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.[1].inputs ?? {})) {
    const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
    // The budget is our code's; the SDK has its own (and its own message).
    if (/^@(aws-sdk|aws|smithy)\//.test(key)) continue;
    bytes.set(key, (bytes.get(key) ?? 0) + bytesInOutput);
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([key, n]) => `${key} ${(n / 1024).toFixed(0)} KB`)
    .join(', ');
}

beforeAll(async () => {
  symlinkSync(resolve(PROJECT_ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  await Promise.all(
    names.map(async (name) => {
      mkdirSync(join(outDir, name));
      const outfile = join(outDir, name, 'index.mjs');
      const result = await build({ ...esbuildOptionsFor(functionEntry(name), outfile), metafile: true });
      const weight = bundleWeight(result.metafile);
      expect(weight.total).toBe(statSync(outfile).size);
      sizes.set(name, weight);
      clients.set(
        name,
        weight.sdkPackages.filter((p) => /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb|util-dynamodb)$/.test(p)),
      );
      heaviest.set(name, contributors(result.metafile, name));
      const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(`/${name}/index.mjs`))?.[1];
      // Imported at run time at all (a type-only import leaves no trace; re-exports weigh nothing themselves).
      schemaBarrel.set(name, 'shared/domain/schemas.ts' in result.metafile.inputs);
      exportInputs.set(
        name,
        Object.keys(output?.inputs ?? {}).filter((input) => /shared\/reports\/|node_modules\/exceljs\//.test(input)),
      );
      directoryInputs.set(
        name,
        Object.keys(output?.inputs ?? {}).filter((input) => /shared\/config\/(units|routing)\.json$|shared\/config\/index\.ts$/.test(input)),
      );
      externals.set(name, [...new Set((output?.imports ?? []).filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path))].sort());
    }),
  );
  // One at a time: parallel child processes would measure each other.
  for (const name of names) importMs.set(name, await timeImport(join(outDir, name, 'index.mjs')));
}, 600_000);

afterAll(() => {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const lines = [...sizes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, w]) =>
        `  bundle ${name} ${(w.ours / 1024).toFixed(1)} KB import ${importMs.get(name)?.toFixed(0) ?? '?'} ms (file ${kb(w.total)}, SDK ${kb(w.sdk)})${w.ours > bundleBudget(name) || w.sdk > SDK_BUDGET_BYTES ? '  OVER BUDGET' : ''}`,
    );
  console.log(
    `Minified bundles: our code (budget ${kb(BUNDLE_BUDGET_BYTES)}), import: fresh node, median of 3; the file with the SDK inside (SDK budget ${kb(SDK_BUDGET_BYTES)}):\n${lines.join('\n')}`,
  );
});

describe('function bundles', () => {
  it('finds the handlers', () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  it.each(names)('%s bundles to an ES module that loads and exports a handler', (name) => {
    expect(handlerType.get(join(outDir, name, 'index.mjs'))).toBe('function');
  });

  it.each(names)('%s carries only the SDK clients its profile grants', (name) => {
    const extra = (clients.get(name) ?? []).filter((client) => !allowedClients(name).has(client));
    expect(extra, `${name} bundles SDK clients it has no grant for: wire only the ports it uses`).toEqual([]);
  });

  it.each(names)('%s imports no package at run time (the SDK is bundled, decision 064)', (name) => {
    expect(externals.get(name)).toEqual([]);
  });

  it('keeps the read-only functions to the table and the origin secret', () => {
    const table = ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'];
    expect(clients.get('read')).toEqual(table);
    expect(clients.get('track')).toEqual(table);
  });

  it('no bundle carries the request-schema barrel (each handler imports its own module under requests/)', () => {
    expect(names.filter((name) => schemaBarrel.get(name))).toEqual([]);
  });

  it.each(names.filter((n) => n !== 'reports' && n !== 'report-snapshot'))('%s carries neither the export layouts (shared/reports/*) nor exceljs', (name) => {
    expect(exportInputs.get(name), `${name} bundles export code: only GET /reports and the monthly snapshot may`).toEqual([]);
  });

  it.each(names)('%s carries no directory of its own (units.json, routing.json): in AWS it is the table’s DIR partition', (name) => {
    expect(directoryInputs.get(name), `${name} bundles the demo directory`).toEqual([]);
  });

  it('the reports function does carry the XLSX writer (the check above can see it)', () => {
    expect(exportInputs.get('reports')?.some((i) => i.includes('shared/reports/xlsx.ts'))).toBe(true);
  });

  it.each(names)(
    `%s stays within its budget (${BUNDLE_BUDGET_BYTES / 1024} KB of our code; the functions in LARGER_BUDGETS at their measured size)`,
    (name) => {
      expect(sizes.get(name)?.ours, `heaviest parts: ${heaviest.get(name)}`).toBeLessThanOrEqual(bundleBudget(name));
    },
  );

  it.each(names)(`%s carries at most ${SDK_BUDGET_BYTES / 1024} KB of the SDK`, (name) => {
    expect(sizes.get(name)?.sdk, `SDK packages: ${sizes.get(name)?.sdkPackages.join(', ')}`).toBeLessThanOrEqual(SDK_BUDGET_BYTES);
  });
});
