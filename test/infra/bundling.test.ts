/**
 * `NodejsFunction` really bundles our handlers (local esbuild, no Docker): `#…` subpath imports,
 * `.ts` extensions and JSON imports `with { type: 'json' }` resolve, the result is an ES module with a
 * source map that loads, and it is byte-for-byte what the bundle budget test measures, with the data files
 * it reads beside it (decision 073).
 */
import { cpSync, existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplaintTable } from '../../infra/constructs/complaint-table.ts';
import { DATA_FILES, PROJECT_ROOT, copyDataFiles, esbuildOptionsFor, functionEntry } from '../../infra/constructs/bundling.ts';
import { ComplaintFunction } from '../../infra/constructs/lambda-function.ts';
import { ensureTable, startDynalite } from '../../local/dynamo.ts';
import { scratchDir } from './synth.ts';

// track reaches the unit directory (JSON imports), the store and zod through #subpath imports.
const NAME = 'track';
let assetDir: string;

beforeAll(() => {
  const outdir = scratchDir('cdk-bundle-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'BundleProbe');
  const table = new ComplaintTable(stack, 'Table', { retain: false, contributorInsights: false }).table;
  new ComplaintFunction(stack, 'Fn', {
    name: NAME,
    entry: functionEntry(NAME),
    table,
    logRetention: RetentionDays.ONE_DAY,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  app.synth();
  const dirs = readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.mjs')));
  expect(dirs).toHaveLength(1);
  assetDir = join(outdir, dirs[0]!);
}, 60_000);

describe('NodejsFunction bundling', () => {
  it('produces index.mjs with its source map, the AWS SDK inside (decision 064), and the holiday files beside it (decision 073)', () => {
    expect(readdirSync(assetDir).sort()).toEqual(['holidays-cn-provisional.json', 'holidays-cn.json', 'index.mjs', 'index.mjs.map']);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code).not.toMatch(/from\s*"@(aws-sdk|smithy)\//);
    expect(code).toContain('DynamoDB_20120810');
    expect(code).toContain('//# sourceMappingURL=index.mjs.map');
  });

  it('loads as an ES module and exports the handler', async () => {
    const dir = scratchDir('cdk-bundle-load-');
    cpSync(assetDir, dir, { recursive: true });
    symlinkSync(resolve(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const mod = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler?: unknown };
    expect(typeof mod.handler).toBe('function');
  });

  it('signs its calls with the credentials Lambda puts in the environment, the one link of the chain it carries (decision 072)', async () => {
    const dir = scratchDir('cdk-bundle-call-');
    cpSync(assetDir, dir, { recursive: true });
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    // None of the rest of the default chain: SSO, the shared INI files, credential_process.
    expect(code).not.toMatch(/AWS_CONTAINER_CREDENTIALS_FULL_URI|credential_process|sso_start_url/);
    const dynamo = await startDynalite();
    const saved = { ...process.env };
    try {
      await ensureTable(dynamo.client, 'bundle-call');
      Object.assign(process.env, {
        TABLE_NAME: 'bundle-call',
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        AWS_REGION: 'ap-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDBUNDLECALL',
        AWS_SECRET_ACCESS_KEY: 'bundle-call-secret',
        AWS_SESSION_TOKEN: 'bundle-call-token',
      });
      const mod = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as {
        handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;
      };
      const event = {
        version: '2.0',
        routeKey: 'GET /track/{code}',
        rawPath: '/track/0123456789AB',
        pathParameters: { code: '0123456789AB' },
        headers: {},
        requestContext: { requestId: 'bundle-call' },
        isBase64Encoded: false,
      };
      // A real GetItem/Query against dynalite, signed with the environment's keys: 404, not a 5xx.
      const answer = await mod.handler(event, { awsRequestId: 'bundle-call' });
      expect({ status: answer.statusCode, body: JSON.parse(answer.body ?? '{}').code }).toEqual({ status: 404, body: 'not-found' });
    } finally {
      process.env = saved;
      await dynamo.close();
    }
  });

  it('ships the data files byte for byte, as copyDataFiles places them beside every other build', () => {
    expect(DATA_FILES.map((file) => basename(file)).sort()).toEqual(
      readdirSync(assetDir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    );
    for (const file of DATA_FILES) expect(readFileSync(join(assetDir, basename(file))).equals(readFileSync(resolve(PROJECT_ROOT, file))), file).toBe(true);
  });

  it('is identical to the bundle the budget test measures (one set of options)', async () => {
    const dir = scratchDir('esbuild-');
    const outfile = join(dir, 'index.mjs');
    await build(esbuildOptionsFor(functionEntry(NAME), outfile));
    copyDataFiles(outfile);
    expect(readdirSync(dir).sort()).toEqual(readdirSync(assetDir).sort());
    const measured = readFileSync(outfile, 'utf8');
    const deployed = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    // Compared without printing half a megabyte of minified code on failure.
    let firstDifference = -1;
    for (let i = 0; i < Math.max(measured.length, deployed.length) && firstDifference === -1; i++) if (measured[i] !== deployed[i]) firstDifference = i;
    expect({
      length: deployed.length,
      firstDifference: firstDifference === -1 ? undefined : deployed.slice(Math.max(0, firstDifference - 80), firstDifference + 80),
    }).toEqual({
      length: measured.length,
      firstDifference: undefined,
    });
  });
});
