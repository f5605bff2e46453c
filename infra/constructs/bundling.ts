/**
 * How every Lambda is bundled, defined once: the `NodejsFunction` construct passes {@link FUNCTION_BUNDLING}
 * to CDK, and the bundle budget test (`test/infra/bundle-size.test.ts`) turns the same object into esbuild
 * options with {@link esbuildOptionsFor}, so the measured bundle is the deployed bundle. Beside each bundle
 * lie the data files it reads at run time ({@link DATA_FILES}): CDK's `afterBundling` hook copies them into
 * the asset, {@link copyDataFiles} next to any other build.
 */
import { copyFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions, Metafile } from 'esbuild';
import { HOLIDAY_FILES } from '#config/holiday-files.ts';

/** The repository root (where package.json, its `imports` map and `functions/` live). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Lambda runtime and architecture of every function. */
export const RUNTIME = Runtime.NODEJS_22_X;
export const ARCHITECTURE = Architecture.ARM_64;

/** The largest minified bundle a function may ship (the budget test fails above it): issue 10's goal. */
export const BUNDLE_BUDGET_BYTES = 150 * 1024;

/**
 * Budgets above the goal, each held at its measured size (+ ~2 KB) of our code (the bundle without the
 * SDK, {@link bundleWeight}) — a budget that grows is a decision, not drift (decisions 042, 064). Done
 * since: zod/mini, the read-only reader for `read`/`track`, one request-schema module per route,
 * `read`'s directory without the calendar, the holiday files beside the bundle instead of inlined
 * (decision 073: −12 KB of every function with a calendar), the complaint records without the lists,
 * the transitions without intake, and each function deciding only its own commands (`decideWith`,
 * decision 074: intake 193.7 → 143.2 KB, assignment 190.9 → 131.9, reply 203.7 → 149.0), and the
 * quality records and claims out of `case-actions` into `quality-actions` (209.6 → 149.5 and 148.5), and
 * our own streaming XLSX writer on `node:zlib` instead of exceljs's with archiver under it (decision 075:
 * `report-snapshot` 584.5 → 142.6 KB, `reports` 585.0 → 145.2; the bundle test holds every bundle free of
 * exceljs, and every one but these two free of `shared/reports/*`).
 * Left above the goal: the channels, which are intake plus their message reader, the inbound ledger
 * and the webhook signatures (~10–30 KB more than intake; each builds only its own door since the SMS
 * and IVR channels were split: channel-ivr 176.1 → 163.1 KB, channel-sms 175.7 → 173.7; then each
 * door's payload schemas in a module of its own, the IVR menu checked by synth instead of at import,
 * and the IVR door without the SMS sender, guard and SMS ledger it never used, decision 076:
 * channel-ivr → 152.0, channel-sms → 172.0).
 */
const LARGER_BUDGETS: Record<string, number> = {
  'channel-sms': 174 * 1024,
  'channel-ivr': 154 * 1024,
};

/**
 * The most of the AWS SDK one bundle may carry (bytes of `@aws-sdk/*`, `@smithy/*` and what the entry
 * reaches only through them, {@link bundleWeight}): the largest measured (`report-snapshot`: DynamoDB, S3,
 * SES, 435.5 KB; 433.2 since exceljs left the bundle — shorter minified names, the same SDK code) + ~8 KB.
 * The table and the origin secret alone are ~218 KB since the bundles carry the environment's credentials
 * only (decision 072; the whole default chain was ~130 KB more); which clients a function may carry at all
 * is its profile's grants (the bundle test checks both).
 */
export const SDK_BUDGET_BYTES = 444 * 1024;

/** The budget of one function. */
export function bundleBudget(name: string): number {
  return LARGER_BUDGETS[name] ?? BUNDLE_BUDGET_BYTES;
}

/**
 * ES module output: esbuild resolves the `#…` subpath imports from package.json, `.ts` extensions and
 * JSON imports `with { type: 'json' }` by itself. The banner gives bundled CommonJS dependencies a
 * working `require` for Node built-ins. The AWS SDK v3 (`@aws-sdk/*`, `@smithy/*`) is bundled with the
 * function, minified and tree-shaken, not loaded from the runtime's copy: a cold `track` or `read`
 * answers its first request in about half the time (decision 064, measured: loading the SDK's hundreds of
 * small files from node_modules cost more than parsing one file with it inside), and the function runs
 * the SDK version the tests ran. The budgets above count our code; the SDK has {@link SDK_BUDGET_BYTES}.
 */
