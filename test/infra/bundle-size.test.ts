/**
 * Bundle budget: every `functions/<name>/handler.ts` bundled exactly as the `NodejsFunction` construct
 * bundles it (`FUNCTION_BUNDLING` → `esbuildOptionsFor`, the AWS SDK inside), printed, loaded, and held
 * under the budget minified: our code (the bundle without the SDK, `bundleWeight`) under `bundleBudget`,
 * the SDK part under `SDK_BUDGET_BYTES` (decision 064). A cold start pays for every byte and every SDK
 * client it loads: each function wires only the ports it uses (docs/decisions/042), so it carries only
 * the SDK clients its profile grants.
 * Printed per function: `bundle <name> <KB> import <ms>` — KB of our code, then a fresh `node` importing
 * the bundle (median of 3), then the whole file, its SDK part and the data files beside it (decision 073).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_BUDGET_BYTES,
  DATA_FILES,
  PROJECT_ROOT,
  SDK_BUDGET_BYTES,
  bundleBudget,
  bundleWeight,
  copyDataFiles,
  esbuildOptionsFor,
  functionEntry,
  type BundleWeight,
} from '../../infra/constructs/bundling.ts';
import { CN_WORK_CALENDAR, holidayName } from '#domain/calendar/holidays.ts';
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
/** The XLSX/CSV layouts and writer in each bundle (decision 061: only `reports` and `report-snapshot` carry them). */
const exportInputs = new Map<string, string[]>();
/** exceljs in each bundle (decision 075: none; it is the tests' reader, a devDependency). */
const exceljsInputs = new Map<string, string[]>();
/** The demo directory files in each bundle (decision 056: none; the directory is the table's). */
const directoryInputs = new Map<string, string[]>();
/** Bytes each of our source files leaves in each bundle (a file reached but shaken to nothing weighs 0). */
const sourceBytes = new Map<string, Map<string, number>>();
/** The holiday data files inlined into each bundle (decision 073: none; they lie beside it). */
const holidayInputs = new Map<string, string[]>();
/** Whether the bundle reads the holiday files beside it (`shared/config/holiday-files.ts` is in it). */
const readsHolidays = new Map<string, boolean>();
/** Bytes of the data files copied beside each bundle. */
const dataBytes = new Map<string, number>();
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
      dataBytes.set(name, copyDataFiles(outfile));
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
        Object.keys(output?.inputs ?? {}).filter((input) => /shared\/reports\//.test(input)),
      );
      exceljsInputs.set(
        name,
        Object.keys(output?.inputs ?? {}).filter((input) => /node_modules\/exceljs\//.test(input)),
      );
      holidayInputs.set(
        name,
        Object.keys(output?.inputs ?? {}).filter((input) => /shared\/config\/holidays-cn[^/]*\.json$/.test(input)),
      );
      readsHolidays.set(name, 'shared/config/holiday-files.ts' in (output?.inputs ?? {}));
      sourceBytes.set(
        name,
        new Map(
          Object.entries(output?.inputs ?? {})
            .filter(([input]) => input.startsWith('shared/'))
            .map(([input, { bytesInOutput }]) => [input, bytesInOutput]),
        ),
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
        `  bundle ${name} ${(w.ours / 1024).toFixed(1)} KB import ${importMs.get(name)?.toFixed(0) ?? '?'} ms (file ${kb(w.total)}, SDK ${kb(w.sdk)}, data ${kb(dataBytes.get(name) ?? 0)})${w.ours > bundleBudget(name) || w.sdk > SDK_BUDGET_BYTES ? '  OVER BUDGET' : ''}`,
    );
  console.log(
    `Minified bundles: our code (budget ${kb(BUNDLE_BUDGET_BYTES)}), import: fresh node, median of 3; the file with the SDK inside (SDK budget ${kb(SDK_BUDGET_BYTES)}); the data files beside it:\n${lines.join('\n')}`,
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

  it.each(names.filter((n) => n !== 'reports' && n !== 'report-snapshot'))('%s carries no export layouts or XLSX writer (shared/reports/*)', (name) => {
    expect(exportInputs.get(name), `${name} bundles export code: only GET /reports and the monthly snapshot may`).toEqual([]);
  });

  it.each(names)('%s carries no exceljs (decision 075: our own XLSX writer; exceljs only reads the files back in tests)', (name) => {
    expect(exceljsInputs.get(name), `${name} bundles exceljs`).toEqual([]);
  });

  // Decision 074: each deciding function carries the decisions of its own commands, not the others'.
  // What is left of these files elsewhere is a constant or the rule after every command (a cancelled
  // extension request: ~0.2 KB); their decisions weighed 2–4 KB each in every such bundle before.
  const OTHER_COMMANDS = ['shared/domain/quality.ts', 'shared/domain/claims.ts', 'shared/domain/reply-check.ts', 'shared/domain/extension-request.ts'];
  const RESIDUE = 512;
  it.each(['intake', 'assignment', 'contact', 'callback', 'channel-sms', 'channel-ivr', 'admin'])(
    '%s carries no quality, claim, reply-check or extension-request decisions (decideWith of its own commands)',
    (name) => {
      const carried = OTHER_COMMANDS.filter((file) => (sourceBytes.get(name)?.get(file) ?? 0) > RESIDUE);
      expect(carried, `${name} bundles other commands' decisions`).toEqual([]);
    },
  );

  it("builds each channel door alone: neither carries the other's payloads, the IVR function no SMS text reader, sender or SMS ledger", () => {
    const bytes = (name: string, file: string) => sourceBytes.get(name)?.get(file) ?? 0;
    const smsOnly = ['shared/domain/channels/sms-text.ts', 'shared/domain/channels/sms-inbound.ts', 'shared/app/sms-guard.ts', 'shared/adapters/aws/sms.ts'];
    expect(smsOnly.filter((file) => bytes('channel-ivr', file) > 0)).toEqual([]);
    expect(smsOnly.filter((file) => bytes('channel-sms', file) === 0)).toEqual([]);
    expect(bytes('channel-sms', 'shared/domain/channels/ivr-inbound.ts')).toBe(0);
    expect(bytes('channel-ivr', 'shared/domain/channels/ivr-inbound.ts')).toBeGreaterThan(0);
    // The IVR door claims calls (MessageClaims) but keeps no SMS parts or opt-outs: the SMS ledger is larger.
    expect(bytes('channel-ivr', 'shared/store/channel-store.ts')).toBeLessThan(bytes('channel-sms', 'shared/store/channel-store.ts'));
  });

  it('no function carries the IVR menu schema: synth checks the menu file, the IVR function reads it as it is', () => {
    expect(names.filter((name) => (sourceBytes.get(name)?.get('shared/domain/channels/ivr-menu.ts') ?? 0) > 0)).toEqual([]);
  });

  it('splits the quality records and claims from case-actions: each carries its own decisions only', () => {
    const bytes = (name: string, file: string) => sourceBytes.get(name)?.get(file) ?? 0;
    expect(
      ['shared/domain/quality.ts', 'shared/domain/claims.ts', 'shared/domain/quality-schemas.ts'].filter((f) => bytes('case-actions', f) > RESIDUE),
    ).toEqual([]);
    expect(['shared/domain/reply-check.ts', 'shared/domain/extension-request.ts'].filter((f) => bytes('quality-actions', f) > RESIDUE)).toEqual([]);
    // The checks can see them: each is in the function that decides with it.
    expect(bytes('quality-actions', 'shared/domain/quality.ts')).toBeGreaterThan(RESIDUE);
    expect(bytes('case-actions', 'shared/domain/extension-request.ts')).toBeGreaterThan(RESIDUE);
    expect(bytes('reply', 'shared/domain/reply-check.ts')).toBeGreaterThan(RESIDUE);
  });

  it.each(names)('%s carries no directory of its own (units.json, routing.json): in AWS it is the table’s DIR partition', (name) => {
    expect(directoryInputs.get(name), `${name} bundles the demo directory`).toEqual([]);
  });

  it.each(names)('%s inlines no holiday data file (decision 073: they lie beside the bundle and are read at load)', (name) => {
    expect(holidayInputs.get(name), `${name} bundles the holiday files as JS: import them through #config/holiday-files.ts`).toEqual([]);
  });

  it('the deciding and background functions do read the holiday files beside them (the check above is not vacuous)', () => {
    for (const name of ['intake', 'sla-check', 'escalation', 'calendar-watch']) expect(readsHolidays.get(name), name).toBe(true);
  });

  it('the reports and report-snapshot functions do carry the XLSX writer (the checks above can see it)', () => {
    for (const name of ['reports', 'report-snapshot']) {
      expect(exportInputs.get(name), name).toEqual(expect.arrayContaining(['shared/reports/xlsx.ts', 'shared/reports/xlsx-writer.ts']));
    }
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

describe('the holiday data beside the bundle (decision 073)', () => {
  const run = promisify(execFile);
  /** A fresh `node` importing `file` and printing what `expression` (of the module `m`) evaluates to, as JSON. */
  const importAndPrint = (file: string, expression: string) =>
    run(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(JSON.stringify(${expression}));`],
      { env: LOAD_ENV },
    );
  /** What the test asks the calendar, of the source module here and of the bundle in a child (`toString()`: plain JS, no imports). */
  const questions = (m: { CN_WORK_CALENDAR: typeof CN_WORK_CALENDAR; holidayName: typeof holidayName }) => ({
    afterNationalDay: m.CN_WORK_CALENDAR.addWorkingDays(new Date('2025-09-30T10:00:00+08:00'), 1).toISOString(),
    afterSpringFestival2027: m.CN_WORK_CALENDAR.addWorkingDays(new Date('2027-02-04T10:00:00+08:00'), 1).toISOString(),
    status2026: m.CN_WORK_CALENDAR.yearStatus(2026),
    status2027: m.CN_WORK_CALENDAR.yearStatus(2027),
    makeup2027: m.holidayName('2027-02-14'),
  });

  it('a bundle of the calendar, built like a function, computes across the holidays of both files what the source computes', async () => {
    // Prepare: holidays.ts as an entry, bundled with the functions' options, the data files beside it.
    const dir = scratchDir('holiday-bundle-');
    const outfile = join(dir, 'index.mjs');
    const result = await build({ ...esbuildOptionsFor(resolve(PROJECT_ROOT, 'shared/domain/calendar/holidays.ts'), outfile), metafile: true });
    copyDataFiles(outfile);
    // Act
    const { stdout } = await importAndPrint(outfile, `(${questions.toString()})(m)`);
    // Assess: the bundle read both files (official 2025–2026, provisional 2027) and agrees with the source.
    expect(Object.keys(result.metafile.inputs).filter((i) => i.endsWith('.json'))).toEqual([]);
    const fromSource = questions({ CN_WORK_CALENDAR, holidayName });
    expect(JSON.parse(stdout)).toEqual(fromSource);
    expect(fromSource).toEqual({
      // 30 Sep 2025 + 1 working day: past 国庆/中秋 (1–8 Oct) to the end of 9 Oct.
      afterNationalDay: '2025-10-09T10:30:00.000Z',
      // 4 Feb 2027 + 1: past the predicted 春节 (5–13 Feb) to the make-up Sunday 14 Feb.
      afterSpringFestival2027: '2027-02-14T10:30:00.000Z',
      status2026: 'official',
      status2027: 'provisional',
      makeup2027: '春节调休',
    });
  });

  it.each(DATA_FILES.map((file) => basename(file)))('sla-check without %s beside it fails at import, naming the file', async (missing) => {
    // Prepare: the function's bundle and source map, and every data file but one.
    const dir = scratchDir('holiday-missing-');
    for (const file of ['index.mjs', 'index.mjs.map']) copyFileSync(join(outDir, 'sla-check', file), join(dir, file));
    for (const file of DATA_FILES.filter((f) => basename(f) !== missing)) copyFileSync(resolve(PROJECT_ROOT, file), join(dir, basename(file)));
    // Act
    const failure = await importAndPrint(join(dir, 'index.mjs'), 'typeof m.handler').then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    // Assess: a cold start that says which file its asset lacks and where it looked.
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`holiday data file ${missing} cannot be read at ${join(dir, missing)} (ENOENT)`);
  });
});
