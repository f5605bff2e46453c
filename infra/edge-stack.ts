/**
 * The us-east-1 part of the app: the CLOUDFRONT-scope WAF web ACL, which AWS creates only in us-east-1
 * (docs/decisions/038). The main stack, in its own region, attaches it to the distribution through a
 * cross-region reference: with cdk.json's weak cross-stack references CDK renders it as
 * `Fn::GetStackOutput` of this stack's output in us-east-1 (no export, no custom resource), and deploys
 * this stack first.
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from './config.ts';
import { EdgeFirewall } from './constructs/edge-firewall.ts';

export interface EdgeStackProps extends StackProps {
  config: StageConfig;
}

export class EdgeStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    this.firewall = new EdgeFirewall(this, 'Firewall', {
      metricPrefix: `complaint-loop-${props.config.stage}`,
      logRetention: props.config.logRetention,
      removalPolicy: props.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
