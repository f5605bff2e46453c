/**
 * Synthesises the app the way `cdk synth` does (cdk.json context, cdk-nag registered by `assemble`),
 * for the infra tests. Bundling is skipped unless asked for (it is proven by the bundle tests and
 * `npm run synth`); background functions whose handler is not written yet get a stand-in entry so
 * that every construct is built and checked.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { assemble } from '../../infra/assemble.ts';
import type { ComplaintStack } from '../../infra/complaint-stack.ts';
import type { EdgeStack } from '../../infra/edge-stack.ts';
import { functionEntry, PROJECT_ROOT } from '../../infra/constructs/bundling.ts';
import { BACKGROUND_FUNCTIONS, type FunctionName } from '../../infra/functions.ts';

const cdkJson = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

export const FIXTURE_ENTRY = resolve(PROJECT_ROOT, 'test/infra/fixtures/background-handler.ts');

/** Stand-ins for the background handlers that do not exist yet. */
export function fixtureEntries(): Partial<Record<FunctionName, string>> {
  return Object.fromEntries(BACKGROUND_FUNCTIONS.filter((name) => !existsSync(functionEntry(name))).map((name) => [name, FIXTURE_ENTRY]));
}

export const PROD_CONTEXT = {
  stage: 'prod',
  // Another region than the edge stack's us-east-1: the web ACL crosses regions (dev stays in us-east-1).
  region: 'ap-southeast-1',
  sesIdentity: 'post.example.cn',
  smsOriginationIdentityArn: 'arn:aws:sms-voice:ap-southeast-1:123456789012:phone-number/phone-0123456789abcdef',
  alarmEmail: 'ops@post.example.cn',
  calendarAdminEmails: 'calendar@post.example.cn, ops@post.example.cn',
};

const scratch: string[] = [];
// Registered in every test file that imports this module (vitest isolates modules per file).
afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory, removed after the test file. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export interface Synthesised {
  app: App;
  stack: ComplaintStack;
  template: Template;
  /** The us-east-1 stack with the web ACL (absent with `-c webAclArn`). */
  edge?: EdgeStack;
  edgeTemplate?: Template;
}

export function synthesise(
  context: Record<string, unknown> = {},
  opts: { bundle?: boolean; entries?: Partial<Record<FunctionName, string>>; webDir?: string; consoleDir?: string } = {},
): Synthesised {
  const app = new App({
    outdir: scratchDir('cdk-test-'),
    context: {
      ...cdkJson.context,
      ...context,
      // No stack is bundled unless asked: NodejsFunction then skips esbuild and uses a placeholder asset.
      ...(!opts.bundle && { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const { main: stack, edge } = assemble(app, {
    entries: opts.entries ?? fixtureEntries(),
    ...(opts.webDir !== undefined && { webDir: opts.webDir }),
    ...(opts.consoleDir !== undefined && { consoleDir: opts.consoleDir }),
  });
  // Runs cdk-nag too: an unacknowledged finding throws here.
  app.synth();
  return { app, stack, template: Template.fromStack(stack), ...(edge && { edge, edgeTemplate: Template.fromStack(edge) }) };
}