/** The package every SDK client's default credentials come from, and what the bundles put in its place. */
const CREDENTIAL_CHAIN = '@aws-sdk/credential-provider-node';
const LAMBDA_CREDENTIALS = './shared/adapters/aws/lambda-credentials.ts';

/**
 * The data files every function ships beside its `index.mjs`, relative to the project root: the holiday
 * files, which `#config/holiday-files.ts` reads next to the running code instead of esbuild inlining them
 * as JS (decision 073). Copied into every asset, whether or not its bundle reaches the calendar (17.1 KB,
 * 2.7 KB zipped): knowing which bundles do would take the import graph at synth time.
 */
export const DATA_FILES: readonly string[] = HOLIDAY_FILES.map((file) => `shared/config/${file}`);

/** A POSIX shell word: the hooks run under `bash -c` (local bundling) or in the bundling container. */
const shellWord = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

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
  // The SDK's default credential chain is bundled as its first link only, the environment a Lambda is
  // handed its role's credentials in (decision 072): ~95 KB of SSO/INI/STS/IMDS code no function runs.
  esbuildArgs: { '--charset': 'utf8', [`--alias:${CREDENTIAL_CHAIN}`]: LAMBDA_CREDENTIALS },
  mainFields: ['module', 'main'],
  // Nothing external: the SDK is bundled (see above). An empty list, not the default ['@aws-sdk/*'].
  externalModules: [],
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  // The data files beside the bundle (DATA_FILES); what `copyDataFiles` does for a bundle built with esbuildOptionsFor.
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => DATA_FILES.map((file) => `cp ${shellWord(`${inputDir}/${file}`)} ${shellWord(`${outputDir}/`)}`),
  },
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
    alias: { [CREDENTIAL_CHAIN]: LAMBDA_CREDENTIALS },
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.externalModules],
    banner: { js: FUNCTION_BUNDLING.banner },
    logLevel: 'warning',
  };
}

/**
 * Copies {@link DATA_FILES} next to `outfile`, as `NodejsFunction`'s `afterBundling` hook does into the
 * asset: every bundle built with {@link esbuildOptionsFor} needs them to load. Returns their bytes.
 */
export function copyDataFiles(outfile: string): number {
  let bytes = 0;
  for (const file of DATA_FILES) {
    const target = join(dirname(outfile), basename(file));
    copyFileSync(resolve(PROJECT_ROOT, file), target);
    bytes += statSync(target).size;
  }
  return bytes;
}

/** `functions/<name>/handler.ts`, the entry of the function called `name`. */
export function functionEntry(name: string): string {
  return resolve(PROJECT_ROOT, 'functions', name, 'handler.ts');
}

/** What one bundle weighs: the whole file, the AWS SDK inside it, and the rest (our code, zod, middy). */
export interface BundleWeight {
  /** The bundle file's bytes. */
  total: number;
  /** Bytes of the SDK's inputs: `@aws-sdk/*`, `@aws/*`, `@smithy/*` and what the entry reaches only through them. */
  sdk: number;
  /** `total − sdk`: what {@link bundleBudget} holds (the figure the goal of 150 KB means, decision 064). */
  ours: number;
  /** The SDK packages in the bundle (`@aws-sdk/client-dynamodb`, …). */
  sdkPackages: string[];
}

const packageOf = (input: string): string | undefined => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
const SDK_SCOPE = /^@(aws-sdk|aws|smithy)\//;

/** {@link BundleWeight} of the bundle of a one-entry esbuild build (its metafile). */
export function bundleWeight(metafile: Metafile): BundleWeight {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output?.entryPoint) throw new Error('the build has no entry point output');
  const inBundle = new Set(Object.keys(output.inputs));
  // Ours: what the entry reaches without passing through an SDK package; the SDK's: the rest of the bundle.
  const ours = new Set<string>();
  const queue = [output.entryPoint];
  for (let input = queue.pop(); input !== undefined; input = queue.pop()) {
    if (ours.has(input) || SDK_SCOPE.test(packageOf(input) ?? '')) continue;
    ours.add(input);
    // Through every input, kept or not: a re-exporting index contributes no bytes but leads on.
    for (const i of metafile.inputs[input]?.imports ?? []) if (!i.external) queue.push(i.path);
  }
  const sdk = [...inBundle].filter((input) => !ours.has(input));
  const sdkBytes = sdk.reduce((n, input) => n + (output.inputs[input]?.bytesInOutput ?? 0), 0);
  return {
    total: output.bytes,
    sdk: sdkBytes,
    ours: output.bytes - sdkBytes,
    sdkPackages: [...new Set(sdk.map((i) => packageOf(i) ?? i))].sort(),
  };
}
