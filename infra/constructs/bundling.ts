/**
 * How every Lambda is bundled, defined once: the `NodejsFunction` construct passes {@link FUNCTION_BUNDLING}
 * to CDK, and the bundle budget test (`test/infra/bundle-size.test.ts`) turns the same object into esbuild
 * options with {@link esbuildOptionsFor}, so the measured bundle is the deployed bundle.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** The repository root (where package.json, its `imports` map and `functions/` live). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Lambda runtime and architecture of every function. */
export const RUNTIME = Runtime.NODEJS_22_X;
export const ARCHITECTURE = Architecture.ARM_64;

/** The largest minified bundle a function may ship (the budget test fails above it). */
export const BUNDLE_BUDGET_BYTES = 260 * 1024;

/**
 * Budgets above the default, each held at its measured size (+ ~2 KB) until zod/mini takes the ~99 KB
 * of zod down (issue 10, goal 150 KB; decision 042) — a budget that grows is a decision, not drift:
 * - the inbound channels carry the whole intake path (planner, calendars, receipt) plus the SMS/IVR
 *   text readers and webhook verification: 256 KB with issue 9's rules, 262 KB with 签收/退回 (part of
 *   `decide`, which a repeat runs; decision 047), 270 KB with 协办 and the runtime directory reader
 *   (decisions 048, 055, 056), 274 KB with the worklist queues in the store (decision 067);
 * - `admin` carries the directory entries' schemas, the notice check and the re-plan of open
 *   complaints through the whole planner (decisions 055, 056): 255 KB; +4 KB everywhere with the worklist
 *   queues' attributes, filter and count in the store every function shares (decision 067);
 * - Issue 12 items 1–3 (decisions 058, 059) add ~10 KB to every function that decides: the quality and claim
 *   rules are part of `decide` (3.9 + 2.1 KB), the store writes the worklist rows (2.5 KB), the planner runs
 *   the after-close clocks. The default rises 250 → 260 KB, channels → 289, admin → 275; `reply` also
 *   carries the calculator (the reply's quote) and `case-actions` the quality schemas and the notice. The
 *   worklist reader stays out of every writer (`store/quality-lists.ts`), the calculator out of the lifecycle;
 * - `report-snapshot` is a daily background function that writes XLSX: exceljs's streaming writer and the zip
 *   archiver under it are ~450 KB on their own (the whole exceljs index would be 1.27 MB; decision 061). No
 *   request path carries it: 642 KB.
 */
const LARGER_BUDGETS: Record<string, number> = {
  'channel-sms': 289 * 1024,
  'channel-ivr': 289 * 1024,
  admin: 275 * 1024,
  reply: 271 * 1024,
  'case-actions': 270 * 1024,
  'report-snapshot': 644 * 1024,
};

/** The budget of one function. */
export function bundleBudget(name: string): number {
  return LARGER_BUDGETS[name] ?? BUNDLE_BUDGET_BYTES;
}

/**
 * ES module output: esbuild resolves the `#…` subpath imports from package.json, `.ts` extensions and
 * JSON imports `with { type: 'json' }` by itself. The banner gives bundled CommonJS dependencies a
 * working `require` for Node built-ins. The SDK v3 and its `@smithy` core come with the nodejs22.x
 * runtime, which ES modules can import since nodejs18.x, so they stay external.
 */
export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  // Stack traces map to file:line through the map; the sources themselves need not ship.
  sourcesContent: false,
  // Chinese text (reply checks, e-mail templates) stays readable and smaller than \uXXXX escapes.
  // Passed as a raw argument: this aws-cdk-lib accepts `charset` in BundlingOptions but never hands it
  // to esbuild (test/infra/bundling.test.ts compares the two bundles byte for byte and caught it).
  esbuildArgs: { '--charset': 'utf8' },
  mainFields: ['module', 'main'],
  externalModules: ['@aws-sdk/*', '@smithy/*'],
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
} as const satisfies BundlingOptions;

/** The environment every function gets for its bundle: source-mapped stack traces. */
export const BUNDLE_ENVIRONMENT = { NODE_OPTIONS: '--enable-source-maps' } as const;

/** The esbuild options equivalent to {@link FUNCTION_BUNDLING} (what `NodejsFunction` passes on its command line). */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    absWorkingDir: PROJECT_ROOT,
    format: FUNCTION_BUNDLING.format === OutputFormat.ESM ? 'esm' : 'cjs',
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    charset: FUNCTION_BUNDLING.esbuildArgs['--charset'],
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.externalModules],
    banner: { js: FUNCTION_BUNDLING.banner },
    logLevel: 'warning',
  };
}

/** `functions/<name>/handler.ts`, the entry of the function called `name`. */
export function functionEntry(name: string): string {
  return resolve(PROJECT_ROOT, 'functions', name, 'handler.ts');
}
