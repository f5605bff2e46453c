/**
 * Builds the app: reads the stage configuration from context, creates the one stack and registers
 * cdk-nag. `infra/app.ts` (the `cdk` entry) and the infra tests both go through here, so the tests
 * synthesise exactly what `cdk synth` does.
 */
import { Tags, type App } from 'aws-cdk-lib';
import { stageConfig } from './config.ts';
import { ComplaintStack, type ComplaintStackProps } from './complaint-stack.ts';
import { applyNag } from './nag.ts';

export type AssembleOptions = Pick<ComplaintStackProps, 'entries' | 'webDir'>;

export function assemble(app: App, options: AssembleOptions = {}): ComplaintStack {
  const config = stageConfig(app.node);
  const account = process.env['CDK_DEFAULT_ACCOUNT'];
  const region = process.env['CDK_DEFAULT_REGION'];
  const stack = new ComplaintStack(app, `ComplaintLoop-${config.stage}`, {
    config,
    description: `投诉闭环系统 complaint closed-loop system (${config.stage})`,
    ...(account !== undefined && region !== undefined && { env: { account, region } }),
    ...options,
  });
  Tags.of(stack).add('app', 'complaint-loop');
  Tags.of(stack).add('stage', config.stage);
  applyNag(app);
  return stack;
}
