/**
 * Builds the app: reads the stage configuration from context, creates the main stack (in the
 * configured region) and the us-east-1 edge stack with the CloudFront web ACL (decision 038), and
 * registers cdk-nag. `infra/app.ts` (the `cdk` entry) and the infra tests both go through here, so the
 * tests synthesise exactly what `cdk synth` does.
 */
import { Tags, type App } from 'aws-cdk-lib';
import { assertIvrMenu } from '#domain/channels/ivr-menu.ts';
import { EDGE_REGION, stageConfig } from './config.ts';
import { ComplaintStack, type ComplaintStackProps } from './complaint-stack.ts';
import { EdgeStack } from './edge-stack.ts';
import { applyNag } from './nag.ts';

export type AssembleOptions = Pick<ComplaintStackProps, 'entries' | 'webDir' | 'consoleDir'> & {
  /** The IVR menu the bundles ship (default `shared/config/ivr-menu.json`): synth refuses an invalid one. */
  ivrMenu?: unknown;
};

export interface Assembled {
  main: ComplaintStack;
  /** Absent when `-c webAclArn` names an existing web ACL. */
  edge?: EdgeStack;
}

export function assemble(app: App, { ivrMenu, ...options }: AssembleOptions = {}): Assembled {
  // The channel-ivr bundle reads the menu file as it is (no schema at run time): check it here, before it ships.
  assertIvrMenu(ivrMenu);
  const config = stageConfig(app.node);
  const account = process.env['CDK_DEFAULT_ACCOUNT'];
  const env = (region: string) => ({ env: { region, ...(account !== undefined && { account }) } });
  let edge: EdgeStack | undefined;
  let webAclArn = config.webAclArn;
  if (webAclArn === undefined) {
    edge = new EdgeStack(app, `ComplaintLoopEdge-${config.stage}`, {
      config,
      description: `投诉闭环系统 CloudFront web ACL (${config.stage})`,
      ...env(EDGE_REGION),
    });
    webAclArn = edge.firewall.webAclArn;
  }
  const main = new ComplaintStack(app, `ComplaintLoop-${config.stage}`, {
    config,
    description: `投诉闭环系统 complaint closed-loop system (${config.stage})`,
    ...env(config.region),
    // The distribution takes the edge stack's web ACL ARN from us-east-1.
    crossRegionReferences: edge !== undefined,
    webAclArn,
    ...options,
  });
  for (const stack of [main, ...(edge ? [edge] : [])]) {
    Tags.of(stack).add('app', 'complaint-loop');
    Tags.of(stack).add('stage', config.stage);
  }
  applyNag(app);
  return { main, ...(edge && { edge }) };
}
